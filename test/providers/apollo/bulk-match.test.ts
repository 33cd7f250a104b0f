/** Apollo bulk_match: request, parser over every fixture, and the adapter against the sandbox. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonMatchInput } from '../../../src/providers/contract.js';
import {
  buildBulkMatchRequest,
  createApolloBulkMatch,
  parseBulkMatchResponse,
  type ApolloOptions,
} from '../../../src/providers/apollo/bulk-match.js';
import type { ProviderErrorCode } from '../../../src/providers/errors.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { itMapsSandboxFaults } from '../fault-matrix.js';
import {
  FICTIONAL_EMAIL_DOMAIN,
  FICTIONAL_PHONE,
  contactsIn,
  fixtureNames,
  fixtureText,
  loadVendorFixture,
  providerFailure,
  sandboxBaseline,
  thrownProviderError,
} from '../vendor-fixtures.js';

const API_KEY = 'apollo-test-key-0123456789';
const load = (name: string) => loadVendorFixture('apollo', name);

const THREE: PersonMatchInput[] = [
  { requestId: 'p1', firstName: 'Tim', lastName: 'Testwell', domain: 'https://www.acme.example.com' },
  { requestId: 'p2', name: 'Nobody Known', organizationName: 'Initech Example' },
  { requestId: 'p3', firstName: 'Dana', lastName: 'Mockford', organizationName: 'Globex Example' },
];

describe('buildBulkMatchRequest', () => {
  it('maps inputs to details, reveals nothing', () => {
    expect(buildBulkMatchRequest(THREE)).toEqual({
      details: [
        { first_name: 'Tim', last_name: 'Testwell', domain: 'acme.example.com' },
        { name: 'Nobody Known', organization_name: 'Initech Example' },
        { first_name: 'Dana', last_name: 'Mockford', organization_name: 'Globex Example' },
      ],
      reveal_personal_emails: false,
      reveal_phone_number: false,
    });
  });

  it('refuses an empty batch, more than 10 people and repeated requestIds', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ requestId: `r${i}`, name: `A B${i}` }));
    expect(thrownProviderError(() => buildBulkMatchRequest([])).code).toBe('invalid_request');
    expect(thrownProviderError(() => buildBulkMatchRequest(eleven)).code).toBe('invalid_request');
    expect(buildBulkMatchRequest(eleven.slice(0, 10)).details).toHaveLength(10);
    expect(thrownProviderError(() => buildBulkMatchRequest([THREE[0]!, THREE[0]!])).code).toBe(
      'invalid_request',
    );
  });
});

type Case =
  | { inputs: PersonMatchInput[]; ok: (r: ReturnType<typeof parseBulkMatchResponse>) => void }
  | { inputs: PersonMatchInput[]; error: ProviderErrorCode; message?: RegExp };

const EXPECTED: Record<string, Case> = {
  'bulk-match.json': {
    inputs: THREE,
    ok: (r) => {
      expect(r.map((m) => [m.requestId, m.matched, m.billableUnits])).toEqual([
        ['p1', true, 1],
        ['p2', false, 0],
        // A mobile phone returned costs 8 more credits.
        ['p3', true, 9],
      ]);
      expect(r[0]!.person).toEqual({
        first: 'Timothy',
        last: 'Testwell',
        title: 'Founder & CEO',
        email: 'tim@acme.example.com',
        emailStatus: 'verified',
        phones: [],
        linkedinUrl: null,
        organization: 'Acme Example',
        domain: 'acme.example.com',
      });
      expect(r[1]!.rawItem).toBeNull();
      expect(r[2]!.person!.phones).toEqual([
        {
          number: '+14155550123',
          type: 'mobile',
          carrier: null,
          dnc: false,
          tcpa: false,
          score: null,
          reachable: true,
        },
      ]);
      expect(r[2]!.rawItem).toMatchObject({ id: '64a7f1c2e9b0d3a4c5e6f7a2' });
    },
  },
  'all-misses.json': {
    inputs: THREE.slice(0, 2),
    ok: (r) => expect(r.every((m) => !m.matched && m.billableUnits === 0 && m.person === null)).toBe(true),
  },
  'error-403-free-plan.json': {
    inputs: THREE,
    error: 'auth',
    message: /\(API_INACCESSIBLE\): \.\.\. not included in your Free plan \.\.\./,
  },
  'body-error.json': {
    inputs: THREE,
    error: 'quota_exhausted',
    message:
      /^Apollo answered HTTP 200 with an error in the body \(INSUFFICIENT_CREDITS\): Your team has run out of credits\.$/,
  },
  'drift-webhook-people.json': {
    inputs: THREE.slice(0, 1),
    error: 'unrecognized_response',
    message: /^unrecognized response shape: matches: /,
  },
};

describe('parseBulkMatchResponse — fixtures', () => {
  it('covers every fixture in the folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('apollo'));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, c) => {
    const run = () => parseBulkMatchResponse(load(name), c.inputs, 200);
    if ('ok' in c) {
      c.ok(run());
      return;
    }
    const err = thrownProviderError(run);
    expect(err.code).toBe(c.error);
    if (c.message) expect(err.message).toMatch(c.message);
  });

  it('fixtures hold only fictional phones and example.* emails', () => {
    for (const name of fixtureNames('apollo')) {
      const { phones, emailDomains } = contactsIn(fixtureText('apollo', name));
      for (const phone of phones) expect(phone, name).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, name).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });
});

describe('parseBulkMatchResponse — position backed by checks', () => {
  it('fails closed when matches and details differ in length', () => {
    const err = thrownProviderError(() =>
      parseBulkMatchResponse(load('bulk-match.json'), THREE.slice(0, 2), 200),
    );
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toContain('matches has 3 entries for 2 details');
  });

  it('rejects a match whose last name or domain contradicts the input, keeping its cost', () => {
    const swapped = [THREE[2]!, THREE[1]!, THREE[0]!];
    const r = parseBulkMatchResponse(load('bulk-match.json'), swapped, 200);
    expect(r.map((m) => [m.matched, m.billableUnits, m.person])).toEqual([
      [false, 1, null],
      [false, 0, null],
      [false, 9, null],
    ]);
    const otherDomain = [{ ...THREE[0]!, domain: 'acme.example.net' }, THREE[1]!, THREE[2]!];
    expect(parseBulkMatchResponse(load('bulk-match.json'), otherDomain, 200)[0]!.matched).toBe(false);
  });

  it('a first-name nickname is not a contradiction', () => {
    expect(parseBulkMatchResponse(load('bulk-match.json'), THREE, 200)[0]!.matched).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no matches', { status: 'success' }],
    ['matches not an array', { status: 'success', matches: {} }],
    ['a match that is a string', { status: 'success', matches: ['x', null, null] }],
  ])('%s fails closed', (_label, body) => {
    expect(thrownProviderError(() => parseBulkMatchResponse(body, THREE, 200)).code).toBe(
      'unrecognized_response',
    );
  });
});

// ---- against the sandbox ------------------------------------------------------------------

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline());
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(sandboxBaseline()));

const apollo = (over: Partial<ApolloOptions> = {}) =>
  createApolloBulkMatch({ baseUrl: sandbox.url, apiKey: API_KEY, ...over });

const TEN: PersonMatchInput[] = Array.from({ length: 10 }, (_, i) => ({
  requestId: `lead-${i}`,
  firstName: ['Avery', 'Blake', 'Casey', 'Dana', 'Emerson'][i % 5]!,
  lastName: ['Sampleton', 'Fixturely', 'Mockford'][i % 3]!,
  domain: i % 2 === 0 ? `co${i}.example.com` : `company${i}.io`,
}));

describe('createApolloBulkMatch', () => {
  it('declares its facts', () => {
    expect(apollo()).toMatchObject({
      id: 'apollo-bulk-match',
      kind: 'business-people',
      flags: { batchSize: 10, billsOnMiss: false, returnsLineType: false },
      cost: { perCallMicros: 0, perHitMicros: 20_000, perItemMicros: 0 },
      rateLimit: { requestsPerSecond: 1, requestsPerMinute: 10 },
      authStyle: 'header',
      envKeys: ['APOLLO_API_KEY', 'APOLLO_BASE_URL', 'APOLLO_COST_PER_CREDIT_USD'],
    });
  });

  it('sends x-api-key and the details as JSON', async () => {
    let seen: RequestInit | undefined;
    const spy: typeof fetch = (url, init) => {
      seen = init;
      expect(String(url)).toBe(`${sandbox.url}/api/v1/people/bulk_match`);
      return fetch(url, init);
    };
    await apollo({ fetch: spy }).matchPeople(THREE);
    expect(seen?.method).toBe('POST');
    expect(seen?.headers).toMatchObject({ 'x-api-key': API_KEY, 'content-type': 'application/json' });
    expect(JSON.parse(String(seen?.body))).toEqual(buildBulkMatchRequest(THREE));
  });

  it('matches by position; a name alone matches nothing; bills 1 credit per match', async () => {
    sandbox.setOptions({ apolloMatchRate: 1 });
    const before = sandbox.billing.billedCount();
    const results = await apollo().matchPeople(THREE);
    expect(results.map((r) => [r.requestId, r.matched])).toEqual([
      ['p1', true],
      ['p2', true],
      ['p3', true],
    ]);
    expect(results[0]!.person).toMatchObject({ first: 'Tim', last: 'Testwell', domain: 'acme.example.com' });
    expect(results[2]!.person).toMatchObject({ last: 'Mockford', organization: 'Globex Example' });
    const nameOnly = await apollo().matchPeople([
      { requestId: 'solo', firstName: 'Avery', lastName: 'Fixturely' },
    ]);
    expect(nameOnly[0]).toMatchObject({ matched: false, billableUnits: 0 });
    expect(sandbox.billing.billedCount() - before).toBe(3);
  });

  it('addresses are fictional, even for real company domains; no phone, no LinkedIn invented', async () => {
    sandbox.setOptions({ apolloMatchRate: 1 });
    const results = await apollo().matchPeople(TEN);
    for (const r of results) {
      expect(r.matched).toBe(true);
      if (r.person!.email) expect(r.person!.email.split('@')[1]).toMatch(FICTIONAL_EMAIL_DOMAIN);
      expect(r.person!.phones).toEqual([]);
      expect(r.person!.linkedinUrl).toBeNull();
    }
    expect(results[1]!.person!.domain).toBe('company1.io');
    expect(results.some((r) => r.person!.email?.endsWith('@company1-io.example.com'))).toBe(true);
  });

  it('hit rate and determinism', async () => {
    const a = await apollo().matchPeople(TEN);
    expect(await apollo().matchPeople(TEN)).toEqual(a);
    const hits = a.filter((r) => r.matched).length;
    expect(hits).toBeGreaterThan(3);
    expect(hits).toBeLessThan(10);
    sandbox.setOptions({ apolloMatchRate: 0 });
    expect((await apollo().matchPeople(TEN)).every((r) => !r.matched)).toBe(true);
  });
});

describe('createApolloBulkMatch errors', () => {
  it('a wrong key → auth', async () => {
    sandbox.setOptions({ apiKey: 'another' });
    const err = await providerFailure(apollo().matchPeople(THREE));
    expect(err).toMatchObject({ code: 'auth', statusCode: 401 });
    expect(err.message).toBe('Apollo answered HTTP 401 (INVALID_API_KEY: Invalid access credentials.)');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(API_KEY);
  });

  it('403 API_INACCESSIBLE (free plan) → auth', async () => {
    const body = fixtureText('apollo', 'error-403-free-plan.json');
    const fake: typeof fetch = () => Promise.resolve(new Response(body, { status: 403 }));
    const err = await providerFailure(apollo({ fetch: fake }).matchPeople(THREE));
    expect(err).toMatchObject({ code: 'auth', statusCode: 403 });
    expect(err.message).toContain('API_INACCESSIBLE');
  });

  it('more than 10 people → invalid_request, nothing sent', async () => {
    const before = sandbox.billing.requestCount();
    const eleven = [...TEN, { requestId: 'eleventh', name: 'Quinn Notreal', domain: 'x.example.com' }];
    expect((await providerFailure(apollo().matchPeople(eleven))).code).toBe('invalid_request');
    expect(sandbox.billing.requestCount()).toBe(before);
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) => apollo({ timeoutMs }).matchPeople(THREE),
  );
});
