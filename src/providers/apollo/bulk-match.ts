/**
 * Apollo.io bulk people enrichment: POST /api/v1/people/bulk_match, ≤10 people per request.
 *
 * Apollo echoes nothing of the input: `matches[i]` answers `details[i]` (documented by
 * Apollo and relied on by every client), so position is the evidence here — the one vendor
 * where it is. It is backed by checks that fail closed: the answer must hold exactly one
 * entry per detail, and a match whose last name or company domain contradicts the input is
 * rejected (unmatched, but still billed: Apollo charged the credit).
 *
 * Credits per match: 1, plus 8 when a mobile phone is returned (phones are never revealed
 * here, so in practice 1). Errors: 401 bad key, 403 plan/endpoint not allowed
 * (API_INACCESSIBLE) → 'auth'; 422 → invalid_request; 429 → rate_limited with Retry-After;
 * a 200 whose `status` is not "success" → coded from its `error_code`.
 */
import type {
  BusinessPeopleProvider,
  ParsedPhone,
  PersonMatchInput,
  PersonMatchResult,
} from '../contract.js';
import { errorCodeForStatus, redactSample } from '../batchdata/diagnostics.js';
import { ProviderError, type ProviderErrorCode } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { descriptorFromFacts } from '../vendor-facts.js';
import {
  exchange,
  parseJsonBody,
  scrubbed,
  statusError,
  unrecognizedShape,
  type VendorCallContext,
} from '../vendor-http.js';
import { apolloBulkMatchFacts as facts } from './facts.js';
import {
  apolloBulkMatchResponseSchema,
  apolloErrorSchema,
  type ApolloBulkMatchRequest,
  type ApolloDetail,
  type ApolloPerson,
} from './wire.js';

export interface ApolloOptions {
  /** Default https://api.apollo.io, or the sandbox URL. A trailing slash is ignored. */
  baseUrl?: string;
  apiKey: string;
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Integer micro-dollars per Apollo credit. Default 20 000 (an unverified estimate, see facts.ts). */
  costPerCreditMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch. Default Date.now. */
  now?: () => number;
}

export function createApolloBulkMatch(opts: ApolloOptions): BusinessPeopleProvider {
  const url = `${(opts.baseUrl ?? facts.baseUrl).replace(/\/+$/, '')}${facts.endpoints.bulkMatch!}`;
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'Apollo',
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.apiKey],
  };
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    'cache-control': 'no-cache',
    'x-api-key': opts.apiKey,
  };
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerCreditMicros });

  async function matchPeople(
    inputs: PersonMatchInput[],
    options?: { signal?: AbortSignal },
  ): Promise<PersonMatchResult[]> {
    const body = JSON.stringify(buildBulkMatchRequest(inputs));
    const answer = await exchange(ctx, { url, method: 'POST', headers, body }, options?.signal);
    const code = errorCodeForStatus(answer.status);
    if (code) throw statusError(ctx, code, answer, errorText(answer.text));
    try {
      return parseBulkMatchResponse(parseJsonBody(ctx, answer), inputs, answer.status);
    } catch (err) {
      throw scrubbed(ctx, err);
    }
  }

  return { ...descriptor, kind: 'business-people', matchPeople };
}

/** Throws invalid_request for an empty batch, more than 10 people or a repeated requestId. */
export function buildBulkMatchRequest(inputs: PersonMatchInput[]): ApolloBulkMatchRequest {
  const max = facts.flags.batchSize;
  if (inputs.length === 0 || inputs.length > max) {
    throw new ProviderError('invalid_request', `bulk_match takes 1 to ${max} people; got ${inputs.length}`, {
      provider: facts.id,
    });
  }
  if (new Set(inputs.map((i) => i.requestId)).size !== inputs.length) {
    throw new ProviderError('invalid_request', 'duplicate requestId in batch', { provider: facts.id });
  }
  return {
    details: inputs.map((input) => {
      const detail: ApolloDetail = {};
      if (input.firstName) detail.first_name = input.firstName;
      if (input.lastName) detail.last_name = input.lastName;
      if (input.name) detail.name = input.name;
      if (input.organizationName) detail.organization_name = input.organizationName;
      const domain = input.domain ? normalizeDomain(input.domain) : '';
      if (domain) detail.domain = domain;
      return detail;
    }),
    reveal_personal_emails: false,
    reveal_phone_number: false,
  };
}

