/**
 * Two lead indexes become partial: they now hold only the leads they can serve.
 *
 * - `ix_leads_campaign` serves campaign-ready selections (`quality_status = 'contactable'`,
 *   store/repos/lead-queries.ts); a lead has no quality status until a run scores it.
 * - `ix_leads_site` serves `site_id = ?` lookups (domain enrichment); most leads have no site.
 *
 * Every comparison on the column implies `is not null`, so SQLite and PostgreSQL still use
 * them for those queries. An import then writes two index entries fewer per lead, and the
 * campaign index's entry is written once, when the lead is first scored (measured on the
 * 100k-row import: docs/performance.md).
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const partialLeadIndexes: Migration = {
  name: '010_partial_lead_indexes',
  async up(db: Kysely<any>) {
    await db.schema.dropIndex('ix_leads_campaign').execute();
    await db.schema
      .createIndex('ix_leads_campaign')
      .on('leads')
      .columns(['account_id', 'quality_status', 'quality_score', 'first_seen_at', 'id'])
      .where('quality_status', 'is not', null)
      .execute();
    await db.schema.dropIndex('ix_leads_site').execute();
    await db.schema
      .createIndex('ix_leads_site')
      .on('leads')
      .column('site_id')
      .where('site_id', 'is not', null)
      .execute();
  },
};
