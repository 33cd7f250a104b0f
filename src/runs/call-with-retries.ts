/**
 * One provider's calls for a set of targets, with the run's failure rules: transient
 * failures retried with backoff (decisions as values, guards/retry.ts), an open circuit
 * breaker waited out up to BREAKER_PATIENCE_MS before the run pauses (`circuit_open`), a
 * budget refusal pausing the run, auth and exhausted quota failing it, and exhausted or
 * permanent failures ending the target (the DLQ for exhausted ones).
 *
 * A target whose call cannot be finished because the run stops gets no outcome: it stays
 * queued, and its paid answers (if any) are in the cache for the resume.
 */
import { BudgetPause } from '../guards/budget.js';
import { CircuitOpen } from '../guards/circuit-breaker.js';
import { decideRetry } from '../guards/retry.js';
import { realSleep } from '../guards/token-bucket.js';
import { NotCached, type SkipTraceAnswer, type SkipTraceResult } from '../pipeline/skiptrace-service.js';
import { ProviderError } from '../providers/errors.js';
import type { RunWorkerDeps } from './run-worker.js';

export type StopVerdict = { status: 'paused' | 'failed'; reason: string } | null;

/** How long a chunk waits for an open breaker before the run pauses (reason circuit_open). */
export const BREAKER_PATIENCE_MS = 5 * 60_000;

export type CallOutcome =
  | { kind: 'ok'; answer: SkipTraceAnswer }
  | { kind: 'failed'; error: string; dlq: boolean }
  /** The request was not sent: a cache-only request (cooldown) whose answer is not cached. */
  | { kind: 'skipped' };

export interface RetryTarget {
  /** Attempts already spent on this target by earlier chunks (run_items.attempt). */
  attempt: number;
}

export interface CallsResult<T> {
  outcomes: Map<T, CallOutcome>;
  /** Failed attempts made here per target (added to run_items.attempt). */
  failedAttempts: Map<T, number>;
  verdict: StopVerdict;
}

export function describeError(error: Error): string {
  const code =
    error instanceof ProviderError ? error.code : error instanceof CircuitOpen ? 'circuit_open' : 'error';
  return `${code}: ${error.message}`;
}

export async function callWithRetries<T extends RetryTarget>(
  deps: Pick<RunWorkerDeps, 'sleep' | 'random'>,
  targets: readonly T[],
  call: (pending: readonly T[]) => Promise<SkipTraceResult[]>,
  signal?: AbortSignal,
): Promise<CallsResult<T>> {
  const sleep = deps.sleep ?? realSleep;
  const outcomes = new Map<T, CallOutcome>();
  const failedAttempts = new Map<T, number>();
  let verdict: StopVerdict = null;
  let pending = [...targets];
  let breakerWaitMs = 0;

  while (pending.length > 0 && verdict === null && !signal?.aborted) {
    const results = await call(pending);
    const again: T[] = [];
    let waitMs = 0;
    let breakerOpen = false;
    pending.forEach((target, i) => {
      const r = results[i]!;
      const failed = failedAttempts.get(target) ?? 0;
      if (r.ok) {
        outcomes.set(target, { kind: 'ok', answer: r.answer });
        return;
      }
      if (r.error instanceof NotCached) {
        outcomes.set(target, { kind: 'skipped' });
        return;
      }
      if (signal?.aborted) return;
      const message = describeError(r.error);
      const d = decideRetry(r.error, target.attempt + failed + 1, { random: deps.random });
      if (d.retry) {
        failedAttempts.set(target, failed + 1);
        again.push(target);
        waitMs = Math.max(waitMs, d.waitMs);
        return;
      }
      switch (d.reason) {
        case 'circuit_open':
          breakerOpen = true;
          again.push(target);
          waitMs = Math.max(waitMs, r.error instanceof CircuitOpen ? r.error.retryAfterMs : 1000);
          return;
        case 'budget':
          verdict ??= {
            status: 'paused',
            reason: r.error instanceof BudgetPause ? r.error.reason : 'daily_budget',
          };
          return;
        case 'auth':
        case 'quota_exhausted':
          // One clear stop instead of failing every lead the same way.
          verdict ??= { status: 'failed', reason: `${d.reason}: ${r.error.message}` };
          return;
        case 'exhausted':
          failedAttempts.set(target, failed + 1);
          outcomes.set(target, { kind: 'failed', error: message, dlq: true });
          return;
        case 'permanent':
          failedAttempts.set(target, failed + 1);
          outcomes.set(target, { kind: 'failed', error: message, dlq: false });
          return;
      }
    });
    if (again.length === 0 || verdict !== null) break;
    if (breakerOpen) {
      breakerWaitMs += waitMs;
      if (breakerWaitMs > BREAKER_PATIENCE_MS) {
        verdict = { status: 'paused', reason: 'circuit_open' };
        break;
      }
    }
    try {
      await sleep(waitMs, signal);
    } catch {
      // Interrupted while waiting: the targets stay queued.
    }
    pending = again;
  }
  return { outcomes, failedAttempts, verdict };
}
