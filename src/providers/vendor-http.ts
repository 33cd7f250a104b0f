/**
 * One HTTP exchange with a vendor, done the same way by every adapter: our timeout and the
 * caller's signal linked, the body read under the same signal (a body that stalls
 * mid-stream times out too), transport failures as ProviderErrors ('timeout' | 'network'),
 * the caller's own abort rethrown untouched (a cancellation is not a vendor failure and
 * must not be retried), and every secret scrubbed from what an error carries.
 *
 * Status → code mapping stays with each vendor (Hunter's 403 is a rate limit, BatchData's
 * is a permission), so `exchange` returns every status and the adapter decides.
 */
import { redactSample } from './batchdata/diagnostics.js';
import { ProviderError, type ProviderErrorCode } from './errors.js';
import { linkAbort, parseRetryAfter, scrubSecret, type LinkedAbort } from './transport.js';

/** Who is being called, and how: fixed for the life of one adapter. */
export interface VendorCallContext {
  /** Provider id, put in ProviderError.details.provider. */
  provider: string;
  /** Vendor name used in messages ("Hunter answered HTTP 429"). */
  vendorName: string;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Wall clock in ms since epoch, for durations and Retry-After dates. */
  now: () => number;
  /** Credentials that must never appear in an error message or sample. */
  secrets: readonly string[];
}

export interface VendorAnswer {
  status: number;
  headers: Headers;
  text: string;
  durationMs: number;
}

export interface VendorRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** Sends one request and reads the whole body. Throws only for transport failures. */
export async function exchange(
  ctx: VendorCallContext,
  request: VendorRequest,
  signal?: AbortSignal,
): Promise<VendorAnswer> {
  const started = ctx.now();
  const abort = linkAbort(ctx.timeoutMs, signal);
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: abort.signal };
    if (request.body !== undefined) init.body = request.body;
    const response = await ctx.fetch(request.url, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      durationMs: Math.max(0, ctx.now() - started),
    };
  } catch (cause) {
    const err = transportError(ctx, cause, abort, signal);
    throw err instanceof ProviderError ? scrub(ctx, err) : err;
  } finally {
    abort.dispose();
  }
}

/** The body as JSON; a body that is not JSON fails closed. */
export function parseJsonBody(ctx: VendorCallContext, answer: VendorAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (cause) {
    throw scrub(
      ctx,
      new ProviderError(
        'unrecognized_response',
        `${ctx.vendorName} answered HTTP ${answer.status} with a body that is not JSON`,
        { provider: ctx.provider, statusCode: answer.status, sample: redactSample(answer.text), cause },
      ),
    );
  }
}

/**
 * An error for a failed status. `detail` is the vendor's own words when its error body has
 * them. A rate-limited answer carries Retry-After (seconds or HTTP date) as retryAfterMs.
 */
export function statusError(
  ctx: VendorCallContext,
  code: ProviderErrorCode,
  answer: Pick<VendorAnswer, 'status' | 'headers' | 'text'>,
  detail = '',
): ProviderError {
  const details: ProviderError['details'] = {
    provider: ctx.provider,
    statusCode: answer.status,
    sample: redactSample(answer.text),
  };
  if (code === 'rate_limited') {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), ctx.now());
    if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  }
  const message = `${ctx.vendorName} answered HTTP ${answer.status}${detail ? ` (${detail})` : ''}`;
  return scrub(ctx, new ProviderError(code, message, details));
}

/** The fail-closed error of every parser: the body has a shape we do not know. */
export function unrecognizedShape(
  ctx: Pick<VendorCallContext, 'provider' | 'secrets'>,
  reason: string,
  body: unknown,
  statusCode: number,
): ProviderError {
  return scrub(
    ctx,
    new ProviderError('unrecognized_response', `unrecognized response shape: ${reason}`, {
      provider: ctx.provider,
      statusCode,
      sample: redactSample(body),
    }),
  );
}

/** Rethrows ProviderErrors scrubbed of the context's secrets; anything else untouched. */
export function scrubbed(ctx: Pick<VendorCallContext, 'secrets'>, err: unknown): unknown {
  return err instanceof ProviderError ? scrub(ctx, err) : err;
}

function scrub(ctx: Pick<VendorCallContext, 'secrets'>, err: ProviderError): ProviderError {
  return ctx.secrets.reduce((e, secret) => scrubSecret(e, secret), err);
}

function transportError(
  ctx: VendorCallContext,
  cause: unknown,
  abort: LinkedAbort,
  caller?: AbortSignal,
): unknown {
  if (abort.timedOut()) {
    return new ProviderError('timeout', `${ctx.vendorName} did not answer within ${ctx.timeoutMs} ms`, {
      provider: ctx.provider,
      cause,
    });
  }
  if (caller?.aborted) return caller.reason ?? cause;
  const detail =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? cause.cause.message
        : cause.message
      : String(cause);
  return new ProviderError('network', `${ctx.vendorName} request failed: ${detail}`, {
    provider: ctx.provider,
    cause,
  });
}
