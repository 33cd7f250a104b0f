/**
 * Acquisition (issue 5): property-search pulls with stop-when-known paging (seed 001).
 *
 * - `source_bookmarks`: one row per (account, source, query signature): where the last pull
 *   of that search stood, so a re-run knows what it has and a cut-short walk can resume.
 * - `lead_source_events`: one row per stored page of a pull, with the vendor ids the page
 *   held (JSON array), so "has this id been seen for this query?" is answerable after the
 *   leads themselves are gone (erasure).
 * Pull jobs themselves are not recorded here (the `jobs` table is another migration's).
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const acquisition: Migration = {
  name: '006_acquisition',
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('source_bookmarks')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('query_sig', 'text', (c) => c.notNull())
      /** The normalized search (canonical JSON), for people reading the table. */
      .addColumn('query_json', 'text', (c) => c.notNull())
      /** page_number of the last page the last pull stored (0: none yet). */
      .addColumn('last_page_fetched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_vendor_id', 'text')
      /** The pull that last moved this bookmark. */
      .addColumn('last_pull_id', 'text')
      /** The vendor's result count at that pull. */
      .addColumn('result_total', 'integer')
      /**
       * Where a page walk beyond the free ids window stopped short (max records, quota,
       * budget, error), to resume there; null when there is nothing to resume.
       */
      .addColumn('resume_index', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_source_bookmarks', ['account_id', 'source', 'query_sig'])
      .execute();

    await db.schema
      .createTable('lead_source_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('query_sig', 'text', (c) => c.notNull())
      .addColumn('pull_id', 'text', (c) => c.notNull())
      /** 'ids' (ids_only: vendor ids only) or 'full' (whole property records). */
      .addColumn('mode', 'text', (c) => c.notNull())
      /** The pull's parameters: normalized search, mode, page size, max records. */
      .addColumn('pull_params_json', 'text', (c) => c.notNull())
      /** 1-based, in fetch order within the pull. */
      .addColumn('page_number', 'integer', (c) => c.notNull())
      /** Position of the page's first record in the vendor's result set. */
      .addColumn('result_index', 'integer', (c) => c.notNull())
      /** JSON array of the vendor ids on the page, in vendor order. */
      .addColumn('seen_vendor_ids', 'text', (c) => c.notNull())
      .addColumn('first_id', 'text')
      .addColumn('last_id', 'text')
      /** Leads this page created (the rest were known or matched stored leads). */
      .addColumn('new_leads', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('provider_call_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_lead_source_events_query')
      .on('lead_source_events')
      .columns(['account_id', 'source', 'query_sig', 'mode'])
      .execute();
    await db.schema
      .createIndex('ix_lead_source_events_created')
      .on('lead_source_events')
      .column('created_at')
      .execute();
  },
};
