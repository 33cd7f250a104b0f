import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  CircuitOpen,
  isBreakerFailure,
  type BreakerStateChange,
} from '../../src/guards/circuit-breaker.js';
import { BudgetPause } from '../../src/guards/budget.js';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/errors.js';
import { ManualClock } from '../helpers/clock.js';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');

function setup(opts: { errorRate?: number; minSamples?: number; probeIntervalMs?: number } = {}) {
  const clock = new ManualClock(T0);
  const changes: BreakerStateChange[] = [];
  const breaker = new CircuitBreaker({
    provider: 'batchdata',
    errorRate: opts.errorRate ?? 0.5,
    minSamples: opts.minSamples ?? 20,
    probeIntervalMs: opts.probeIntervalMs,
    clock,
    onStateChange: (e) => changes.push(e),
  });
  return { clock, breaker, changes };
}

/** Runs `n` admitted calls with the given outcome. */
function calls(breaker: CircuitBreaker, n: number, failed: boolean): void {
  for (let i = 0; i < n; i++) {
    breaker.acquire();
    if (failed) breaker.recordFailure();
    else breaker.recordSuccess();
  }
}

function catchOpen(breaker: CircuitBreaker): CircuitOpen {
  try {
    breaker.acquire();
  } catch (err) {
    if (err instanceof CircuitOpen) return err;
    throw err;
  }
  throw new Error('expected CircuitOpen, the call was admitted');
}

describe('CircuitBreaker — seed 002 acceptance (minSamples 20, errorRate 0.5)', () => {
  it('opens at 10 failures of 20, fails fast, probes once per 60 s, closes on success', () => {
    const { clock, breaker, changes } = setup();

    // 10 successes then 9 failures: 19 samples, not yet a full window.
    calls(breaker, 10, false);
    calls(breaker, 9, true);
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot()).toMatchObject({ samples: 19, failures: 9, state: 'closed' });

    // The 20th outcome, the 10th failure: 10/20 = 0.5 >= 0.5.
    clock.advance(1_000);
    breaker.acquire();
    breaker.recordFailure();
    const openedAt = T0 + 1_000;
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      samples: 20,
      failures: 10,
      errorRate: 0.5,
      openedAt,
      nextProbeAt: openedAt + 60_000,
      stateChanges: 1,
    });

    // While open: every acquire throws, with the time left until the probe.
    expect(catchOpen(breaker).retryAfterMs).toBe(60_000);
    clock.advance(30_000);
    const open = catchOpen(breaker);
    expect(open).toBeInstanceOf(Error);
    expect(open.provider).toBe('batchdata');
    expect(open.retryAfterMs).toBe(30_000);
    expect(open.name).toBe('CircuitOpen');

    // 59 s after opening: still open.
    clock.set(openedAt + 59_000);
    expect(catchOpen(breaker).retryAfterMs).toBe(1_000);
    expect(breaker.state).toBe('open');

    // 60 s: half_open, exactly one probe admitted; a concurrent acquirer is refused.
    clock.set(openedAt + 60_000);
    expect(breaker.state).toBe('half_open');
    expect(() => breaker.acquire()).not.toThrow();
    const refused = catchOpen(breaker);
    expect(refused.retryAfterMs).toBe(60_000);
    clock.advance(2_000);
    expect(catchOpen(breaker).retryAfterMs).toBe(58_000);

    // The probe fails 2 s after it went out: open again, next probe 60 s after the failure.
    breaker.recordFailure();
    const reopenedAt = openedAt + 62_000;
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toMatchObject({ openedAt: reopenedAt, nextProbeAt: reopenedAt + 60_000 });
    expect(catchOpen(breaker).retryAfterMs).toBe(60_000);
    clock.set(reopenedAt + 59_999);
    expect(catchOpen(breaker).retryAfterMs).toBe(1);

    // Second probe at +60 s succeeds: closed with an empty window, calls flow again.
    clock.set(reopenedAt + 60_000);
    breaker.acquire();
    expect(catchOpen(breaker).retryAfterMs).toBe(60_000);
    clock.advance(500);
    breaker.recordSuccess();
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      samples: 0,
      failures: 0,
      errorRate: 0,
      openedAt: null,
      nextProbeAt: null,
      stateChanges: 5,
    });
    calls(breaker, 3, false);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', samples: 3, failures: 0 });

    expect(changes).toEqual([
      { provider: 'batchdata', from: 'closed', to: 'open', at: openedAt, errorRate: 0.5, samples: 20 },
      {
        provider: 'batchdata',
        from: 'open',
        to: 'half_open',
        at: openedAt + 60_000,
        errorRate: 0.5,
        samples: 20,
      },
      { provider: 'batchdata', from: 'half_open', to: 'open', at: reopenedAt, errorRate: 0.5, samples: 20 },
      {
        provider: 'batchdata',
        from: 'open',
        to: 'half_open',
        at: reopenedAt + 60_000,
        errorRate: 0.5,
        samples: 20,
      },
      {
        provider: 'batchdata',
        from: 'half_open',
        to: 'closed',
        at: reopenedAt + 60_500,
        errorRate: 0.5,
        samples: 20,
      },
    ]);
    expect(breaker.stateChanges).toBe(5);
  });

  it('admits exactly one call per 60 s while the vendor stays down (10 minutes)', () => {
    const { clock, breaker } = setup();
    calls(breaker, 20, true);
    const openedAt = clock.now();
    const admitted: number[] = [];
    // 20 acquirers poll every second for ten minutes; every admitted call fails.
    for (let s = 1; s <= 600; s++) {
      clock.set(openedAt + s * 1_000);
      for (let i = 0; i < 20; i++) {
        try {
          breaker.acquire();
          admitted.push(s);
          breaker.recordFailure();
        } catch (err) {
          expect(err).toBeInstanceOf(CircuitOpen);
        }
      }
    }
    expect(admitted).toEqual([60, 120, 180, 240, 300, 360, 420, 480, 540, 600]);
  });
});

