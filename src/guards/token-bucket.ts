/**
 * A token bucket: `ratePerSec` tokens refill continuously up to `burst`. Every real HTTP
 * call (retries included) takes one token, so no 1-second window carries more than
 * ratePerSec + burst calls. Time and sleeping are injected so tests are exact.
 *
 * This is the embedded port; a Redis-backed limiter (rate-limiter-flexible) can implement
 * the same `RateLimiter` interface when workers run on several machines.
 */
import type { Clock } from '../domain/clock.js';

export interface RateLimiter {
  /** Resolves when a call may go out; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Stops handing out tokens until `untilMs` (a 429 with Retry-After). */
  pauseUntil(untilMs: number): void;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function createTokenBucket(options: {
  ratePerSec: number;
  burst?: number;
  clock: Clock;
  sleep?: Sleep;
}): RateLimiter {
  const burst = Math.max(1, options.burst ?? 1);
  const { ratePerSec, clock } = options;
  const sleep = options.sleep ?? realSleep;
  let tokens = burst;
  let last = clock.now();
  let pausedUntil = 0;
  // Waiters are served in order so a burst of callers cannot starve one another.
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + ((now - last) * ratePerSec) / 1000);
    last = now;
  };

  const takeOne = async (signal?: AbortSignal) => {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      if (now < pausedUntil) {
        await sleep(pausedUntil - now, signal);
        continue;
      }
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) * 1000) / ratePerSec), signal);
    }
  };

  return {
    acquire(signal) {
      const turn = queue.then(() => takeOne(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
      tokens = 0;
      last = clock.now();
    },
  };
}
