/**
 * Jobs know the process that runs them: `owner` (host:pid:start, as budget reservations)
 * and `lease_expires_at`, renewed after each unit of work. A job left `running` by a process
 * that died is then told apart from one that is still running (runs/domain-enrichment.ts
 * `recoverInterruptedJobs`). Both are nullable, so adding them is a plain ALTER everywhere.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const jobOwner: Migration = {
  name: '011_job_owner',
  async up(db: Kysely<any>) {
    await db.schema.alterTable('jobs').addColumn('owner', 'text').execute();
    await db.schema.alterTable('jobs').addColumn('lease_expires_at', 'text').execute();
  },
};
