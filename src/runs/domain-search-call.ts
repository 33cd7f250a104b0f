/**
 * One recorded, budgeted domain search (the skip-trace service's call discipline, for a
 * request that has no lead):
 *
 *   reserve the worst case + write the provider_calls intent (one transaction; a refused
 *   reservation leaves no trace) → rate limit → HTTP → complete the call, settle the
 *   reservation to the actual cost and let the caller store the answer (one transaction).
 *
 * Invariant: the provider call is recorded and settled in the same transaction that stores
 * the contacts, so a site is never marked enriched for a call the ledger does not show.
 * A failed attempt is completed as an error settled at 0 (Hunter bills only returned
 * emails); the next attempt of the same key takes the row over (same generation,
 * attempts + 1), so a key is billed at most once per generation.
 *
 * provider_calls columns a domain search fills its own way: `lead_id` is '' (the column
 * is NOT NULL and a domain search is for a site, not a lead); `run_id` holds the job id
 * (both are UUIDv7, so they never collide), so runCallTotals(jobId) gives a job's spend.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type { BudgetGuard, Reservation } from '../guards/budget.js';
import type { RateLimiter } from '../guards/token-bucket.js';
import type { DomainSearchProvider, DomainSearchResult } from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import {
  completeCalls,
  insertCallIntents,
  intentRow,
  latestCallsByKey,
  retakeCallIntent,
} from '../store/repos/provider-calls.js';
import type { Database } from '../store/schema.js';
import {
  DEFAULT_LIMIT,
  domainSearchKey,
  toDomainSearchFilters,
  type EnrichmentFilters,
} from './enrichment-filters.js';

export interface DomainSearchCallDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  provider: DomainSearchProvider;
  budget: BudgetGuard;
  rateLimiter: RateLimiter;
  newId: () => string;
}

export interface DomainSearchAnswer {
  result: DomainSearchResult;
  callId: string;
  costMicros: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Most a search can cost: Hunter bills 1 credit per 1–10 emails of the page asked for. */
export function worstCaseMicros(provider: DomainSearchProvider, filters: EnrichmentFilters): number {
  const credits = Math.ceil((filters.limit ?? DEFAULT_LIMIT) / 10);
  return provider.cost.perCallMicros + provider.cost.perItemMicros + credits * provider.cost.perHitMicros;
}

/**
 * Searches `domain` once. `store(trx, answer)` runs inside the transaction that completes
 * the call (its result is returned as `stored`); it is not called when the search fails. Throws the provider's error (a
 * BudgetPause when the reservation is refused, before anything is written or sent).
 */
export async function recordedDomainSearch<T>(
  deps: DomainSearchCallDeps,
  req: { jobId: string; domain: string; filters: EnrichmentFilters },
  store: (trx: Kysely<Database>, answer: DomainSearchAnswer) => Promise<T>,
  signal?: AbortSignal,
): Promise<DomainSearchAnswer & { stored: T }> {
  const { db, cipher, clock, accountId, provider } = deps;
  const key = domainSearchKey(req.domain, req.filters);
  const requestJson = JSON.stringify({ domain: req.domain, filters: req.filters });
  const scope = { runId: null, runCapMicros: null, override: false };
  const nowIso = toIso(clock.now());

  const { reservation, callId } = await db.transaction().execute(async (trx) => {
    const reserved = await deps.budget.reserve(worstCaseMicros(provider, req.filters), 1, scope, trx);
    const prev = (await latestCallsByKey(trx, accountId, provider.id, [key])).get(key);
    if (prev && (prev.status === 'intent' || prev.status === 'error')) {
      await retakeCallIntent(trx, prev.id, {
        runId: req.jobId,
        leadId: '',
        attemptReason: 'primary',
        requestJson,
        nowIso,
        httpRequestId: reserved.id,
      });
      return { reservation: reserved, callId: prev.id };
    }
    const id = deps.newId();
    await insertCallIntents(trx, [
      intentRow({
        id,
        accountId,
        provider: provider.id,
        idempotencyKey: key,
        // A finished key is searched again only by a new job: that is the explicit refresh.
        generation: prev ? prev.generation + 1 : 0,
        leadId: '',
        runId: req.jobId,
        // The reservation id groups the request, so crash recovery finds this intent.
        httpRequestId: reserved.id,
        attemptReason: 'primary',
        requestJson,
        createdAt: nowIso,
      }),
    ]);
    return { reservation: reserved, callId: id };
  });

  const started = clock.now();
  let result: DomainSearchResult;
  try {
    await deps.rateLimiter.acquire(signal);
    result = await provider.domainSearch(
      req.domain,
      toDomainSearchFilters(req.filters),
      signal ? { signal } : undefined,
    );
  } catch (error) {
    await recordFailure(deps, reservation, callId, error, signal, clock.now() - started);
    throw error;
  }

  const costMicros =
    provider.cost.perCallMicros +
    provider.cost.perItemMicros +
    result.billableUnits * provider.cost.perHitMicros;
  const body = JSON.stringify(result);
  const answer: DomainSearchAnswer = { result, callId, costMicros };
  const stored = await db.transaction().execute(async (trx) => {
    await completeCalls(trx, [
      {
        id: callId,
        status: result.contacts.length > 0 ? 'ok' : 'no_match',
        statusCode: 200,
        billableUnits: result.billableUnits,
        costMicros,
        responseEnc: cipher.encrypt(body),
        payloadHash: sha256(body),
        httpRequestId: reservation.id,
        errorCode: null,
        errorText: null,
        durationMs: clock.now() - started,
        completedAt: toIso(clock.now()),
      },
    ]);
    await reservation.settle(costMicros, trx);
    return store(trx, answer);
  });
  return { ...answer, stored };
}

async function recordFailure(
  deps: DomainSearchCallDeps,
  reservation: Reservation,
  callId: string,
  error: unknown,
  signal: AbortSignal | undefined,
  durationMs: number,
): Promise<void> {
  const cancelled = signal?.aborted === true;
  const err = error instanceof ProviderError ? error : null;
  await deps.db.transaction().execute(async (trx) => {
    await completeCalls(trx, [
      {
        id: callId,
        status: 'error',
        statusCode: err?.statusCode ?? null,
        billableUnits: 0,
        costMicros: 0,
        responseEnc: err?.details.sample ? deps.cipher.encrypt(err.details.sample) : null,
        payloadHash: null,
        httpRequestId: reservation.id,
        errorCode: cancelled ? 'cancelled' : (err?.code ?? 'internal'),
        errorText: cancelled
          ? 'cancelled before the answer arrived'
          : error instanceof Error
            ? error.message
            : String(error),
        durationMs,
        completedAt: toIso(deps.clock.now()),
      },
    ]);
    await reservation.settle(0, trx);
  });
}
