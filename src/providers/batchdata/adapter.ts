/**
 * BatchData property skip-trace adapter: one HTTP POST per batch of up to 100 inputs.
 *
 * Every failure becomes a ProviderError with a machine-readable code, so retry and breaker
 * decisions (src/guards) are made on values. The API key goes only into the auth header:
 * it is scrubbed from every error message and sample.
 */
import type { SkipTraceBatchResult, SkipTraceInput, SkipTraceProvider } from '../contract.js';
import { ProviderError } from '../errors.js';
import { linkAbort, parseRetryAfter, scrubSecret, type LinkedAbort } from '../transport.js';
import { errorCodeForStatus, redactSample } from './diagnostics.js';
import { batchDataFacts } from './facts.js';
import { parseSkipTraceResponse } from './parse.js';
import { buildSkipTraceRequest, type BatchDataApiVersion } from './request.js';

const PROVIDER = 'batchdata';

// Moved to ../transport.ts to be shared by every adapter; re-exported for existing callers.
export { parseRetryAfter };

export interface BatchDataProviderOptions {
  /** e.g. https://api.batchdata.com, or the sandbox URL. A trailing slash is ignored. */
  baseUrl: string;
  apiKey: string;
  /** Default /api/v1/property/skip-trace; a path containing /v3/ selects the v3 shape. */
  skipTracePath?: string;
  /** 'bearer' sends `Authorization: Bearer <key>` (documented); 'header' sends `x-api-key`. */
  authStyle: 'bearer' | 'header';
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Default 70 000 ($0.07, a third-party figure; see facts.ts). */
  costPerHitMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch, for durations and Retry-After dates. Default Date.now. */
  now?: () => number;
}

export function createBatchDataProvider(opts: BatchDataProviderOptions): SkipTraceProvider {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const rawPath = opts.skipTracePath ?? batchDataFacts.endpoints.skipTraceV1;
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const url = `${baseUrl}${path}`;
  const version: BatchDataApiVersion = /\/v3\//.test(path) ? 'v3' : 'v1';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const now = opts.now ?? Date.now;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (opts.authStyle === 'bearer') headers.authorization = `Bearer ${opts.apiKey}`;
  else headers['x-api-key'] = opts.apiKey;

  const scrub = (err: ProviderError): ProviderError => scrubSecret(err, opts.apiKey);

  async function skipTrace(
    inputs: SkipTraceInput[],
    options?: { signal?: AbortSignal },
  ): Promise<SkipTraceBatchResult> {
    const body = JSON.stringify(buildSkipTraceRequest(inputs, { version }));
    const started = now();
    const abort = linkAbort(timeoutMs, options?.signal);
    try {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, { method: 'POST', headers, body, signal: abort.signal });
        // Same signal: a body that stalls mid-stream times out too.
        text = await response.text();
      } catch (cause) {
        throw transportError(cause, abort, timeoutMs, options?.signal);
      }
      const statusCode = response.status;
      const httpCode = errorCodeForStatus(statusCode);
      if (httpCode) throw httpError(httpCode, statusCode, response.headers, text, now());

      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new ProviderError(
          'unrecognized_response',
          `BatchData answered HTTP ${statusCode} with a body that is not JSON`,
          {
            provider: PROVIDER,
            statusCode,
            sample: redactSample(text),
            cause,
          },
        );
      }
      const items = parseSkipTraceResponse(json, inputs, statusCode);
      return { statusCode, durationMs: Math.max(0, now() - started), items };
    } catch (err) {
      throw err instanceof ProviderError ? scrub(err) : err;
    } finally {
      abort.dispose();
    }
  }

  return {
    id: batchDataFacts.id,
    kind: 'skip-trace',
    flags: { batchSize: batchDataFacts.batchSize, billsOnMiss: false, returnsLineType: true },
    cost: {
      perCallMicros: 0,
      perHitMicros: opts.costPerHitMicros ?? batchDataFacts.cost.perHitMicros,
      perItemMicros: 0,
    },
    skipTrace,
  };
}

// ---------------------------------------------------------------------------------------

/**
 * A failure before a full answer arrived. The caller's own abort is rethrown as is: it is
 * a cancellation, not a vendor failure, and must not be retried.
 */
function transportError(
  cause: unknown,
  abort: LinkedAbort,
  timeoutMs: number,
  caller?: AbortSignal,
): unknown {
  if (abort.timedOut()) {
    return new ProviderError('timeout', `BatchData did not answer within ${timeoutMs} ms`, {
      provider: PROVIDER,
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
  return new ProviderError('network', `BatchData request failed: ${detail}`, { provider: PROVIDER, cause });
}

function httpError(
  code: NonNullable<ReturnType<typeof errorCodeForStatus>>,
  statusCode: number,
  headers: Headers,
  text: string,
  nowMs: number,
): ProviderError {
  const vendorText = vendorStatusText(text);
  const details: ProviderError['details'] = { provider: PROVIDER, statusCode, sample: redactSample(text) };
  if (code === 'rate_limited') {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), nowMs);
    if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
  }
  return new ProviderError(
    code,
    `BatchData answered HTTP ${statusCode}${vendorText ? ` (${vendorText})` : ''}`,
    details,
  );
}

/** `status.text: status.message` of a BatchData error body, when it has one. */
function vendorStatusText(text: string): string {
  try {
    const body = JSON.parse(text) as { status?: { text?: unknown; message?: unknown } };
    return [body.status?.text, body.status?.message].filter((s) => typeof s === 'string' && s).join(': ');
  } catch {
    return '';
  }
}
