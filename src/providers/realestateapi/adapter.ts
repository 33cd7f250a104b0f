/**
 * RealEstateAPI adapters: three providers over one key (`x-api-key`), one lead or query per
 * HTTP POST. Transport (timeout, caller abort, secret scrubbing) is the shared vendor-http
 * exchange; status → code mapping and parsing are this vendor's (parse.ts).
 *
 * Misses are answers: SkipTrace `match: false` and PropertyDetail's documented 404 come back
 * unmatched and unbilled; every other non-2xx status throws a ProviderError.
 */
import type {
  PropertyDetailInput,
  PropertyDetailItemResult,
  PropertyDetailProvider,
  PropertySearchPage,
  PropertySearchProvider,
  PropertySearchQuery,
  ProviderDescriptor,
  SkipTraceBatchResult,
  SkipTraceInput,
  SkipTraceProvider,
} from '../contract.js';
import { descriptorFromFacts, type VendorFacts } from '../vendor-facts.js';
import {
  exchange,
  parseJsonBody,
  scrubbed,
  statusError,
  type VendorAnswer,
  type VendorCallContext,
} from '../vendor-http.js';
import {
  realEstateApiPropertyDetailFacts,
  realEstateApiPropertySearchFacts,
  realEstateApiSkipTraceFacts,
} from './facts.js';
import {
  errorCodeFor,
  isPropertyNotFound,
  parsePropertyDetailResponse,
  parsePropertySearchResponse,
  parseSkipTraceResponse,
  vendorErrorText,
} from './parse.js';
import {
  buildPropertyDetailRequest,
  buildPropertySearchRequest,
  buildSkipTraceRequest,
  singleInput,
  type SearchMode,
} from './request.js';

export interface RealEstateApiOptions {
  /** e.g. https://api.realestateapi.com, or the sandbox URL. A trailing slash is ignored. */
  baseUrl: string;
  apiKey: string;
  /** Optional `x-user-id` header some endpoints take (attributes usage to one of your users). */
  userId?: string;
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch, for durations and Retry-After dates. Default Date.now. */
  now?: () => number;
}

export interface RealEstateApiSkipTraceOptions extends RealEstateApiOptions {
  /** Default 50 000 ($0.05 per match, a third-party figure; see facts.ts). */
  costPerMatchMicros?: number;
}

export interface RealEstateApiPropertyOptions extends RealEstateApiOptions {
  /** Price of one credit (one property found, one search record). Default 0: not published. */
  costPerCreditMicros?: number;
}

/** What one provider needs to talk to the vendor. */
interface Client {
  ctx: VendorCallContext;
  post(path: string, body: unknown, signal?: AbortSignal): Promise<VendorAnswer>;
}

function createClient(facts: VendorFacts, opts: RealEstateApiOptions): Client {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'x-api-key': opts.apiKey,
  };
  if (opts.userId) headers['x-user-id'] = opts.userId;
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'RealEstateAPI',
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.apiKey],
  };
  return {
    ctx,
    post: (path, body, signal) =>
      exchange(
        ctx,
        { url: `${baseUrl}${path}`, method: 'POST', headers, body: JSON.stringify(body) },
        signal,
      ),
  };
}

/** The error for a failed HTTP status, with the vendor's words and Retry-After. */
function httpError(client: Client, answer: VendorAnswer): unknown {
  const json = tryJson(answer.text);
  const code = errorCodeFor(answer.status, json) ?? 'unrecognized_response';
  return statusError(client.ctx, code, answer, vendorErrorText(json));
}

const isOk = (status: number): boolean => status >= 200 && status < 300;

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---- POST /v1/SkipTrace ----------------------------------------------------------------

export function createRealEstateApiSkipTrace(
  opts: RealEstateApiSkipTraceOptions,
): SkipTraceProvider & ProviderDescriptor {
  const facts = realEstateApiSkipTraceFacts;
  const client = createClient(facts, opts);
  const path = facts.endpoints.skipTrace!;
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerMatchMicros });

  async function skipTrace(
    inputs: SkipTraceInput[],
    options?: { signal?: AbortSignal },
  ): Promise<SkipTraceBatchResult> {
    const input = singleInput(inputs);
    const body = buildSkipTraceRequest(input);
    const answer = await client.post(path, body, options?.signal);
    try {
      if (!isOk(answer.status)) throw httpError(client, answer);
      const item = parseSkipTraceResponse(parseJsonBody(client.ctx, answer), input, answer.status, facts.id);
      return { statusCode: answer.status, durationMs: answer.durationMs, items: [item] };
    } catch (err) {
      throw scrubbed(client.ctx, err);
    }
  }

  return { ...descriptor, kind: 'skip-trace', skipTrace };
}

// ---- POST /v2/PropertyDetail -----------------------------------------------------------

export function createRealEstateApiPropertyDetail(
  opts: RealEstateApiPropertyOptions,
): PropertyDetailProvider {
  const facts = realEstateApiPropertyDetailFacts;
  const client = createClient(facts, opts);
  const path = facts.endpoints.propertyDetail!;
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerCreditMicros });

  async function propertyDetail(
    inputs: PropertyDetailInput[],
    options?: { signal?: AbortSignal },
  ): Promise<PropertyDetailItemResult[]> {
    const input = singleInput(inputs);
    const answer = await client.post(path, buildPropertyDetailRequest(input), options?.signal);
    try {
      if (!isOk(answer.status)) {
        // Only the documented "Not Found" envelope is a miss; a bare 404 is a wrong route.
        const notFound = answer.status === 404 && isPropertyNotFound(tryJson(answer.text), 404);
        if (!notFound) throw httpError(client, answer);
      }
      return [parsePropertyDetailResponse(parseJsonBody(client.ctx, answer), input, answer.status, facts.id)];
    } catch (err) {
      throw scrubbed(client.ctx, err);
    }
  }

  return { ...descriptor, kind: 'property-detail', propertyDetail };
}

// ---- POST /v2/PropertySearch -----------------------------------------------------------

export function createRealEstateApiPropertySearch(
  opts: RealEstateApiPropertyOptions,
): PropertySearchProvider {
  const facts = realEstateApiPropertySearchFacts;
  const client = createClient(facts, opts);
  const path = facts.endpoints.propertySearch!;
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerCreditMicros });

  async function search(
    query: PropertySearchQuery,
    mode: SearchMode,
    options?: { signal?: AbortSignal },
  ): Promise<PropertySearchPage> {
    const body = buildPropertySearchRequest(query, mode);
    const answer = await client.post(path, body, options?.signal);
    try {
      if (!isOk(answer.status)) throw httpError(client, answer);
      return parsePropertySearchResponse(parseJsonBody(client.ctx, answer), mode, answer.status, facts.id);
    } catch (err) {
      throw scrubbed(client.ctx, err);
    }
  }

  return { ...descriptor, kind: 'property-search', search };
}
