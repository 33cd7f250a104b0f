/**
 * The BatchData adapter against the real sandbox over loopback HTTP: no mocks of the
 * vendor, only fault modes switched on through setOptions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SkipTraceInput, SkipTraceProvider } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  createBatchDataProvider,
  parseRetryAfter,
  type BatchDataProviderOptions,
} from '../../../src/providers/batchdata/adapter.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/providers/sandbox/server.js';

const API_KEY = 'sk-test-0123456789abcdef';
const V3 = '/api/v3/property/skip-trace';

/** Every tunable spelled out, so one test's faults never leak into the next. */
const BASELINE: SandboxOptions = {
  seed: 7,
  hitRate: 0.8,
  latencyMs: 0,
  mobileShare: 0.6,
  dncRate: 0.15,
  tcpaRate: 0.05,
  litigatorRate: 0.01,
  deceasedRate: 0.02,
  emailRate: 0.6,
  maxPhones: 3,
  unitMissRate: 0.5,
  apiKey: null,
  errorRate: 0,
  burst5xx: null,
  rateLimit429: null,
  timeoutRate: 0,
  malformedJsonRate: 0,
  driftRate: 0,
  bodyErrorRate: 0,
  bodyErrorStatus: 500,
  now: () => Date.now(),
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setOptions(BASELINE);
});

function provider(overrides: Partial<BatchDataProviderOptions> = {}): SkipTraceProvider {
  return createBatchDataProvider({
    baseUrl: sandbox.url,
    apiKey: API_KEY,
    authStyle: 'bearer',
    ...overrides,
  });
}

const lead = (i: number, street = `${100 + i} Lakeview Ave`): SkipTraceInput => ({
  requestId: `lead-${i}`,
  street,
  city: 'Chicago',
  state: 'IL',
  zip: '60614',
});
const batch = (n: number, from = 0): SkipTraceInput[] => Array.from({ length: n }, (_, i) => lead(from + i));

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

