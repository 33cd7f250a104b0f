/**
 * Simulated Apollo.io POST /api/v1/people/bulk_match (vendors.md §4): `x-api-key` header,
 * up to 10 `details`, `matches[i]` aligned with `details[i]` and null for a miss.
 *
 * A detail matches (with `apolloMatchRate`) only when it has a name (first + last, or
 * `name`) and a company (domain or organization_name): a name alone enriches nothing, as
 * Apollo documents. The person keeps the name asked and gets a fictional title and an
 * address on example.com/.org/.net (business-people.ts). Phones are never revealed
 * synchronously (Apollo sends them to a webhook), so `phone_numbers` is always empty.
 * Billing: 1 credit per match. Error bodies other than API_INACCESSIBLE are [INFERRED].
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { mailDomainFor, makeBusinessPerson, normalizeDomain, organizationFor } from './business-people.js';
import type { ResolvedSandboxOptions } from './options.js';
import { randomFromText } from './prng.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const VENDOR = 'apollo';
const MAX_DETAILS = 10;

const ERROR_CODES: Record<number, string> = {
  401: 'INVALID_API_KEY',
  403: 'API_INACCESSIBLE',
  422: 'INVALID_REQUEST',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function apolloErrorBody(status: number, message: string): unknown {
  return { error: message, error_code: ERROR_CODES[status] ?? 'ERROR' };
}

function authorize(headers: IncomingHttpHeaders, options: ResolvedSandboxOptions): SandboxResponse | null {
  const key = headers['x-api-key'];
  if (typeof key !== 'string' || !key || (options.apiKey !== null && key !== options.apiKey)) {
    return { status: 401, body: apolloErrorBody(401, 'Invalid access credentials.') };
  }
  return null;
}

const behaviour: VendorBehaviour = {
  vendor: VENDOR,
  authorize,
  errorBody: apolloErrorBody,
  // The async webhook's shape (`people[]`) instead of `matches[]`.
  driftBody: (real) => ({ status: 'success', people: (real as { matches?: unknown[] }).matches ?? [] }),
  bodyErrorBody: (status) => ({
    status: 'error',
    error_code: ERROR_CODES[status] ?? 'ERROR',
    error_message: 'Sandbox fault: error reported in the body.',
    matches: [],
  }),
};

const text = z.string().nullish();
const requestSchema = z.looseObject({
  details: z.array(
    z.looseObject({
      first_name: text,
      last_name: text,
      name: text,
      organization_name: text,
      domain: text,
      email: text,
    }),
  ),
  reveal_phone_number: z.boolean().nullish(),
  webhook_url: text,
});
type Detail = z.infer<typeof requestSchema>['details'][number];

const invalid = (message: string): SandboxResponse => ({ status: 422, body: apolloErrorBody(422, message) });

function nameOf(detail: Detail): { first: string; last: string } | null {
  if (detail.first_name?.trim() && detail.last_name?.trim()) {
    return { first: detail.first_name.trim(), last: detail.last_name.trim() };
  }
  const parts = (detail.name ?? '').trim().split(/\s+/).filter(Boolean);
  return parts.length >= 2 ? { first: parts[0]!, last: parts[parts.length - 1]! } : null;
}

function companyDomain(detail: Detail): string | null {
  if (detail.domain) return normalizeDomain(detail.domain);
  const org = detail.organization_name?.trim();
  return org ? normalizeDomain(`${org.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`) : null;
}

function match(detail: Detail, options: ResolvedSandboxOptions): Record<string, unknown> | null {
  const name = nameOf(detail);
  const domain = companyDomain(detail);
  if (!name || !domain) return null;
  const key = `${name.first.toLowerCase()}|${name.last.toLowerCase()}|${domain}`;
  const random = randomFromText(`apollo|${key}|${options.seed}`);
  if (random() >= options.apolloMatchRate) return null;
  const person = makeBusinessPerson(random, name);
  const hex = (r: number): string =>
    Math.floor(r * 0xffffffff)
      .toString(16)
      .padStart(8, '0');
  const orgId = `sbx${hex(randomFromText(`apollo-org|${domain}|${options.seed}`)())}`;
  const emailStatus = random() < 0.8 ? 'verified' : 'unavailable';
  return {
    id: `sbx${hex(random())}${hex(random())}`,
    first_name: name.first,
    last_name: name.last,
    name: `${name.first} ${name.last}`,
    linkedin_url: null,
    title: person.role.position,
    headline: `${person.role.position} at ${organizationFor(domain)}`,
    photo_url: null,
    twitter_url: null,
    github_url: null,
    facebook_url: null,
    email_status: emailStatus,
    email: emailStatus === 'verified' ? `${person.local}@${mailDomainFor(domain)}` : null,
    extrapolated_email_confidence: null,
    personal_emails: [],
    organization_id: orgId,
    employment_history: [],
    state: null,
    city: null,
    country: 'United States',
    departments: [person.role.department],
    subdepartments: [],
    seniority: person.role.apolloSeniority,
    functions: [],
    phone_numbers: [],
    organization: {
      id: orgId,
      name: organizationFor(domain),
      website_url: `http://www.${domain}`,
      primary_domain: domain,
      linkedin_url: null,
    },
  };
}

function bulkMatch(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const parsed = requestSchema.safeParse(request.body);
  if (!parsed.success) return invalid('Request body must be {"details": [...]}.');
  const { details } = parsed.data;
  if (details.length === 0 || details.length > MAX_DETAILS) {
    return invalid(`details must hold 1 to ${MAX_DETAILS} people; got ${details.length}.`);
  }
  // Apollo lists the reveal flags as query parameters; clients also send them in the body.
  const revealPhone =
    parsed.data.reveal_phone_number === true || request.query.get('reveal_phone_number') === 'true';
  if (revealPhone && !(parsed.data.webhook_url || request.query.get('webhook_url'))) {
    return invalid('webhook_url is required when reveal_phone_number is true.');
  }
  const matches = details.map((d) => match(d, options));
  const found = matches.filter((m) => m !== null).length;
  return {
    status: 200,
    body: {
      status: 'success',
      error_code: null,
      error_message: null,
      total_requested_enrichments: details.length,
      unique_enriched_records: found,
      missing_records: details.length - found,
      credits_consumed: found,
      matches,
    },
    billable: matches.flatMap((m, i) =>
      m
        ? [
            {
              vendor: VENDOR,
              requestId: null,
              key: `bulk_match|${String(m.name)}|${companyDomain(details[i]!)}`,
            },
          ]
        : [],
    ),
  };
}

export const apolloRoutes: SandboxRoute[] = [
  { method: 'POST', path: '/api/v1/people/bulk_match', vendor: behaviour, handle: bulkMatch },
];
