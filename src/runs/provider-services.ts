/**
 * The waterfall's provider services: one guarded SkipTraceService per built provider of a
 * waterfall kind, each with its own rate limiter (the vendor's documented rate, or
 * SANDBOX_RPS against the sandbox) and its own circuit breaker, all sharing one budget
 * guard. And the 'auto' order: a stage's providers by expected cost per contactable lead
 * from the vendor scorecard (pipeline/auto-order.ts), refreshed at most every 30 seconds.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type { BudgetGuard } from '../guards/budget.js';
import { CircuitBreaker, type BreakerStateChange } from '../guards/circuit-breaker.js';
import { createTokenBucket, type Sleep } from '../guards/token-bucket.js';
import { orderProviders } from '../pipeline/auto-order.js';
import { SkipTraceService, type UnitProvider } from '../pipeline/skiptrace-service.js';
import {
  businessPeopleUnit,
  emailVerifyUnit,
  phoneVerifyUnit,
  propertyDetailUnit,
} from '../pipeline/unit-providers.js';
import { STAGE_KIND, STAGE_NAMES, type StageName } from '../pipeline/waterfall-policy.js';
import type { ProviderKind } from '../providers/contract.js';
import type { AnyBuiltProvider, ProviderSet } from '../providers/registry.js';
import { verifiedSourceStats, type ScorecardRow } from '../store/repos/scorecard.js';
import type { Database } from '../store/schema.js';
import type { ProviderService } from './run-worker.js';

export interface ProviderServicesOptions {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  providers: ProviderSet;
  budget: BudgetGuard;
  cacheTtlDays: number;
  negativeCacheTtlDays: number;
  /** Requests per second against the sandbox (null: each vendor's documented rate). */
  sandboxRps: number | null;
  errorRate: number;
  minSamples: number;
  sleep?: Sleep;
  onBreakerState?: (change: BreakerStateChange) => void;
  onCall?: ConstructorParameters<typeof SkipTraceService>[0]['onCall'];
  /** Services already built (the runtime's BatchData skip-trace), reused by id. */
  existing?: ReadonlyMap<string, ProviderService>;
}

const STAGE_OF_KIND = new Map<ProviderKind, StageName>(STAGE_NAMES.map((s) => [STAGE_KIND[s], s]));

function unitOf(b: AnyBuiltProvider): UnitProvider<unknown> | null {
  switch (b.entry.kind) {
    case 'phone-verify':
      return phoneVerifyUnit(b.provider as never) as UnitProvider<unknown>;
    case 'email-verify':
      return emailVerifyUnit(b.provider as never) as UnitProvider<unknown>;
    case 'business-people':
      return businessPeopleUnit(b.provider as never) as UnitProvider<unknown>;
    case 'property-detail':
      return propertyDetailUnit(b.provider as never) as UnitProvider<unknown>;
    default:
      return null;
  }
}

export function buildProviderServices(o: ProviderServicesOptions): Map<string, ProviderService> {
  const out = new Map<string, ProviderService>(o.existing ?? []);
  for (const b of o.providers.built) {
    const stage = STAGE_OF_KIND.get(b.entry.kind);
    if (!stage || out.has(b.entry.id)) continue;
    const p = b.provider;
    const unit = b.entry.kind === 'skip-trace' ? null : unitOf(b);
    const rate = o.sandboxRps ?? p.rateLimit.requestsPerSecond;
    const service = new SkipTraceService<unknown>({
      db: o.db,
      provider: unit ?? (p as never),
      cipher: o.cipher,
      clock: o.clock,
      accountId: o.accountId,
      cacheTtlDays: o.cacheTtlDays,
      negativeCacheTtlDays: o.negativeCacheTtlDays,
      rateLimiter: createTokenBucket({
        ratePerSec: rate,
        clock: o.clock,
        ...(o.sleep ? { sleep: o.sleep } : {}),
      }),
      budget: o.budget,
      breaker: new CircuitBreaker({
        provider: p.id,
        errorRate: o.errorRate,
        minSamples: o.minSamples,
        clock: o.clock,
        ...(o.onBreakerState ? { onStateChange: o.onBreakerState } : {}),
      }),
      ...(o.onCall ? { onCall: o.onCall } : {}),
    });
    out.set(p.id, {
      id: p.id,
      stage,
      returnsCompliance: p.flags.returnsCompliance === true,
      cost: p.cost,
      flags: { batchSize: p.flags.batchSize, billsOnMiss: p.flags.billsOnMiss },
      service,
    });
  }
  return out;
}

/**
 * 'auto': cheapest expected cost per contactable lead first, from the account's recent calls
 * of the stage's providers, a contactable lead credited to the providers of its verified
 * contacts (store/repos/scorecard.ts verifiedSourceStats: fair to a provider that runs later
 * in the order), re-read at most every
 * `refreshMs` (default 10 s) so a long run learns from its own first chunks.
 */
export function scorecardAutoOrder(
  db: Kysely<Database>,
  accountId: string,
  clock: Clock,
  refreshMs = 10_000,
): (stage: StageName, candidates: ProviderService[]) => Promise<ProviderService[]> {
  const cached = new Map<string, { at: number; rows: Promise<ScorecardRow[]> }>();
  return async (_stage, candidates) => {
    const now = clock.now();
    const ids = candidates.map((c) => c.id).sort();
    const key = ids.join(',');
    let entry = cached.get(key);
    if (!entry || now - entry.at >= refreshMs) {
      entry = { at: now, rows: verifiedSourceStats(db, accountId, ids) };
      cached.set(key, entry);
    }
    return orderProviders(candidates, await entry.rows).map((r) => r.provider);
  };
}
