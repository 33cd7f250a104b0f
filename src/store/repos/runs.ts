/**
 * Runs and run items (seed 002 Epic B). Run items are the durable queue of the embedded
 * worker pool: a restart resumes from them. Counters are computed from the items, never
 * hand-maintained, so they cannot drift; `runs` keeps a snapshot written at checkpoints.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, RunItemsTable, RunsTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';
import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../sqlite-statements.js';

export type RunRow = Selectable<RunsTable>;
export type RunItemRow = Selectable<RunItemsTable>;
export type RunStatus = RunsTable['status'];

export async function insertRun(db: Kysely<Database>, run: Insertable<RunsTable>): Promise<void> {
  await db.insertInto('runs').values(run).execute();
}

export async function insertRunItems(
  db: Kysely<Database>,
  items: readonly Insertable<RunItemsTable>[],
): Promise<void> {
  for (const part of chunk(items, rowsPerInsert(15))) {
    await db
      .insertInto('run_items')
      .values(part)
      .onConflict((oc) => oc.columns(['run_id', 'lead_id']).doNothing())
      .execute();
  }
}

export async function getRun(
  db: Kysely<Database>,
  accountId: string,
  runId: string,
): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('run_id', '=', runId)
    .executeTakeFirst();
}

export async function latestRun(db: Kysely<Database>, accountId: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function updateRun(
  db: Kysely<Database>,
  runId: string,
  patch: Partial<RunsTable>,
): Promise<void> {
  await db.updateTable('runs').set(patch).where('run_id', '=', runId).execute();
}

export interface RunCounters {
  total: number;
  queued: number;
  in_flight: number;
  done: number;
  failed: number;
  cached_hits: number;
}

export async function countRunItems(db: Kysely<Database>, runId: string): Promise<RunCounters> {
  const rows = await db
    .selectFrom('run_items')
    .select((eb) => ['status', 'cached', eb.fn.countAll<number>().as('n')])
    .where('run_id', '=', runId)
    .groupBy(['status', 'cached'])
    .execute();
  const c: RunCounters = { total: 0, queued: 0, in_flight: 0, done: 0, failed: 0, cached_hits: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    c.total += n;
    c[r.status] += n;
    if (r.status === 'done' && r.cached === 1) c.cached_hits += n;
  }
  return c;
}

/**
 * Items still to process, in insertion order. Items left `in_flight` by a crashed process
 * are included: their writes either committed (then they are `done`) or did not.
 */
export async function pendingItems(
  db: Kysely<Database>,
  runId: string,
  statuses: readonly RunItemRow['status'][],
  page?: { afterId: string | null; limit: number },
): Promise<RunItemRow[]> {
  let q = db
    .selectFrom('run_items')
    .selectAll()
    .where('run_id', '=', runId)
    .where('status', 'in', [...statuses]);
  if (page?.afterId) q = q.where('id', '>', page.afterId);
  q = q.orderBy('id');
  if (page) q = q.limit(page.limit);
  return q.execute();
}

export interface ItemResult {
  id: string;
  status: 'done' | 'failed' | 'queued';
  cached: boolean;
  providerCallId: string | null;
  lastError: string | null;
  attemptDelta: number;
}

const FINISH_SQL = `update run_items set status = ?, cached = ?, provider_call_id = ?, last_error = ?,
  attempt = attempt + ?, updated_at = ? where id = ?`;

/** Finishes items; `sqlite` (the raw connection under `db`) runs a cached prepared statement per row. */
export async function finishItems(
  db: Kysely<Database>,
  results: readonly ItemResult[],
  nowIso: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite) {
    const stmt = prepared(sqlite, FINISH_SQL);
    for (const r of results) {
      stmt.run(r.status, r.cached ? 1 : 0, r.providerCallId, r.lastError, r.attemptDelta, nowIso, r.id);
    }
    return;
  }
  for (const r of results) {
    await db
      .updateTable('run_items')
      .set((eb) => ({
        status: r.status,
        cached: r.cached ? 1 : 0,
        provider_call_id: r.providerCallId,
        last_error: r.lastError,
        attempt: eb('attempt', '+', r.attemptDelta),
        updated_at: nowIso,
      }))
      .where('id', '=', r.id)
      .execute();
  }
}
