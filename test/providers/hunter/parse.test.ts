/** Hunter parsers over every recorded payload; unknown shapes fail closed. */
import { describe, expect, it } from 'vitest';
import type { ProviderErrorCode } from '../../../src/providers/errors.js';
import {
  domainSearchParams,
  normalizeSearchDomain,
  parseDomainSearchResponse,
} from '../../../src/providers/hunter/domain-search.js';
import { parseEmailVerifierResponse } from '../../../src/providers/hunter/email-verifier.js';
import { hunterErrorCode, hunterErrorText } from '../../../src/providers/hunter/status.js';
import {
  FICTIONAL_EMAIL_DOMAIN,
  FICTIONAL_PHONE,
  contactsIn,
  fixtureNames,
  fixtureText,
  loadVendorFixture,
  thrownProviderError,
} from '../vendor-fixtures.js';

const load = (name: string) => loadVendorFixture('hunter', name);

type Case =
  | { parse: 'domain'; asked: string; ok: (r: ReturnType<typeof parseDomainSearchResponse>) => void }
  | { parse: 'verify'; asked: string; ok: (r: ReturnType<typeof parseEmailVerifierResponse>) => void }
  | { parse: 'domain' | 'verify'; asked: string; error: ProviderErrorCode; message?: RegExp };

const EXPECTED: Record<string, Case> = {
  'domain-search.json': {
    parse: 'domain',
    asked: 'acme.example.com',
    ok: (r) => {
      expect(r).toMatchObject({
        domain: 'acme.example.com',
        organization: 'Acme Example',
        total: 142,
        billableUnits: 1,
      });
      expect(r.contacts).toEqual([
        {
          email: 'patricia@acme.example.com',
          first: 'Patricia',
          last: 'Sampleton',
          position: 'CEO',
          seniority: 'executive',
          department: 'executive',
          type: 'personal',
          confidence: 99,
          linkedinUrl: null,
          twitter: 'patricia_example',
          phone: null,
          verificationStatus: 'valid',
          verificationDate: '2026-04-12',
        },
        {
          email: 'info@acme.example.com',
          first: null,
          last: null,
          position: null,
          seniority: null,
          department: 'communication',
          type: 'generic',
          confidence: 91,
          linkedinUrl: null,
          twitter: null,
          phone: '+12125550150',
          verificationStatus: null,
          verificationDate: null,
        },
      ]);
    },
  },
  'domain-search-empty.json': {
    parse: 'domain',
    asked: 'quiet.example.org',
    // "No requests are counted if Hunter cannot provide an email."
    ok: (r) =>
      expect(r).toEqual({
        domain: 'quiet.example.org',
        organization: null,
        total: 0,
        contacts: [],
        billableUnits: 0,
      }),
  },
  'email-verifier-valid.json': {
    parse: 'verify',
    asked: 'Patricia@acme.example.com',
    ok: (r) =>
      expect(r).toEqual({
        email: 'Patricia@acme.example.com',
        status: 'valid',
        score: 99,
        reason: 'smtp_accepted',
        billableUnits: 1,
      }),
  },
  'email-verifier-invalid.json': {
    parse: 'verify',
    asked: 'nobody@nomx.example.net',
    ok: (r) => expect(r).toMatchObject({ status: 'invalid', score: 3, reason: 'no_mx', billableUnits: 1 }),
  },
  'email-verifier-disposable.json': {
    parse: 'verify',
    asked: 'temp123@throwaway.example.org',
    ok: (r) => expect(r).toMatchObject({ status: 'disposable', reason: 'disposable', billableUnits: 0 }),
  },
  'email-verifier-unknown.json': {
    parse: 'verify',
    asked: 'owner@slowmail.example.com',
    ok: (r) => expect(r).toMatchObject({ status: 'unknown', reason: 'blocked', billableUnits: 0 }),
  },
  'email-verifier-accept-all.json': {
    parse: 'verify',
    asked: 'sales@catchall.example.com',
    ok: (r) =>
      expect(r).toMatchObject({ status: 'accept_all', score: 62, reason: 'catch_all', billableUnits: 1 }),
  },
  'email-verifier-new-status.json': {
    parse: 'verify',
    asked: 'patricia@acme.example.com',
    error: 'unrecognized_response',
    message: /^unrecognized response shape: data\.status: /,
  },
  'error-400-wrong-params.json': {
    parse: 'domain',
    asked: 'acme.example.com',
    error: 'invalid_request',
    message: /wrong_params: You are missing the domain parameter/,
  },
  'error-401.json': { parse: 'verify', asked: 'a@acme.example.com', error: 'auth' },
  'error-403-rate-limit.json': { parse: 'domain', asked: 'acme.example.com', error: 'rate_limited' },
  'error-429-usage-limit.json': { parse: 'verify', asked: 'a@acme.example.com', error: 'quota_exhausted' },
  'drift.json': {
    parse: 'domain',
    asked: 'acme.example.com',
    error: 'unrecognized_response',
    message: /^unrecognized response shape: data: /,
  },
};

