/**
 * Budget by reservation: before a vendor call its worst-case cost is reserved atomically
 * against the daily cap (UTC day) and the run's own cap; after it, the reservation settles
 * to the actual cost (BatchData bills only matched properties, so a miss settles to 0).
 * A reservation that would cross a cap is refused with BudgetPause and the run soft-pauses.
 *
 * Reservations are rows owned by a process. One left behind by a process that died
 * mid-call is recovered by `recoverOrphanedReservations`: settled at its worst case (the
 * vendor may have billed the lost call) and its intents marked interrupted, so spend
 * never under-counts a call that may have been billed.
 */
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { MS_PER_DAY, toIso, utcDay, type Clock } from '../domain/clock.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import type { Database } from '../store/schema.js';
import { reserveSpend, settleSpend } from '../store/repos/spend.js';
import {
  deleteReservation,
  insertReservation,
  reservationsOf,
  reserveRunSpend,
  settleRunSpend,
  type ReservationRow,
} from '../store/repos/reservations.js';

export type BudgetPauseReason = 'daily_budget' | 'run_budget';

export class BudgetPause extends Error {
  override readonly name = 'BudgetPause';
  constructor(
    readonly reason: BudgetPauseReason,
    /** Seconds until spending may resume on its own (the next UTC day for the daily cap; null: never). */
    readonly retryAfterS: number | null,
  ) {
    super(`budget pause: ${reason === 'daily_budget' ? 'daily budget reached' : 'run budget reached'}`);
  }
}

/** Who spends: the run (null outside runs), its cap, and whether caps are overridden. */
export interface SpendScope {
  runId: string | null;
  /** The run's own cap (policy max_spend_usd), or null. */
  runCapMicros: number | null;
  /** `resume --override-budget`: this run continues past both caps. */
  override: boolean;
}

export interface Reservation {
  readonly id: string;
  readonly micros: number;
  /** Settles to the actual cost; pass the caller's transaction to commit it together. */
  settle(actualMicros: number, trx?: Kysely<Database>): Promise<void>;
}

export interface BudgetGuard {
  /** Reserves `micros` for `items` request items or throws BudgetPause (roll the transaction back). */
  reserve(micros: number, items: number, scope: SpendScope, trx?: Kysely<Database>): Promise<Reservation>;
}

/** This process, as an owner of reservations: host:pid:start. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;

/** How long a reservation of a process on another host is honoured without news. */
const RESERVATION_LEASE_MS = 10 * 60_000;

export function createBudgetGuard(options: {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
  dailyCapMicros: number;
  owner?: string;
}): BudgetGuard {
  const { db, accountId, clock } = options;
  const owner = options.owner ?? PROCESS_OWNER;
  const newId = createOrderedIdGenerator(clock);
  return {
    async reserve(micros, items, scope, trx) {
      const exec = trx ?? db;
      const now = clock.now();
      const day = utcDay(now);
      const ok = await reserveSpend(
        exec,
        accountId,
        day,
        micros,
        scope.override ? null : options.dailyCapMicros,
      );
      if (!ok) {
        const nextDay = (Math.floor(now / MS_PER_DAY) + 1) * MS_PER_DAY;
        throw new BudgetPause('daily_budget', Math.ceil((nextDay - now) / 1000));
      }
      if (scope.runId !== null) {
        const runOk = await reserveRunSpend(
          exec,
          scope.runId,
          micros,
          scope.override ? null : scope.runCapMicros,
        );
        // The daily reservation above is undone by the caller's rollback.
        if (!runOk) throw new BudgetPause('run_budget', null);
      }
      const id = newId();
      await insertReservation(exec, {
        id,
        account_id: accountId,
        day,
        run_id: scope.runId,
        micros,
        items,
        owner,
        created_at: toIso(now),
        expires_at: toIso(now + RESERVATION_LEASE_MS),
      });
      let settled = false;
      return {
        id,
        micros,
        async settle(actualMicros, settleTrx) {
          if (settled) return;
          settled = true;
          const e = settleTrx ?? db;
          await settleSpend(e, accountId, day, micros, actualMicros);
          if (scope.runId !== null) await settleRunSpend(e, scope.runId, micros, actualMicros);
          await deleteReservation(e, id);
        },
      };
    },
  };
}

/** True when the owning process is gone (same host: pid check; other host: lease expired). */
export function isOrphaned(row: ReservationRow, nowMs: number, self = PROCESS_OWNER): boolean {
  return ownerGone(row.owner, row.expires_at, nowMs, self);
}

/**
 * True when the process `owner` (PROCESS_OWNER's host:pid:start form) is gone: on this host,
 * its pid no longer exists; elsewhere (or if the pid was reused), its lease has expired.
 * Reservations and jobs use the same rule.
 */
export function ownerGone(
  owner: string,
  leaseExpiresAt: string,
  nowMs: number,
  self = PROCESS_OWNER,
): boolean {
  if (owner === self) return false;
  const [host, pid] = owner.split(':');
  if (host === hostname()) {
    try {
      process.kill(Number(pid), 0);
      // Alive (or the pid was reused): trust the lease instead.
      return Date.parse(leaseExpiresAt) < nowMs;
    } catch {
      return true;
    }
  }
  return Date.parse(leaseExpiresAt) < nowMs;
}

export interface RecoveryResult {
  reservations: number;
  interruptedCalls: number;
  chargedMicros: number;
}

/**
 * Settles reservations left by dead processes at their worst case and marks the intents
 * they covered as interrupted errors (retried later at the same generation).
 */
export async function recoverOrphanedReservations(
  db: Kysely<Database>,
  accountId: string,
  clock: Clock,
): Promise<RecoveryResult> {
  const result: RecoveryResult = { reservations: 0, interruptedCalls: 0, chargedMicros: 0 };
  const now = clock.now();
  for (const row of await reservationsOf(db, accountId)) {
    if (!isOrphaned(row, now)) continue;
    await db.transaction().execute(async (trx) => {
      const gone = await trx
        .selectFrom('budget_reservations')
        .select('id')
        .where('id', '=', row.id)
        .executeTakeFirst();
      if (!gone) return;
      const intents = await trx
        .selectFrom('provider_calls')
        .select(['id'])
        .where('http_request_id', '=', row.id)
        .where('status', '=', 'intent')
        .execute();
      // The lost request may have been billed in full: charge each item its share.
      const share = intents.length > 0 ? Math.floor(Number(row.micros) / intents.length) : 0;
      for (const [i, intent] of intents.entries()) {
        const cost = share + (i === 0 ? Number(row.micros) - share * intents.length : 0);
        await trx
          .updateTable('provider_calls')
          .set({
            status: 'error',
            error_code: 'interrupted',
            error_text: 'the process making this call stopped before its answer was recorded',
            // Added, not set: an earlier interrupted attempt of this row was charged too.
            cost_micros: sql`cost_micros + ${cost}`,
            completed_at: toIso(now),
          })
          .where('id', '=', intent.id)
          .execute();
      }
      const charged = intents.length > 0 ? Number(row.micros) : 0;
      await settleSpend(trx, accountId, row.day, Number(row.micros), charged);
      if (row.run_id) await settleRunSpend(trx, row.run_id, Number(row.micros), charged);
      await deleteReservation(trx, row.id);
      result.reservations++;
      result.interruptedCalls += intents.length;
      result.chargedMicros += charged;
    });
  }
  return result;
}
