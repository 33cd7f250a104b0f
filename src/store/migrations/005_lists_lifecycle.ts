/**
 * Lists, lead queries and the lead lifecycle (issue 5, seed 004): activities, account-scoped
 * tags, saved campaign queries, and the indexes the lead queries filter and sort on.
 *
 * List stats and stack counts are computed by query (store/repos/lists.ts), never kept in
 * columns, so there is nothing here to maintain them.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const listsLifecycle: Migration = {
  name: '005_lists_lifecycle',
  async up(db: Kysely<any>) {
    // One row per touch of a lead: call, sms, email, note, and `status` (written by a
    // lifecycle status change, so the history of a lead reads in one place).
    await db.schema
      .createTable('activities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_activities_lead')
      .on('activities')
      .columns(['lead_id', 'occurred_at'])
      .execute();

    await db.schema
      .createTable('tags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ux_tags_name').unique().on('tags').columns(['account_id', 'name']).execute();

    await db.schema
      .createTable('lead_tags')
      .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
      .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_lead_tags', ['lead_id', 'tag_id'])
      .execute();
    await db.schema.createIndex('ix_lead_tags_tag').on('lead_tags').column('tag_id').execute();

    await db.schema
      .createTable('saved_queries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('filters_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_saved_queries_name')
      .unique()
      .on('saved_queries')
      .columns(['account_id', 'name'])
      .execute();

    // Lead queries (store/repos/lead-queries.ts): the campaign-ready selection reads
    // quality_status and sorts by score, first seen, id; the other filters are equalities.
    await db.schema
      .createIndex('ix_leads_campaign')
      .on('leads')
      .columns(['account_id', 'quality_status', 'quality_score', 'first_seen_at', 'id'])
      .execute();
    await db.schema.createIndex('ix_leads_status').on('leads').columns(['account_id', 'status']).execute();
    await db.schema.createIndex('ix_leads_state').on('leads').columns(['account_id', 'state']).execute();
    await db.schema
      .createIndex('ix_leads_enrichment')
      .on('leads')
      .columns(['account_id', 'enrichment_status'])
      .execute();
    await db.schema.createIndex('ix_lists_account').on('lists').columns(['account_id', 'name']).execute();
  },
};
