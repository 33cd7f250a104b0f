/** The BatchData phone checks against the real sandbox over loopback HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createBatchDataDncCheck,
  createBatchDataPhoneVerify,
  createBatchDataTcpaCheck,
  type BatchDataPhoneOptions,
} from '../../../src/providers/batchdata/phone.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { itMapsSandboxFaults } from '../fault-matrix.js';
import { FICTIONAL_PHONE, providerFailure, sandboxBaseline } from '../vendor-fixtures.js';

const API_KEY = 'bd-test-0123456789abcdef';
const fictional = (n: number): string => `+1212555${String(100 + n).padStart(4, '0')}`;
const NUMBERS = Array.from({ length: 40 }, (_, i) => fictional(i % 100));

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline());
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(sandboxBaseline()));

const opts = (over: Partial<BatchDataPhoneOptions> = {}): BatchDataPhoneOptions => ({
  baseUrl: sandbox.url,
  apiKey: API_KEY,
  ...over,
});

describe('descriptors', () => {
  it('declare kind, flags, cost, rate limit, auth and env keys', () => {
    const verify = createBatchDataPhoneVerify(opts());
    expect(verify).toMatchObject({
      id: 'batchdata-phone-verification',
      kind: 'phone-verify',
      flags: { batchSize: 100, billsOnMiss: true, returnsLineType: true, returnsCompliance: true },
      cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 7_000 },
      rateLimit: { requestsPerSecond: 50, requestsPerMinute: 3_000 },
      authStyle: 'bearer',
      envKeys: ['BATCHDATA_API_KEY', 'BATCHDATA_BASE_URL', 'BATCHDATA_AUTH_STYLE'],
    });
    expect(createBatchDataDncCheck(opts())).toMatchObject({
      id: 'batchdata-phone-dnc',
      cost: { perItemMicros: 2_000 },
      flags: { returnsLineType: false },
    });
    expect(createBatchDataTcpaCheck(opts()).id).toBe('batchdata-phone-tcpa');
    expect(createBatchDataTcpaCheck(opts()).cost.perItemMicros).toBe(2_000);
  });

  it('take a cost override in integer micro-dollars only', () => {
    expect(createBatchDataDncCheck(opts({ costPerPhoneMicros: 2_500 })).cost.perItemMicros).toBe(2_500);
    expect(() => createBatchDataDncCheck(opts({ costPerPhoneMicros: 0.002 }))).toThrow(RangeError);
    expect(createBatchDataDncCheck(opts({ authStyle: 'header' })).authStyle).toBe('header');
  });
});

describe('verifyPhones against the sandbox', () => {
  it('sends Bearer auth and the numbers as 10 digits, once each', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), init });
      return fetch(url, init);
    };
    await createBatchDataDncCheck(opts({ fetch: spy, baseUrl: `${sandbox.url}/` })).verifyPhones([
      fictional(1),
      '212-555-0101',
      fictional(2),
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${sandbox.url}/api/v1/phone/dnc`);
    expect(seen[0]!.init?.method).toBe('POST');
    expect(seen[0]!.init?.headers).toMatchObject({ authorization: `Bearer ${API_KEY}` });
    expect(JSON.parse(String(seen[0]!.init?.body))).toEqual({ requests: ['2125550101', '2125550102'] });
  });

  it('verification: one answer per number, in order, billed as the sandbox bills', async () => {
    const before = sandbox.billing.billedCount();
    const results = await createBatchDataPhoneVerify(opts()).verifyPhones(NUMBERS);
    expect(results.map((r) => r.number)).toEqual(NUMBERS);
    for (const r of results) {
      expect(r.litigator).toBeNull();
      if (r.valid) {
        expect(['mobile', 'landline', 'voip']).toContain(r.type);
        expect(r.carrier).toEqual(expect.any(String));
        expect(typeof r.dnc).toBe('boolean');
        expect(typeof r.tcpa).toBe('boolean');
      } else {
        expect(r.valid).toBe(false);
        expect(r.type).toBeNull();
      }
    }
    expect(results.filter((r) => r.valid).length).toBeGreaterThan(30);
    const billed = results.reduce((sum, r) => sum + r.billableUnits, 0);
    expect(billed).toBe(NUMBERS.length);
    expect(sandbox.billing.billedCount() - before).toBe(billed);
  });

  it('DNC and TCPA checks fill only their flag, and agree with the verification', async () => {
    const verify = await createBatchDataPhoneVerify(opts()).verifyPhones(NUMBERS);
    const dnc = await createBatchDataDncCheck(opts()).verifyPhones(NUMBERS);
    const tcpa = await createBatchDataTcpaCheck(opts()).verifyPhones(NUMBERS);
    NUMBERS.forEach((number, i) => {
      expect(dnc[i]).toEqual({
        number,
        valid: null,
        type: null,
        carrier: null,
        reachable: null,
        dnc: verify[i]!.valid ? verify[i]!.dnc : false,
        tcpa: null,
        litigator: null,
        billableUnits: 1,
      });
      expect(tcpa[i]).toMatchObject({
        dnc: null,
        valid: null,
        tcpa: verify[i]!.valid ? verify[i]!.tcpa : false,
      });
    });
    expect(dnc.some((r) => r.dnc)).toBe(true);
  });

  it('a real-looking number is never vouched for', async () => {
    const [real] = await createBatchDataPhoneVerify(opts()).verifyPhones(['+14155551234']);
    expect(real).toMatchObject({ valid: false, type: null, carrier: null, billableUnits: 1 });
  });

  it('foreign numbers are answered unchecked without any request', async () => {
    let calls = 0;
    const spy: typeof fetch = (url, init) => {
      calls += 1;
      return fetch(url, init);
    };
    const results = await createBatchDataPhoneVerify(opts({ fetch: spy })).verifyPhones(['+447700900123']);
    expect(calls).toBe(0);
    expect(results).toEqual([
      {
        number: '+447700900123',
        valid: null,
        type: null,
        carrier: null,
        reachable: null,
        dnc: null,
        tcpa: null,
        litigator: null,
        billableUnits: 0,
      },
    ]);
  });

  it('is deterministic: same numbers, same answers, across sandboxes with the same seed', async () => {
    const first = await createBatchDataPhoneVerify(opts()).verifyPhones(NUMBERS);
    expect(await createBatchDataPhoneVerify(opts()).verifyPhones(NUMBERS)).toEqual(first);
    const other = await startSandbox(sandboxBaseline());
    try {
      expect(await createBatchDataPhoneVerify(opts({ baseUrl: other.url })).verifyPhones(NUMBERS)).toEqual(
        first,
      );
      other.setOptions({ seed: 8 });
      expect(
        await createBatchDataPhoneVerify(opts({ baseUrl: other.url })).verifyPhones(NUMBERS),
      ).not.toEqual(first);
    } finally {
      await other.close();
    }
  });

  it('the sandbox answers only fictional numbers it was asked about', async () => {
    const text = JSON.stringify(await createBatchDataPhoneVerify(opts()).verifyPhones(NUMBERS));
    for (const digits of text.match(/\d{10,}/g) ?? []) expect(digits).toMatch(FICTIONAL_PHONE);
  });
});

describe('errors', () => {
  it('no Bearer token → auth (401)', async () => {
    const err = await providerFailure(
      createBatchDataDncCheck(opts({ authStyle: 'header' })).verifyPhones([fictional(1)]),
    );
    expect(err).toMatchObject({ code: 'auth', statusCode: 401 });
  });

  it('a token without permission → auth (403), the vendor words in the message, no key leaked', async () => {
    sandbox.setOptions({ apiKey: 'the-right-key' });
    const err = await providerFailure(createBatchDataTcpaCheck(opts()).verifyPhones([fictional(1)]));
    expect(err).toMatchObject({ code: 'auth', statusCode: 403 });
    expect(err.message).toBe(
      'BatchData answered HTTP 403 (Forbidden: Provided token does not have permission to access this API.)',
    );
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(API_KEY);
  });

  it('more than 100 numbers → invalid_request before any request', async () => {
    const before = sandbox.billing.requestCount();
    const err = await providerFailure(
      createBatchDataDncCheck(opts()).verifyPhones(Array.from({ length: 101 }, (_, i) => fictional(i % 100))),
    );
    expect(err.code).toBe('invalid_request');
    expect(sandbox.billing.requestCount()).toBe(before);
  });

  it('a key echoed in an error body is scrubbed', async () => {
    const echo: typeof fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify({ status: { code: 500, text: `bad key ${API_KEY}` } }), { status: 500 }),
      );
    const err = await providerFailure(
      createBatchDataDncCheck(opts({ fetch: echo })).verifyPhones([fictional(1)]),
    );
    expect(err.code).toBe('server_error');
    expect(err.message).not.toContain(API_KEY);
    expect(err.details.sample).not.toContain(API_KEY);
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) =>
      createBatchDataPhoneVerify(opts({ timeoutMs })).verifyPhones([fictional(1), fictional(2)]),
  );
});
