/**
 * Waterfall order `auto`: expected cost per contactable lead from the cost model and a
 * prior with few samples, from observed figures with many; the lead's segment when it has
 * enough samples, else the provider's overall row; ties by provider id.
 */
import { describe, expect, it } from 'vitest';
import {
  AUTO_ORDER_DEFAULTS,
  expectedCostPerContactable,
  modelSpend,
  orderProviders,
  type OrderableProvider,
} from '../../src/pipeline/auto-order.js';
import type { ScorecardRow } from '../../src/store/repos/scorecard.js';

const provider = (
  id: string,
  cost: Partial<OrderableProvider['cost']>,
  billsOnMiss = false,
  batchSize = 1,
): OrderableProvider => ({
  id,
  cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 0, ...cost },
  flags: { batchSize, billsOnMiss },
});

/** Per-hit vendors (a miss is free), a per-record vendor and a batch vendor. */
const cheap = provider('cheap', { perHitMicros: 50_000 });
const pricey = provider('pricey', { perHitMicros: 150_000 });
const perRecord = provider('per-record', { perCallMicros: 50_000 }, true);
const batch = provider(
  'batch',
  { perCallMicros: 100_000, perItemMicros: 1_000, perHitMicros: 10_000 },
  true,
  100,
);

const stats = (
  p: string,
  calls: number,
  hits: number,
  leads: number,
  contactableLeads: number,
  costMicros: number,
  segment?: { by: 'state' | 'owner_type'; value: string | null },
): ScorecardRow => ({
  provider: p,
  by: segment?.by ?? null,
  segment: segment?.value ?? null,
  calls,
  hits,
  errors: 0,
  leads,
  contactableLeads,
  costMicros,
});

const ids = (ordered: { provider: OrderableProvider }[]) => ordered.map((o) => o.provider.id);

describe('auto provider order', () => {
  it('documents its default numbers', () => {
    expect(AUTO_ORDER_DEFAULTS).toEqual({
      minSamples: 50,
      priorStrength: 20,
      priorHitRate: 0.8,
      priorContactableRate: 0.3,
    });
  });

  it('with no samples, orders by the cost model and the priors alone', () => {
    const ordered = orderProviders([pricey, perRecord, cheap, batch], []);
    expect(ids(ordered)).toEqual(['batch', 'cheap', 'per-record', 'pricey']);
    // batch: 1,000/item + 100,000/100 per item + 10,000 × 0.8 = 10,000 per attempt, / 0.3.
    expect(ordered.map((o) => o.estimate.expectedCostMicros)).toEqual([33_333, 133_333, 166_667, 400_000]);
    expect(ordered[0]!.estimate).toEqual({
      provider: 'batch',
      expectedCostMicros: 33_333,
      spendPerAttemptMicros: 10_000,
      spendSource: 'cost_model',
      pHit: 0.8,
      pContactable: 0.3,
      basis: 'prior',
      samples: 0,
    });
  });

  it('lets the prior dominate a handful of samples', () => {
    // Five attempts, none contactable: observed alone would make `cheap` infinitely dear.
    const few = [stats('cheap', 5, 5, 5, 0, 250_000)];
    expect(expectedCostPerContactable(cheap, few)).toEqual({
      provider: 'cheap',
      expectedCostMicros: 175_000,
      spendPerAttemptMicros: 42_000,
      spendSource: 'cost_model',
      pHit: 0.84,
      pContactable: 0.24,
      basis: 'overall',
      samples: 5,
    });
    expect(ids(orderProviders([pricey, cheap], few))).toEqual(['cheap', 'pricey']);
  });

  it('lets observed figures dominate many samples', () => {
    const many = [
      // cheap per hit, but rarely contactable; pricey, but half of its leads are.
      stats('cheap', 1000, 900, 1000, 10, 45_000_000),
      stats('pricey', 1000, 600, 1000, 500, 90_000_000),
    ];
    const ordered = orderProviders([cheap, pricey], many);
    expect(ids(ordered)).toEqual(['pricey', 'cheap']);
    expect(ordered.map((o) => o.estimate.expectedCostMicros)).toEqual([181_423, 2_868_750]);
    expect(ordered[1]!.estimate.spendSource).toBe('observed');
    expect(ordered[1]!.estimate.spendPerAttemptMicros).toBe(45_000);
    expect(ordered[1]!.estimate.pContactable).toBeCloseTo(16 / 1020, 12);
  });

  it("uses the lead's segment only when it has enough samples, else the overall row", () => {
    const rows = [
      stats('cheap', 1000, 900, 1000, 500, 45_000_000),
      stats('pricey', 1000, 600, 1000, 500, 90_000_000),
      // In Texas `cheap` rarely yields a contactable lead (60 calls: enough).
      stats('cheap', 60, 50, 60, 1, 3_000_000, { by: 'state', value: 'TX' }),
      // In California the same, but 10 calls are not enough to trust.
      stats('cheap', 10, 9, 10, 0, 450_000, { by: 'state', value: 'CA' }),
    ];
    const tx = orderProviders([cheap, pricey], rows, { by: 'state', value: 'TX' });
    expect(ids(tx)).toEqual(['pricey', 'cheap']);
    expect(tx.map((o) => [o.estimate.basis, o.estimate.expectedCostMicros])).toEqual([
      ['overall', 181_423],
      ['segment', 571_429],
    ]);
    const ca = orderProviders([cheap, pricey], rows, { by: 'state', value: 'CA' });
    expect(ids(ca)).toEqual(['cheap', 'pricey']);
    expect(ca.map((o) => [o.estimate.basis, o.estimate.expectedCostMicros])).toEqual([
      ['overall', 90_711],
      ['overall', 181_423],
    ]);
    // A segment of another dimension with the same value is not the lead's segment.
    const wrongDimension = orderProviders([cheap, pricey], rows, { by: 'owner_type', value: 'TX' });
    expect(ids(wrongDimension)).toEqual(['cheap', 'pricey']);
  });

  it('breaks ties by provider id, whatever the input order', () => {
    const b = provider('b-vendor', { perHitMicros: 70_000 });
    const a = provider('a-vendor', { perHitMicros: 70_000 });
    expect(ids(orderProviders([b, a], []))).toEqual(['a-vendor', 'b-vendor']);
    expect(ids(orderProviders([a, b], []))).toEqual(['a-vendor', 'b-vendor']);
    // Never contactable (prior 0, nothing observed): infinitely dear, still ordered by id.
    const never = orderProviders([b, cheap, a], [], undefined, { priorContactableRate: 0 });
    expect(ids(never)).toEqual(['a-vendor', 'b-vendor', 'cheap']);
    expect(never.every((o) => o.estimate.expectedCostMicros === Infinity)).toBe(true);
  });

  it('charges a miss only when the provider bills on miss', () => {
    const cost = { perCallMicros: 100, perItemMicros: 10, perHitMicros: 1_000 };
    expect(modelSpend(provider('x', cost, true, 10), 0.5)).toBe(10 + 10 + 500);
    expect(modelSpend(provider('x', cost, false, 10), 0.5)).toBe((1_000 + 10 + 10) * 0.5);
  });

  it('rejects priors outside 0..1', () => {
    expect(() => orderProviders([cheap], [], undefined, { priorHitRate: 1.5 })).toThrow(
      'priorHitRate must be within 0..1, got 1.5',
    );
  });
});
