/**
 * The RealEstateAPI SkipTrace adapter against the real sandbox over loopback HTTP: no mocks
 * of the vendor, only fault modes switched on through setOptions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  createRealEstateApiSkipTrace,
  type RealEstateApiSkipTraceOptions,
} from '../../../src/providers/realestateapi/adapter.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { API_KEY, BASELINE, rewriting } from './baseline.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(BASELINE));

const provider = (overrides: Partial<RealEstateApiSkipTraceOptions> = {}) =>
  createRealEstateApiSkipTrace({ baseUrl: sandbox.url, apiKey: API_KEY, ...overrides });

const lead = (i: number, extra: Partial<SkipTraceInput> = {}): SkipTraceInput => ({
  requestId: `lead-${i}`,
  street: `${100 + i} Lakeview Ave`,
  city: 'Chicago',
  state: 'IL',
  zip: '60614',
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const billed = () => sandbox.billing.entries().filter((e) => e.vendor === 'realestateapi-skiptrace').length;

describe('createRealEstateApiSkipTrace', () => {
  it('declares its facts: one lead per request, billed per match, 10 req/s, x-api-key', () => {
    const p = provider();
    expect(p).toMatchObject({
      id: 'realestateapi-skiptrace',
      kind: 'skip-trace',
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: true, returnsCompliance: true },
      cost: { perCallMicros: 0, perHitMicros: 50_000, perItemMicros: 0 },
      rateLimit: { requestsPerSecond: 10 },
      authStyle: 'header',
      envKeys: ['REALESTATEAPI_API_KEY', 'REALESTATEAPI_BASE_URL'],
    });
    expect(provider({ costPerMatchMicros: 60_000 }).cost.perHitMicros).toBe(60_000);
  });

  it('POSTs JSON with x-api-key to /v1/SkipTrace; names only for a person', async () => {
    const seen: { url: string; headers: unknown; body: unknown }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), headers: init?.headers, body: JSON.parse(String(init?.body)) });
      return fetch(url, init);
    };
    const p = provider({ fetch: spy, baseUrl: `${sandbox.url}/`, userId: 'user-7' });
    await p.skipTrace([lead(1, { firstName: 'Jane', lastName: 'Roe' })]);
    await p.skipTrace([lead(2, { firstName: null, lastName: 'Roe Family Holdings LLC' })]);
    expect(seen).toEqual([
      {
        url: `${sandbox.url}/v1/SkipTrace`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-api-key': API_KEY,
          'x-user-id': 'user-7',
        },
        body: {
          address: '101 Lakeview Ave',
          city: 'Chicago',
          state: 'IL',
          zip: '60614',
          first_name: 'Jane',
          last_name: 'Roe',
        },
      },
      expect.objectContaining({
        body: { address: '102 Lakeview Ave', city: 'Chicago', state: 'IL', zip: '60614' },
      }),
    ]);
  });
});

describe('skipTrace against the sandbox', () => {
  it('a match: one billed person with phones; the raw body kept', async () => {
    sandbox.setOptions({ hitRate: 1, litigatorRate: 0 });
    const before = billed();
    const result = await provider().skipTrace([lead(1)]);
    expect(result.statusCode).toBe(200);
    expect(result.items).toHaveLength(1);
    const [item] = result.items;
    expect(item).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1 });
    expect(item!.persons).toHaveLength(1);
    expect(item!.persons[0]!.phones.length).toBeGreaterThanOrEqual(1);
    expect(item!.rawItem).toMatchObject({ match: true, statusCode: 200, output: { identity: {} } });
    expect(billed() - before).toBe(1);
  });

  it('a miss: match false, unmatched and unbilled', async () => {
    sandbox.setOptions({ hitRate: 0 });
    const before = billed();
    const [item] = (await provider().skipTrace([lead(1)])).items;
    expect(item).toMatchObject({ requestId: 'lead-1', matched: false, billableUnits: 0, persons: [] });
    expect(item!.rawItem).toMatchObject({ match: false });
    expect(billed()).toBe(before);
  });

  it('hit rate: of 100 leads about 80 match, and exactly the matches are billed', async () => {
    const before = billed();
    let matched = 0;
    for (let i = 0; i < 100; i++) {
      const [item] = (await provider().skipTrace([lead(i)])).items;
      if (item!.matched) matched += 1;
    }
    expect(matched).toBeGreaterThan(65);
    expect(matched).toBeLessThan(95);
    expect(billed() - before).toBe(matched);
  });

  it('determinism: the same lead gives the same persons, also from a fresh sandbox', async () => {
    const persons = async (p: ReturnType<typeof provider>) => {
      const out = [];
      for (let i = 0; i < 15; i++) out.push((await p.skipTrace([lead(i)])).items[0]!.persons);
      return out;
    };
    const first = await persons(provider());
    expect(await persons(provider())).toEqual(first);
    const other = await startSandbox(BASELINE);
    try {
      expect(await persons(createRealEstateApiSkipTrace({ baseUrl: other.url, apiKey: 'k' }))).toEqual(first);
    } finally {
      await other.close();
    }
  });

  it('fictional data only: 555-01XX phones, example.* emails, line types and DNC mapped', async () => {
    sandbox.setOptions({ hitRate: 1, emailRate: 1, maxPhones: 5, litigatorRate: 0 });
    const phones = [];
    const emails = [];
    for (let i = 0; i < 40; i++) {
      const person = (await provider().skipTrace([lead(i)])).items[0]!.persons[0]!;
      phones.push(...person.phones);
      emails.push(...person.emails.map((e) => e.address));
    }
    expect(phones.length).toBeGreaterThan(40);
    expect(phones.filter((p) => !/^\d{3}55501\d{2}$/.test(p.number))).toEqual([]);
    expect(emails.filter((e) => !/@example\.(com|org|net)$/.test(e))).toEqual([]);
    expect(new Set(phones.map((p) => p.type))).toEqual(new Set(['mobile', 'landline', 'voip']));
    expect(phones.some((p) => p.dnc)).toBe(true);
    expect(phones.every((p) => p.tcpa === false && p.score === null)).toBe(true);
  });
});

describe('errors', () => {
  it('two inputs → invalid_request before any HTTP request', async () => {
    const requests = sandbox.billing.requestCount();
    const err = await failure(provider().skipTrace([lead(1), lead(2)]));
    expect(err.code).toBe('invalid_request');
    expect(sandbox.billing.requestCount()).toBe(requests);
  });

  it('a body the vendor rejects → HTTP 400 → invalid_request in the vendor’s words', async () => {
    const err = await failure(
      provider({ fetch: rewriting({ body: () => ({ first_name: 'Jane' }) }) }).skipTrace([lead(1)]),
    );
    expect(err.code).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 400 (Bad Request: "SkipTraceRequest" must contain at least one of [address, mail_address, phone, email] with its required peers)',
    );
  });

  it('no key → 401, a wrong key → 403: auth, and the key appears nowhere', async () => {
    const err = await failure(provider({ apiKey: '' }).skipTrace([lead(1)]));
    expect(err.code).toBe('auth');
    expect(err.message).toBe('RealEstateAPI answered HTTP 401 (Unauthorized: Missing authentication)');
    sandbox.setOptions({ apiKey: 'the-right-key' });
    const wrong = await failure(provider().skipTrace([lead(1)]));
    expect(wrong.code).toBe('auth');
    expect(wrong.statusCode).toBe(403);
    expect(JSON.stringify({ m: wrong.message, d: wrong.details })).not.toContain(API_KEY);
  });

  it('429 → rate_limited with Retry-After; 500 → server_error', async () => {
    sandbox.setOptions({ rateLimit429: { probability: 1, retryAfterS: 3 } });
    const limited = await failure(provider().skipTrace([lead(1)]));
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(3000);
    sandbox.setOptions({ rateLimit429: null, errorRate: 1 });
    expect((await failure(provider().skipTrace([lead(1)]))).code).toBe('server_error');
  });

  it('timeout, malformed JSON, drift and an error status in a 200 body fail closed, unbilled', async () => {
    const before = billed();
    sandbox.setOptions({ hitRate: 1, timeoutRate: 1 });
    const timeout = await failure(provider({ timeoutMs: 100 }).skipTrace([lead(1)]));
    expect(timeout.code).toBe('timeout');
    expect(timeout.message).toBe('RealEstateAPI did not answer within 100 ms');
    sandbox.setOptions({ timeoutRate: 0, malformedJsonRate: 1 });
    const malformed = await failure(provider().skipTrace([lead(1)]));
    expect(malformed.message).toBe('RealEstateAPI answered HTTP 200 with a body that is not JSON');
    sandbox.setOptions({ malformedJsonRate: 0, driftRate: 1, emailRate: 1 });
    const drift = await failure(provider().skipTrace([lead(1)]));
    expect(drift.code).toBe('unrecognized_response');
    expect(drift.message).toBe('unrecognized response shape: no boolean "match"; top-level keys: results');
    expect(drift.details.sample).not.toMatch(/\d{3}55501\d{2}|@example\./);
    sandbox.setOptions({ driftRate: 0, bodyErrorRate: 1 });
    expect((await failure(provider().skipTrace([lead(1)]))).code).toBe('server_error');
    expect(billed()).toBe(before);
  });

  it("the caller's abort is rethrown as is", async () => {
    sandbox.setOptions({ timeoutRate: 1 });
    const controller = new AbortController();
    const call = provider().skipTrace([lead(1)], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run paused')), 30);
    await expect(call).rejects.toThrow('run paused');
  });
});
