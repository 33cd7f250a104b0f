/**
 * Cost quote before spending: how many of a run's leads are already answered by the
 * cache, how many need the vendor, and the expected and worst-case spend. Expected uses
 * the account's observed hit rate once it has enough samples, else a prior.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { toIso } from '../domain/clock.js';
import type { ProviderCost } from '../providers/contract.js';
import {
  namedProviders,
  type StageName,
  type StageOrder,
  type WaterfallPolicy,
} from '../pipeline/waterfall-policy.js';
import type { Database } from '../store/schema.js';
import { chunk } from '../store/chunk.js';

export interface RunQuote {
  /** Items still to process. */
  leads: number;
  /** Of those, answered by a live cache entry (free). */
  cached: number;
  /** Of those, needing a vendor call. */
  uncached: number;
  /** Uncached leads with a unit, which may need a second (sanitized) call. */
  withUnit: number;
  /** Hit rate used for the expected figure, and whether it was observed or a prior. */
  hitRate: number;
  hitRateSource: 'observed' | 'prior';
  expectedMicros: number;
  worstCaseMicros: number;
}

const PRIOR_HIT_RATE = 0.8;
const MIN_SAMPLES = 30;

export interface QuoteContext {
  accountId: string;
  provider: string;
  cost: ProviderCost;
  clock: Clock;
  sanitizedRetry: boolean;
}

/** A run's items still to process, quoted. */
export async function quoteRun(db: Kysely<Database>, o: QuoteContext & { runId: string }): Promise<RunQuote> {
  const items = await db
    .selectFrom('run_items')
    .select(['idem_key', 'sanitized_idem_key'])
    .where('run_id', '=', o.runId)
    .where('status', '!=', 'done')
    .execute();
  return quoteKeys(
    db,
    o,
    items.map((i) => ({ key: i.idem_key, sanitizedKey: i.sanitized_idem_key })),
  );
}

/** Quotes a set of idempotency keys (with the sanitized key of unit addresses). */
export async function quoteKeys(
  db: Kysely<Database>,
  o: QuoteContext,
  items: readonly { key: string; sanitizedKey: string | null }[],
): Promise<RunQuote> {
  const nowIso = toIso(o.clock.now());
  const live = new Set<string>();
  for (const part of chunk(
    items.map((i) => i.key),
    5000,
  )) {
    const rows = await db
      .selectFrom('skiptrace_cache')
      .select('idempotency_key')
      .where('account_id', '=', o.accountId)
      .where('provider', '=', o.provider)
      .where('idempotency_key', 'in', part)
      .where('ttl_expires_at', '>', nowIso)
      .execute();
    for (const r of rows) live.add(r.idempotency_key);
  }
  const uncachedItems = items.filter((i) => !live.has(i.key));
  const withUnit = o.sanitizedRetry ? uncachedItems.filter((i) => i.sanitizedKey !== null).length : 0;

  const stats = await db
    .selectFrom('provider_calls')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', o.accountId)
    .where('provider', '=', o.provider)
    .where('status', 'in', ['ok', 'no_match'])
    .groupBy('status')
    .execute();
  const ok = Number(stats.find((s) => s.status === 'ok')?.n ?? 0);
  const miss = Number(stats.find((s) => s.status === 'no_match')?.n ?? 0);
  const observed = ok + miss >= MIN_SAMPLES;
  const hitRate = observed ? ok / (ok + miss) : PRIOR_HIT_RATE;

  const perLead = o.cost.perHitMicros + o.cost.perItemMicros;
  const calls = uncachedItems.length + withUnit;
  const requests = Math.ceil(calls / 100);
  return {
    leads: items.length,
    cached: items.length - uncachedItems.length,
    uncached: uncachedItems.length,
    withUnit,
    hitRate: Math.round(hitRate * 1000) / 1000,
    hitRateSource: observed ? 'observed' : 'prior',
    expectedMicros:
      Math.round(uncachedItems.length * (hitRate * o.cost.perHitMicros + o.cost.perItemMicros)) +
      requests * o.cost.perCallMicros,
    worstCaseMicros: calls * perLead + requests * o.cost.perCallMicros,
  };
}

/**
 * Worst case of the waterfall beyond the quoted skip-trace provider: every other provider
 * of every stage paid for every lead (property detail, the later skip-trace providers,
 * business), and every verifier paid for its per-lead maximum of phones and emails. Gap-only
 * and the cache make the real figure far lower; this bounds it for the confirmation.
 */
export function waterfallExtraWorstCase(
  wf: WaterfallPolicy,
  providers: ReadonlyMap<string, { stage: StageName; cost: ProviderCost }>,
  leads: number,
  quotedProvider: string,
): number {
  const unit = (c: ProviderCost) => c.perHitMicros + c.perItemMicros + c.perCallMicros;
  const ids = (stage: StageName): string[] => {
    const order = wf[stage] as StageOrder;
    if (order === 'auto') return [...providers].filter(([, p]) => p.stage === stage).map(([id]) => id);
    return [...namedProviders(order)];
  };
  let total = 0;
  for (const stage of ['property_detail', 'skip_trace', 'business'] as const) {
    if (stage === 'property_detail' && wf.detail_when === 'never') continue;
    for (const id of ids(stage)) {
      const p = providers.get(id);
      if (!p || id === quotedProvider) continue;
      total += leads * unit(p.cost);
    }
  }
  for (const [stage, per] of [
    ['verify_phone', wf.verify_phones_per_lead],
    ['verify_email', wf.verify_emails_per_lead],
  ] as const) {
    for (const id of ids(stage)) {
      const p = providers.get(id);
      if (p) total += leads * per * unit(p.cost);
    }
  }
  return total;
}
