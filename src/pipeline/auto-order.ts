/**
 * Waterfall order `auto` (issue 4 item 7): a stage's providers sorted by expected cost per
 * contactable lead, ascending, from the vendor scorecard — with a prior until a provider
 * has enough samples. Pure: the caller reads the scorecard (store/repos/scorecard.ts).
 *
 *   expected cost per contactable lead = expected spend per attempted lead
 *                                        / P(contactable | attempted)
 *
 * - **P(contactable | attempted)** is a Beta posterior mean: `priorContactableRate` counts
 *   as `priorStrength` pseudo-leads next to the observed ones,
 *   `(contactable + rate × strength) / (leads + strength)`. With few samples the prior
 *   dominates; with many the observed rate does. The same blend gives P(hit) per call from
 *   `priorHitRate`.
 * - **Expected spend per attempt**: below `minSamples` calls, the cost model —
 *   billsOnMiss: `perItem + perCall / batchSize + perHit × P(hit)`; otherwise a miss is not
 *   billed, so everything is paid on a hit only: `(perHit + perItem + perCall / batchSize) ×
 *   P(hit)` (which is `perHit × P(hit)` for every such vendor today, whose other figures are
 *   0). From `minSamples` calls on, the observed spend per call (`cost_micros / calls`),
 *   which also carries what the model does not see: billed errors, part-filled batches,
 *   overridden prices.
 * - **Which stats**: the lead's segment row when it has at least `minSamples` calls, else
 *   the provider's overall row (which may itself be below `minSamples`: then the prior
 *   blend and the cost model apply), else no stats at all (pure prior).
 *
 * Default numbers (parameters, `AUTO_ORDER_DEFAULTS`): minSamples 50 calls (the brief's
 * "enough samples"); priorStrength 20 pseudo-samples (the prior weighs as much as 20
 * observed leads, so it has faded to under 30% by the time the segment threshold is met);
 * priorHitRate 0.8 (the prior of the run quote, runs/quote.ts); priorContactableRate 0.3
 * (a guess: roughly a third of traced leads reach the seed-001 score of 60 — a verified
 * mobile alone earns 30 points, so contactable takes a verified email or more).
 *
 * Expected costs are compared in whole micro-dollars (rounded), ties broken by provider
 * id, so the order is stable across processes. A provider whose P(contactable) is 0 has an
 * infinite expected cost and goes last.
 */
import type { ProviderCost, ProviderFlags } from '../providers/contract.js';
import type { ScorecardDimension, ScorecardRow } from '../store/repos/scorecard.js';

/** What ordering reads from a provider: its descriptor's id, cost model and two flags. */
export interface OrderableProvider {
  readonly id: string;
  readonly cost: ProviderCost;
  readonly flags: Pick<ProviderFlags, 'batchSize' | 'billsOnMiss'>;
}

/** The lead's segment: one scorecard dimension and the lead's value of it. */
export interface LeadSegment {
  by: ScorecardDimension;
  value: string | null;
}

export interface AutoOrderOptions {
  /** Calls a row needs before its segment is used and its observed spend replaces the cost model. */
  minSamples: number;
  /** Weight of the priors, in pseudo-samples. */
  priorStrength: number;
  /** Prior P(hit) per call. */
  priorHitRate: number;
  /** Prior P(contactable | attempted lead). */
  priorContactableRate: number;
}

export const AUTO_ORDER_DEFAULTS: Readonly<AutoOrderOptions> = Object.freeze({
  minSamples: 50,
  priorStrength: 20,
  priorHitRate: 0.8,
  priorContactableRate: 0.3,
});

/** Which figures an estimate used. */
export type EstimateBasis = 'segment' | 'overall' | 'prior';

export interface CostEstimate {
  provider: string;
  /** Expected micro-dollars per contactable lead, rounded; Infinity when P(contactable) is 0. */
  expectedCostMicros: number;
  /** Expected micro-dollars per attempted lead (unrounded). */
  spendPerAttemptMicros: number;
  spendSource: 'observed' | 'cost_model';
  pHit: number;
  pContactable: number;
  basis: EstimateBasis;
  /** Calls of the stats row used (0 for the prior). */
  samples: number;
}

