/**
 * The original CSV header of each import, kept on its list (union over the imports that
 * fed it), so an export knows its input columns without reading every membership row.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const listInputColumns: Migration = {
  name: '003_list_input_columns',
  async up(db: Kysely<any>) {
    await db.schema.alterTable('lists').addColumn('input_columns_json', 'text').execute();
  },
};