describe('createBatchDataProvider', () => {
  it('declares its flags and cost', () => {
    const p = provider();
    expect(p.id).toBe('batchdata');
    expect(p.kind).toBe('skip-trace');
    expect(p.flags).toEqual({ batchSize: 100, billsOnMiss: false, returnsLineType: true });
    expect(p.cost).toEqual({ perCallMicros: 0, perHitMicros: 70_000, perItemMicros: 0 });
    expect(provider({ costPerHitMicros: 90_000 }).cost.perHitMicros).toBe(90_000);
  });

  it('sends Bearer auth or x-api-key, JSON, to the configured path', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
      return fetch(url, init);
    };
    await provider({ fetch: spy, baseUrl: `${sandbox.url}/` }).skipTrace([lead(1)]);
    await failure(provider({ fetch: spy, authStyle: 'header' }).skipTrace([lead(1)]));
    expect(seen).toEqual([
      {
        url: `${sandbox.url}/api/v1/property/skip-trace`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${API_KEY}`,
        },
      },
      {
        url: `${sandbox.url}/api/v1/property/skip-trace`,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': API_KEY },
      },
    ]);
  });
});

describe('skipTrace against the sandbox', () => {
  it('hit: one matched, billed item with a person (v1: one person per property)', async () => {
    sandbox.setOptions({ hitRate: 1 });
    const result = await provider().skipTrace([lead(1)]);
    expect(result.statusCode).toBe(200);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.items).toHaveLength(1);
    const [item] = result.items;
    expect(item).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1 });
    expect(item!.persons).toHaveLength(1);
    expect(item!.persons[0]!.phones.length).toBeGreaterThanOrEqual(1);
    expect(item!.rawItem).toEqual([
      expect.objectContaining({ requestId: 'lead-1', meta: { matched: true, error: false } }),
    ]);
  });

  it('miss: unmatched, unbilled, raw placeholder kept', async () => {
    sandbox.setOptions({ hitRate: 0 });
    const result = await provider().skipTrace([lead(1)]);
    expect(result.items).toEqual([
      {
        requestId: 'lead-1',
        matched: false,
        billableUnits: 0,
        persons: [],
        rawItem: [
          {
            requestId: 'lead-1',
            propertyAddress: { street: '101 Lakeview Ave', city: 'Chicago', state: 'IL', zip: '60614' },
            meta: { matched: false, error: false },
          },
        ],
      },
    ]);
  });

  it('100-item batch: one item per input in input order; billing counts only matched items', async () => {
    const before = sandbox.billing.billedCount();
    const result = await provider().skipTrace(batch(100));
    expect(result.items.map((i) => i.requestId)).toEqual(batch(100).map((i) => i.requestId));
    const matched = result.items.filter((i) => i.matched);
    expect(matched.length).toBe(83);
    expect(result.items.every((i) => i.billableUnits === (i.matched ? 1 : 0))).toBe(true);
    expect(sandbox.billing.billedCount() - before).toBe(matched.length);
    expect(
      sandbox.billing
        .entries()
        .slice(before)
        .map((e) => e.requestId),
    ).toEqual(matched.map((i) => i.requestId));
  });

  it('v3 path: up to 3 persons, scores derived from rank, matched by input.requestId', async () => {
    sandbox.setOptions({ hitRate: 1 });
    const result = await provider({ skipTracePath: V3 }).skipTrace(batch(30));
    expect(result.items.every((i) => i.matched && i.persons.length >= 1 && i.persons.length <= 3)).toBe(true);
    expect(result.items.some((i) => i.persons.length > 1)).toBe(true);
    for (const item of result.items) {
      for (const person of item.persons) {
        expect(person.phones.map((p) => p.score)).toEqual(person.phones.map((_, rank) => 100 - 10 * rank));
      }
    }
  });

  it('v1 without the requestId echo still matches by street+zip', async () => {
    sandbox.setOptions({ hitRate: 1 });
    const noEcho: typeof fetch = (url, init) => {
      const body = JSON.parse(String(init?.body)) as { options: { showRequests: boolean } };
      body.options.showRequests = false;
      return fetch(url, { ...init, body: JSON.stringify(body) });
    };
    const echoed = await provider().skipTrace(batch(5));
    const inferred = await provider({ fetch: noEcho }).skipTrace(batch(5));
    expect(inferred.items.map((i) => i.persons)).toEqual(echoed.items.map((i) => i.persons));
    expect((inferred.items[0]!.rawItem as { requestId?: string }[])[0]!.requestId).toBe(undefined);
  });

  it('determinism: the same input twice gives the identical answer, also from a fresh sandbox', async () => {
    const first = await provider().skipTrace(batch(20));
    const second = await provider().skipTrace(batch(20));
    expect(second.items).toEqual(first.items);
    const other = await startSandbox(BASELINE);
    try {
      const third = await createBatchDataProvider({
        baseUrl: other.url,
        apiKey: 'k',
        authStyle: 'bearer',
      }).skipTrace(batch(20));
      expect(third.items).toEqual(first.items);
    } finally {
      await other.close();
    }
  });

  it('fictional data only: 555-01XX phones, example.com/.org/.net emails (v1 and v3)', async () => {
    sandbox.setOptions({ hitRate: 1, emailRate: 1, maxPhones: 5 });
    for (const skipTracePath of ['/api/v1/property/skip-trace', V3]) {
      const result = await provider({ skipTracePath }).skipTrace(batch(100));
      const phones = result.items.flatMap((i) => i.persons.flatMap((p) => p.phones.map((ph) => ph.number)));
      const emails = result.items.flatMap((i) => i.persons.flatMap((p) => p.emails.map((e) => e.address)));
      expect(phones.length).toBeGreaterThan(100);
      expect(emails.length).toBeGreaterThan(100);
      expect(phones.filter((n) => !/^\d{3}55501\d{2}$/.test(n))).toEqual([]);
      expect(emails.filter((e) => !/@example\.(com|org|net)$/.test(e))).toEqual([]);
    }
  });

  it('TCPA-blacklisted phones are not requested, so never returned', async () => {
    sandbox.setOptions({ hitRate: 1, tcpaRate: 1 });
    for (const skipTracePath of ['/api/v1/property/skip-trace', V3]) {
      const result = await provider({ skipTracePath }).skipTrace(batch(10));
      expect(result.items.flatMap((i) => i.persons.flatMap((p) => p.phones))).toEqual([]);
    }
  });

  it('latency: answers wait latencyMs ± 20%', async () => {
    sandbox.setOptions({ latencyMs: 60 });
    const result = await provider().skipTrace([lead(1)]);
    expect(result.durationMs).toBeGreaterThanOrEqual(47);
  });
});

describe('errors', () => {
  it('101 inputs → invalid_request before any HTTP request', async () => {
    const requests = sandbox.billing.requestCount();
    const err = await failure(provider().skipTrace(batch(101)));
    expect(err.code).toBe('invalid_request');
    expect(sandbox.billing.requestCount()).toBe(requests);
  });

  it('101 items reaching the sandbox → HTTP 400 → invalid_request', async () => {
    const pad: typeof fetch = (url, init) => {
      const body = JSON.parse(String(init?.body)) as { requests: unknown[] };
      body.requests = batch(101).map((i) => ({
        requestId: i.requestId,
        propertyAddress: { street: i.street, zip: i.zip },
      }));
      return fetch(url, { ...init, body: JSON.stringify(body) });
    };
    const err = await failure(provider({ fetch: pad }).skipTrace([lead(1)]));
    expect(err.code).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe(
      'BatchData answered HTTP 400 (Bad Request: Each request can handle up to 100 properties; got 101.)',
    );
  });

  it('no Bearer header → 401 → auth, and the key appears nowhere in the error', async () => {
    const err = await failure(provider({ authStyle: 'header' }).skipTrace([lead(1)]));
    expect(err.code).toBe('auth');
    expect(err.statusCode).toBe(401);
    expect(err.message).toBe(
      'BatchData answered HTTP 401 (Unauthorized: Missing or malformed Authorization header; expected "Bearer <API token>".)',
    );
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(API_KEY);
  });

  it('a token the sandbox does not know → 403 → auth', async () => {
    sandbox.setOptions({ apiKey: 'the-right-key' });
    const err = await failure(provider().skipTrace([lead(1)]));
    expect(err.code).toBe('auth');
    expect(err.statusCode).toBe(403);
    expect(err.message).toBe(
      'BatchData answered HTTP 403 (Forbidden: Provided token does not have permission to access this API.)',
    );
  });

  it('errorRate → server_error (500)', async () => {
    sandbox.setOptions({ errorRate: 1 });
    const err = await failure(provider().skipTrace([lead(1)]));
    expect(err.code).toBe('server_error');
    expect(err.statusCode).toBe(500);
  });

  it('burst5xx: every 3rd request starts 2 failures (503)', async () => {
    sandbox.setOptions({ burst5xx: { everyNth: 3, length: 2 } });
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) {
      outcomes.push(
        await provider()
          .skipTrace([lead(i)])
          .then(
            () => 'ok',
            (e: ProviderError) => `${e.code}:${e.statusCode}`,
          ),
      );
    }
    expect(outcomes).toEqual([
      'ok',
      'ok',
      'server_error:503',
      'server_error:503',
      'ok',
      'server_error:503',
      'server_error:503',
    ]);
  });

  it('rateLimit429 with a probability → rate_limited, Retry-After seconds parsed', async () => {
    sandbox.setOptions({ rateLimit429: { probability: 1, retryAfterS: 7 } });
    const err = await failure(provider().skipTrace([lead(1)]));
    expect(err.code).toBe('rate_limited');
    expect(err.statusCode).toBe(429);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('rateLimit429 after N requests per window, Retry-After as an HTTP date', async () => {
    const clock = () => Date.UTC(2026, 0, 5, 12, 0, 10); // 10 s into a window starting now
    sandbox.setOptions({
      now: clock,
      rateLimit429: { afterRequests: 2, windowMs: 60_000, retryAfterFormat: 'http-date' },
    });
    const p = provider({ now: clock });
    await p.skipTrace([lead(1)]);
    await p.skipTrace([lead(2)]);
    const err = await failure(p.skipTrace([lead(3)]));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('timeoutRate → timeout after timeoutMs', async () => {
    sandbox.setOptions({ timeoutRate: 1 });
    const started = Date.now();
    const err = await failure(provider({ timeoutMs: 150 }).skipTrace([lead(1)]));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('BatchData did not answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('malformedJsonRate → unrecognized_response (not JSON)', async () => {
    sandbox.setOptions({ malformedJsonRate: 1, hitRate: 1 });
    const before = sandbox.billing.billedCount();
    const err = await failure(provider().skipTrace([lead(1)]));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe('BatchData answered HTTP 200 with a body that is not JSON');
    expect(sandbox.billing.billedCount()).toBe(before);
  });

  it('driftRate → unrecognized_response naming the shape, sample redacted', async () => {
    sandbox.setOptions({ driftRate: 1, hitRate: 1, emailRate: 1 });
    const before = sandbox.billing.billedCount();
    const err = await failure(provider().skipTrace([lead(1)]));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: neither results.persons (v1) nor result.data (v3); top-level keys: data',
    );
    expect(err.details.sample).toMatch(/^\{"data":\{"records":\[/);
    expect(err.details.sample).not.toMatch(/\d{3}55501\d{2}|@example\./);
    expect(sandbox.billing.billedCount()).toBe(before);
  });

  it('bodyErrorRate → a 200 with status 500 in the body → server_error; with 401 → auth', async () => {
    sandbox.setOptions({ bodyErrorRate: 1 });
    expect((await failure(provider().skipTrace([lead(1)]))).code).toBe('server_error');
    sandbox.setOptions({ bodyErrorStatus: 401 });
    const err = await failure(provider({ skipTracePath: V3 }).skipTrace([lead(1)]));
    expect(err.code).toBe('auth');
    expect(err.statusCode).toBe(200);
  });

  it('every item failing (errorCount == requestCount) → server_error', async () => {
    const err = await failure(
      provider().skipTrace([{ requestId: 'x', street: '1 Nowhere', city: null, state: null, zip: null }]),
    );
    expect(err.code).toBe('server_error');
  });

  it('connection refused → network', async () => {
    const gone = await startSandbox();
    const url = gone.url;
    await gone.close();
    const err = await failure(
      createBatchDataProvider({ baseUrl: url, apiKey: API_KEY, authStyle: 'bearer' }).skipTrace([lead(1)]),
    );
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/^BatchData request failed: /);
  });

  it("the caller's abort is rethrown as is (a cancellation, not a provider failure)", async () => {
    sandbox.setOptions({ timeoutRate: 1 });
    const controller = new AbortController();
    const call = provider().skipTrace([lead(1)], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run paused')), 50);
    await expect(call).rejects.toThrow('run paused');
    await expect(call).rejects.not.toBeInstanceOf(ProviderError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0, 0);
  it.each([
    ['7', 7000],
    ['0', 0],
    ['1.5', 1500],
    ['Mon, 05 Jan 2026 12:00:30 GMT', 30_000],
    ['Mon, 05 Jan 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
