/**
 * A per-provider circuit breaker (seed 002, Epic C): closed → open → half_open.
 *
 * - closed: every call goes out; its outcome lands in a sliding window of the last
 *   `minSamples` outcomes. Once the window is full and failures / window ≥ `errorRate`,
 *   the breaker opens. A half-full window never trips: five failures out of the first
 *   six calls after a deploy are not yet evidence of an outage.
 * - open: `acquire()` throws CircuitOpen without calling the vendor (fail fast, nothing
 *   billed, the run keeps the item queued). The window is frozen at the figures that tripped it.
 * - half_open: `probeIntervalMs` after opening (or after the last failed probe) exactly
 *   one probe call is admitted; every other acquirer still gets CircuitOpen. The probe's
 *   success closes the breaker with an empty window; its failure re-opens it and the next
 *   probe is one full interval after that failure, so probes go out at most once per interval.
 *
 * Time comes from the injected clock only; there are no timers, so the half_open
 * transition is noticed lazily (by acquire, state, snapshot or a record call) and
 * reported with the instant it took effect.
 *
 * This is the embedded, in-process breaker; breaker state shared across machines
 * (DESIGN.md, Work distribution) can implement the same methods over Redis/PostgreSQL.
 */
import type { Clock } from '../domain/clock.js';
import { ProviderError } from '../providers/errors.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One transition, as fed to logs, metrics and the `breaker:*` lifecycle events. */
export interface BreakerStateChange {
  provider: string;
  from: BreakerState;
  to: BreakerState;
  /**
   * Epoch ms at which the transition took effect. For open → half_open that is the probe
   * time (openedAt + probeIntervalMs), which can be earlier than the moment it is reported.
   */
  at: number;
  /** failures / samples of the window at the transition, before a close empties it (0 when empty). */
  errorRate: number;
  /** Outcomes in the window at the transition, before a close empties it. */
  samples: number;
}

export interface CircuitBreakerOptions {
  /** Provider id, carried by CircuitOpen and every state change. */
  provider: string;
  /** Failure share of a full window that opens the breaker, in (0, 1] (CIRCUIT_BREAKER_ERROR_RATE, 0.30). */
  errorRate: number;
  /** Window size N, and the fewest outcomes needed before it may open (CIRCUIT_MIN_SAMPLES, 30). */
  minSamples: number;
  /** Time between probes while the vendor stays down. Default 60 000 (seed 002: 1 probe/60 s). */
  probeIntervalMs?: number;
  clock: Clock;
  /** Called synchronously on every transition; must not throw. */
  onStateChange?: (change: BreakerStateChange) => void;
}

export interface BreakerSnapshot {
  state: BreakerState;
  /** Outcomes in the window (at most minSamples). */
  samples: number;
  /** Failures among them. */
  failures: number;
  /** failures / samples, 0 when the window is empty. */
  errorRate: number;
  /** Epoch ms the breaker last opened (a failed probe re-opens it); null while closed. */
  openedAt: number | null;
  /** Epoch ms the next probe is (or was) admitted; null while closed. */
  nextProbeAt: number | null;
  /** Transitions since construction, for metrics. */
  stateChanges: number;
}

