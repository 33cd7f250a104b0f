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

  // Send times of the last `windowCap` tokens (a ring), so no 1 s window ever holds more
  // than ratePerSec + burst sends, even when reservations catch up after a late timer.
  const windowCap = Math.max(1, Math.floor(ratePerSec + burst));
  const sent = new Float64Array(windowCap).fill(Number.NEGATIVE_INFINITY);
  let sentHead = 0;
  // Bumped by pauseUntil: reservations made before a pause are void.
  let epoch = 0;

  const takeOne = async (signal?: AbortSignal) => {
    let reservedIn: number | null = null;
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (reservedIn !== null && reservedIn !== epoch) reservedIn = null; // voided by a pause
        const now = clock.now();
        if (now < pausedUntil) {
          await sleep(pausedUntil - now, signal);
          continue;
        }
        if (reservedIn === null) {
          // Reserve before sleeping: the next refill credits the time since this
          // reservation, so a late timer shortens the next wait instead of being lost.
          refill();
          tokens -= 1;
          reservedIn = epoch;
          if (tokens < 0) {
            await sleep(Math.ceil((-tokens * 1000) / ratePerSec), signal);
            continue;
          }
        }
        const oldest = sent[sentHead]!;
        if (now - oldest < 1000) {
          await sleep(Math.ceil(oldest + 1000 - now), signal);
          continue;
        }
        sent[sentHead] = now;
        sentHead = (sentHead + 1) % windowCap;
        reservedIn = null;
        return;
      }
    } catch (err) {
      if (reservedIn !== null && reservedIn === epoch) tokens += 1; // give the reservation back
      throw err;
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
      epoch += 1;
    },
  };
}