export function parseBulkMatchResponse(
  body: unknown,
  inputs: PersonMatchInput[],
  httpStatus: number,
): PersonMatchResult[] {
  const ctx = { provider: facts.id, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  throwOnBodyError(body, httpStatus);
  const parsed = apolloBulkMatchResponseSchema.safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const { matches } = parsed.data;
  if (matches.length !== inputs.length) {
    // Position is the only evidence: a length mismatch makes every pairing a guess.
    throw unrecognizedShape(
      ctx,
      `matches has ${matches.length} entries for ${inputs.length} details`,
      body,
      httpStatus,
    );
  }
  const rawMatches = body.matches as unknown[];
  return inputs.map((input, i): PersonMatchResult => {
    const person = matches[i];
    if (!person)
      return { requestId: input.requestId, matched: false, billableUnits: 0, person: null, rawItem: null };
    const phones = (person.phone_numbers ?? []).map(toPhone).filter((p): p is ParsedPhone => p !== null);
    const billableUnits = 1 + (phones.some((p) => p.type === 'mobile') ? 8 : 0);
    const rawItem = rawMatches[i];
    if (contradicts(input, person)) {
      return { requestId: input.requestId, matched: false, billableUnits, person: null, rawItem };
    }
    return {
      requestId: input.requestId,
      matched: true,
      billableUnits,
      person: {
        first: person.first_name || null,
        last: person.last_name || null,
        title: person.title || null,
        email: person.email ? person.email.trim().toLowerCase() : null,
        emailStatus: person.email_status || null,
        phones,
        linkedinUrl: person.linkedin_url || null,
        organization: person.organization?.name || null,
        domain: person.organization?.primary_domain
          ? normalizeDomain(person.organization.primary_domain)
          : null,
      },
      rawItem,
    };
  });
}

/**
 * Last name and company domain are compared when both sides have them. First names are
 * not (Apollo answers "Timothy" for "Tim"), nor organization names (legal suffixes vary).
 */
function contradicts(input: PersonMatchInput, person: ApolloPerson): boolean {
  const askedLast =
    input.lastName || (input.name ? input.name.trim().split(/\s+/).slice(1).pop() : undefined);
  if (askedLast && person.last_name && letters(askedLast) !== letters(person.last_name)) return true;
  const askedDomain = input.domain ? normalizeDomain(input.domain) : '';
  const gotDomain = person.organization?.primary_domain
    ? normalizeDomain(person.organization.primary_domain)
    : '';
  return !!askedDomain && !!gotDomain && askedDomain !== gotDomain;
}

function toPhone(p: NonNullable<ApolloPerson['phone_numbers']>[number]): ParsedPhone | null {
  const number = p.sanitized_number || p.raw_number;
  if (!number) return null;
  const type = (p.type_cd ?? p.type ?? '').toLowerCase();
  return {
    number,
    // Only `mobile` is a line type; work_hq / home / other say where, not what line.
    type: type === 'mobile' ? 'mobile' : 'unknown',
    carrier: null,
    // Apollo's dnc_status_cd values are not documented: compliance comes from a DNC check
    // (the descriptor declares returnsCompliance: false).
    dnc: false,
    tcpa: false,
    score: null,
    reachable: p.status_cd === 'valid_number' ? true : p.status_cd ? false : null,
  };
}

const IN_BODY_CODES: [RegExp, ProviderErrorCode][] = [
  [/INACCESSIBLE|UNAUTHORI[SZ]ED|INVALID_API_KEY|FORBIDDEN/, 'auth'],
  [/RATE_LIMIT|TOO_MANY/, 'rate_limited'],
  [/CREDIT|QUOTA|INSUFFICIENT/, 'quota_exhausted'],
  [/INVALID|PARAM|VALIDATION/, 'invalid_request'],
];

/** A 200 whose `status` is not "success" (or an error body served with 200). */
function throwOnBodyError(body: Record<string, unknown>, httpStatus: number): void {
  const failed =
    (typeof body.status === 'string' && body.status !== 'success') ||
    (!('matches' in body) && 'error' in body);
  if (!failed) return;
  const err = apolloErrorSchema.safeParse(body);
  const errorCode = (err.success && err.data.error_code) || '';
  const code =
    IN_BODY_CODES.find(([pattern]) => pattern.test(errorCode.toUpperCase()))?.[1] ?? 'server_error';
  const text = err.success ? err.data.error_message || err.data.error || err.data.message || '' : '';
  throw new ProviderError(
    code,
    `Apollo answered HTTP ${httpStatus} with an error in the body${errorCode ? ` (${errorCode})` : ''}${text ? `: ${text}` : ''}`,
    { provider: facts.id, statusCode: httpStatus, sample: redactSample(body) },
  );
}

/** `error_code: error` of an Apollo error body, when it has them. */
function errorText(text: string): string {
  try {
    const parsed = apolloErrorSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return '';
    const { error_code, error, error_message, message } = parsed.data;
    return [error_code, error || error_message || message].filter(Boolean).join(': ');
  } catch {
    return '';
  }
}

function normalizeDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
}

function letters(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
