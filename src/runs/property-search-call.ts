/**
 * One property-search request of a pull, recorded and paid for like every vendor call:
 * worst case reserved against the daily cap and an `intent` row written (one transaction),
 * then the HTTP request, then the row completed and the reservation settled to the actual
 * cost. On success the completion is handed back (`finish`) so the caller commits it in the
 * same transaction as the page it stores: a crash leaves either both or the intent alone,
 * which recoverOrphanedReservations charges at its worst case (the vendor may have billed).
 *
 * Cost: count and ids_only requests are free (0 credits, not under the daily credit cap, per
 * the vendor's docs) whatever the provider's price; a full page costs perCallMicros plus
 * (perHitMicros + perItemMicros) per record returned (`billableUnits`).
 *
 * provider_calls rows of a pull have no lead: `lead_id` is '' (the column is NOT NULL), and
 * the idempotency key names the pull, the search and the page, so one page is asked once per
 * pull while a later pull of the same search (whose answers may have changed) asks again.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import { BudgetPause, type BudgetGuard, type Reservation } from '../guards/budget.js';
import type { RateLimiter } from '../guards/token-bucket.js';
import type {
  PropertySearchPage,
  PropertySearchProvider,
  PropertySearchQuery,
} from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import { completeCalls, insertCallIntents, intentRow } from '../store/repos/provider-calls.js';
import type { Database } from '../store/schema.js';

export type SearchMode = Parameters<PropertySearchProvider['search']>[1];

export interface SearchCallDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  provider: PropertySearchProvider;
  budget: BudgetGuard;
  /** Paces requests to the provider's documented rate; none in tests. */
  rateLimiter?: RateLimiter;
  newId: () => string;
}

export type SearchCallResult =
  | {
      ok: true;
      page: PropertySearchPage;
      callId: string;
      costMicros: number;
      /** Completes the call row and settles the reservation; pass the page's transaction. */
      finish(trx: Kysely<Database>): Promise<void>;
    }
  | { ok: false; error: BudgetPause | ProviderError; costMicros: 0 };

const NO_RUN = { runId: null, runCapMicros: null, override: false } as const;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Worst case of a request: what it costs if every asked-for record comes back. */
export function searchWorstCaseMicros(cost: PropertySearchProvider['cost'], mode: SearchMode): number {
  return mode.kind === 'full' ? searchCostMicros(cost, mode, mode.size) : 0;
}

/** What a request cost once answered. */
export function searchCostMicros(
  cost: PropertySearchProvider['cost'],
  mode: SearchMode,
  billableUnits: number,
): number {
  if (mode.kind !== 'full') return 0;
  return cost.perCallMicros + billableUnits * (cost.perHitMicros + cost.perItemMicros);
}

export async function callSearch(
  deps: SearchCallDeps,
  call: { pullId: string; querySig: string; query: PropertySearchQuery; mode: SearchMode },
): Promise<SearchCallResult> {
  const { db, provider, clock } = deps;
  const paging = call.mode.kind === 'full' ? `${call.mode.resultIndex}|${call.mode.size}` : '';
  const idempotencyKey = sha256(`pull|${call.pullId}|${call.querySig}|${call.mode.kind}|${paging}`);
  const callId = deps.newId();
  const worstCase = searchWorstCaseMicros(provider.cost, call.mode);
  const items = call.mode.kind === 'full' ? call.mode.size : 1;

  let reservation: Reservation | null;
  try {
    reservation = await db.transaction().execute(async (trx) => {
      const reserved = worstCase > 0 ? await deps.budget.reserve(worstCase, items, NO_RUN, trx) : null;
      await insertCallIntents(trx, [
        intentRow({
          id: callId,
          accountId: deps.accountId,
          provider: provider.id,
          idempotencyKey,
          generation: 0,
          leadId: '',
          runId: null,
          httpRequestId: reserved?.id ?? callId,
          attemptReason: `pull:${call.mode.kind}`,
          requestJson: JSON.stringify({ query: call.query, mode: call.mode }),
          createdAt: toIso(clock.now()),
        }),
      ]);
      return reserved;
    });
  } catch (error) {
    if (error instanceof BudgetPause) return { ok: false, error, costMicros: 0 };
    throw error;
  }
  const httpRequestId = reservation?.id ?? callId;

  const started = clock.now();
  let page: PropertySearchPage;
  try {
    await deps.rateLimiter?.acquire();
    page = await provider.search(call.query, call.mode);
  } catch (thrown) {
    const error =
      thrown instanceof ProviderError
        ? thrown
        : new ProviderError('network', String(thrown), { provider: provider.id, cause: thrown });
    if (error.code === 'rate_limited' && error.retryAfterMs !== undefined) {
      deps.rateLimiter?.pauseUntil(clock.now() + error.retryAfterMs);
    }
    // A failed request bills nothing (the vendor bills records of a 200 only).
    await db.transaction().execute(async (trx) => {
      await completeCalls(trx, [
        {
          id: callId,
          status: 'error',
          statusCode: error.statusCode ?? null,
          billableUnits: 0,
          costMicros: 0,
          responseEnc: error.details.sample ? deps.cipher.encrypt(error.details.sample) : null,
          payloadHash: null,
          httpRequestId,
          errorCode: error.code,
          errorText: error.message,
          durationMs: clock.now() - started,
          completedAt: toIso(clock.now()),
        },
      ]);
      await reservation?.settle(0, trx);
    });
    return { ok: false, error, costMicros: 0 };
  }

  const costMicros = searchCostMicros(provider.cost, call.mode, page.billableUnits);
  const durationMs = clock.now() - started;
  // The records themselves go to the leads table; the call keeps what identifies the answer.
  const answer = JSON.stringify({ total: page.total, ids: page.ids, nextIndex: page.nextIndex });
  return {
    ok: true,
    page,
    callId,
    costMicros,
    async finish(trx) {
      await completeCalls(trx, [
        {
          id: callId,
          status: 'ok',
          statusCode: 200,
          billableUnits: page.billableUnits,
          costMicros,
          responseEnc: deps.cipher.encrypt(answer),
          payloadHash: sha256(answer),
          httpRequestId,
          errorCode: null,
          errorText: null,
          durationMs,
          completedAt: toIso(clock.now()),
        },
      ]);
      await reservation?.settle(costMicros, trx);
    },
  };
}
