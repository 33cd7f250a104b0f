/** The sandbox server over raw HTTP: routing, BatchData wire shapes, auth, faults, billing. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { v1ResponseSchema, v3ResponseSchema } from '../../../src/providers/batchdata/wire.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/providers/sandbox/server.js';

const V1 = '/api/v1/property/skip-trace';
const V3 = '/api/v3/property/skip-trace';
const CLOCK = Date.UTC(2026, 0, 5, 12, 0, 0);

const BASELINE: SandboxOptions = {
  seed: 11,
  hitRate: 1,
  unitMissRate: 0.5,
  apiKey: null,
  errorRate: 0,
  burst5xx: null,
  rateLimit429: null,
  timeoutRate: 0,
  malformedJsonRate: 0,
  driftRate: 0,
  bodyErrorRate: 0,
  latencyMs: 0,
  now: () => CLOCK,
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(BASELINE));

const item = (i: number, street = `${i} Birch Rd`) => ({
  requestId: `r-${i}`,
  propertyAddress: { street, city: 'Austin', state: 'TX', zip: '78701' },
});

async function post(path: string, body: unknown, auth: string | null = 'Bearer any-token') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = auth;
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('routing', () => {
  it('listens on 127.0.0.1 with an ephemeral port', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('GET /healthz → 200, not counted as a vendor request', async () => {
    const before = sandbox.billing.requestCount();
    const res = await fetch(`${sandbox.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(sandbox.billing.requestCount()).toBe(before);
  });

  it('unknown route → 404', async () => {
    const res = await post('/api/v2/property/skip-trace', { requests: [] });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ status: { code: 404, text: 'Not Found' } });
  });
});

describe('BatchData auth and validation', () => {
  it('no Authorization header → 401 BatchData-style', async () => {
    const res = await post(V1, { requests: [item(1)] }, null);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      status: {
        code: 401,
        text: 'Unauthorized',
        message: 'Missing or malformed Authorization header; expected "Bearer <API token>".',
      },
    });
  });

  it('a non-Bearer scheme → 401', async () => {
    expect((await post(V3, { requests: [item(1)] }, 'Basic abc')).status).toBe(401);
  });

  it('with apiKey set, another token → 403 (verbatim vendor body), the right one → 200', async () => {
    sandbox.setOptions({ apiKey: 'right' });
    const wrong = await post(V1, { requests: [item(1)] }, 'Bearer wrong');
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({
      status: {
        code: 403,
        text: 'Forbidden',
        message: 'Provided token does not have permission to access this API.',
      },
    });
    expect((await post(V1, { requests: [item(1)] }, 'Bearer right')).status).toBe(200);
  });

  it('more than 100 requests → 400 with a BatchData error body; 100 is fine', async () => {
    const over = await post(V1, { requests: Array.from({ length: 101 }, (_, i) => item(i)) });
    expect(over.status).toBe(400);
    expect(over.json).toEqual({
      status: {
        code: 400,
        text: 'Bad Request',
        message: 'Each request can handle up to 100 properties; got 101.',
      },
    });
    expect((await post(V3, { requests: Array.from({ length: 100 }, (_, i) => item(i)) })).status).toBe(200);
  });

  it('invalid JSON, a missing requests array or an empty one → 400', async () => {
    expect((await post(V1, '{"requests": [')).status).toBe(400);
    expect((await post(V1, { nope: true })).status).toBe(400);
    expect((await post(V1, { requests: [] })).status).toBe(400);
  });
});

describe('BatchData wire shapes', () => {
  it('v1: results.persons[] with meta counts, requestId echoed with showRequests', async () => {
    sandbox.setOptions({ hitRate: 0.5 });
    const res = await post(V1, {
      requests: Array.from({ length: 10 }, (_, i) => item(i)),
      options: { showRequests: true },
    });
    expect(res.status).toBe(200);
    const body = v1ResponseSchema.parse(res.json);
    expect(body.status).toEqual({ code: 200, text: 'OK' });
    const counts = body.results.meta!.results!;
    expect(counts.requestCount).toBe(10);
    expect(counts.matchCount + counts.noMatchCount + counts.errorCount).toBe(10);
    // v1: one person per property, so one entry per request item
    expect(body.results.persons.map((p) => p.requestId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `r-${i}`),
    );
    expect(body.results.persons.filter((p) => p.meta.matched)).toHaveLength(counts.matchCount);
  });

  it('v1 without showRequests: no requestId on persons', async () => {
    const res = await post(V1, { requests: [item(1)] });
    expect(v1ResponseSchema.parse(res.json).results.persons[0]!.requestId).toBe(undefined);
  });

  it('v3: result.data[] with inputIndex, echoed input, ranked phones with tcpa flags', async () => {
    const res = await post(V3, { requests: [item(1), item(2)] });
    const body = v3ResponseSchema.parse(res.json);
    expect(body.result.data.map((d) => [d.inputIndex, d.input?.requestId, d.meta.matched])).toEqual([
      [0, 'r-1', true],
      [1, 'r-2', true],
    ]);
    for (const person of body.result.data.flatMap((d) => d.persons)) {
      expect(person.phones!.map((p) => p.rank)).toEqual(person.phones!.map((_, i) => i));
      expect(person.phones!.every((p) => typeof p.tcpa === 'boolean')).toBe(true);
    }
  });

  it('an item without a usable address is an item error, counted in errorCount', async () => {
    const res = await post(V1, {
      requests: [item(1), { requestId: 'bad', propertyAddress: { street: '1 Main St' } }],
    });
    const body = v1ResponseSchema.parse(res.json);
    expect(body.results.meta!.results).toEqual({
      requestCount: 2,
      matchCount: 1,
      noMatchCount: 0,
      errorCount: 1,
    });
    expect(body.results.persons[1]!.meta).toEqual({ matched: false, error: true });
  });

  it('a non-US postal code is unmatched (as the vendor does since 2025-11)', async () => {
    const res = await post(V1, {
      requests: [
        {
          requestId: 't',
          propertyAddress: { street: '145 Adelaide St W', city: 'Toronto', state: 'ON', zip: 'M5H 4' },
        },
      ],
    });
    expect(v1ResponseSchema.parse(res.json).results.persons[0]!.meta).toEqual({
      matched: false,
      error: false,
    });
  });

  it('unit miss: the with-unit address misses, the unit-less one hits (sanitized retry)', async () => {
    sandbox.setOptions({ unitMissRate: 1 });
    const res = await post(V1, { requests: [item(1, '12 Oak Ave Apt 4'), item(2, '12 Oak Ave')] });
    const persons = v1ResponseSchema.parse(res.json).results.persons;
    expect(persons.map((p) => p.meta.matched)).toEqual([false, true]);
  });
});

describe('billing log', () => {
  it('bills matched items only, with requestId, normalized key and the sandbox clock', async () => {
    sandbox.setOptions({ hitRate: 0.5 });
    const before = sandbox.billing.billedCount();
    const res = await post(V1, {
      requests: Array.from({ length: 10 }, (_, i) => item(i)),
      options: { showRequests: true },
    });
    const persons = v1ResponseSchema.parse(res.json).results.persons;
    const matchedIds = persons.filter((p) => p.meta.matched).map((p) => p.requestId);
    const entries = sandbox.billing.entries().slice(before);
    expect(entries.map((e) => e.requestId)).toEqual(matchedIds);
    expect(entries[0]).toEqual({
      vendor: 'batchdata',
      requestId: matchedIds[0],
      key: expect.stringMatching(/^\d+ BIRCH RD\|78701$/),
      at: CLOCK,
    });
    expect(sandbox.billing.billedCount() - before).toBe(matchedIds.length);
  });

  it('nothing is billed for 401, 400 or any faulted answer; every request is counted', async () => {
    const billed = sandbox.billing.billedCount();
    const requests = sandbox.billing.requestCount();
    await post(V1, { requests: [item(1)] }, null);
    await post(V1, { requests: Array.from({ length: 101 }, (_, i) => item(i)) });
    const faults: [SandboxOptions, number][] = [
      [{ errorRate: 1 }, 500],
      [{ malformedJsonRate: 1 }, 200],
      [{ driftRate: 1 }, 200],
      [{ bodyErrorRate: 1 }, 200],
      [{ rateLimit429: { probability: 1 } }, 429],
      [{ burst5xx: { everyNth: 1, length: 1 } }, 503],
    ];
    const statuses: number[] = [];
    for (const [fault] of faults) {
      sandbox.setOptions({ ...BASELINE, ...fault });
      statuses.push((await post(V1, { requests: [item(1)] })).status);
    }
    expect(statuses).toEqual(faults.map(([, status]) => status));
    expect(sandbox.billing.billedCount()).toBe(billed);
    expect(sandbox.billing.requestCount()).toBe(requests + 8);
  });

  it('entries() is a copy', () => {
    const copy = sandbox.billing.entries();
    copy.length = 0;
    expect(sandbox.billing.entries().length).toBe(sandbox.billing.billedCount());
  });
});

describe('fault bodies', () => {
  it('500 / 503 / 429 carry BatchData error bodies; 429 has Retry-After', async () => {
    sandbox.setOptions({ errorRate: 1 });
    const e500 = await post(V1, { requests: [item(1)] });
    expect([e500.status, e500.json]).toEqual([
      500,
      { status: { code: 500, text: 'Internal Error', message: 'Sandbox fault: server error.' } },
    ]);
    sandbox.setOptions({ ...BASELINE, rateLimit429: { probability: 1, retryAfterS: 3 } });
    const e429 = await post(V1, { requests: [item(1)] });
    expect([e429.status, e429.headers.get('retry-after'), e429.json]).toEqual([
      429,
      '3',
      { status: { code: 429, text: 'Too Many Requests', message: 'API rate limit exceeded.' } },
    ]);
  });

  it('malformed JSON is the real body cut in half', async () => {
    sandbox.setOptions({ malformedJsonRate: 1 });
    const res = await post(V1, { requests: [item(1)] });
    expect(res.status).toBe(200);
    expect(res.json).toBe(undefined);
    expect(res.text.startsWith('{"status":{"code":200,"text":"OK"},"results":{"persons":[')).toBe(true);
  });

  it('drift wraps the records in an unknown shape; body error keeps the known envelope', async () => {
    sandbox.setOptions({ driftRate: 1 });
    const drift = await post(V1, { requests: [item(1)] });
    expect(Object.keys(drift.json)).toEqual(['data']);
    expect(drift.json.data.records).toHaveLength(1);
    sandbox.setOptions({ ...BASELINE, bodyErrorRate: 1 });
    expect((await post(V1, { requests: [item(1)] })).json).toEqual({
      status: { code: 500, text: 'Internal Error' },
      results: { persons: [] },
    });
    expect((await post(V3, { requests: [item(1)] })).json).toEqual({
      status: { code: 500, text: 'Internal Error' },
      result: { data: [] },
    });
  });

  it('setOptions validates its input', () => {
    expect(() => sandbox.setOptions({ hitRate: 2 })).toThrow();
    expect(() => sandbox.setOptions({ maxPhones: 6 })).toThrow();
  });
});

describe('close()', () => {
  it('releases hanging requests and resolves', async () => {
    const local = await startSandbox({ timeoutRate: 1 });
    const hanging = fetch(`${local.url}${V1}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [item(1)] }),
    });
    await new Promise((r) => setTimeout(r, 50));
    await local.close();
    await expect(hanging).rejects.toThrow();
    await local.close(); // idempotent
  });

  it('releases requests waiting out their latency', async () => {
    const local = await startSandbox({ latencyMs: 10_000 });
    const waiting = fetch(`${local.url}${V1}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: JSON.stringify({ requests: [item(1)] }),
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await local.close();
    await expect(waiting).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
