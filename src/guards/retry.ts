/**
 * Retry decisions as values (Nango's retry.ts style): the caller asks "this attempt
 * failed with X — again, and when?" and gets `{retry, reason, waitMs?, attempt}` back,
 * with a machine-readable reason for logs, metrics and the DLQ. Nothing here sleeps,
 * reads the clock or calls a vendor; randomness is injected so tests are exact.
 *
 * Every retry is a real, possibly billed vendor call, so the list of transient causes is
 * short and the attempt cap is hard (seed 002, Risk & Mitigation: "credit burn via retries").
 */
import { ProviderError } from '../providers/errors.js';
import { BudgetPause } from './budget.js';
import { CircuitOpen } from './circuit-breaker.js';

/** Causes worth another attempt: the same request may well succeed later. */
export type RetryReason = 'network' | 'timeout' | 'server_error' | 'rate_limited' | 'unrecognized_response';

/** Causes that end retrying for now; the caller decides what happens to the item. */
export type NoRetryReason =
  /** The input or our code is at fault (400/404/422, or an unknown error): fail the item. */
  | 'permanent'
  /** 401/403: the key is wrong; stop the run rather than fail every lead the same way. */
  | 'auth'
  /** 402 or the vendor's balance/quota is gone: stop the run. */
  | 'quota_exhausted'
  /** A transient failure on the last allowed attempt: fail the item / send it to the DLQ. */
  | 'exhausted'
  /** No call was made; keep the item queued until the breaker admits calls again. */
  | 'circuit_open'
  /** No call was made; keep the item queued, the run soft-pauses (BudgetPause). */
  | 'budget';

export type RetryDecision =
  | {
      retry: true;
      reason: RetryReason;
      /** Ms to wait before the next attempt: backoff ± jitter, or a larger Retry-After. */
      waitMs: number;
      /** The attempt that just failed (1-based), i.e. `attemptsMade`. */
      attempt: number;
    }
  | {
      retry: false;
      reason: NoRetryReason;
      /** The attempt that just failed (1-based), i.e. `attemptsMade`. */
      attempt: number;
    };

export interface BackoffOptions {
  /** Delay after the first failed attempt; doubles per attempt. Default 2000. */
  baseDelayMs?: number;
  /** Relative spread in [0, 1]: 0.2 makes the delay uniform in ±20%. Default 0.2. */
  jitter?: number;
  /** A uniform draw in [0, 1); 0.5 means no jitter. Default Math.random. */
  random?: () => number;
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BASE_DELAY_MS = 2_000;
export const DEFAULT_JITTER = 0.2;

/**
 * The wait after failed attempt `attempt` (1-based): baseDelayMs · 2^(attempt−1), i.e.
 * 2 s, 4 s, 8 s …, scaled by 1 + jitter·(2·random − 1) and rounded to whole ms. Jitter
 * spreads the retries of many workers that failed together, so they do not all hit a
 * recovering vendor in the same instant. Also the DLQ's retry_after (attempt 3 → 8 s base).
 */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  assertAttempt(attempt, 'attempt');
  const base = opts.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const jitter = opts.jitter ?? DEFAULT_JITTER;
  if (!(base >= 0) || !Number.isFinite(base)) throw new RangeError(`baseDelayMs must be >= 0, got ${base}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be in [0, 1], got ${jitter}`);
  const draw = (opts.random ?? Math.random)();
  const spread = 1 + jitter * (2 * Math.min(1, Math.max(0, draw)) - 1);
  return Math.round(base * 2 ** (attempt - 1) * spread);
}

/**
 * What to do after attempt number `attemptsMade` (1-based, the failed one included)
 * failed with `error`. Checked in this order:
 *
 * 1. CircuitOpen → 'circuit_open', BudgetPause → 'budget': no call was made, so they
 *    neither use up an attempt nor end in 'exhausted'; the caller keeps the item queued.
 * 2. auth → 'auth', quota_exhausted → 'quota_exhausted', invalid_request → 'permanent',
 *    at once: the same request would fail (and maybe bill) the same way.
 * 3. network, timeout, server_error, rate_limited, unrecognized_response are transient:
 *    after `maxAttempts` attempts → 'exhausted'; before, retry after backoffMs(attemptsMade).
 *    For a 429 the vendor's Retry-After wins when it is longer. Drift
 *    (unrecognized_response) is retried because a malformed body is often a one-off; a
 *    real schema change trips the circuit breaker, which then stops the retries.
 * 4. Anything else (not a ProviderError) → 'permanent'. An unknown error is most likely a
 *    bug in our code, and retrying a bug repeats it — possibly after the vendor billed the
 *    call — so it fails the item loudly instead of being retried into a bill.
 *    Adapters wrap every real transport failure in a ProviderError, so nothing transient
 *    is lost this way. A caller's own abort also lands here: handle cancellation first.
 */
export function decideRetry(error: unknown, attemptsMade: number, opts: RetryOptions = {}): RetryDecision {
  assertAttempt(attemptsMade, 'attemptsMade');
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  assertAttempt(maxAttempts, 'maxAttempts');
  const attempt = attemptsMade;

  if (error instanceof CircuitOpen) return { retry: false, reason: 'circuit_open', attempt };
  if (error instanceof BudgetPause) return { retry: false, reason: 'budget', attempt };
  if (!(error instanceof ProviderError)) return { retry: false, reason: 'permanent', attempt };

  switch (error.code) {
    case 'auth':
      return { retry: false, reason: 'auth', attempt };
    case 'quota_exhausted':
      return { retry: false, reason: 'quota_exhausted', attempt };
    case 'invalid_request':
      return { retry: false, reason: 'permanent', attempt };
    case 'network':
    case 'timeout':
    case 'server_error':
    case 'rate_limited':
    case 'unrecognized_response': {
      if (attemptsMade >= maxAttempts) return { retry: false, reason: 'exhausted', attempt };
      let waitMs = backoffMs(attemptsMade, opts);
      const retryAfterMs = error.code === 'rate_limited' ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > waitMs) waitMs = retryAfterMs;
      return { retry: true, reason: error.code, waitMs, attempt };
    }
  }
}

function assertAttempt(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  }
}
