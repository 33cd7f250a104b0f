/**
 * REISkip skip-trace adapter: one property per HTTP POST to /v1/skip-trace with a Bearer key,
 * per seed 000 (the project's earlier client; there is no public spec — see facts.ts).
 *
 * A 404 is "not found", an unbilled miss, not an error (when its body is REISkip's: parse.ts).
 * Transport (timeout, caller abort, secret scrubbing) is the shared vendor-http exchange.
 */
import type {
  ProviderDescriptor,
  SkipTraceBatchResult,
  SkipTraceInput,
  SkipTraceProvider,
} from '../contract.js';
import { descriptorFromFacts } from '../vendor-facts.js';
import { exchange, parseJsonBody, scrubbed, statusError, type VendorCallContext } from '../vendor-http.js';
import { errorCodeForStatus } from '../batchdata/diagnostics.js';
import { REISKIP_DEFAULT_TIMEOUT_MS, reiSkipFacts } from './facts.js';
import { parseReiSkipResponse, vendorErrorText } from './parse.js';
import { buildReiSkipRequest } from './request.js';

export interface ReiSkipProviderOptions {
  /** The REISkip API host (REISKIP_BASE_URL), or the sandbox URL. A trailing slash is ignored. */
  baseUrl: string;
  apiKey: string;
  /** Default /v1/skip-trace. */
  skipTracePath?: string;
  /** Per request, body included. Default 45 000 (the seed saw calls take up to 30 s). */
  timeoutMs?: number;
  /** Default 150 000 ($0.15 per match, a third-party figure; see facts.ts). */
  costPerMatchMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch, for durations and Retry-After dates. Default Date.now. */
  now?: () => number;
}

export function createReiSkipProvider(opts: ReiSkipProviderOptions): SkipTraceProvider & ProviderDescriptor {
  const rawPath = opts.skipTracePath ?? reiSkipFacts.endpoints.skipTrace!;
  const url = `${opts.baseUrl.replace(/\/+$/, '')}${rawPath.startsWith('/') ? rawPath : `/${rawPath}`}`;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${opts.apiKey}`,
  };
  const ctx: VendorCallContext = {
    provider: reiSkipFacts.id,
    vendorName: 'REISkip',
    timeoutMs: opts.timeoutMs ?? REISKIP_DEFAULT_TIMEOUT_MS,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.apiKey],
  };

  async function skipTrace(
    inputs: SkipTraceInput[],
    options?: { signal?: AbortSignal },
  ): Promise<SkipTraceBatchResult> {
    const body = JSON.stringify(buildReiSkipRequest(inputs));
    const answer = await exchange(ctx, { url, method: 'POST', headers, body }, options?.signal);
    try {
      const code = answer.status === 404 ? null : errorCodeForStatus(answer.status);
      if (code) throw statusError(ctx, code, answer, vendorErrorText(tryJson(answer.text)));
      const json =
        answer.status === 404 && answer.text.trim() === '' ? undefined : parseJsonBody(ctx, answer);
      const item = parseReiSkipResponse(json, inputs[0]!, answer.status);
      return { statusCode: answer.status, durationMs: answer.durationMs, items: [item] };
    } catch (err) {
      throw scrubbed(ctx, err);
    }
  }

  return {
    ...descriptorFromFacts(reiSkipFacts, { perHitMicros: opts.costPerMatchMicros }),
    kind: 'skip-trace',
    skipTrace,
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