describe('Hunter parsers — fixtures', () => {
  it('covers every fixture in the folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('hunter'));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, c) => {
    const run = () =>
      c.parse === 'domain'
        ? parseDomainSearchResponse(load(name), c.asked, 200)
        : parseEmailVerifierResponse(load(name), c.asked, 200);
    if ('ok' in c) {
      (c.ok as (r: unknown) => void)(run());
      return;
    }
    const err = thrownProviderError(run);
    expect(err.code).toBe(c.error);
    expect(err.details.provider).toBe(
      c.parse === 'domain' ? 'hunter-domain-search' : 'hunter-email-verifier',
    );
    if (c.message) expect(err.message).toMatch(c.message);
  });

  it('fixtures hold only fictional phones and example.* emails', () => {
    for (const name of fixtureNames('hunter')) {
      const { phones, emailDomains } = contactsIn(fixtureText('hunter', name));
      for (const phone of phones) expect(phone, name).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, name).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });
});

describe('Hunter parsers — unknown shapes fail closed', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['no meta', { data: { domain: 'acme.example.com', emails: [] } }],
    ['emails not an array', { data: { domain: 'acme.example.com', emails: null }, meta: { results: 0 } }],
    ['an email without value', { data: { domain: 'acme.example.com', emails: [{}] }, meta: { results: 1 } }],
    ['errors that are not a list', { errors: 'nope' }],
  ])('domain search: %s', (_label, body) => {
    const err = thrownProviderError(() => parseDomainSearchResponse(body, 'acme.example.com', 200));
    expect(['unrecognized_response']).toContain(err.code);
  });

  it('an answer for another domain fails closed', () => {
    const err = thrownProviderError(() =>
      parseDomainSearchResponse(load('domain-search.json'), 'other.example.com', 200),
    );
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toContain('answer is for acme.example.com, not other.example.com');
  });

  it('a verification of another address fails closed', () => {
    const err = thrownProviderError(() =>
      parseEmailVerifierResponse(load('email-verifier-valid.json'), 'someone@acme.example.com', 200),
    );
    expect(err.code).toBe('unrecognized_response');
  });

  it('a verifier body without data.status fails closed', () => {
    const err = thrownProviderError(() =>
      parseEmailVerifierResponse({ data: { email: 'a@acme.example.com' } }, 'a@acme.example.com', 200),
    );
    expect(err.code).toBe('unrecognized_response');
  });
});

describe('Hunter status words', () => {
  it.each([
    [200, null],
    [400, 'invalid_request'],
    [401, 'auth'],
    [403, 'rate_limited'],
    [404, 'invalid_request'],
    [422, 'invalid_request'],
    [429, 'quota_exhausted'],
    [451, 'invalid_request'],
    [500, 'server_error'],
    [503, 'server_error'],
  ] as const)('HTTP %i → %s', (status, code) => {
    expect(hunterErrorCode(status)).toBe(code);
  });

  it('reads id and details of the first error', () => {
    expect(hunterErrorText(load('error-400-wrong-params.json'))).toBe(
      'wrong_params: You are missing the domain parameter',
    );
    expect(hunterErrorText({ data: {} })).toBe('');
  });
});

describe('domain search request', () => {
  it('normalizes the domain', () => {
    expect(normalizeSearchDomain(' https://www.Acme.Example.com/team?x=1 ')).toBe('acme.example.com');
    expect(thrownProviderError(() => normalizeSearchDomain('not a domain')).code).toBe('invalid_request');
  });

  it('names every filter as Hunter does', () => {
    expect(
      domainSearchParams('acme.example.com', {
        limit: 25,
        offset: 50,
        type: 'personal',
        seniority: ['senior', 'executive'],
        department: ['sales', 'it'],
        requiredField: 'position',
        jobTitles: ['CEO', 'VP of Sales'],
        location: '{"include":[{"country":"US"}]}',
      }),
    ).toEqual({
      domain: 'acme.example.com',
      limit: '25',
      offset: '50',
      type: 'personal',
      seniority: 'senior,executive',
      department: 'sales,it',
      required_field: 'position',
      job_titles: 'CEO,VP of Sales',
      location: '{"include":[{"country":"US"}]}',
    });
  });

  it.each([{ limit: 0 }, { limit: 101 }, { limit: 2.5 }, { offset: -1 }])('refuses %j', (filters) => {
    expect(thrownProviderError(() => domainSearchParams('acme.example.com', filters)).code).toBe(
      'invalid_request',
    );
  });
});
