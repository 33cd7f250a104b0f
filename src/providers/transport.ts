/**
 * Transport helpers shared by every vendor adapter: one abort signal for timeout + caller,
 * Retry-After parsing, and scrubbing a secret out of an error. Moved unchanged from
 * batchdata/adapter.ts so other adapters reuse them instead of copying them.
 */
import { ProviderError } from './errors.js';

export interface LinkedAbort {
  signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

/**
 * One signal aborted by our timeout or by the caller's signal. Hand-rolled rather than
 * AbortSignal.any so nothing stays registered on a long-lived caller signal after the call.
 */
export function linkAbort(timeoutMs: number, caller: AbortSignal | undefined): LinkedAbort {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`; undefined when unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function scrubSecret(err: ProviderError, secret: string): ProviderError {
  if (!secret) return err;
  const leaks = err.message.includes(secret) || (err.details.sample?.includes(secret) ?? false);
  if (!leaks) return err;
  const details = { ...err.details };
  if (details.sample) details.sample = details.sample.split(secret).join('***');
  return new ProviderError(err.code, err.message.split(secret).join('***'), details);
}
