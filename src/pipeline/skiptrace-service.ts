/**
 * getOrSkiptrace (seed 002 A1): L1 memory (10 min) → L2 `skiptrace_cache` (TTL) → vendor,
 * with write-through. Concurrent misses on one key share one call. Every real vendor call
 * is recorded in provider_calls: an `intent` row is written before the HTTP request and
 * completed after it, so a crash mid-call leaves a trace and spend is never lost.
 *
 * Invariant: the provider call row, its cache row and its spend settle in one transaction
 * before any caller sees the result, so "item done" can never precede "call recorded".
 *
 * The service is generic over the request input: skip-trace providers plug in directly,
 * and every other paid kind (phone and email verification, business people, property
 * detail) through a `UnitProvider` adapter (pipeline/unit-providers.ts), so every vendor
 * answer gets the same guarantees: one bill per key and generation, reservations before
 * the call, the breaker, the rate limit and the answer cache.
 */
import { createHash } from 'node:crypto';
import { createOrderedIdGenerator } from '../domain/ids.js';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { MS_PER_DAY, toIso, type Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type {
  ParsedPerson,
  ProviderCost,
  SkipTraceBatchResult,
  SkipTraceInput,
  SkipTraceItemResult,
  SkipTraceProvider,
} from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import type { Insertable } from 'kysely';
import type { Database, SkiptraceCacheTable } from '../store/schema.js';
import { sqliteHandleOf } from '../store/db.js';
import {
  completeCalls,
  insertCallIntents,
  intentRow,
  latestCallsByKey,
  retakeCallIntent,
  type CallCompletion,
} from '../store/repos/provider-calls.js';
import { getCacheRows, touchCacheRows, upsertCacheRows } from '../store/repos/skiptrace-cache.js';
import type { BudgetGuard, SpendScope } from '../guards/budget.js';
import { isBreakerFailure, type CircuitBreaker } from '../guards/circuit-breaker.js';
import type { RateLimiter } from '../guards/token-bucket.js';

/** A skip-trace request's input (the requestId is the idempotency key). */
export type TraceInput = Omit<SkipTraceInput, 'requestId'>;

/**
 * Any paid vendor call the service can guard: inputs in, one SkipTraceItemResult per input
 * out (persons carry the answer's contacts; `extra` any other parsed payload).
 */
export interface UnitProvider<I> {
  readonly id: string;
  readonly flags: { readonly batchSize: number };
  readonly cost: ProviderCost;
  call(
    inputs: (I & { requestId: string })[],
    options?: { signal?: AbortSignal },
  ): Promise<SkipTraceBatchResult>;
  /** The request as recorded in provider_calls.request_json: never raw PII. */
  describe(input: I): Record<string, unknown>;
}

export interface SkipTraceRequest<I = TraceInput> {
  leadId: string;
  idempotencyKey: string;
  input: I;
  /** 'primary' or 'address_sanitized' (seed 002 sanitized retry). */
  attemptReason: string;
  /** Ignore a live cache entry and move the key to a new generation. */
  force?: boolean;
  /** Serve from the cache only: a miss answers NotCached instead of calling (waterfall cooldown). */
  cacheOnly?: boolean;
}

/** A cache-only request found no cached answer: nothing was called or paid. */
export class NotCached extends Error {
  override readonly name = 'NotCached';
}

export interface SkipTraceAnswer {
  idempotencyKey: string;
  outcome: 'hit' | 'no_match';
  persons: ParsedPerson[];
  /** The item's other parsed payload (e.g. a property record, a verification), when the kind has one. */
  extra?: unknown;
  /** True when no vendor call was made for this request. */
  cached: boolean;
  providerCallId: string;
  payloadHash: string;
  /** What this request cost now (0 for cache hits and for sharers of a call). */
  costMicros: number;
  /** When the vendor gave this answer (ISO-8601 UTC): now for a fresh call, the call's time for a cached one. */
  answeredAt: string;
  /** Set on a winning sanitized retry: the primary attempt's provider call. */
  predecessorCallId?: string;
}

export type SkipTraceResult =
  | { ok: true; answer: SkipTraceAnswer }
  | { ok: false; error: ProviderError | Error };

interface CacheValue {
  outcome: 'hit' | 'no_match';
  persons: ParsedPerson[];
  extra?: unknown;
  providerCallId: string;
  payloadHash: string;
  answeredAt: string;
  expiresAt: number;
}

export interface SkipTraceServiceOptions<I = TraceInput> {
  db: Kysely<Database>;
  /** A skip-trace provider, or any kind through a UnitProvider adapter. */
  provider: SkipTraceProvider | UnitProvider<I>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  cacheTtlDays: number;
  negativeCacheTtlDays: number;
  rateLimiter: RateLimiter;
  budget: BudgetGuard;
  /** L1 lifetime (seed 002: 10 minutes). */
  l1TtlMs?: number;
  /** The provider's circuit breaker: while open, calls fail fast with CircuitOpen. */
  breaker?: CircuitBreaker;
  /** Told after every completed vendor request (for progress, metrics and logs). */
  onCall?: (e: {
    runId: string | null;
    items: number;
    costMicros: number;
    ok: boolean;
    errorCode: string | null;
  }) => void;
}

const NO_RUN: SpendScope = { runId: null, runCapMicros: null, override: false };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The cached parsed answer: the persons array alone, or {p, x} when there is an extra payload. */
function decodeParsed(json: string): { persons: ParsedPerson[]; extra?: unknown } {
  const value = JSON.parse(json) as ParsedPerson[] | { p: ParsedPerson[]; x: unknown };
  return Array.isArray(value) ? { persons: value } : { persons: value.p, extra: value.x };
}

function encodeParsed(persons: ParsedPerson[], extra: unknown): string {
  return JSON.stringify(extra === undefined ? persons : { p: persons, x: extra });
}

function unitOf<I>(provider: SkipTraceProvider | UnitProvider<I>): UnitProvider<I> {
  if ('call' in provider) return provider;
  const p = provider;
  return {
    id: p.id,
    flags: p.flags,
    cost: p.cost,
    call: (inputs, options) => p.skipTrace(inputs as unknown as SkipTraceInput[], options),
    describe: (input) => sanitizedTraceInput(input as unknown as TraceInput),
  };
}

export class SkipTraceService<I = TraceInput> {
  private readonly l1: LRUCache<string, CacheValue>;
  private readonly inflight = new Map<string, Promise<SkipTraceResult>>();
  private readonly provider: UnitProvider<I>;
  /** Time-ordered row ids: inserts append to the id indexes (cheaper SQLite commits). */
  private readonly newId: () => string;
  /** SQLite only: the raw connection, for prepared per-row statements in hot paths. */
  private readonly sqlite: ReturnType<typeof sqliteHandleOf>;

  constructor(private readonly o: SkipTraceServiceOptions<I>) {
    this.provider = unitOf(o.provider);
    // Bounded: L1 saves the L2 read for keys met again soon (the same lead twice in a file,
    // concurrent callers); 5,000 answers cover that, and every answer is in L2 anyway. A
    // larger L1 mostly holds memory (parsed persons) through a long run.
    this.l1 = new LRUCache<string, CacheValue>({ max: 5_000 });
    this.newId = createOrderedIdGenerator(o.clock);
    this.sqlite = sqliteHandleOf(o.db);
  }

  /** Most requests per vendor call. */
  get batchSize(): number {
    return this.provider.flags.batchSize;
  }

  get providerId(): string {
    return this.provider.id;
  }

  /** One request: cache or vendor. */
  async getOrSkiptrace(request: SkipTraceRequest<I>, scope: SpendScope = NO_RUN): Promise<SkipTraceResult> {
    const [result] = await this.getMany([request], scope);
    return result!;
  }

  /** Many requests; vendor misses travel in batches of the provider's `batchSize`. */
  async getMany(
    requests: readonly SkipTraceRequest<I>[],
    scope: SpendScope,
    signal?: AbortSignal,
  ): Promise<SkipTraceResult[]> {
    const results = new Array<Promise<SkipTraceResult> | SkipTraceResult>(requests.length);
    const now = this.o.clock.now();
    const needL2: number[] = [];
    requests.forEach((req, i) => {
      const shared = this.inflight.get(req.idempotencyKey);
      if (shared) {
        results[i] = shared.then((r) =>
          r.ok ? { ok: true, answer: { ...r.answer, cached: true, costMicros: 0 } } : r,
        );
        return;
      }
      const hit = req.force ? undefined : this.l1.get(this.l1Key(req.idempotencyKey));
      if (hit && hit.expiresAt > now) {
        results[i] = { ok: true, answer: this.fromCache(req.idempotencyKey, hit) };
        return;
      }
      needL2.push(i);
    });

    const misses: number[] = [];
    if (needL2.length > 0) {
      const keys = needL2.map((i) => requests[i]!.idempotencyKey);
      const rows = await getCacheRows(this.o.db, this.o.accountId, this.provider.id, keys);
      const touched: string[] = [];
      for (const i of needL2) {
        const req = requests[i]!;
        const row = rows.get(req.idempotencyKey);
        const shared = this.inflight.get(req.idempotencyKey);
        if (shared) {
          results[i] = shared.then((r) =>
            r.ok ? { ok: true, answer: { ...r.answer, cached: true, costMicros: 0 } } : r,
          );
          continue;
        }
        if (row && !req.force && Date.parse(row.ttl_expires_at) > now) {
          const value: CacheValue = {
            outcome: row.outcome,
            ...decodeParsed(this.o.cipher.decrypt(row.parsed_contacts_enc)),
            providerCallId: row.provider_call_id,
            payloadHash: row.payload_hash,
            answeredAt: row.created_at,
            expiresAt: Math.min(Date.parse(row.ttl_expires_at), now + (this.o.l1TtlMs ?? 600_000)),
          };
          this.l1.set(this.l1Key(req.idempotencyKey), value);
          touched.push(row.id);
          results[i] = { ok: true, answer: this.fromCache(req.idempotencyKey, value) };
          continue;
        }
        misses.push(i);
      }
      if (touched.length > 0) await touchCacheRows(this.o.db, touched, toIso(now));
    }

    // Misses: one promise per distinct key, registered before any await so that
    // concurrent callers for the same key join this call instead of making their own.
    const byKey = new Map<string, { req: SkipTraceRequest<I>; resolve: (r: SkipTraceResult) => void }>();
    const ownIndexes: number[] = [];
    for (const i of misses) {
      const req = requests[i]!;
      const existing = this.inflight.get(req.idempotencyKey);
      if (existing) {
        results[i] = existing.then((r) =>
          r.ok ? { ok: true, answer: { ...r.answer, cached: true, costMicros: 0 } } : r,
        );
        continue;
      }
      // A concurrent caller may have finished the call while our L2 read was in flight
      // (it read a snapshot from before that call's write): its answer is in L1 now.
      const settled = req.force ? undefined : this.l1.get(this.l1Key(req.idempotencyKey));
      if (settled && settled.expiresAt > this.o.clock.now()) {
        results[i] = { ok: true, answer: this.fromCache(req.idempotencyKey, settled) };
        continue;
      }
      if (req.cacheOnly) {
        results[i] = { ok: false, error: new NotCached(`no cached ${this.provider.id} answer`) };
        continue;
      }
      let resolve!: (r: SkipTraceResult) => void;
      const promise = new Promise<SkipTraceResult>((res) => (resolve = res));
      this.inflight.set(req.idempotencyKey, promise);
      byKey.set(req.idempotencyKey, { req, resolve });
      results[i] = promise;
      ownIndexes.push(i);
    }

    const batchSize = this.provider.flags.batchSize;
    const entries = [...byKey.values()];
    const batches: (typeof entries)[] = [];
    for (let j = 0; j < entries.length; j += batchSize) batches.push(entries.slice(j, j + batchSize));
    await Promise.all(
      batches.map(async (batch) => {
        let answers: Map<string, SkipTraceResult>;
        try {
          answers = await this.callVendor(
            batch.map((b) => b.req),
            scope,
            signal,
          );
        } catch (error) {
          const failure: SkipTraceResult = {
            ok: false,
            error: error instanceof Error ? error : new Error(String(error)),
          };
          answers = new Map(batch.map((b) => [b.req.idempotencyKey, failure]));
        }
        for (const b of batch) {
          this.inflight.delete(b.req.idempotencyKey);
          b.resolve(
            answers.get(b.req.idempotencyKey) ?? { ok: false, error: new Error('no answer for request') },
          );
        }
      }),
    );
    return Promise.all(results);
  }

  private l1Key(key: string): string {
    return `${this.o.accountId}:${this.provider.id}:${key}`;
  }

  private fromCache(key: string, v: CacheValue): SkipTraceAnswer {
    return {
      idempotencyKey: key,
      outcome: v.outcome,
      persons: v.persons,
      ...(v.extra !== undefined ? { extra: v.extra } : {}),
      cached: true,
      providerCallId: v.providerCallId,
      payloadHash: v.payloadHash,
      costMicros: 0,
      answeredAt: v.answeredAt,
    };
  }

  /** Records intents, reserves budget, calls the vendor, and commits the outcome. */
  private async callVendor(
    allReqs: readonly SkipTraceRequest<I>[],
    scope: SpendScope,
    signal?: AbortSignal,
  ): Promise<Map<string, SkipTraceResult>> {
    let reqs = allReqs;
    /** Keys another process answered while we were reading the cache: served, not called. */
    const served = new Map<string, SkipTraceResult>();
    const { db, clock, accountId, cipher } = this.o;
    const provider = this.provider;
    const runId = scope.runId;
    // Fail fast while the vendor is down: no reservation, no intent, no call.
    try {
      this.o.breaker?.acquire();
    } catch (error) {
      return new Map(reqs.map((r) => [r.idempotencyKey, { ok: false, error: error as Error }]));
    }
    const keys = reqs.map((r) => r.idempotencyKey);
    const callIds = new Map<string, { id: string; generation: number }>();
    const nowIso = toIso(clock.now());

    // The worst case is reserved in the same transaction as the intents: a refused
    // reservation (BudgetPause) rolls back and leaves no trace.
    const worstCase =
      provider.cost.perCallMicros + reqs.length * (provider.cost.perHitMicros + provider.cost.perItemMicros);
    const reservation = await db.transaction().execute(async (trx) => {
      const reserved = await this.o.budget.reserve(worstCase, reqs.length, scope, trx);
      const latest = await latestCallsByKey(trx, accountId, provider.id, keys);
      // Never pay twice across processes: a key whose latest call finished and whose cache
      // entry is live was answered by someone else after our cache read; serve that answer.
      const finished = reqs.filter(
        (r) => !r.force && ['ok', 'no_match'].includes(latest.get(r.idempotencyKey)?.status ?? ''),
      );
      if (finished.length > 0) {
        const rows = await getCacheRows(
          trx,
          accountId,
          provider.id,
          finished.map((r) => r.idempotencyKey),
        );
        const now = clock.now();
        for (const r of finished) {
          const row = rows.get(r.idempotencyKey);
          if (!row || Date.parse(row.ttl_expires_at) <= now) continue;
          const value: CacheValue = {
            outcome: row.outcome,
            ...decodeParsed(cipher.decrypt(row.parsed_contacts_enc)),
            providerCallId: row.provider_call_id,
            payloadHash: row.payload_hash,
            answeredAt: row.created_at,
            expiresAt: Math.min(Date.parse(row.ttl_expires_at), now + (this.o.l1TtlMs ?? 600_000)),
          };
          served.set(r.idempotencyKey, { ok: true, answer: this.fromCache(r.idempotencyKey, value) });
        }
      }
      const intents = [];
      for (const req of reqs) {
        if (served.has(req.idempotencyKey)) continue;
        const prev = latest.get(req.idempotencyKey);
        const requestJson = JSON.stringify({
          ...provider.describe(req.input),
          attempt_reason: req.attemptReason,
        });
        // An unfinished row (crash or failed attempt) is taken over: same generation, so
        // a key is still billed at most once per generation. A finished row whose cache
        // entry expired (or a forced refresh) moves the key to the next generation.
        if (prev && (prev.status === 'intent' || prev.status === 'error')) {
          await retakeCallIntent(trx, prev.id, {
            runId,
            leadId: req.leadId,
            attemptReason: req.attemptReason,
            requestJson,
            nowIso,
            httpRequestId: reserved.id,
          });
          callIds.set(req.idempotencyKey, { id: prev.id, generation: prev.generation });
          continue;
        }
        const id = this.newId();
        const generation = prev ? prev.generation + 1 : 0;
        callIds.set(req.idempotencyKey, { id, generation });
        intents.push(
          intentRow({
            id,
            accountId,
            provider: provider.id,
            idempotencyKey: req.idempotencyKey,
            generation,
            leadId: req.leadId,
            runId,
            // One reservation per vendor request: its id groups the request's items.
            httpRequestId: reserved.id,
            attemptReason: req.attemptReason,
            requestJson,
            createdAt: nowIso,
          }),
        );
      }
      await insertCallIntents(trx, intents, this.sqlite);
      return reserved;
    });
    if (served.size > 0) {
      reqs = reqs.filter((r) => !served.has(r.idempotencyKey));
      if (reqs.length === 0) {
        await reservation.settle(0);
        return served;
      }
    }

    const httpRequestId = reservation.id;
    const inputs = reqs.map((r) => ({ ...r.input, requestId: r.idempotencyKey }));
    let items: SkipTraceItemResult[];
    let statusCode: number;
    let durationMs: number;
    try {
      await this.o.rateLimiter.acquire(signal);
      const started = clock.now();
      const batch = await provider.call(inputs, signal ? { signal } : undefined);
      items = batch.items;
      statusCode = batch.statusCode;
      durationMs = batch.durationMs ?? clock.now() - started;
    } catch (error) {
      // A failed request bills nothing (BatchData bills matched items of a 200 only).
      const err =
        error instanceof ProviderError
          ? error
          : new ProviderError('network', String(error), { provider: provider.id, cause: error });
      // Drift, 5xx, timeouts and network failures count against the vendor; a 4xx or a 429
      // means it is up and answering. Our own abort (Ctrl-C) says nothing about the vendor.
      if (signal?.aborted) {
        // nothing: a lost half-open probe is re-admitted after one interval
      } else if (isBreakerFailure(err)) this.o.breaker?.recordFailure();
      else this.o.breaker?.recordSuccess();
      if (err.code === 'rate_limited' && err.retryAfterMs !== undefined) {
        this.o.rateLimiter.pauseUntil(clock.now() + err.retryAfterMs);
      }
      const doneIso = toIso(clock.now());
      const failures = reqs.map((r) => ({
        id: callIds.get(r.idempotencyKey)!.id,
        status: 'error' as const,
        statusCode: err.statusCode ?? null,
        billableUnits: 0,
        costMicros: 0,
        responseEnc: err.details.sample ? cipher.encrypt(err.details.sample) : null,
        payloadHash: null,
        httpRequestId,
        errorCode: err.code,
        errorText: err.message,
        durationMs: 0,
        completedAt: doneIso,
      }));
      await db.transaction().execute(async (trx) => {
        await completeCalls(trx, failures, this.sqlite);
        await reservation.settle(0, trx);
      });
      this.o.onCall?.({ runId, items: reqs.length, costMicros: 0, ok: false, errorCode: err.code });
      return new Map([...served, ...reqs.map((r) => [r.idempotencyKey, { ok: false, error: err }] as const)]);
    }

    this.o.breaker?.recordSuccess();
    const byRequestId = new Map(items.map((it) => [it.requestId, it]));
    const doneMs = clock.now();
    const doneIso = toIso(doneMs);
    const completions: CallCompletion[] = [];
    const cacheRows: Insertable<SkiptraceCacheTable>[] = [];
    const answers = new Map<string, SkipTraceResult>();
    let totalCost = provider.cost.perCallMicros;
    reqs.forEach((req, idx) => {
      const item = byRequestId.get(req.idempotencyKey) ?? {
        requestId: req.idempotencyKey,
        matched: false,
        billableUnits: 0,
        persons: [],
        rawItem: null,
      };
      const cost =
        item.billableUnits * provider.cost.perHitMicros +
        provider.cost.perItemMicros +
        (idx === 0 ? provider.cost.perCallMicros : 0);
      totalCost += item.billableUnits * provider.cost.perHitMicros + provider.cost.perItemMicros;
      const raw = JSON.stringify(item.rawItem ?? null);
      const payloadHash = sha256(raw);
      const call = callIds.get(req.idempotencyKey)!;
      if (item.itemError) {
        // The vendor failed this one item: recorded, not billed, never cached, retried later.
        const err = new ProviderError('server_error', 'vendor reported an error for this item', {
          provider: provider.id,
          statusCode,
        });
        completions.push({
          id: call.id,
          status: 'error',
          statusCode,
          billableUnits: 0,
          costMicros: 0,
          responseEnc: cipher.encrypt(raw),
          payloadHash,
          httpRequestId,
          errorCode: err.code,
          errorText: err.message,
          durationMs,
          completedAt: doneIso,
        });
        answers.set(req.idempotencyKey, { ok: false, error: err });
        return;
      }
      const outcome = item.matched ? ('hit' as const) : ('no_match' as const);
      const responseEnc = cipher.encrypt(raw);
      completions.push({
        id: call.id,
        status: item.matched ? 'ok' : 'no_match',
        statusCode,
        billableUnits: item.billableUnits,
        costMicros: cost,
        responseEnc,
        payloadHash,
        httpRequestId,
        errorCode: null,
        errorText: null,
        durationMs,
        completedAt: doneIso,
      });
      const ttlDays = item.matched ? this.o.cacheTtlDays : this.o.negativeCacheTtlDays;
      const expiresAt = doneMs + ttlDays * MS_PER_DAY;
      cacheRows.push({
        id: this.newId(),
        account_id: accountId,
        provider: provider.id,
        idempotency_key: req.idempotencyKey,
        generation: call.generation,
        outcome,
        payload_hash: payloadHash,
        // The raw body is kept once, on the provider call (provider_call_id); the cache
        // keeps the parsed contacts. Half the bytes per lead.
        response_enc: '',
        parsed_contacts_enc: cipher.encrypt(encodeParsed(item.persons, item.extra)),
        provider_call_id: call.id,
        ttl_expires_at: toIso(expiresAt),
        created_at: doneIso,
        last_seen: doneIso,
      });
      const value: CacheValue = {
        outcome,
        persons: item.persons,
        ...(item.extra !== undefined ? { extra: item.extra } : {}),
        providerCallId: call.id,
        payloadHash,
        answeredAt: doneIso,
        expiresAt: Math.min(expiresAt, doneMs + (this.o.l1TtlMs ?? 600_000)),
      };
      if (ttlDays > 0) this.l1.set(this.l1Key(req.idempotencyKey), value);
      answers.set(req.idempotencyKey, {
        ok: true,
        answer: { ...this.fromCache(req.idempotencyKey, value), cached: false, costMicros: cost },
      });
    });
    await db.transaction().execute(async (trx) => {
      await completeCalls(trx, completions, this.sqlite);
      await upsertCacheRows(trx, cacheRows, this.sqlite);
      await reservation.settle(totalCost, trx);
    });
    this.o.onCall?.({ runId, items: reqs.length, costMicros: totalCost, ok: true, errorCode: null });
    for (const [key, answer] of served) answers.set(key, answer);
    return answers;
  }
}

/** A skip-trace request as recorded: address parts and name initials only (no full names). */
export function sanitizedTraceInput(input: TraceInput): Record<string, unknown> {
  const initial = (s: string | null | undefined) => (s ? `${s[0]}.` : null);
  return {
    street: input.street,
    city: input.city,
    state: input.state,
    zip: input.zip,
    first: initial(input.firstName),
    last: initial(input.lastName),
  };
}
