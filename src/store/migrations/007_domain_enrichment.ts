/**
 * Domain enrichment (seed 003, issue 5 item 7): company sites, the contacts found at their
 * domains, the jobs that find them, and `leads.site_id` linking a corporate-owned lead to
 * its company's site. Uniqueness lives in indexes: one site per (account, domain), one
 * contact per (site, email blind index), so a re-enrichment updates instead of duplicating.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const domainEnrichment: Migration = {
  name: '007_domain_enrichment',
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('pipeline_stage', 'text', (c) => c.notNull().defaultTo('new'))
      .addColumn('enrichment_status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('enrichment_error', 'text')
      .addColumn('last_enriched_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_sites_domain')
      .unique()
      .on('sites')
      .columns(['account_id', 'domain'])
      .execute();
    await db.schema
      .createIndex('ix_sites_status')
      .on('sites')
      .columns(['account_id', 'enrichment_status'])
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('config_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress_json', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('ix_jobs_account')
      .on('jobs')
      .columns(['account_id', 'type', 'created_at'])
      .execute();

    await db.schema
      .createTable('site_contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('email_enc', 'text', (c) => c.notNull())
      .addColumn('email_hash', 'text', (c) => c.notNull())
      .addColumn('email_hint', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('position', 'text')
      .addColumn('seniority', 'text')
      .addColumn('department', 'text')
      .addColumn('type', 'text')
      .addColumn('confidence', 'integer')
      .addColumn('linkedin_url', 'text')
      .addColumn('twitter', 'text')
      .addColumn('phone_enc', 'text')
      .addColumn('verification_status', 'text')
      .addColumn('verification_date', 'text')
      .addColumn('enrichment_source', 'text', (c) => c.notNull())
      .addColumn('enrichment_job_id', 'text', (c) => c.references('jobs.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_site_contacts_email')
      .unique()
      .on('site_contacts')
      .columns(['site_id', 'email_hash'])
      .execute();

    // Nullable, so adding it is a plain ALTER on both dialects (SQLite allows REFERENCES
    // on an added column whose default is NULL).
    await db.schema
      .alterTable('leads')
      .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('ix_leads_site').on('leads').column('site_id').execute();
  },
};
