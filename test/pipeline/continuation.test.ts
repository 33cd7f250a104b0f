/**
 * 'auto' stopping (pipeline/continuation.ts): per lead state, the next provider is the one
 * with the lowest expected cost per contactable lead, judged at the finest level (whole
 * state, gap, overall) where every candidate has enough samples; a lead is dropped when even
 * that costs more than the policy's limit, except for a small exploration share.
 */
import { describe, expect, it } from 'vitest';
import { ContinuationLearner, type ContinuationCandidate } from '../../src/pipeline/continuation.js';

const cheap: ContinuationCandidate = {
  id: 'cheap',
  cost: { perCallMicros: 0, perHitMicros: 50_000, perItemMicros: 0 },
};
const pricey: ContinuationCandidate = {
  id: 'pricey',
  cost: { perCallMicros: 10_000, perHitMicros: 140_000, perItemMicros: 0 },
};

/** A random source that returns the given draws in turn (then 0.99 forever). */
function draws(...values: number[]): () => number {
  return () => values.shift() ?? 0.99;
}

/** `n` tries of `provider` in `state`, `hits` of them hits and `contactable` of them contactable. */
function teach(
  learner: ContinuationLearner,
  provider: string,
  state: string,
  n: number,
  hits: number,
  contactable: number,
): void {
  for (let i = 0; i < n; i++) learner.record('skip_trace', provider, state, i < hits, i < contactable);
}

const FRESH = 's0 e:none p:none|';
const AFTER_HIT = 's30 e:none p:ok|cheap:h';