/** Thrown by `acquire()` while the breaker refuses calls (seed 002: `503 CircuitOpen`). */
export class CircuitOpen extends Error {
  override readonly name = 'CircuitOpen';
  readonly code = 'circuit_open';
  constructor(
    readonly provider: string,
    /** Ms until the breaker may admit a call again (the next probe); always ≥ 1. */
    readonly retryAfterMs: number,
  ) {
    super(`circuit open for ${provider}: next probe in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

export const DEFAULT_PROBE_INTERVAL_MS = 60_000;

export class CircuitBreaker {
  readonly provider: string;
  private readonly errorRateThreshold: number;
  private readonly windowSize: number;
  private readonly probeIntervalMs: number;
  private readonly clock: Clock;
  private readonly onStateChange: ((change: BreakerStateChange) => void) | undefined;

  private current: BreakerState = 'closed';
  /** Ring buffer of outcomes, 1 = failure. */
  private readonly window: Uint8Array;
  private next = 0;
  private samples = 0;
  private failures = 0;
  private openedAt: number | null = null;
  private nextProbeAt: number | null = null;
  /** When the in-flight probe was admitted; null when none is out. */
  private probeStartedAt: number | null = null;
  private changes = 0;

  constructor(options: CircuitBreakerOptions) {
    const probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    if (!(options.errorRate > 0 && options.errorRate <= 1)) {
      // 0 would open on a window of pure successes.
      throw new RangeError(`errorRate must be in (0, 1], got ${options.errorRate}`);
    }
    if (!Number.isInteger(options.minSamples) || options.minSamples < 1) {
      throw new RangeError(`minSamples must be an integer >= 1, got ${options.minSamples}`);
    }
    if (!(probeIntervalMs > 0) || !Number.isFinite(probeIntervalMs)) {
      throw new RangeError(`probeIntervalMs must be a positive number, got ${probeIntervalMs}`);
    }
    this.provider = options.provider;
    this.errorRateThreshold = options.errorRate;
    this.windowSize = options.minSamples;
    this.probeIntervalMs = probeIntervalMs;
    this.clock = options.clock;
    this.onStateChange = options.onStateChange;
    this.window = new Uint8Array(options.minSamples);
  }

  get state(): BreakerState {
    this.advance();
    return this.current;
  }

  /** Transitions since construction, for metrics. */
  get stateChanges(): number {
    return this.changes;
  }

  /**
   * Call right before each vendor call; throws CircuitOpen when the call must not go out.
   * Every admitted call must be followed by exactly one recordSuccess or recordFailure.
   */
  acquire(): void {
    this.advance();
    if (this.current === 'closed') return;
    const now = this.clock.now();
    if (this.current === 'open') {
      throw new CircuitOpen(this.provider, Math.max(1, this.nextProbeAt! - now));
    }
    // half_open
    if (this.probeStartedAt === null) {
      this.probeStartedAt = now;
      return;
    }
    // A probe whose outcome never arrives (a caller that crashed between acquire and record)
    // would leave the breaker half_open for ever; after one interval it counts as lost and
    // the next acquirer becomes the probe, which keeps the one-per-interval cadence.
    const lostAt = this.probeStartedAt + this.probeIntervalMs;
    if (now >= lostAt) {
      this.probeStartedAt = now;
      return;
    }
    // Unknown until the probe reports: a success lets everyone through sooner, a failure
    // pushes the next probe to a full interval after it. The lost-probe deadline is the
    // earliest time this breaker admits another call on its own.
    throw new CircuitOpen(this.provider, lostAt - now);
  }

  /**
   * The vendor answered as the contract says (a 200 with a known shape, a no-match
   * included, or a caller-side error; see isBreakerFailure).
   */
  recordSuccess(): void {
    this.record(false);
  }

  /** The call failed in a way that isBreakerFailure counts. */
  recordFailure(): void {
    this.record(true);
  }

  snapshot(): BreakerSnapshot {
    this.advance();
    return {
      state: this.current,
      samples: this.samples,
      failures: this.failures,
      errorRate: this.rate(),
      openedAt: this.openedAt,
      nextProbeAt: this.nextProbeAt,
      stateChanges: this.changes,
    };
  }

  private record(failed: boolean): void {
    this.advance();
    const now = this.clock.now();
    switch (this.current) {
      case 'closed':
        this.push(failed);
        if (this.samples >= this.windowSize && this.rate() >= this.errorRateThreshold) this.open(now);
        return;
      case 'open':
        // The outcome of a call admitted before the breaker opened: the breaker has
        // already decided, and a late success must not close it without a probe.
        return;
      case 'half_open':
        // Invariant: the first outcome reported in half_open is the probe's. Calls admitted
        // while closed report long before the first probe in practice (the adapter's
        // 30 s timeout is shorter than the 60 s interval); a shorter interval than the
        // provider timeout weakens this.
        if (this.probeStartedAt === null) return; // no probe out: a straggler, ignored
        this.probeStartedAt = null;
        if (failed) {
          this.open(now);
        } else {
          this.transition('closed', now);
          this.resetWindow();
          this.openedAt = null;
          this.nextProbeAt = null;
        }
        return;
    }
  }

  /** Applies the time-driven transition open → half_open once the probe time has come. */
  private advance(): void {
    if (this.current === 'open' && this.clock.now() >= this.nextProbeAt!) {
      this.transition('half_open', this.nextProbeAt!);
    }
  }

  private open(now: number): void {
    this.openedAt = now;
    this.nextProbeAt = now + this.probeIntervalMs;
    this.probeStartedAt = null;
    this.transition('open', now);
  }

  private transition(to: BreakerState, at: number): void {
    const from = this.current;
    this.current = to;
    this.changes += 1;
    this.onStateChange?.({
      provider: this.provider,
      from,
      to,
      at,
      errorRate: this.rate(),
      samples: this.samples,
    });
  }

  private push(failed: boolean): void {
    if (this.samples === this.windowSize) this.failures -= this.window[this.next]!;
    else this.samples += 1;
    this.window[this.next] = failed ? 1 : 0;
    if (failed) this.failures += 1;
    this.next = (this.next + 1) % this.windowSize;
  }

  private resetWindow(): void {
    this.window.fill(0);
    this.next = 0;
    this.samples = 0;
    this.failures = 0;
  }

  private rate(): number {
    return this.samples === 0 ? 0 : this.failures / this.samples;
  }
}

/**
 * Whether an outcome says the vendor itself is unhealthy, i.e. counts toward opening the
 * breaker. Anything else is recorded as a success (the vendor answered as specified).
 *
 * - `network`, `timeout`: the vendor is unreachable or too slow — the outage the
 *   breaker exists for.
 * - `server_error` (5xx, and per-item vendor errors): the vendor is failing.
 * - `unrecognized_response` (malformed JSON, schema drift): seed 002, Risk & Mitigation
 *   "fail closed, trip circuit" — a vendor that changed its shape keeps billing for answers we
 *   cannot read, so stop calling until a parser hotfix ships.
 * - `rate_limited` → false: a 429 is throttling, not ill health; the rate limiter obeys
 *   Retry-After. Counting it would open the breaker during every 429 storm and double the pause.
 * - `invalid_request` (400/404/422) → false: our input was wrong; the vendor is fine.
 * - `auth` (401/403), `quota_exhausted` (402) → false: account problems; the run stops
 *   on them itself, and probing a vendor with a dead key every minute would fix nothing.
 * - A no-match is not an error at all: a correct answer, recorded as a success.
 * - Anything that is not a ProviderError (our own bug, the caller's abort, BudgetPause,
 *   CircuitOpen) → false: it says nothing about the vendor's health.
 */
export function isBreakerFailure(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  switch (error.code) {
    case 'network':
    case 'timeout':
    case 'server_error':
    case 'unrecognized_response':
      return true;
    case 'rate_limited':
    case 'invalid_request':
    case 'auth':
    case 'quota_exhausted':
      return false;
  }
}
