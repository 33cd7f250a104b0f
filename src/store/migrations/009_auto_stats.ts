/**
 * What 'auto' has learned per lead state (pipeline/continuation.ts): per account, stage,
 * provider and whole lead state, how many leads were sent, how many it hit and how many it
 * made contactable. Workers add their counts as chunks finish and read the totals when a run
 * starts, so the learning carries over from run to run and between workers.
 */
import type { Kysely } from 'kysely';
import type { Migration } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const autoStats: Migration = {
  name: '009_auto_stats',
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('auto_stats')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('tries', 'integer', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addColumn('contactable', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_auto_stats', ['account_id', 'stage', 'provider', 'state'])
      .execute();
  },
};