describe('CircuitBreaker — window', () => {
  it('never opens before minSamples outcomes, however many fail', () => {
    const { breaker, changes } = setup({ minSamples: 30, errorRate: 0.3 });
    calls(breaker, 29, true);
    expect(breaker.state).toBe('closed');
    calls(breaker, 1, true);
    expect(breaker.state).toBe('open');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ errorRate: 1, samples: 30 });
  });

  it('slides over the last N outcomes: old failures age out', () => {
    const { breaker } = setup({ minSamples: 10, errorRate: 0.3 });
    calls(breaker, 2, true); // F F
    calls(breaker, 8, false); // window F F S S S S S S S S: 2/10
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', samples: 10, failures: 2, errorRate: 0.2 });
    calls(breaker, 2, false); // both failures age out
    expect(breaker.snapshot()).toMatchObject({ samples: 10, failures: 0 });
    calls(breaker, 2, true); // 2/10
    expect(breaker.state).toBe('closed');
    calls(breaker, 1, true); // 3/10 = 0.3 >= 0.3
    expect(breaker.snapshot()).toMatchObject({ state: 'open', samples: 10, failures: 3, errorRate: 0.3 });
  });

  it('stays closed just under the threshold', () => {
    const { breaker } = setup({ minSamples: 30, errorRate: 0.3 });
    // Period 30 with 8 failures: every 30 consecutive outcomes hold exactly 8 (0.267 < 0.3).
    for (let k = 0; k < 150; k++) calls(breaker, 1, k % 30 < 8);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', samples: 30, failures: 8 });
    calls(breaker, 8, true); // k = 150..157 follow the pattern: each failure replaces one
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', failures: 8 });
    calls(breaker, 1, true); // k = 158 should succeed: 9/30 = 0.3
    expect(breaker.snapshot()).toMatchObject({ state: 'open', samples: 30, failures: 9 });
  });

  it('ignores outcomes of calls admitted before it opened', () => {
    const { clock, breaker, changes } = setup({ minSamples: 4, errorRate: 0.5 });
    breaker.acquire();
    breaker.acquire(); // two calls in flight
    calls(breaker, 2, true);
    calls(breaker, 2, false); // 2/4 → open
    expect(breaker.state).toBe('open');
    breaker.recordSuccess(); // the stragglers report
    breaker.recordSuccess();
    expect(breaker.state).toBe('open');
    expect(changes).toHaveLength(1);
    clock.advance(60_000);
    // In half_open with no probe out, a straggler does not decide anything either.
    breaker.recordSuccess();
    expect(breaker.state).toBe('half_open');
    expect(changes.map((c) => c.to)).toEqual(['open', 'half_open']);
  });

  it('admits a new probe when the previous one never reported within an interval', () => {
    const { clock, breaker } = setup({ minSamples: 2, errorRate: 0.5, probeIntervalMs: 10_000 });
    calls(breaker, 2, true);
    clock.advance(10_000);
    breaker.acquire(); // the probe, never reported
    clock.advance(9_999);
    expect(catchOpen(breaker).retryAfterMs).toBe(1);
    clock.advance(1);
    expect(() => breaker.acquire()).not.toThrow();
    expect(catchOpen(breaker).retryAfterMs).toBe(10_000);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('uses a 60 s probe interval by default', () => {
    const clock = new ManualClock(T0);
    const breaker = new CircuitBreaker({ provider: 'p', errorRate: 0.3, minSamples: 1, clock });
    calls(breaker, 1, true);
    expect(breaker.snapshot().nextProbeAt).toBe(T0 + 60_000);
    expect(catchOpen(breaker).retryAfterMs).toBe(60_000);
  });

  it('rejects options that make no sense', () => {
    const clock = new ManualClock(T0);
    const make = (o: { errorRate?: number; minSamples?: number; probeIntervalMs?: number }) => () =>
      new CircuitBreaker({ provider: 'p', errorRate: 0.3, minSamples: 30, clock, ...o });
    expect(make({ errorRate: 0 })).toThrow(RangeError);
    expect(make({ errorRate: 1.1 })).toThrow(RangeError);
    expect(make({ minSamples: 0 })).toThrow(RangeError);
    expect(make({ minSamples: 2.5 })).toThrow(RangeError);
    expect(make({ probeIntervalMs: 0 })).toThrow(RangeError);
    expect(make({ errorRate: 1, minSamples: 1, probeIntervalMs: 1 })).not.toThrow();
  });
});

describe('isBreakerFailure', () => {
  const cases: [ProviderErrorCode, boolean][] = [
    ['network', true],
    ['timeout', true],
    ['server_error', true],
    ['unrecognized_response', true],
    ['rate_limited', false],
    ['invalid_request', false],
    ['auth', false],
    ['quota_exhausted', false],
  ];
  it.each(cases)('%s → %s', (code, expected) => {
    expect(isBreakerFailure(new ProviderError(code, code, { provider: 'batchdata' }))).toBe(expected);
  });

  it('does not count errors that say nothing about the vendor', () => {
    expect(isBreakerFailure(new Error('bug'))).toBe(false);
    expect(isBreakerFailure(new CircuitOpen('batchdata', 1_000))).toBe(false);
    expect(isBreakerFailure(new BudgetPause('daily_budget', 60))).toBe(false);
    expect(isBreakerFailure(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isBreakerFailure(undefined)).toBe(false);
    expect(isBreakerFailure('server_error')).toBe(false);
  });
});
