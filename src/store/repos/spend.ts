/**
 * Daily spend (UTC day) per account. A reservation is one conditional UPDATE that fails
 * when it would cross the cap, so concurrent workers can never overspend together.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

async function ensureDay(db: Kysely<Database>, accountId: string, day: string): Promise<void> {
  await db
    .insertInto('spend_days')
    .values({ account_id: accountId, day, spent_micros: 0, reserved_micros: 0 })
    .onConflict((oc) => oc.columns(['account_id', 'day']).doNothing())
    .execute();
}

/**
 * Reserves `micros` against `capMicros` (null = no cap). Returns false, reserving
 * nothing, when spent + reserved + micros would exceed the cap.
 */
export async function reserveSpend(
  db: Kysely<Database>,
  accountId: string,
  day: string,
  micros: number,
  capMicros: number | null,
): Promise<boolean> {
  if (await tryReserve(db, accountId, day, micros, capMicros)) return true;
  // Zero rows: the cap refused it, or the day has no row yet, or (PostgreSQL) another
  // transaction created the row after this statement's snapshot. Make sure the row exists,
  // then the second conditional UPDATE is authoritative.
  await ensureDay(db, accountId, day);
  return tryReserve(db, accountId, day, micros, capMicros);
}

async function tryReserve(
  db: Kysely<Database>,
  accountId: string,
  day: string,
  micros: number,
  capMicros: number | null,
): Promise<boolean> {
  let query = db
    .updateTable('spend_days')
    .set({ reserved_micros: sql`reserved_micros + ${micros}` })
    .where('account_id', '=', accountId)
    .where('day', '=', day);
  if (capMicros !== null) {
    query = query.where(sql<boolean>`spent_micros + reserved_micros + ${micros} <= ${capMicros}`);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Turns a reservation into actual spend (actual may be less: misses are free). */
export async function settleSpend(
  db: Kysely<Database>,
  accountId: string,
  day: string,
  reservedMicros: number,
  actualMicros: number,
): Promise<void> {
  // The reservation created the day's row, so it exists here.
  await db
    .updateTable('spend_days')
    .set({
      reserved_micros: sql`case when reserved_micros >= ${reservedMicros} then reserved_micros - ${reservedMicros} else 0 end`,
      spent_micros: sql`spent_micros + ${actualMicros}`,
    })
    .where('account_id', '=', accountId)
    .where('day', '=', day)
    .execute();
}

export async function spendOfDay(
  db: Kysely<Database>,
  accountId: string,
  day: string,
): Promise<{ spentMicros: number; reservedMicros: number }> {
  const row = await db
    .selectFrom('spend_days')
    .select(['spent_micros', 'reserved_micros'])
    .where('account_id', '=', accountId)
    .where('day', '=', day)
    .executeTakeFirst();
  return { spentMicros: Number(row?.spent_micros ?? 0), reservedMicros: Number(row?.reserved_micros ?? 0) };
}
