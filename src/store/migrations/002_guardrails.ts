/**
 * Guardrails (issue 3): budget reservations as rows, so a crash mid-call can be recovered
 * exactly: a reservation whose owner process died is settled at its worst case and the
 * intents it covered are marked interrupted.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const guardrails: Migration = {
  name: '002_guardrails',
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('budget_reservations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('micros', 'bigint', (c) => c.notNull())
      .addColumn('items', 'integer', (c) => c.notNull())
      /** host:pid:start of the process that made it; used to detect orphans after a crash. */
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_budget_reservations_account')
      .on('budget_reservations')
      .column('account_id')
      .execute();
    await db.schema
      .createIndex('ix_provider_calls_http_request')
      .on('provider_calls')
      .column('http_request_id')
      .execute();
    await db.schema
      .createIndex('ix_provider_calls_status')
      .on('provider_calls')
      .columns(['account_id', 'status'])
      .execute();
  },
};
