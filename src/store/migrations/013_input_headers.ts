/**
 * Input rows kept as values, their header once per import (docs/performance.md).
 *
 * A list membership keeps the original CSV columns of the row that added the lead, for the
 * enriched.csv export. They used to be a JSON object per membership, header → cell, so every
 * row repeated every header name: in a wide export (PropStream, ~50–100 columns) the names
 * were most of each membership's bytes, and of the import's writes. Now an import stores its
 * header once in `input_headers` and each membership a JSON array of its cells, with
 * `input_header_id` naming the header they line up with. Memberships written before (and
 * those added without an import's header) keep the object form, with `input_header_id`
 * null; readers accept both (store/repos/list-inputs.ts, inputRowObject).
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const inputHeaders: Migration = {
  name: '013_input_headers',
  async up(db: Kysely<any>, dialect) {
    await db.schema
      .createTable('input_headers')
      // SQLite: an alias of the rowid, assigned on insert; PostgreSQL: an identity column.
      .addColumn('id', 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
      )
      /** The import's input keys in column order (JSON array of strings). */
      .addColumn('columns_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Nullable, so adding it is a plain ALTER on both dialects.
    await db.schema
      .alterTable('list_members')
      .addColumn('input_header_id', 'integer', (c) => c.references('input_headers.id'))
      .execute();
  },
};
