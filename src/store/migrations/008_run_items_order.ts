/**
 * Run items in id order per run: (run_id, id). Exports and reports read a run's items in
 * the order they were created (the list's order) by keyset pages; without this index each
 * page sorted every item of the run again (ix_run_items_status only narrows to the run),
 * which made a 100k-item export quadratic.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const runItemsOrder: Migration = {
  name: '008_run_items_order',
  async up(db: Kysely<any>) {
    await db.schema.createIndex('ix_run_items_run_order').on('run_items').columns(['run_id', 'id']).execute();
  },
};
