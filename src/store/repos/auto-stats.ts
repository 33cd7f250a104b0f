/**
 * 'auto' learning per lead state (table auto_stats): totals read when a run starts, counts
 * added as chunks finish (increments, so workers running at once all count).
 */
import type { Kysely } from 'kysely';
import type { AutoStatsTable, Database } from '../schema.js';

/** One (stage, provider, whole lead state) of an account. */
export type AutoStatRow = Omit<AutoStatsTable, 'account_id' | 'updated_at'>;

export async function loadAutoStats(db: Kysely<Database>, accountId: string): Promise<AutoStatRow[]> {
  return db
    .selectFrom('auto_stats')
    .select(['stage', 'provider', 'state', 'tries', 'hits', 'contactable'])
    .where('account_id', '=', accountId)
    .execute();
}

/** Adds each row's counts to the stored totals (a new state starts at the row's counts). */
export async function addAutoStats(
  db: Kysely<Database>,
  accountId: string,
  rows: readonly AutoStatRow[],
  nowIso: string,
): Promise<void> {
  for (const r of rows) {
    await db
      .insertInto('auto_stats')
      .values({ account_id: accountId, ...r, updated_at: nowIso })
      .onConflict((oc) =>
        oc.columns(['account_id', 'stage', 'provider', 'state']).doUpdateSet((eb) => ({
          tries: eb('auto_stats.tries', '+', eb.ref('excluded.tries')),
          hits: eb('auto_stats.hits', '+', eb.ref('excluded.hits')),
          contactable: eb('auto_stats.contactable', '+', eb.ref('excluded.contactable')),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