describe('auto stopping: the next provider for a lead state', () => {
  it('follows the prior order until a provider has enough samples overall', () => {
    const learner = new ContinuationLearner({ minSamples: 4, random: draws() });
    expect(learner.choose('skip_trace', [cheap, pricey], FRESH, 1_000_000)).toBe('cheap');
    teach(learner, 'cheap', FRESH, 4, 2, 0);
    // cheap now has 4 samples (none contactable); pricey has none, so it is tried next.
    expect(learner.choose('skip_trace', [cheap, pricey], FRESH, 1_000_000)).toBe('pricey');
    expect(learner.choose('skip_trace', [], FRESH, 1_000_000)).toBeNull();
  });

  it('prices one more contactable lead as expected cost over the chance, with half a success of prior', () => {
    const learner = new ContinuationLearner({ minSamples: 4, random: draws() });
    teach(learner, 'pricey', FRESH, 9, 6, 3);
    // Expected cost 10,000 + 140,000 × 6/9; chance (3 + 0.5) / (9 + 1) = 0.35.
    expect(learner.marginalMicros('skip_trace', 'pricey', FRESH, pricey.cost)).toBeCloseTo(
      (10_000 + (140_000 * 6) / 9) / 0.35,
      6,
    );
    expect(learner.marginalMicros('skip_trace', 'cheap', FRESH, cheap.cost)).toBeNull();
  });

  it('picks the lowest expected cost per contactable lead, not the cheapest call', () => {
    const learner = new ContinuationLearner({ minSamples: 4, random: draws() });
    teach(learner, 'cheap', FRESH, 10, 5, 0); // 25,000 / 0.05 = 500,000
    teach(learner, 'pricey', FRESH, 10, 8, 5); // 122,000 / 0.5 = 244,000
    expect(learner.choose('skip_trace', [cheap, pricey], FRESH, null)).toBe('pricey');
  });

  it('judges a state by its own cells once every candidate has enough of them, else by its gap, else overall', () => {
    const learner = new ContinuationLearner({ minSamples: 4, random: draws() });
    // Overall (from other gaps) cheap looks far better ...
    teach(learner, 'cheap', 's0 e:none p:none|x:m', 10, 10, 9);
    teach(learner, 'pricey', 's0 e:none p:none|x:m', 10, 10, 1);
    expect(learner.choose('skip_trace', [cheap, pricey], AFTER_HIT, null)).toBe('cheap');
    // ... for this gap (any history) pricey is, while cheap has few samples of the whole state.
    teach(learner, 'cheap', 's30 e:none p:ok|other:h', 20, 20, 0);
    teach(learner, 'pricey', 's30 e:none p:ok|other:h', 10, 10, 8);
    teach(learner, 'cheap', AFTER_HIT, 3, 3, 3);
    expect(learner.choose('skip_trace', [cheap, pricey], AFTER_HIT, null)).toBe('pricey');
    // With enough whole-state samples for both, the whole state decides.
    teach(learner, 'cheap', AFTER_HIT, 1, 1, 1);
    teach(learner, 'pricey', AFTER_HIT, 4, 4, 0);
    expect(learner.choose('skip_trace', [cheap, pricey], AFTER_HIT, null)).toBe('cheap');
  });

  it('drops a lead when even the best provider costs more than the limit, but explores now and then', () => {
    // Draws: 0.5 (no whole-state exploration), 0.5 (no stop exploration); then 0.5, 0.01.
    const learner = new ContinuationLearner({
      minSamples: 4,
      exploreRate: 0.05,
      random: draws(0.5, 0.5, 0.5, 0.01),
    });
    teach(learner, 'pricey', AFTER_HIT, 20, 20, 1); // 150,000 / (1.5 / 21) = 2,100,000
    expect(learner.marginalMicros('skip_trace', 'pricey', AFTER_HIT, pricey.cost)).toBeCloseTo(2_100_000, 6);
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, 500_000)).toBeNull();
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, 500_000)).toBe('pricey');
    // No limit: never dropped.
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, null)).toBe('pricey');
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, 2_100_001)).toBe('pricey');
  });

  it('does not drop leads of a state that is over the limit only within one standard error', () => {
    const learner = new ContinuationLearner({ minSamples: 4, random: draws() });
    teach(learner, 'pricey', AFTER_HIT, 4, 4, 0);
    // Chance 0.5 / 5 = 0.1: 1,500,000 per contactable lead; one standard error more
    // (sqrt(0.1 × 0.9 / 5) = 0.134) gives 641,000, under a 1,000,000 limit: still sent.
    expect(learner.marginalMicros('skip_trace', 'pricey', AFTER_HIT, pricey.cost)).toBeCloseTo(1_500_000, 6);
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, 1_000_000)).toBe('pricey');
    // Under 600,000 even the optimistic figure is over: dropped.
    expect(learner.choose('skip_trace', [pricey], AFTER_HIT, 600_000)).toBeNull();
  });

  it('explores a candidate still short of whole-state samples at the exploration rate', () => {
    const learner = new ContinuationLearner({ minSamples: 4, exploreRate: 0.1, random: draws(0.05, 0.0) });
    teach(learner, 'cheap', AFTER_HIT, 10, 10, 9);
    teach(learner, 'pricey', 's30 e:none p:ok|y:m', 10, 10, 0);
    // Judged by the gap, cheap wins; the exploration draw (0.05 < 0.1) sends pricey instead.
    expect(learner.choose('skip_trace', [cheap, pricey], AFTER_HIT, null)).toBe('pricey');
    expect(learner.choose('skip_trace', [cheap, pricey], AFTER_HIT, null)).toBe('cheap');
  });

  it('keeps whole-state cells apart per stage and provider in its snapshot', () => {
    const learner = new ContinuationLearner({ random: draws() });
    learner.record('skip_trace', 'cheap', AFTER_HIT, true, false);
    learner.record('skip_trace', 'cheap', AFTER_HIT, false, true);
    learner.record('business', 'cheap', AFTER_HIT, true, true);
    expect(learner.snapshot().sort((a, b) => a.stage.localeCompare(b.stage))).toEqual([
      { stage: 'business', provider: 'cheap', state: AFTER_HIT, tries: 1, hits: 1, contactable: 1 },
      { stage: 'skip_trace', provider: 'cheap', state: AFTER_HIT, tries: 2, hits: 1, contactable: 1 },
    ]);
  });
});
