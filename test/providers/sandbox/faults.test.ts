import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/providers/sandbox/faults.js';
import { resolveSandboxOptions, type SandboxOptions } from '../../../src/providers/sandbox/options.js';

const injector = (o: SandboxOptions) => new FaultInjector(resolveSandboxOptions(o));
const kinds = (f: FaultInjector, n: number) => Array.from({ length: n }, () => f.next().kind);

describe('FaultInjector', () => {
  it('no faults by default', () => {
    expect(new Set(kinds(injector({}), 500))).toEqual(new Set(['none']));
  });

  it('is deterministic per seed and restarts on reset', () => {
    const o = { seed: 5, errorRate: 0.3, driftRate: 0.2 };
    const a = injector(o);
    const first = kinds(a, 50);
    expect(kinds(injector(o), 50)).toEqual(first);
    a.reset(resolveSandboxOptions(o));
    expect(kinds(a, 50)).toEqual(first);
  });

  it('rates are independent streams: adding drift does not move the 500s', () => {
    const errorsAlone = kinds(injector({ seed: 5, errorRate: 0.3 }), 200).map((k) => k === 'server_error');
    const withDrift = kinds(injector({ seed: 5, errorRate: 0.3, driftRate: 0.5 }), 200).map(
      (k) => k === 'server_error',
    );
    expect(withDrift).toEqual(errorsAlone);
    expect(errorsAlone.filter(Boolean).length).toBeGreaterThan(40);
  });

  it('burst5xx: requests N..N+length-1, 2N.., … answer 503', () => {
    const f = injector({ burst5xx: { everyNth: 4, length: 2 } });
    const failing = Array.from({ length: 12 }, (_, i) =>
      f.next().kind === 'server_error' ? i + 1 : 0,
    ).filter(Boolean);
    expect(failing).toEqual([4, 5, 8, 9, 12]);
  });

  it('rateLimit429 afterRequests: fixed windows on the injected clock, Retry-After = seconds left', () => {
    let now = 1_000_000;
    const f = injector({ now: () => now, rateLimit429: { afterRequests: 2, windowMs: 10_000 } });
    expect([f.next(), f.next()]).toEqual([{ kind: 'none' }, { kind: 'none' }]);
    now += 2_500;
    expect(f.next()).toEqual({ kind: 'rate_limited', retryAfterHeader: '8' });
    now += 7_500; // the next window
    expect(f.next()).toEqual({ kind: 'none' });
  });

  it('precedence: timeout, then 429, then 5xx, then body faults', () => {
    expect(injector({ timeoutRate: 1, errorRate: 1 }).next().kind).toBe('timeout');
    expect(injector({ rateLimit429: { probability: 1 }, errorRate: 1 }).next()).toEqual({
      kind: 'rate_limited',
      retryAfterHeader: '1',
    });
    expect(injector({ errorRate: 1, driftRate: 1 }).next()).toEqual({ kind: 'server_error', status: 500 });
    expect(injector({ malformedJsonRate: 1, driftRate: 1 }).next().kind).toBe('malformed_json');
    expect(injector({ driftRate: 1, bodyErrorRate: 1 }).next().kind).toBe('drift');
    expect(injector({ bodyErrorRate: 1 }).next().kind).toBe('body_error');
  });

  it('Retry-After as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 5, 12, 0, 0);
    const f = injector({
      now: () => now,
      rateLimit429: { probability: 1, retryAfterS: 30, retryAfterFormat: 'http-date' },
    });
    expect(f.next()).toEqual({ kind: 'rate_limited', retryAfterHeader: 'Mon, 05 Jan 2026 12:00:30 GMT' });
  });

  it('latency: 0 by default, else latencyMs ± 20%, deterministic', () => {
    expect(injector({}).nextDelayMs()).toBe(0);
    const delays = Array.from(
      { length: 200 },
      (() => {
        const f = injector({ latencyMs: 100 });
        return () => f.nextDelayMs();
      })(),
    );
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...delays)).toBeLessThanOrEqual(120);
    expect(new Set(delays).size).toBeGreaterThan(20);
    const again = injector({ latencyMs: 100 });
    expect(Array.from({ length: 200 }, () => again.nextDelayMs())).toEqual(delays);
  });
});
