/**
 * Three more lead indexes become partial, so an import writes only the entries a query can
 * use (measured on the 100k-row import: docs/performance.md).
 *
 * - `ix_leads_status` holds leads whose status is not `new`. Every imported lead starts
 *   `new`, most stay so, and a filter on `new` matches most of an account, where the index
 *   is no faster than reading the leads; a filter on the other statuses is selective.
 * - `ix_leads_enrichment` holds leads whose enrichment status is not `pending`, for the same
 *   reason: every imported lead starts `pending`.
 * - `ix_leads_apn_only` holds leads with an APN: it serves `apn = ?` / `apn in (…)` lookups
 *   (dedupe, pulls), which never match a lead without one.
 *
 * PostgreSQL proves `status in ('dead')` implies `status <> 'new'` by itself; SQLite's
 * planner uses a partial index only when the query repeats the index's condition, so the
 * lead filters add `status <> 'new'` (`enrichment_status <> 'pending'`) when the statuses
 * asked for exclude it (store/repos/lead-queries.ts). `apn in (…)` implies `apn is not null`
 * for both.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/** Each index: its columns and the condition a lead must meet to be in it. */
const PARTIAL: readonly {
  name: string;
  columns: string[];
  where: [string, '<>' | 'is not', string | null];
}[] = [
  { name: 'ix_leads_status', columns: ['account_id', 'status'], where: ['status', '<>', 'new'] },
  {
    name: 'ix_leads_enrichment',
    columns: ['account_id', 'enrichment_status'],
    where: ['enrichment_status', '<>', 'pending'],
  },
  { name: 'ix_leads_apn_only', columns: ['account_id', 'apn'], where: ['apn', 'is not', null] },
];

/* eslint-disable @typescript-eslint/no-explicit-any */
export const partialStatusIndexes: Migration = {
  name: '012_partial_status_indexes',
  async up(db: Kysely<any>) {
    for (const { name, columns, where } of PARTIAL) {
      await db.schema.dropIndex(name).execute();
      await db.schema
        .createIndex(name)
        .on('leads')
        .columns(columns)
        .where(...where)
        .execute();
    }
  },
};
