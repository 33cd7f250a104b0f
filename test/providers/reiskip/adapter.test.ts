/**
 * The REISkip adapter against the real sandbox over loopback HTTP (wire format per seed 000):
 * both shapes and casings, 404 as an unbilled miss, faults as typed errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  createReiSkipProvider,
  type ReiSkipProviderOptions,
} from '../../../src/providers/reiskip/adapter.js';
import { reiSkipFacts } from '../../../src/providers/reiskip/facts.js';
import { buildReiSkipRequest } from '../../../src/providers/reiskip/request.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/providers/sandbox/server.js';

const API_KEY = 'reiskip-test-key-0123456789';
const BASELINE: SandboxOptions = {
  seed: 5,
  hitRate: 0.8,
  latencyMs: 0,
  emailRate: 0.6,
  maxPhones: 3,
  litigatorRate: 0.01,
  unitMissRate: 0.5,
  apiKey: null,
  reiskipShape: 'mixed',
  reiskipCasing: 'mixed',
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
beforeEach(() => sandbox.setOptions(BASELINE));

const provider = (overrides: Partial<ReiSkipProviderOptions> = {}) =>
  createReiSkipProvider({ baseUrl: sandbox.url, apiKey: API_KEY, ...overrides });
const lead = (i: number, extra: Partial<SkipTraceInput> = {}): SkipTraceInput => ({
  requestId: `lead-${i}`,
  street: `${200 + i} Birch Rd`,
  city: 'Austin',
  state: 'TX',
  zip: '78701',
  ...extra,
});
const billed = () => sandbox.billing.entries().filter((e) => e.vendor === 'reiskip').length;

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

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect((err as ProviderError).code).toBe('invalid_request');
    return (err as ProviderError).message;
  }
  throw new Error('expected invalid_request');
}

describe('facts and request', () => {
  it('facts say where the wire format comes from, and that nothing is verified', () => {
    expect(reiSkipFacts).toMatchObject({
      id: 'reiskip',
      kind: 'skip-trace',
      endpoints: { skipTrace: '/v1/skip-trace' },
      auth: { style: 'bearer', verified: false },
      flags: { batchSize: 1, billsOnMiss: false },
      cost: { perHitMicros: 150_000, verified: false },
      rateLimit: { verified: false },
      envKeys: ['REISKIP_API_KEY', 'REISKIP_BASE_URL'],
    });
    expect(reiSkipFacts.auth.source).toContain('seed 000');
    expect(reiSkipFacts.cost.source).toContain('third-party');
  });

  it('builds {address, city, state, zip, ownerName?} for exactly one input', () => {
    expect(buildReiSkipRequest([lead(1, { firstName: 'Jane', lastName: 'Roe' })])).toEqual({
      address: '201 Birch Rd',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      ownerName: 'Jane Roe',
    });
    expect(buildReiSkipRequest([lead(1, { zip: null, lastName: 'Acme Holdings LLC' })])).toEqual({
      address: '201 Birch Rd',
      city: 'Austin',
      state: 'TX',
      ownerName: 'Acme Holdings LLC',
    });
    expect(invalid(() => buildReiSkipRequest([lead(1), lead(2)]))).toBe(
      'REISkip takes exactly one input per request; got 2',
    );
    expect(invalid(() => buildReiSkipRequest([lead(1, { zip: null, state: null })]))).toBe(
      'skip-trace input needs a ZIP or a city and state',
    );
    expect(invalid(() => buildReiSkipRequest([lead(1, { street: '' })]))).toBe(
      'skip-trace input has no street',
    );
  });

  it('declares its descriptor; Bearer auth to /v1/skip-trace', async () => {
    expect(provider()).toMatchObject({
      id: 'reiskip',
      kind: 'skip-trace',
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: true, returnsCompliance: true },
      cost: { perCallMicros: 0, perHitMicros: 150_000, perItemMicros: 0 },
      rateLimit: { requestsPerSecond: 1 },
      authStyle: 'bearer',
    });
    expect(provider({ costPerMatchMicros: 120_000 }).cost.perHitMicros).toBe(120_000);
    const seen: { url: string; headers: unknown }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), headers: init?.headers });
      return fetch(url, init);
    };
    await provider({ fetch: spy, baseUrl: `${sandbox.url}/` }).skipTrace([lead(1)]);
    expect(seen).toEqual([
      {
        url: `${sandbox.url}/v1/skip-trace`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${API_KEY}`,
        },
      },
    ]);
  });
});

describe('skipTrace against the sandbox', () => {
  it('a hit is a billed match; a 404 is an unbilled miss, not an error', async () => {
    sandbox.setOptions({ hitRate: 1, litigatorRate: 0 });
    const before = billed();
    const hit = await provider().skipTrace([lead(1)]);
    expect(hit.statusCode).toBe(200);
    expect(hit.items[0]).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1 });
    expect(hit.items[0]!.persons[0]!.phones[0]).toMatchObject({ sourcePrimary: true });
    sandbox.setOptions({ hitRate: 0 });
    const miss = await provider().skipTrace([lead(1)]);
    expect(miss.statusCode).toBe(404);
    expect(miss.items).toEqual([
      {
        requestId: 'lead-1',
        matched: false,
        billableUnits: 0,
        persons: [],
        rawItem: { error: 'Not Found', message: 'No match found for the given address.' },
      },
    ]);
    expect(billed() - before).toBe(1);
  });

  it('every shape × casing parses to the same persons', async () => {
    sandbox.setOptions({ hitRate: 1, litigatorRate: 0 });
    const answers = [];
    for (const reiskipShape of ['matches', 'top-level'] as const) {
      for (const reiskipCasing of ['camel', 'snake'] as const) {
        sandbox.setOptions({ reiskipShape, reiskipCasing });
        const raw: unknown[] = [];
        const persons = [];
        for (let i = 0; i < 10; i++) {
          const item = (await provider().skipTrace([lead(i)])).items[0]!;
          raw.push(item.rawItem);
          // Top-level answers carry one person: compare the first.
          persons.push(item.persons[0]);
        }
        const text = JSON.stringify(raw);
        expect(text.includes('"matches"')).toBe(reiskipShape === 'matches');
        expect(text.includes('is_primary')).toBe(reiskipCasing === 'snake');
        answers.push(persons);
      }
    }
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
  });

  it("'mixed' serves both shapes and both casings across addresses; hits are deterministic", async () => {
    sandbox.setOptions({ hitRate: 1 });
    const raw = [];
    for (let i = 0; i < 30; i++)
      raw.push(JSON.stringify((await provider().skipTrace([lead(i)])).items[0]!.rawItem));
    const all = raw.join('\n');
    for (const marker of ['"matches"', '"phones":[{"phone_number"', 'is_primary', 'isPrimary']) {
      expect(all).toContain(marker);
    }
    const again = [];
    for (let i = 0; i < 30; i++)
      again.push(JSON.stringify((await provider().skipTrace([lead(i)])).items[0]!.rawItem));
    // Only the per-request id differs between two identical calls.
    const strip = (s: string) => s.replace(/"request_?[iI]d":"[^"]*"/, '');
    expect(again.map(strip)).toEqual(raw.map(strip));
  });

  it('fictional data only, phones ranked by confidence, the primary first', async () => {
    sandbox.setOptions({ hitRate: 1, emailRate: 1, maxPhones: 5, litigatorRate: 0 });
    for (let i = 0; i < 30; i++) {
      for (const person of (await provider().skipTrace([lead(i)])).items[0]!.persons) {
        expect(person.phones.every((p) => /^\d{3}55501\d{2}$/.test(p.number))).toBe(true);
        expect(person.emails.every((e) => /@example\.(com|org|net)$/.test(e.address))).toBe(true);
        const scores = person.phones.map((p) => p.score!);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(person.phones.map((p) => p.sourcePrimary)).toEqual(person.phones.map((_, k) => k === 0));
      }
    }
  });
});

describe('errors', () => {
  it('no Bearer → 401, a wrong key → 403: auth, key scrubbed', async () => {
    const missing = await failure(
      provider({
        fetch: (url, init) => fetch(url, { ...init, headers: { 'content-type': 'application/json' } }),
      }).skipTrace([lead(1)]),
    );
    expect(missing.code).toBe('auth');
    expect(missing.message).toBe(
      'REISkip answered HTTP 401 (Unauthorized: Missing or malformed Authorization header.)',
    );
    sandbox.setOptions({ apiKey: 'the-right-key' });
    const wrong = await failure(provider().skipTrace([lead(1)]));
    expect(wrong.statusCode).toBe(403);
    expect(JSON.stringify({ m: wrong.message, d: wrong.details })).not.toContain(API_KEY);
  });

  it('a wrong path (the sandbox’s own 404) fails closed instead of reading as misses', async () => {
    const err = await failure(provider({ skipTracePath: '/v1/skiptrace' }).skipTrace([lead(1)]));
    expect(err.code).toBe('unrecognized_response');
    expect(err.statusCode).toBe(404);
  });

  it('a body the vendor rejects → 400 → invalid_request', async () => {
    const bad: typeof fetch = (url, init) =>
      fetch(url, { ...init, body: JSON.stringify({ city: 'Austin' }) });
    const err = await failure(provider({ fetch: bad }).skipTrace([lead(1)]));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toBe(
      'REISkip answered HTTP 400 (Bad Request: address and zip (or city and state) are required.)',
    );
  });

  it('faults: 429, 500, timeout, malformed JSON, drift, body error — typed and unbilled', async () => {
    const before = billed();
    sandbox.setOptions({ hitRate: 1, rateLimit429: { probability: 1, retryAfterS: 2 } });
    const limited = await failure(provider().skipTrace([lead(1)]));
    expect([limited.code, limited.retryAfterMs]).toEqual(['rate_limited', 2000]);
    sandbox.setOptions({ rateLimit429: null, errorRate: 1 });
    expect((await failure(provider().skipTrace([lead(1)]))).code).toBe('server_error');
    sandbox.setOptions({ errorRate: 0, timeoutRate: 1 });
    const timeout = await failure(provider({ timeoutMs: 100 }).skipTrace([lead(1)]));
    expect(timeout.message).toBe('REISkip did not answer within 100 ms');
    sandbox.setOptions({ timeoutRate: 0, malformedJsonRate: 1 });
    expect((await failure(provider().skipTrace([lead(1)]))).message).toBe(
      'REISkip answered HTTP 200 with a body that is not JSON',
    );
    sandbox.setOptions({ malformedJsonRate: 0, driftRate: 1 });
    const drift = await failure(provider().skipTrace([lead(1)]));
    expect(drift.message).toBe(
      'unrecognized response shape: neither matches[] nor top-level phones[]/emails[]; top-level keys: data',
    );
    sandbox.setOptions({ driftRate: 0, bodyErrorRate: 1, bodyErrorStatus: 401 });
    expect((await failure(provider().skipTrace([lead(1)]))).code).toBe('auth');
    expect(billed()).toBe(before);
  });
});
