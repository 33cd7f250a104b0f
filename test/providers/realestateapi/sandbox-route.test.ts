/** The sandbox's RealEstateAPI routes over raw HTTP: wire shapes, auth, validation, billing. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  detailResponseSchema,
  searchRecordSchema,
  searchResponseSchema,
  skipTraceResponseSchema,
} from '../../../src/providers/realestateapi/wire.js';
import { parseAddressString } from '../../../src/providers/sandbox/realestateapi-route.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { BASELINE } from './baseline.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions({ ...BASELINE, hitRate: 1 }));

async function post(path: string, body: unknown, key: string | null = 'any-key') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers['x-api-key'] = key;
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

const ADDRESS = { address: '12 Oak St', city: 'Austin', state: 'TX', zip: '78701' };

describe('auth', () => {
  it('no x-api-key → 401 hapi body; with apiKey set, another key → 403', async () => {
    expect(await post('/v1/SkipTrace', ADDRESS, null)).toEqual({
      status: 401,
      json: { statusCode: 401, error: 'Unauthorized', message: 'Missing authentication' },
    });
    sandbox.setOptions({ apiKey: 'right' });
    expect((await post('/v2/PropertySearch', { count: true }, 'wrong')).status).toBe(403);
    expect((await post('/v2/PropertySearch', { count: true }, 'right')).status).toBe(200);
  });
});

describe('POST /v1/SkipTrace', () => {
  it('a match follows the documented envelope and the adapter’s schema', async () => {
    const { status, json } = await post('/v1/SkipTrace', {
      ...ADDRESS,
      first_name: 'Jane',
      last_name: 'Roe',
    });
    expect(status).toBe(200);
    expect(skipTraceResponseSchema.safeParse(json).success).toBe(true);
    expect(json).toMatchObject({
      responseCode: 0,
      responseMessage: 'Successful',
      match: true,
      statusCode: 200,
      statusMessage: 'Success',
      input: { ...ADDRESS, first_name: 'Jane', last_name: 'Roe' },
      output: { identity: { names: [expect.any(Object)] }, demographics: {}, stats: {} },
    });
    expect(json.output.identity.phones[0]).toEqual({
      phone: expect.stringMatching(/^\d{3}55501\d{2}$/),
      telcoName: expect.any(String),
      phoneDisplay: expect.stringMatching(/^\(\d{3}\) 555-01\d{2}$/),
      phoneExtension: '',
      isConnected: expect.any(Boolean),
      doNotCall: expect.any(Boolean),
      phoneType: expect.stringMatching(/^(mobile|landline|voip)$/),
      lastSeen: expect.stringMatching(/^2025-\d{2}-\d{2}$/),
      validSince: '',
    });
  });

  it('mail_* works as the address set; phone-only is a miss; nothing usable is a 400', async () => {
    const mail = await post('/v1/SkipTrace', { mail_address: '12 Oak St', mail_zip: '78701' });
    expect(mail.json.match).toBe(true);
    expect((await post('/v1/SkipTrace', { phone: '2125550101' })).json).toMatchObject({
      match: false,
      credits: 0,
    });
    const bad = await post('/v1/SkipTrace', { address: '12 Oak St' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      validation: { source: 'payload' },
    });
  });
});

describe('POST /v2/PropertyDetail', () => {
  it('a hit: data in the documented shape, numeric id, owner info, billed once', async () => {
    const before = sandbox.billing.billedCount();
    const { status, json } = await post('/v2/PropertyDetail', {
      house: '100',
      street: 'Sample St',
      state: 'IL',
      zip: '60614',
    });
    expect(status).toBe(200);
    expect(detailResponseSchema.safeParse(json).success).toBe(true);
    expect(json.data).toMatchObject({
      id: 16061400000,
      propertyInfo: {
        address: { address: '100 Sample St', house: '100', street: 'Sample', streetType: 'St' },
      },
      ownerInfo: { owner1Type: expect.stringMatching(/^(Individual|Company|Other)$/) },
      lotInfo: { apn: '606-14-00000', apnUnformatted: '6061400000' },
    });
    expect(json).toMatchObject({ statusCode: 200, statusMessage: 'Success', credits: 1 });
    expect(sandbox.billing.billedCount() - before).toBe(1);
  });

  it('a miss is the documented 404 envelope, unbilled', async () => {
    const before = sandbox.billing.billedCount();
    const { status, json } = await post('/v2/PropertyDetail', { id: 4242 });
    expect(status).toBe(404);
    expect(json).toMatchObject({
      input: { id: 4242 },
      data: {},
      statusCode: 404,
      statusMessage: 'Not Found',
    });
    expect(sandbox.billing.billedCount()).toBe(before);
  });
});

describe('POST /v2/PropertySearch', () => {
  it('full mode: the documented envelope; records pass the adapter’s schema', async () => {
    const { json } = await post('/v2/PropertySearch', { zip: '60614', size: 3, resultIndex: 6 });
    expect(searchResponseSchema.safeParse(json).success).toBe(true);
    expect(json).toMatchObject({ resultIndex: 6, recordCount: 3, credits: 3, statusCode: 200 });
    expect(json.data.every((r: unknown) => searchRecordSchema.safeParse(r).success)).toBe(true);
    expect(json.data[0]).toMatchObject({
      id: expect.stringMatching(/^160614\d{5}$/),
      address: { zip: '60614', state: 'IL', address: expect.stringMatching(/, IL 60614$/) },
      lastSaleAmount: expect.stringMatching(/^\d+$/),
    });
  });

  it('count and ids_only: no records, 0 credits; ids as numbers', async () => {
    const count = await post('/v2/PropertySearch', { zip: '60614', count: true });
    expect(count.json).toMatchObject({ data: [], recordCount: 0, credits: 0 });
    const ids = await post('/v2/PropertySearch', { zip: '60614', ids_only: true, size: 1 });
    expect(ids.json.data).toHaveLength(count.json.resultCount);
    expect(typeof ids.json.data[0]).toBe('number');
  });

  it('key order does not change the query; bad paging is a 400', async () => {
    const a = await post('/v2/PropertySearch', {
      zip: '60614',
      vacant: true,
      property_type: 'SFR',
      count: true,
    });
    const b = await post('/v2/PropertySearch', {
      property_type: 'SFR',
      count: true,
      vacant: true,
      zip: '60614',
    });
    expect(b.json.resultCount).toBe(a.json.resultCount);
    expect((await post('/v2/PropertySearch', { zip: '60614', resultIndex: -1 })).status).toBe(400);
    expect((await post('/v2/PropertySearch', { zip: '60614', size: 0 })).status).toBe(400);
  });
});

describe('parseAddressString', () => {
  it.each([
    [
      '722 Valentines Street, Gasburg, VA 23857',
      { street: '722 Valentines Street', city: 'Gasburg', state: 'VA', zip: '23857' },
    ],
    [
      '17 Sample St, Sampleton IL 60614-0101',
      { street: '17 Sample St', city: 'Sampleton', state: 'IL', zip: '60614' },
    ],
    [
      '17 Sample St, Sampleton, 60614',
      { street: '17 Sample St', city: 'Sampleton', state: null, zip: '60614' },
    ],
    ['17 Sample St, Sampleton', { street: '17 Sample St', city: 'Sampleton', state: null, zip: null }],
  ])('%s', (text, want) => {
    expect(parseAddressString(text)).toEqual(want);
  });
});
