import { describe, expect, it } from 'vitest';
import { BudgetPause } from '../../src/guards/budget.js';
import { CircuitOpen } from '../../src/guards/circuit-breaker.js';
import { backoffMs, decideRetry } from '../../src/guards/retry.js';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/errors.js';

const fixed = (value: number) => () => value;
const noJitter = { random: fixed(0.5) };

function providerError(code: ProviderErrorCode, retryAfterMs?: number): ProviderError {
  return new ProviderError(code, `sandbox ${code}`, {
    provider: 'batchdata',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

describe('backoffMs', () => {
  it('doubles from 2 s: 2, 4, 8, 16 s with random fixed at 0.5 (no jitter)', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, noJitter))).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it('spreads ±20% by default: random 0 → −20%, random 1 → +20%', () => {
    expect([1, 2, 3].map((a) => backoffMs(a, { random: fixed(0) }))).toEqual([1_600, 3_200, 6_400]);
    expect([1, 2, 3].map((a) => backoffMs(a, { random: fixed(1) }))).toEqual([2_400, 4_800, 9_600]);
    expect(backoffMs(3, { random: fixed(0.75) })).toBe(8_800);
  });

  it('stays within the bounds for any draw of Math.random', () => {
    for (let i = 0; i < 1_000; i++) {
      const ms = backoffMs(3);
      expect(ms).toBeGreaterThanOrEqual(6_400);
      expect(ms).toBeLessThanOrEqual(9_600);
    }
  });

  it('takes a base delay and a jitter', () => {
    expect(backoffMs(3, { baseDelayMs: 100, jitter: 0, random: fixed(0) })).toBe(400);
    expect(backoffMs(2, { baseDelayMs: 1_000, jitter: 0.5, random: fixed(1) })).toBe(3_000);
    expect(backoffMs(1, { baseDelayMs: 0, random: fixed(1) })).toBe(0);
  });

  it('rejects nonsense', () => {
    expect(() => backoffMs(0)).toThrow(RangeError);
    expect(() => backoffMs(1.5)).toThrow(RangeError);
    expect(() => backoffMs(1, { jitter: 1.5 })).toThrow(RangeError);
    expect(() => backoffMs(1, { baseDelayMs: -1 })).toThrow(RangeError);
  });
});

describe('decideRetry — transient failures', () => {
  const transient: ProviderErrorCode[] = [
    'network',
    'timeout',
    'server_error',
    'rate_limited',
    'unrecognized_response',
  ];

  it.each(transient)('%s: retries after 2 s, then 4 s, then gives up after 3 attempts', (code) => {
    const err = providerError(code);
    expect(decideRetry(err, 1, noJitter)).toEqual({ retry: true, reason: code, waitMs: 2_000, attempt: 1 });
    expect(decideRetry(err, 2, noJitter)).toEqual({ retry: true, reason: code, waitMs: 4_000, attempt: 2 });
    expect(decideRetry(err, 3, noJitter)).toEqual({ retry: false, reason: 'exhausted', attempt: 3 });
    expect(decideRetry(err, 4, noJitter)).toEqual({ retry: false, reason: 'exhausted', attempt: 4 });
  });

  it('waits 8 s after the third attempt when more are allowed', () => {
    const err = providerError('server_error');
    const opts = { ...noJitter, maxAttempts: 4 };
    expect([1, 2, 3].map((a) => decideRetry(err, a, opts))).toEqual([
      { retry: true, reason: 'server_error', waitMs: 2_000, attempt: 1 },
      { retry: true, reason: 'server_error', waitMs: 4_000, attempt: 2 },
      { retry: true, reason: 'server_error', waitMs: 8_000, attempt: 3 },
    ]);
    expect(decideRetry(err, 4, opts)).toEqual({ retry: false, reason: 'exhausted', attempt: 4 });
  });

  it('applies the jitter bounds', () => {
    const err = providerError('timeout');
    expect(decideRetry(err, 2, { random: fixed(0) })).toMatchObject({ retry: true, waitMs: 3_200 });
    expect(decideRetry(err, 2, { random: fixed(1) })).toMatchObject({ retry: true, waitMs: 4_800 });
  });

  it('maxAttempts 1 never retries', () => {
    expect(decideRetry(providerError('network'), 1, { maxAttempts: 1 })).toEqual({
      retry: false,
      reason: 'exhausted',
      attempt: 1,
    });
  });
});

describe('decideRetry — Retry-After on a 429', () => {
  it('wins when it is longer than the backoff', () => {
    expect(decideRetry(providerError('rate_limited', 30_000), 1, noJitter)).toEqual({
      retry: true,
      reason: 'rate_limited',
      waitMs: 30_000,
      attempt: 1,
    });
    // Longer than the +20% bound too.
    expect(decideRetry(providerError('rate_limited', 2_401), 1, { random: fixed(1) })).toMatchObject({
      waitMs: 2_401,
    });
  });

  it('loses to a longer backoff', () => {
    expect(decideRetry(providerError('rate_limited', 1_000), 1, noJitter)).toMatchObject({ waitMs: 2_000 });
    expect(decideRetry(providerError('rate_limited', 3_999), 2, noJitter)).toMatchObject({ waitMs: 4_000 });
    expect(decideRetry(providerError('rate_limited', 0), 1, noJitter)).toMatchObject({ waitMs: 2_000 });
  });

  it('does not lift the attempt cap', () => {
    expect(decideRetry(providerError('rate_limited', 30_000), 3, noJitter)).toEqual({
      retry: false,
      reason: 'exhausted',
      attempt: 3,
    });
  });

  it('is read from 429s only', () => {
    expect(decideRetry(providerError('server_error', 30_000), 1, noJitter)).toMatchObject({ waitMs: 2_000 });
  });
});

describe('decideRetry — no retry', () => {
  it.each([
    ['invalid_request', 'permanent'],
    ['auth', 'auth'],
    ['quota_exhausted', 'quota_exhausted'],
  ] as const)('%s → %s at once', (code, reason) => {
    expect(decideRetry(providerError(code), 1, noJitter)).toEqual({ retry: false, reason, attempt: 1 });
    expect(decideRetry(providerError(code), 3, noJitter)).toEqual({ retry: false, reason, attempt: 3 });
  });

  it('CircuitOpen → circuit_open, whatever the attempt count', () => {
    const err = new CircuitOpen('batchdata', 42_000);
    expect(decideRetry(err, 1)).toEqual({ retry: false, reason: 'circuit_open', attempt: 1 });
    expect(decideRetry(err, 5)).toEqual({ retry: false, reason: 'circuit_open', attempt: 5 });
  });

  it('BudgetPause → budget, whatever the attempt count', () => {
    const err = new BudgetPause('daily_budget', 3_600);
    expect(decideRetry(err, 1)).toEqual({ retry: false, reason: 'budget', attempt: 1 });
    expect(decideRetry(err, 5)).toEqual({ retry: false, reason: 'budget', attempt: 5 });
  });

  it('anything that is not a ProviderError is permanent (a bug is not retried into a bill)', () => {
    for (const err of [
      new TypeError("Cannot read properties of undefined (reading 'persons')"),
      new Error('boom'),
      new DOMException('aborted', 'AbortError'),
      'a string',
      undefined,
      { code: 'network' },
    ]) {
      expect(decideRetry(err, 1, noJitter)).toEqual({ retry: false, reason: 'permanent', attempt: 1 });
    }
  });

  it('rejects an attempt count below 1', () => {
    expect(() => decideRetry(providerError('network'), 0)).toThrow(RangeError);
    expect(() => decideRetry(providerError('network'), 1, { maxAttempts: 0 })).toThrow(RangeError);
  });
});

describe('decideRetry — every error code', () => {
  it('maps each ProviderErrorCode on a first attempt', () => {
    const codes: ProviderErrorCode[] = [
      'network',
      'timeout',
      'rate_limited',
      'server_error',
      'auth',
      'invalid_request',
      'quota_exhausted',
      'unrecognized_response',
    ];
    const table = Object.fromEntries(
      codes.map((code) => {
        const d = decideRetry(providerError(code), 1, noJitter);
        return [code, d.retry ? `retry:${d.reason}:${d.waitMs}` : `stop:${d.reason}`];
      }),
    );
    expect(table).toEqual({
      network: 'retry:network:2000',
      timeout: 'retry:timeout:2000',
      rate_limited: 'retry:rate_limited:2000',
      server_error: 'retry:server_error:2000',
      auth: 'stop:auth',
      invalid_request: 'stop:permanent',
      quota_exhausted: 'stop:quota_exhausted',
      unrecognized_response: 'retry:unrecognized_response:2000',
    });
  });
});
