/**
 * State-aware stopping for 'auto' stages: should the next provider be paid for a lead that is
 * still not contactable, given what the lead looks like now?
 *
 * Gap-only fallback sends every not-yet-contactable lead to the next provider. Many of those
 * leads can never become contactable (the person has no valid email, or no mobile line), and
 * after a high-coverage vendor has answered, a later vendor mostly returns the same contacts.
 * The learner keeps, per stage, provider and lead state (which contacts the lead is missing,
 * its score, and which providers of the stage hit or missed it), how often calling that
 * provider made such a lead contactable, and how often it hit. A provider is skipped for a
 * lead when the expected cost of one more contactable lead from it,
 *
 *     (per-call + per-item + per-hit × hit rate) / P(contactable after the call | state),
 *
 * is above the policy's `auto_stop_usd`, once the state has `minSamples` tries. A small share of
 * skipped leads (`exploreRate`) is still sent so the estimate can recover when a vendor
 * improves. Fixed orders never consult it: they are the user's explicit waterfall.
 *
 * The learner is in memory; the run worker loads the account's totals (table auto_stats)
 * when a run starts and each chunk adds what was recorded since (`load` / `drain`).
 */
import type { StageName } from './waterfall-policy.js';

export interface ContinuationCost {
  perCallMicros: number;
  perHitMicros: number;
  perItemMicros: number;
}

export interface ContinuationOptions {
  /** Tries of a (stage, provider, state) before its estimate is used. Default 40. */
  minSamples?: number;
  /** Share of would-be-skipped leads still sent, to keep learning. Default 0.02. */
  exploreRate?: number;
  /** Uniform [0, 1) source (injected in tests). */
  random: () => number;
}

interface Cell {
  tries: number;
  hits: number;
  contactable: number;
}

export interface ContinuationCell extends Cell {
  stage: StageName;
  provider: string;
  state: string;
}

export interface ContinuationCandidate {
  id: string;
  cost: ContinuationCost;
}

/*
 * A lead state is `gap|history`. Estimates are kept at three levels: the whole state, the
 * gap alone (any history) and the provider overall, so a rare state borrows from a broader one.
 */

export class ContinuationLearner {
  private readonly cells = new Map<string, Cell>();
  /** Whole-state counts recorded but not yet drained to the store. */
  private readonly unsaved = new Map<string, Cell>();
  /** Exploration sends not yet recorded, per overall cell. */
  private readonly inFlight = new Map<string, number>();
  private readonly minSamples: number;
  private readonly exploreRate: number;

  constructor(private readonly options: ContinuationOptions) {
    this.minSamples = options.minSamples ?? 40;
    this.exploreRate = options.exploreRate ?? 0.02;
  }

  /**
   * The provider to call next for a lead in `state`, among `candidates` (in the prior order),
   * or null to stop. Lowest expected cost per contactable lead first (for independent chances
   * that order minimizes the expected cost of reaching contactable), judged at the finest
   * level where every candidate has enough samples. A candidate without enough samples even
   * overall is tried first (exploration in prior order); a stop is overruled now and then.
   */
  choose(
    stage: StageName,
    candidates: readonly ContinuationCandidate[],
    state: string,
    maxMarginalMicros: number | null,
  ): string | null {
    if (candidates.length === 0) return null;
    const keys = levelKeys(state);
    const overall = keys.at(-1)!;
    const unknown = candidates.filter((c) => this.tries(stage, c.id, overall) < this.minSamples);
    if (unknown.length > 0) {
      // Exploration, but no more leads than the samples still missing: chunks decided
      // before the first answers come back would otherwise all go to the first unknown.
      const load = (c: ContinuationCandidate) =>
        this.tries(stage, c.id, overall) + (this.inFlight.get(keyOf(stage, c.id, overall)) ?? 0);
      const explore = unknown.find((c) => load(c) < this.minSamples);
      const known = candidates.filter((c) => !unknown.includes(c));
      const pick =
        explore ?? (known.length === 0 ? unknown.reduce((a, b) => (load(b) < load(a) ? b : a)) : null);
      if (pick) {
        const k = keyOf(stage, pick.id, overall);
        this.inFlight.set(k, (this.inFlight.get(k) ?? 0) + 1);
        return pick.id;
      }
      const best = this.choose(stage, known, state, maxMarginalMicros);
      return best ?? unknown.reduce((a, b) => (load(b) < load(a) ? b : a)).id;
    }
    // Now and then, a candidate still short of samples for this very state.
    if (this.options.random() < this.exploreRate) {
      const short = candidates.filter((c) => this.tries(stage, c.id, keys[0]!) < this.minSamples);
      if (short.length > 0) return short[Math.floor(this.options.random() * short.length)]!.id;
    }
    const level = keys.find((k) => candidates.every((c) => this.tries(stage, c.id, k) >= this.minSamples))!;
    let best: { id: string; marginal: number } | null = null;
    for (const c of candidates) {
      const marginal = this.marginalAt(stage, c.id, level, c.cost);
      if (!best || marginal < best.marginal) best = { id: c.id, marginal };
    }
    if (maxMarginalMicros === null || best!.marginal <= maxMarginalMicros) return best!.id;
    // Stop only when the state is clearly over the limit: even one standard error more
    // chance than observed would still cost more (a few tries more or less of a state near
    // the limit must not decide whether its leads are dropped).
    if (
      this.marginalAt(stage, best!.id, level, candidates.find((c) => c.id === best!.id)!.cost, 1) <=
      maxMarginalMicros
    )
      return best!.id;
    return this.options.random() < this.exploreRate ? best!.id : null;
  }

