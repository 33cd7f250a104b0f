/**
 * jobs: background work that is not a skip-trace run (domain enrichment). A job's config
 * and progress are JSON text owned by the module that runs that job type; this module
 * only stores them.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, JobsTable } from '../schema.js';

export type JobRow = Selectable<JobsTable>;
export type JobStatus = JobsTable['status'];

export async function insertJob(db: Kysely<Database>, job: Insertable<JobsTable>): Promise<void> {
  await db.insertInto('jobs').values(job).execute();
}

export async function getJob(
  db: Kysely<Database>,
  accountId: string,
  jobId: string,
): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', jobId)
    .executeTakeFirst();
}

export async function updateJob(
  db: Kysely<Database>,
  jobId: string,
  patch: Updateable<JobsTable>,
): Promise<void> {
  await db.updateTable('jobs').set(patch).where('id', '=', jobId).execute();
}

/**
 * Moves a job from one status to another only if it is still in `from`: false when another
 * process got there first (two `run` calls for one queued job start it once).
 */
export async function transitionJob(
  db: Kysely<Database>,
  jobId: string,
  from: readonly JobStatus[],
  patch: Updateable<JobsTable> & { status: JobStatus },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set(patch)
    .where('id', '=', jobId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The account's jobs of one type, newest first. */
export async function listJobs(
  db: Kysely<Database>,
  accountId: string,
  type: string,
  limit = 50,
): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('type', '=', type)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Every job of `type` still marked running, oldest first (to find those whose process ended). */
export async function runningJobs(db: Kysely<Database>, accountId: string, type: string): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('type', '=', type)
    .where('status', '=', 'running')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
