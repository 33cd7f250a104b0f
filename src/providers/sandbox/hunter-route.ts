/**
 * Simulated Hunter.io v2 (vendors.md §3): GET /v2/domain-search and GET /v2/email-verifier,
 * key in the `api_key` query parameter or the X-API-KEY header, `{data, meta}` on success,
 * `{errors: [{id, code, details}]}` on failure.
 *
 * Hunter's own status words: 403 is the rate limit (the `rateLimit429` fault answers 403
 * here), 429 is the exhausted plan (`hunterQuotaAfter`). Error ids other than
 * `wrong_params` are [INFERRED].
 *
 * Any domain is answered, always with fictional people whose addresses live on
 * example.com/.org/.net (see business-people.ts). Billing, in credits: a domain search costs
 * 1 per 1–10 emails returned (0 when none); a verification costs 1 unless the result is
 * `unknown` or `disposable`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  GENERIC_MAILBOXES,
  isTestDomain,
  mailDomainFor,
  makeBusinessPerson,
  normalizeDomain,
  organizationFor,
  type Seniority,
} from './business-people.js';
import type { ResolvedSandboxOptions } from './options.js';
import { intBetween, randomFromText } from './prng.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const VENDOR = 'hunter';

const ERRORS: Record<number, { id: string; details: string }> = {
  400: { id: 'wrong_params', details: 'Your request was not valid.' },
  401: { id: 'authentication_failed', details: 'No valid API key was provided.' },
  403: { id: 'too_many_requests', details: 'You have reached the rate limit.' },
  429: {
    id: 'too_many_requests',
    details: 'You have reached your usage limit. Upgrade your plan if necessary.',
  },
  500: { id: 'server_error', details: 'Something went wrong on our end.' },
  503: { id: 'service_unavailable', details: 'Something went wrong on our end.' },
};

export function hunterErrorBody(status: number, details?: string, id?: string): unknown {
  const known = ERRORS[status];
  return {
    errors: [{ id: id ?? known?.id ?? 'error', code: status, details: details ?? known?.details ?? '' }],
  };
}

function authorize(
  headers: IncomingHttpHeaders,
  options: ResolvedSandboxOptions,
  query: URLSearchParams,
): SandboxResponse | null {
  const header = headers['x-api-key'];
  const key = query.get('api_key') || (typeof header === 'string' ? header : '');
  if (!key || (options.apiKey !== null && key !== options.apiKey)) {
    return { status: 401, body: hunterErrorBody(401) };
  }
  return null;
}

const behaviour: VendorBehaviour = {
  vendor: VENDOR,
  authorize,
  rateLimitStatus: 403,
  errorBody: (status) => hunterErrorBody(status),
  driftBody: (real) => ({
    result: { contacts: (real as { data?: { emails?: unknown } }).data?.emails ?? [] },
  }),
  bodyErrorBody: (status) => hunterErrorBody(status),
};

const badParam = (details: string, id = 'wrong_params'): SandboxResponse => ({
  status: 400,
  body: hunterErrorBody(400, details, id),
});

/** 429 once the credits given by `hunterQuotaAfter` have been billed. */
function quotaExhausted(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse | null {
  const quota = options.hunterQuotaAfter;
  if (quota === null || request.billedSinceOptions(VENDOR) < quota) return null;
  return { status: 429, body: hunterErrorBody(429) };
}

// ---- domain search ------------------------------------------------------------------------

interface DomainEmail {
  value: string;
  type: 'personal' | 'generic';
  confidence: number;
  first_name: string | null;
  last_name: string | null;
  position: string | null;
  seniority: Seniority | null;
  department: string | null;
  phone_number: string | null;
  verificationStatus: 'valid' | 'accept_all' | null;
}

/** Every email the sandbox knows at `domain`, in a fixed order. */
function knownEmails(domain: string, options: ResolvedSandboxOptions): DomainEmail[] {
  const random = randomFromText(`hunter|${domain}|${options.seed}`);
  if (random() < options.hunterEmptyDomainRate) return [];
  const mailDomain = mailDomainFor(domain);
  const count = intBetween(random, 1, options.hunterMaxEmailsPerDomain);
  const genericCount = Math.min(count - 1, intBetween(random, 0, GENERIC_MAILBOXES.length));
  const emails: DomainEmail[] = GENERIC_MAILBOXES.slice(0, genericCount).map((box) => ({
    value: `${box.local}@${mailDomain}`,
    type: 'generic',
    confidence: intBetween(random, 70, 99),
    first_name: null,
    last_name: null,
    position: null,
    seniority: null,
    department: box.department,
    phone_number: null,
    verificationStatus: 'valid',
  }));
  const used = new Set(emails.map((e) => e.value));
  while (emails.length < count) {
    const person = makeBusinessPerson(random);
    let value = `${person.local}@${mailDomain}`;
    for (let n = 2; used.has(value); n++) value = `${person.local}${n}@${mailDomain}`;
    used.add(value);
    const verified = random();
    emails.push({
      value,
      type: 'personal',
      confidence: person.confidence,
      first_name: person.first,
      last_name: person.last,
      position: person.role.position,
      seniority: person.role.seniority,
      department: person.role.department,
      phone_number: person.phone ? `+1${person.phone}` : null,
      verificationStatus: verified < 0.6 ? 'valid' : verified < 0.8 ? 'accept_all' : null,
    });
  }
  return emails;
}

const list = (value: string | null): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

function domainSearch(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const exhausted = quotaExhausted(request, options);
  if (exhausted) return exhausted;
  const q = request.query;
  const company = q.get('company');
  const rawDomain = q.get('domain') || (company ? `${company.replace(/[^a-z0-9]+/gi, '-')}.example.com` : '');
  if (!rawDomain) return badParam('You are missing the domain parameter');
  const domain = normalizeDomain(rawDomain);
  if (!domain) return badParam('The domain parameter is not a valid domain name', 'invalid_domain');

  const limit = Number(q.get('limit') ?? 10);
  const offset = Number(q.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return badParam('Limit must be between 1 and 100', 'invalid_limit');
  if (!Number.isInteger(offset) || offset < 0)
    return badParam('Offset must be a positive integer', 'invalid_offset');
  const type = q.get('type');
  if (type !== null && type !== 'personal' && type !== 'generic')
    return badParam('Type must be personal or generic', 'invalid_type');
  const seniority = list(q.get('seniority'));
  const seniorities = seniority.filter((s) => ['junior', 'senior', 'executive'].includes(s));
  if (seniority.length > 0 && seniorities.length === 0)
    return badParam('No valid seniority given', 'invalid_seniority');
  const departments = list(q.get('department'));
  const required = list(q.get('required_field'));
  const titles = list(q.get('job_titles'));

  const matching = knownEmails(domain, options).filter(
    (e) =>
      (type === null || e.type === type) &&
      (seniorities.length === 0 || (e.seniority !== null && seniorities.includes(e.seniority))) &&
      (departments.length === 0 || (e.department !== null && departments.includes(e.department))) &&
      (!required.includes('full_name') || (e.first_name !== null && e.last_name !== null)) &&
      (!required.includes('position') || e.position !== null) &&
      (!required.includes('phone_number') || e.phone_number !== null) &&
      (titles.length === 0 || titles.some((t) => (e.position ?? '').toLowerCase().includes(t))),
  );
  const page = matching.slice(offset, offset + limit);
  const mailDomain = mailDomainFor(domain);
  const random = randomFromText(`hunter-org|${domain}|${options.seed}`);
  const credits = Math.ceil(page.length / 10);
  return {
    status: 200,
    body: {
      data: {
        domain,
        disposable: false,
        webmail: false,
        accept_all: random() < 0.2,
        pattern: '{first}.{last}',
        organization: organizationFor(domain),
        description: null,
        industry: null,
        twitter: null,
        facebook: null,
        linkedin: null,
        instagram: null,
        youtube: null,
        technologies: [],
        country: 'US',
        state: null,
        city: null,
        postal_code: null,
        street: null,
        headcount: '11-50',
        company_type: 'privately held',
        emails: page.map(({ verificationStatus, ...e }) => ({
          value: e.value,
          type: e.type,
          confidence: e.confidence,
          sources: [
            {
              domain: mailDomain,
              uri: `https://${mailDomain}/about`,
              extracted_on: '2025-06-01',
              last_seen_on: '2026-01-15',
              still_on_page: true,
            },
          ],
          first_name: e.first_name,
          last_name: e.last_name,
          position: e.position,
          seniority: e.seniority,
          department: e.department,
          linkedin: null,
          twitter: null,
          phone_number: e.phone_number,
          verification: verificationStatus ? { date: '2026-01-10', status: verificationStatus } : null,
        })),
        linked_domains: [],
      },
      meta: {
        results: matching.length,
        limit,
        offset,
        params: {
          domain: q.get('domain'),
          company,
          type,
          seniority: q.get('seniority'),
          department: q.get('department'),
        },
      },
    },
    billable: Array.from({ length: credits }, (_, i) => ({
      vendor: VENDOR,
      requestId: null,
      key: `domain-search|${domain}|${offset}|${i}`,
    })),
  };
}

// ---- email verifier -----------------------------------------------------------------------

const WEBMAIL = new Set(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'aol.com', 'icloud.com']);
type VerifierStatus = 'valid' | 'invalid' | 'accept_all' | 'webmail' | 'disposable' | 'unknown';

function verifierStatus(email: string, options: ResolvedSandboxOptions): VerifierStatus {
  const domain = email.split('@')[1] ?? '';
  if (WEBMAIL.has(domain)) return 'webmail';
  if (!isTestDomain(domain)) return 'unknown'; // never vouch for a real mailbox
  const draw = randomFromText(`hunter-verify|${email}|${options.seed}`)();
  if (draw < options.emailValidRate) return 'valid';
  const rest = (draw - options.emailValidRate) / (1 - options.emailValidRate);
  return rest < 0.4 ? 'invalid' : rest < 0.7 ? 'accept_all' : rest < 0.9 ? 'unknown' : 'disposable';
}

function emailVerifier(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const exhausted = quotaExhausted(request, options);
  if (exhausted) return exhausted;
  const email = request.query.get('email')?.trim().toLowerCase();
  if (!email) return badParam('You are missing the email parameter');
  if (request.countCall(`verify|${email}`) <= options.hunterVerifyPendingPolls) {
    return { status: 202, body: { data: null, meta: { params: { email } } } };
  }
  const regexp = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
  const status: VerifierStatus = regexp ? verifierStatus(email, options) : 'invalid';
  const score = { valid: 96, accept_all: 60, webmail: 70, unknown: 40, disposable: 20, invalid: 5 }[status];
  return {
    status: 200,
    body: {
      data: {
        status,
        result: status === 'valid' ? 'deliverable' : status === 'invalid' ? 'undeliverable' : 'risky',
        score,
        email,
        regexp,
        gibberish: false,
        disposable: status === 'disposable',
        webmail: status === 'webmail',
        mx_records: regexp && status !== 'invalid',
        smtp_server: regexp && status !== 'invalid',
        smtp_check: status === 'valid' || status === 'accept_all',
        accept_all: status === 'accept_all',
        block: false,
        sources: [],
      },
      meta: { params: { email } },
    },
    billable:
      status === 'unknown' || status === 'disposable'
        ? []
        : [{ vendor: VENDOR, requestId: null, key: `email-verifier|${email}` }],
  };
}

export const hunterRoutes: SandboxRoute[] = [
  { method: 'GET', path: '/v2/domain-search', vendor: behaviour, handle: domainSearch },
  { method: 'GET', path: '/v2/email-verifier', vendor: behaviour, handle: emailVerifier },
];
