/**
 * Budget reservations as rows (one per vendor request), and run-level spend counters.
 * Daily caps live in spend_days (spend.ts); these functions run inside the caller's
 * transaction so a reservation, its intents and its settlement commit together.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { BudgetReservationsTable, Database } from '../schema.js';

export type ReservationRow = Selectable<BudgetReservationsTable>;

export async function insertReservation(db: Kysely<Database>, row: ReservationRow): Promise<void> {
  await db.insertInto('budget_reservations').values(row).execute();
}

export async function deleteReservation(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('budget_reservations').where('id', '=', id).execute();
}

export async function reservationsOf(db: Kysely<Database>, accountId: string): Promise<ReservationRow[]> {
  return db.selectFrom('budget_reservations').selectAll().where('account_id', '=', accountId).execute();
}

/** Reserves against a run's own cap (null = uncapped). False when it would cross the cap. */
export async function reserveRunSpend(
  db: Kysely<Database>,
  runId: string,
  micros: number,
  capMicros: number | null,
): Promise<boolean> {
  let q = db
    .updateTable('runs')
    .set({ reserved_micros: sql`reserved_micros + ${micros}` })
    .where('run_id', '=', runId);
  if (capMicros !== null)
    q = q.where(sql<boolean>`spent_micros + reserved_micros + ${micros} <= ${capMicros}`);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function settleRunSpend(
  db: Kysely<Database>,
  runId: string,
  reservedMicros: number,
  actualMicros: number,
): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      reserved_micros: sql`case when reserved_micros >= ${reservedMicros} then reserved_micros - ${reservedMicros} else 0 end`,
      spent_micros: sql`spent_micros + ${actualMicros}`,
    })
    .where('run_id', '=', runId)
    .execute();
}
