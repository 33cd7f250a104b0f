/**
 * Hunter domain search: GET /v2/domain-search, one domain and one page per request.
 *
 * Filters sent as Hunter names them: limit, offset, type, seniority, department,
 * required_field, job_titles (comma-separated; documented by a third-party mirror of
 * Hunter's reference) and location. `location` is passed through untouched: Hunter
 * documents it as a nested include/exclude object and recommends POST for it, so the
 * caller supplies the exact string Hunter should receive.
 *
 * Billing: 1 credit per 1–10 emails returned, none when nothing is returned. The answer's
 * `data.domain` must be the domain asked (after normalization), or the parse fails closed.
 */
import type {
  DomainContact,
  DomainSearchFilters,
  DomainSearchProvider,
  DomainSearchResult,
} from '../contract.js';
import { redactSample } from '../batchdata/diagnostics.js';
import { ProviderError } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { descriptorFromFacts } from '../vendor-facts.js';
import { parseJsonBody, scrubbed, statusError, unrecognizedShape } from '../vendor-http.js';
import { createHunterClient, type HunterOptions } from './client.js';
import { hunterDomainSearchFacts as facts } from './facts.js';
import { hunterErrorCode, hunterErrorText, hunterErrorTextOf } from './status.js';
import { hunterDomainSearchSchema, hunterErrorsSchema, type HunterDomainEmail } from './wire.js';

export type { HunterOptions } from './client.js';

const MAX_LIMIT = 100;

export function createHunterDomainSearch(opts: HunterOptions): DomainSearchProvider {
  const client = createHunterClient(opts, facts);
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerCreditMicros });

  async function domainSearch(
    domain: string,
    filters: DomainSearchFilters,
    options?: { signal?: AbortSignal },
  ): Promise<DomainSearchResult> {
    const asked = normalizeSearchDomain(domain);
    const answer = await client.get(
      facts.endpoints.domainSearch!,
      domainSearchParams(asked, filters),
      options?.signal,
    );
    const code = hunterErrorCode(answer.status);
    if (code) throw statusError(client.ctx, code, answer, hunterErrorTextOf(answer.text));
    try {
      return parseDomainSearchResponse(parseJsonBody(client.ctx, answer), asked, answer.status);
    } catch (err) {
      throw scrubbed(client.ctx, err);
    }
  }

  return { ...descriptor, authStyle: opts.authStyle ?? 'header', kind: 'domain-search', domainSearch };
}

/** Lower case, no scheme, path or `www.`; throws invalid_request when nothing is left. */
export function normalizeSearchDomain(domain: string): string {
  const host = domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) {
    throw new ProviderError('invalid_request', `not a domain name: ${JSON.stringify(domain)}`, {
      provider: facts.id,
    });
  }
  return host;
}

/** Query parameters for one page; throws invalid_request for a limit or offset Hunter refuses. */
export function domainSearchParams(
  domain: string,
  filters: DomainSearchFilters,
): Record<string, string | undefined> {
  const { limit, offset } = filters;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)) {
    throw new ProviderError('invalid_request', `limit must be an integer from 1 to ${MAX_LIMIT}`, {
      provider: facts.id,
    });
  }
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
    throw new ProviderError('invalid_request', 'offset must be a non-negative integer', {
      provider: facts.id,
    });
  }
  const joined = (values: string[] | undefined): string | undefined =>
    values && values.length > 0 ? values.join(',') : undefined;
  return {
    domain,
    limit: limit === undefined ? undefined : String(limit),
    offset: offset === undefined ? undefined : String(offset),
    type: filters.type,
    seniority: joined(filters.seniority),
    department: joined(filters.department),
    required_field: filters.requiredField || undefined,
    job_titles: joined(filters.jobTitles),
    location: filters.location || undefined,
  };
}

export function parseDomainSearchResponse(
  body: unknown,
  askedDomain: string,
  httpStatus: number,
): DomainSearchResult {
  const ctx = { provider: facts.id, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  throwOnErrorsBody(body, httpStatus);
  const parsed = hunterDomainSearchSchema.safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const { data, meta } = parsed.data;
  if (
    data.domain
      .trim()
      .toLowerCase()
      .replace(/^www\./, '') !== askedDomain
  ) {
    throw unrecognizedShape(ctx, `answer is for ${data.domain}, not ${askedDomain}`, body, httpStatus);
  }
  return {
    domain: askedDomain,
    organization: data.organization || null,
    total: meta.results,
    contacts: data.emails.map(toContact),
    billableUnits: Math.ceil(data.emails.length / 10),
  };
}

/** An `errors` body inside a 2xx is still an error, coded like its HTTP twin. */
export function throwOnErrorsBody(
  body: Record<string, unknown>,
  httpStatus: number,
  provider = facts.id,
): void {
  if (!('errors' in body)) return;
  const parsed = hunterErrorsSchema.safeParse(body);
  const status = parsed.success ? (parsed.data.errors[0]!.code ?? 0) : 0;
  const code = hunterErrorCode(status) ?? 'unrecognized_response';
  throw new ProviderError(
    code,
    `Hunter answered HTTP ${httpStatus} with errors in the body${status ? ` (${status})` : ''}: ${hunterErrorText(body) || 'no details'}`,
    { provider, statusCode: httpStatus, sample: redactSample(body) },
  );
}

function toContact(e: HunterDomainEmail): DomainContact {
  const type = e.type === 'personal' || e.type === 'generic' ? e.type : null;
  return {
    email: e.value.trim().toLowerCase(),
    first: e.first_name || null,
    last: e.last_name || null,
    position: e.position || null,
    seniority: e.seniority || null,
    department: e.department || null,
    type,
    confidence: e.confidence ?? null,
    linkedinUrl: text(e.linkedin),
    twitter: text(e.twitter),
    phone: text(e.phone_number),
    verificationStatus: e.verification?.status || null,
    verificationDate: e.verification?.date || null,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}
