/** Hunter domain search and email verifier against the real sandbox over loopback HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHunterDomainSearch, type HunterOptions } from '../../../src/providers/hunter/domain-search.js';
import {
  createHunterEmailVerifier,
  type HunterEmailVerifierOptions,
} from '../../../src/providers/hunter/email-verifier.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { itMapsSandboxFaults } from '../fault-matrix.js';
import {
  FICTIONAL_EMAIL_DOMAIN,
  FICTIONAL_PHONE,
  providerFailure,
  sandboxBaseline,
} from '../vendor-fixtures.js';

const API_KEY = 'hunter-test-key-0123456789';
const DOMAIN = 'acme.example.com';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline());
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions({ ...sandboxBaseline(), hunterEmptyDomainRate: 0 }));

const search = (over: Partial<HunterOptions> = {}) =>
  createHunterDomainSearch({ baseUrl: sandbox.url, apiKey: API_KEY, ...over });
const verifier = (over: Partial<HunterEmailVerifierOptions> = {}) =>
  createHunterEmailVerifier({
    baseUrl: sandbox.url,
    apiKey: API_KEY,
    sleep: () => Promise.resolve(),
    ...over,
  });

describe('descriptors', () => {
  it('declare kind, flags, cost, rate limits, auth and env keys', () => {
    expect(search()).toMatchObject({
      id: 'hunter-domain-search',
      kind: 'domain-search',
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
      cost: { perCallMicros: 0, perHitMicros: 25_000, perItemMicros: 0 },
      rateLimit: { requestsPerSecond: 15, requestsPerMinute: 500 },
      authStyle: 'header',
      envKeys: ['HUNTER_API_KEY', 'HUNTER_BASE_URL', 'HUNTER_COST_PER_CREDIT_USD'],
    });
    expect(verifier()).toMatchObject({
      id: 'hunter-email-verifier',
      kind: 'email-verify',
      rateLimit: { requestsPerSecond: 10, requestsPerMinute: 300 },
    });
    expect(search({ costPerCreditMicros: 30_000 }).cost.perHitMicros).toBe(30_000);
  });
});

describe('domainSearch against the sandbox', () => {
  it('sends the key as X-API-KEY by default, or as api_key, never both', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
      return fetch(url, init);
    };
    await search({ fetch: spy }).domainSearch(DOMAIN, { limit: 5 });
    await search({ fetch: spy, authStyle: 'query' }).domainSearch(DOMAIN, { limit: 5 });
    expect(seen[0]!.url).toBe(`${sandbox.url}/v2/domain-search?domain=acme.example.com&limit=5`);
    expect(seen[0]!.headers['x-api-key']).toBe(API_KEY);
    expect(seen[1]!.url).toBe(
      `${sandbox.url}/v2/domain-search?domain=acme.example.com&limit=5&api_key=${API_KEY}`,
    );
    expect(seen[1]!.headers['x-api-key']).toBeUndefined();
  });

  it('pages through every email, billing 1 credit per 1–10 emails returned', async () => {
    sandbox.setOptions({ hunterMaxEmailsPerDomain: 60 });
    const first = await search().domainSearch(DOMAIN, { limit: 100 });
    expect(first.total).toBe(first.contacts.length);
    expect(first.billableUnits).toBe(Math.ceil(first.total / 10));
    const paged = [];
    for (let offset = 0; offset < first.total; offset += 7) {
      const page = await search().domainSearch(DOMAIN, { limit: 7, offset });
      expect(page.total).toBe(first.total);
      expect(page.billableUnits).toBe(page.contacts.length > 0 ? 1 : 0);
      paged.push(...page.contacts);
    }
    expect(paged).toEqual(first.contacts);
  });

  it('filters by type, seniority, department, required field and job title', async () => {
    sandbox.setOptions({ hunterMaxEmailsPerDomain: 200 });
    const all = (await search().domainSearch(DOMAIN, { limit: 100 })).contacts;
    const personal = await search().domainSearch(DOMAIN, { limit: 100, type: 'personal' });
    expect(personal.contacts.every((c) => c.type === 'personal' && c.first && c.last)).toBe(true);
    const generic = await search().domainSearch(DOMAIN, { limit: 100, type: 'generic' });
    expect(generic.contacts.every((c) => c.type === 'generic' && c.first === null)).toBe(true);
    const execs = await search().domainSearch(DOMAIN, {
      limit: 100,
      seniority: ['executive'],
      department: ['sales'],
    });
    expect(execs.contacts.length).toBeGreaterThan(0);
    expect(execs.contacts.every((c) => c.seniority === 'executive' && c.department === 'sales')).toBe(true);
    const phones = await search().domainSearch(DOMAIN, { limit: 100, requiredField: 'phone_number' });
    expect(phones.contacts.every((c) => c.phone !== null)).toBe(true);
    const ceos = await search().domainSearch(DOMAIN, { limit: 100, jobTitles: ['chief executive'] });
    expect(ceos.contacts.every((c) => c.position === 'Chief Executive Officer')).toBe(true);
    expect(ceos.total).toBeLessThan(all.length);
  });

  it('answers any domain with fictional people on example.com addresses', async () => {
    const real = await search().domainSearch('https://www.stripe.com/about', { limit: 100 });
    expect(real.domain).toBe('stripe.com');
    expect(real.contacts.length).toBeGreaterThan(0);
    for (const c of real.contacts) expect(c.email).toMatch(/@stripe-com\.example\.com$/);
    for (const domain of [DOMAIN, 'shop.example.org', 'globex.io']) {
      const { contacts } = await search().domainSearch(domain, { limit: 100 });
      for (const c of contacts) {
        expect(c.email.split('@')[1]).toMatch(FICTIONAL_EMAIL_DOMAIN);
        if (c.phone) expect(c.phone.replace(/\D/g, '')).toMatch(FICTIONAL_PHONE);
        expect(c.linkedinUrl).toBeNull();
      }
    }
  });

  it('a domain with no email is free', async () => {
    sandbox.setOptions({ hunterEmptyDomainRate: 1 });
    const before = sandbox.billing.billedCount();
    expect(await search().domainSearch(DOMAIN, {})).toEqual({
      domain: DOMAIN,
      organization: 'Acme',
      total: 0,
      contacts: [],
      billableUnits: 0,
    });
    expect(sandbox.billing.billedCount()).toBe(before);
  });

  it('is deterministic, and bills what the adapter reports', async () => {
    const before = sandbox.billing.billedCount();
    const a = await search().domainSearch('initech.example.net', { limit: 25 });
    const b = await search().domainSearch('initech.example.net', { limit: 25 });
    expect(b).toEqual(a);
    expect(sandbox.billing.billedCount() - before).toBe(a.billableUnits + b.billableUnits);
  });
});

describe('domainSearch errors', () => {
  it('a wrong key → auth (401)', async () => {
    sandbox.setOptions({ apiKey: 'another-key' });
    const err = await providerFailure(search().domainSearch(DOMAIN, {}));
    expect(err).toMatchObject({ code: 'auth', statusCode: 401 });
    expect(err.message).toBe(
      'Hunter answered HTTP 401 (authentication_failed: No valid API key was provided.)',
    );
  });

  it('the key sent as api_key never shows in an error', async () => {
    sandbox.setOptions({ apiKey: 'another-key' });
    const err = await providerFailure(search({ authStyle: 'query' }).domainSearch(DOMAIN, {}));
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(API_KEY);
  });

  it('403 is the rate limit → rate_limited; 429 is the exhausted plan → quota_exhausted', async () => {
    sandbox.setOptions({ rateLimit429: { probability: 1, retryAfterS: 3 } });
    const limited = await providerFailure(search().domainSearch(DOMAIN, {}));
    expect(limited).toMatchObject({ code: 'rate_limited', statusCode: 403, retryAfterMs: 3_000 });

    sandbox.setOptions({ rateLimit429: null, hunterQuotaAfter: 2, hunterMaxEmailsPerDomain: 10 });
    await search().domainSearch('one.example.com', { limit: 10 });
    await search().domainSearch('two.example.com', { limit: 10 });
    const exhausted = await providerFailure(search().domainSearch('three.example.com', { limit: 10 }));
    expect(exhausted).toMatchObject({ code: 'quota_exhausted', statusCode: 429 });
    expect(exhausted.message).toContain('You have reached your usage limit');
    // New options, new quota window.
    sandbox.setOptions({ hunterQuotaAfter: 1 });
    await expect(search().domainSearch('three.example.com', { limit: 10 })).resolves.toMatchObject({
      domain: 'three.example.com',
    });
  });

  it('a quota of 0 stops the verifier too', async () => {
    sandbox.setOptions({ hunterQuotaAfter: 0 });
    const err = await providerFailure(verifier().verifyEmails(['a@acme.example.com']));
    expect(err.code).toBe('quota_exhausted');
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) => search({ timeoutMs }).domainSearch(DOMAIN, { limit: 10 }),
  );
});

describe('verifyEmails against the sandbox', () => {
  const addresses = Array.from({ length: 30 }, (_, i) => `person${i}@acme.example.com`);

  it('answers Hunter statuses; unknown and disposable are free', async () => {
    const before = sandbox.billing.billedCount();
    const results = [];
    for (const email of addresses) results.push(...(await verifier().verifyEmails([email])));
    expect(results.map((r) => r.email)).toEqual(addresses);
    const statuses = new Set(results.map((r) => r.status));
    expect(statuses.has('valid')).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
    for (const r of results) {
      expect(r.billableUnits).toBe(r.status === 'unknown' || r.status === 'disposable' ? 0 : 1);
      expect(r.score).toEqual(expect.any(Number));
    }
    const billed = results.reduce((sum, r) => sum + r.billableUnits, 0);
    expect(sandbox.billing.billedCount() - before).toBe(billed);
  });

  it('never vouches for a real mailbox; webmail is webmail', async () => {
    expect((await verifier().verifyEmails(['ceo@stripe.com']))[0]).toMatchObject({
      status: 'unknown',
      billableUnits: 0,
    });
    expect((await verifier().verifyEmails(['someone@gmail.com']))[0]).toMatchObject({ status: 'webmail' });
  });

  it('polls while Hunter answers 202, within maxPolls', async () => {
    sandbox.setOptions({ hunterVerifyPendingPolls: 2, emailValidRate: 1 });
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const [done] = await verifier({ sleep, maxPolls: 3, pollIntervalMs: 1_500 }).verifyEmails([
      'slow@acme.example.com',
    ]);
    expect(done).toMatchObject({ status: 'valid', billableUnits: 1 });
    expect(waits).toEqual([1_500, 1_500]);

    const [pending] = await verifier({ sleep, maxPolls: 2 }).verifyEmails(['slower@acme.example.com']);
    expect(pending).toEqual({
      email: 'slower@acme.example.com',
      status: 'unknown',
      score: null,
      reason: 'verification_pending',
      billableUnits: 0,
    });
  });

  it('an abort while waiting between polls rejects with the caller reason', async () => {
    sandbox.setOptions({ hunterVerifyPendingPolls: 5 });
    const controller = new AbortController();
    const sleep = (_ms: number, signal?: AbortSignal) => {
      controller.abort(new Error('cancelled by test'));
      return Promise.reject(signal?.reason);
    };
    await expect(
      verifier({ sleep }).verifyEmails(['wait@acme.example.com'], { signal: controller.signal }),
    ).rejects.toThrow('cancelled by test');
  });

  it('222 and 451 are answers, not failures', async () => {
    for (const [status, reason] of [
      [222, 'smtp_failed'],
      [451, 'restricted'],
    ] as const) {
      const fake: typeof fetch = () => Promise.resolve(new Response('{}', { status }));
      expect(await verifier({ fetch: fake }).verifyEmails(['x@acme.example.com'])).toEqual([
        { email: 'x@acme.example.com', status: 'unknown', score: null, reason, billableUnits: 0 },
      ]);
    }
  });

  it('one address per request', async () => {
    const err = await providerFailure(verifier().verifyEmails(['a@acme.example.com', 'b@acme.example.com']));
    expect(err.code).toBe('invalid_request');
    expect(await verifier().verifyEmails([])).toEqual([]);
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) => verifier({ timeoutMs }).verifyEmails(['a@acme.example.com']),
  );
});

describe('declared auth style follows the configuration', () => {
  it('header by default, query when asked', () => {
    expect(search().authStyle).toBe('header');
    expect(search({ authStyle: 'query' }).authStyle).toBe('query');
    expect(verifier({ authStyle: 'query' }).authStyle).toBe('query');
  });
});