/** The expected cost per contactable lead of one provider, given its stats rows. */
export function expectedCostPerContactable(
  provider: OrderableProvider,
  stats: readonly ScorecardRow[],
  segment?: LeadSegment,
  options: Partial<AutoOrderOptions> = {},
): CostEstimate {
  const o = resolveOptions(options);
  const { row, basis } = pickStats(provider.id, stats, segment, o.minSamples);
  const calls = row?.calls ?? 0;
  const pHit = blend(row?.hits ?? 0, calls, o.priorHitRate, o.priorStrength);
  const pContactable = blend(
    row?.contactableLeads ?? 0,
    row?.leads ?? 0,
    o.priorContactableRate,
    o.priorStrength,
  );
  const observed = row !== null && calls >= o.minSamples;
  const spend = observed ? row.costMicros / calls : modelSpend(provider, pHit);
  return {
    provider: provider.id,
    expectedCostMicros: pContactable > 0 ? Math.round(spend / pContactable) : Infinity,
    spendPerAttemptMicros: spend,
    spendSource: observed ? 'observed' : 'cost_model',
    pHit,
    pContactable,
    basis,
    samples: calls,
  };
}

/** The stage's providers cheapest first (per contactable lead), each with its estimate. */
export function orderProviders<P extends OrderableProvider>(
  providers: readonly P[],
  stats: readonly ScorecardRow[],
  segment?: LeadSegment,
  options: Partial<AutoOrderOptions> = {},
): { provider: P; estimate: CostEstimate }[] {
  return providers
    .map((provider) => ({
      provider,
      estimate: expectedCostPerContactable(provider, stats, segment, options),
    }))
    .sort((a, b) => {
      const x = a.estimate.expectedCostMicros;
      const y = b.estimate.expectedCostMicros;
      if (x !== y) return x < y ? -1 : 1;
      return a.provider.id < b.provider.id ? -1 : a.provider.id > b.provider.id ? 1 : 0;
    });
}

/** Expected spend per attempted lead from the declared cost model. */
export function modelSpend(provider: OrderableProvider, pHit: number): number {
  const { perCallMicros, perHitMicros, perItemMicros } = provider.cost;
  const perCallShare = perCallMicros / provider.flags.batchSize;
  return provider.flags.billsOnMiss
    ? perItemMicros + perCallShare + perHitMicros * pHit
    : (perHitMicros + perItemMicros + perCallShare) * pHit;
}

function pickStats(
  providerId: string,
  stats: readonly ScorecardRow[],
  segment: LeadSegment | undefined,
  minSamples: number,
): { row: ScorecardRow | null; basis: EstimateBasis } {
  if (segment) {
    const seg = stats.find(
      (r) => r.provider === providerId && r.by === segment.by && r.segment === segment.value,
    );
    if (seg && seg.calls >= minSamples) return { row: seg, basis: 'segment' };
  }
  const overall = stats.find((r) => r.provider === providerId && r.by === null);
  return overall ? { row: overall, basis: 'overall' } : { row: null, basis: 'prior' };
}

/** Beta posterior mean: `rate` weighs as `strength` pseudo-trials next to `n` observed. */
function blend(successes: number, n: number, rate: number, strength: number): number {
  return n + strength > 0 ? (successes + rate * strength) / (n + strength) : rate;
}

function resolveOptions(options: Partial<AutoOrderOptions>): AutoOrderOptions {
  const o = { ...AUTO_ORDER_DEFAULTS, ...options };
  for (const name of ['priorHitRate', 'priorContactableRate'] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw new RangeError(`${name} must be within 0..1, got ${o[name]}`);
  }
  if (!(o.priorStrength >= 0)) throw new RangeError(`priorStrength must be >= 0, got ${o.priorStrength}`);
  if (!(o.minSamples >= 0)) throw new RangeError(`minSamples must be >= 0, got ${o.minSamples}`);
  return o;
}
