/**
 * The initial schema (DATA-MODEL.md): leads and lists, contact points, vendor calls,
 * cache, spend, DLQ and runs. Portable subset: text, integer, bigint (money), real.
 * Uniqueness lives in indexes so idempotency holds under concurrency and across workers.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const initial: Migration = {
  name: '001_initial',
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    let leads = db.schema
      .createTable('leads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('source', 'text', (c) => c.notNull());
    for (const col of [
      'vendor_record_id',
      'vendor_list_id',
      'property_id',
      'apn',
      'fips',
      'mak',
      'address_line1',
      'address_line2',
      'city',
      'state',
      'zip5',
      'zip4',
      'address_key',
      'owner_first',
      'owner_middle',
      'owner_last',
      'owner_full',
      'owner_company',
      'owner_type',
      'mailing_line1',
      'mailing_line2',
      'mailing_city',
      'mailing_state',
      'mailing_zip5',
      'property_type',
    ]) {
      leads = leads.addColumn(col, 'text');
    }
    leads = leads
      .addColumn('beds', 'integer')
      .addColumn('baths', 'real')
      .addColumn('sqft', 'integer')
      .addColumn('year_built', 'integer')
      .addColumn('estimated_value', 'bigint')
      .addColumn('estimated_equity', 'bigint')
      .addColumn('equity_percent', 'real');
    for (const col of [
      'owner_occupied',
      'absentee_owner',
      'owner_age',
      'pre_foreclosure',
      'foreclosure',
      'tax_lien',
      'bankruptcy',
      'vacant',
      'high_equity',
      'free_clear',
    ]) {
      leads = leads.addColumn(col, 'integer');
    }
    await leads
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
      .addColumn('enrichment_status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('enrichment_error', 'text')
      .addColumn('quality_score', 'integer')
      .addColumn('quality_status', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('enriched_at', 'text')
      .addColumn('skip_traced_at', 'text')
      .execute();
    const uniqueLead = async (name: string, cols: string[]) => {
      let index = db.schema
        .createIndex(name)
        .unique()
        .on('leads')
        .columns(['account_id', ...cols]);
      for (const col of cols) index = index.where(col, 'is not', null);
      await index.execute();
    };
    await uniqueLead('ux_leads_address_key', ['address_key']);
    await uniqueLead('ux_leads_apn', ['fips', 'apn']);
    await uniqueLead('ux_leads_mak', ['mak']);
    await uniqueLead('ux_leads_vendor', ['source', 'vendor_record_id']);
    // APN-only rows (no FIPS known) still dedupe by APN within the account.
    await db.schema.createIndex('ix_leads_apn_only').on('leads').columns(['account_id', 'apn']).execute();

    await db.schema
      .createTable('lists')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('source', 'text')
      .addColumn('filters_json', 'text')
      .addColumn('signals_json', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('list_members')
      .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id'))
      .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addColumn('row_number', 'integer')
      .addColumn('input_row_json', 'text')
      .addPrimaryKeyConstraint('pk_list_members', ['list_id', 'lead_id'])
      .execute();
    await db.schema.createIndex('ix_list_members_lead').on('list_members').column('lead_id').execute();

    await db.schema
      .createTable('persons')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('first', 'text')
      .addColumn('middle', 'text')
      .addColumn('last', 'text')
      .addColumn('full', 'text')
      .addColumn('source_provider', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_persons_lead').on('persons').column('lead_id').execute();

    await db.schema
      .createTable('contact_points')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('lead_id', 'text', (c) => c.notNull().references('leads.id'))
      .addColumn('person_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value_enc', 'text', (c) => c.notNull())
      .addColumn('value_hash', 'text', (c) => c.notNull())
      .addColumn('value_hint', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull().defaultTo('unknown'))
      .addColumn('carrier', 'text')
      .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('confidence', 'integer')
      .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('verification_status', 'text')
      .addColumn('dnc', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('tcpa', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('litigator', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('compliance_source', 'text')
      .addColumn('compliance_checked_at', 'text')
      .addColumn('compliance_expires_at', 'text')
      .addColumn('source_provider', 'text', (c) => c.notNull())
      .addColumn('provider_call_id', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_contact_points_value')
      .unique()
      .on('contact_points')
      .columns(['lead_id', 'kind', 'value_hash'])
      .execute();

    await db.schema
      .createTable('provider_calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('http_request_id', 'text')
      .addColumn('attempt_reason', 'text', (c) => c.notNull().defaultTo('primary'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('request_json', 'text', (c) => c.notNull())
      .addColumn('response_enc', 'text')
      .addColumn('payload_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('billable_units', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cost_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('error_code', 'text')
      .addColumn('error_text', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    // One key is billed at most once per generation (DATA-MODEL.md).
    await db.schema
      .createIndex('ux_provider_idem')
      .unique()
      .on('provider_calls')
      .columns(['account_id', 'provider', 'idempotency_key', 'generation'])
      .execute();
    await db.schema.createIndex('ix_provider_calls_run').on('provider_calls').column('run_id').execute();
    await db.schema.createIndex('ix_provider_calls_lead').on('provider_calls').column('lead_id').execute();

    await db.schema
      .createTable('skiptrace_cache')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('payload_hash', 'text', (c) => c.notNull())
      .addColumn('response_enc', 'text', (c) => c.notNull())
      .addColumn('parsed_contacts_enc', 'text', (c) => c.notNull())
      .addColumn('provider_call_id', 'text', (c) => c.notNull())
      .addColumn('ttl_expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen', 'text')
      .execute();
    await db.schema
      .createIndex('ux_cache_key')
      .unique()
      .on('skiptrace_cache')
      .columns(['account_id', 'provider', 'idempotency_key'])
      .execute();

    await db.schema
      .createTable('spend_days')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('spent_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('reserved_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('pk_spend_days', ['account_id', 'day'])
      .execute();

    await db.schema
      .createTable('dlq')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('lead_id', 'text')
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('error', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('retry_after', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ix_dlq_retry').on('dlq').columns(['account_id', 'retry_after']).execute();

    await db.schema
      .createTable('runs')
      .addColumn('run_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('list_id', 'text')
      .addColumn('source_label', 'text', (c) => c.notNull())
      .addColumn('policy_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cached_hits', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('spent_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('reserved_micros', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('soft_paused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();

    await db.schema
      .createTable('run_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id'))
      .addColumn('lead_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull().defaultTo('skip-trace'))
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('idem_key', 'text', (c) => c.notNull())
      .addColumn('sanitized_idem_key', 'text')
      .addColumn('normalized_address', 'text')
      .addColumn('normalized_person', 'text')
      .addColumn('cached', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('provider_call_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_run_items_lead')
      .unique()
      .on('run_items')
      .columns(['run_id', 'lead_id'])
      .execute();
    await db.schema
      .createIndex('ix_run_items_status')
      .on('run_items')
      .columns(['run_id', 'status'])
      .execute();

    await db.schema
      .createTable('suppressions')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value_hash', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_suppressions', ['account_id', 'kind', 'value_hash'])
      .execute();
  },
};