  /** The expected cost of one more contactable lead from `provider` in `state` (finest level with samples), or null. */
  marginalMicros(stage: StageName, provider: string, state: string, cost: ContinuationCost): number | null {
    const level = levelKeys(state).find((k) => this.tries(stage, provider, k) >= this.minSamples);
    return level === undefined ? null : this.marginalAt(stage, provider, level, cost);
  }

  record(stage: StageName, provider: string, state: string, hit: boolean, contactable: boolean): void {
    const sent = keyOf(stage, provider, '*');
    const pending = this.inFlight.get(sent) ?? 0;
    if (pending > 0) this.inFlight.set(sent, pending - 1);
    const one = { tries: 1, hits: hit ? 1 : 0, contactable: contactable ? 1 : 0 };
    this.add(stage, provider, state, one);
    const key = keyOf(stage, provider, state);
    const unsaved = this.unsaved.get(key) ?? { tries: 0, hits: 0, contactable: 0 };
    addTo(unsaved, one);
    this.unsaved.set(key, unsaved);
  }

  /**
   * Replaces what was learned with stored totals (whole states; table auto_stats), keeping
   * the counts recorded here and not yet drained on top of them.
   */
  load(rows: readonly (Omit<ContinuationCell, 'stage'> & { stage: string })[]): void {
    this.cells.clear();
    for (const r of rows) this.add(r.stage as StageName, r.provider, r.state, r);
    for (const [key, cell] of this.unsaved) {
      const [stage, provider, state] = key.split('\u0000') as [StageName, string, string];
      this.add(stage, provider, state, cell);
    }
  }

  /** The whole-state counts recorded since the last drain (to add to the stored totals). */
  drain(): ContinuationCell[] {
    const out = [...this.unsaved].map(([key, cell]) => {
      const [stage, provider, state] = key.split('\u0000') as [StageName, string, string];
      return { stage, provider, state, ...cell };
    });
    this.unsaved.clear();
    return out;
  }

  private add(stage: StageName, provider: string, state: string, counts: Cell): void {
    for (const level of levelKeys(state)) {
      const key = keyOf(stage, provider, level);
      const cell = this.cells.get(key) ?? { tries: 0, hits: 0, contactable: 0 };
      addTo(cell, counts);
      this.cells.set(key, cell);
    }
  }

  /** Every whole-state cell (`gap|history`; for reports and tuning). */
  snapshot(): ContinuationCell[] {
    return [...this.cells]
      .map(([key, cell]) => {
        const [stage, provider, state] = key.split('\u0000') as [StageName, string, string];
        return { stage, provider, state, ...cell };
      })
      .filter((c) => c.state.includes('|'));
  }

  private tries(stage: StageName, provider: string, level: string): number {
    return this.cells.get(keyOf(stage, provider, level))?.tries ?? 0;
  }

  /** Expected cost / chance of contactable; `errors` standard errors added to the chance. */
  private marginalAt(
    stage: StageName,
    provider: string,
    level: string,
    cost: ContinuationCost,
    errors = 0,
  ): number {
    const cell = this.cells.get(keyOf(stage, provider, level))!;
    const hitRate = cell.hits / cell.tries;
    const expected = cost.perCallMicros + cost.perItemMicros + cost.perHitMicros * hitRate;
    // Half a success of prior: a state never seen to succeed is very unlikely, not impossible.
    const n = cell.tries + 1;
    const p = (cell.contactable + 0.5) / n;
    return expected / (p + errors * Math.sqrt((p * (1 - p)) / n));
  }
}

function addTo(cell: Cell, counts: Cell): void {
  cell.tries += counts.tries;
  cell.hits += counts.hits;
  cell.contactable += counts.contactable;
}

/** `gap|history` → [whole state, gap, overall]. */
function levelKeys(state: string): string[] {
  const bar = state.indexOf('|');
  return bar < 0 ? [state, '*'] : [state, state.slice(0, bar), '*'];
}

function keyOf(stage: StageName, provider: string, level: string): string {
  return `${stage}\u0000${provider}\u0000${level}`;
}
