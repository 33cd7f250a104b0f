/**
 * Budget by reservation: before a vendor call its worst-case cost is reserved atomically
 * against the daily cap (UTC day); after it, the reservation settles to the actual cost
 * (BatchData bills only matched properties, so a miss settles to 0). A reservation that
 * would cross the cap is refused with BudgetPause, and the run soft-pauses.
 */
import type { Kysely } from 'kysely';
import { MS_PER_DAY, utcDay, type Clock } from '../domain/clock.js';
import type { Database } from '../store/schema.js';
import { reserveSpend, settleSpend } from '../store/repos/spend.js';

export type BudgetPauseReason = 'daily_budget' | 'run_budget';

export class BudgetPause extends Error {
  override readonly name = 'BudgetPause';
  constructor(
    readonly reason: BudgetPauseReason,
    /** Seconds until spending may resume on its own (the next UTC day for the daily cap). */
    readonly retryAfterS: number,
  ) {
    super(`budget pause: ${reason === 'daily_budget' ? 'daily budget reached' : 'run budget reached'}`);
  }
}

export interface Reservation {
  readonly micros: number;
  settle(actualMicros: number): Promise<void>;
}

export interface BudgetGuard {
  reserve(micros: number): Promise<Reservation>;
}

export function createBudgetGuard(options: {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
  dailyCapMicros: number;
  /** When true (resume --override-budget), the daily cap is not enforced for this run. */
  override?: boolean;
}): BudgetGuard {
  const { db, accountId, clock } = options;
  return {
    async reserve(micros) {
      const now = clock.now();
      const day = utcDay(now);
      const cap = options.override ? null : options.dailyCapMicros;
      const ok = await reserveSpend(db, accountId, day, micros, cap);
      if (!ok) {
        const nextDay = (Math.floor(now / MS_PER_DAY) + 1) * MS_PER_DAY;
        throw new BudgetPause('daily_budget', Math.ceil((nextDay - now) / 1000));
      }
      let settled = false;
      return {
        micros,
        async settle(actualMicros) {
          if (settled) return;
          settled = true;
          await settleSpend(db, accountId, day, micros, actualMicros);
        },
      };
    },
  };
}
