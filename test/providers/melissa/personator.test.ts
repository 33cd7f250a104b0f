/** Melissa Personator: parser over every fixture, request, and the adapter against the sandbox. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SkipTraceInput, SkipTraceItemResult } from '../../../src/providers/contract.js';
import type { ProviderErrorCode } from '../../../src/providers/errors.js';
import {
  createMelissaPersonator,
  parsePersonatorResponse,
  personatorQuery,
  resultCodes,
  type MelissaPersonatorOptions,
} from '../../../src/providers/melissa/personator.js';
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

const LICENSE = 'melissa-license-0123456789';
const LEAD: SkipTraceInput = {
  requestId: 'lead-1',
  street: '123 Lakeview Ave',
  city: 'Chicago',
  state: 'IL',
  zip: '60614',
  firstName: 'Mary',
  lastName: 'Sampleton',
};
const load = (name: string) => loadVendorFixture('melissa', name);

type Case = { ok: (r: SkipTraceItemResult) => void } | { error: ProviderErrorCode; message?: RegExp };

const EXPECTED: Record<string, Case> = {
  'verified-appended.json': {
    ok: (r) => {
      expect(r).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1, mak: '2153275541' });
      expect(r.persons).toEqual([
        {
          first: 'Mary',
          last: 'Sampleton',
          full: 'Mary J Sampleton',
          litigator: false,
          deceased: false,
          phones: [
            {
              number: '3125550147',
              type: 'mobile',
              carrier: null,
              dnc: false,
              tcpa: false,
              score: null,
              reachable: null,
            },
          ],
          emails: [{ address: 'mary.sampleton@example.org', tested: null }],
        },
      ]);
      expect(r.rawItem).toMatchObject({ MelissaAddressKey: '2153275541' });
    },
  },
  // Verified, MAK kept (a number in the JSON is read as a string), but nothing to contact.
  'verified-no-contact.json': {
    ok: (r) => expect(r).toMatchObject({ matched: false, billableUnits: 1, persons: [], mak: '2153275542' }),
  },
  // PE01 drops the phone; the email is enough for a person.
  'phone-error.json': {
    ok: (r) => {
      expect(r.matched).toBe(true);
      expect(r.persons[0]!.phones).toEqual([]);
      expect(r.persons[0]!.emails).toEqual([{ address: 'robert.notreal@example.net', tested: null }]);
      expect(r.persons[0]).toMatchObject({ first: 'Robert', last: 'Notreal' });
    },
  },
  // Any AE code: unmatched, no MAK, still billed.
  'address-error.json': {
    ok: (r) => expect(r).toMatchObject({ matched: false, billableUnits: 1, persons: [], mak: null }),
  },
  'license-error.json': { error: 'auth', message: /TransmissionResults GE05/ },
  'server-error.json': { error: 'server_error' },
  'other-reference.json': { error: 'unrecognized_response', message: /TransmissionReference/ },
  'drift.json': { error: 'unrecognized_response', message: /^unrecognized response shape: Records: / },
};

describe('parsePersonatorResponse — fixtures', () => {
  it('covers every fixture in the folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('melissa'));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, c) => {
    const run = () => parsePersonatorResponse(load(name), LEAD, 200);
    if ('ok' in c) {
      c.ok(run());
      return;
    }
    const err = thrownProviderError(run);
    expect(err.code).toBe(c.error);
    if (c.message) expect(err.message).toMatch(c.message);
  });

  it('fixtures hold only fictional phones and example.* emails', () => {
    for (const name of fixtureNames('melissa')) {
      const { phones, emailDomains } = contactsIn(fixtureText('melissa', name));
      // MAKs are 10-digit address keys, not phones.
      for (const phone of phones.filter((p) => !p.startsWith('21532755')))
        expect(phone, name).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, name).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no Records', { TotalRecords: '1', TransmissionResults: '' }],
    ['two records', { Records: [{ Results: 'AS01' }, { Results: 'AS01' }], TransmissionResults: '' }],
    ['no record', { Records: [], TransmissionResults: '' }],
    ['a record without Results', { Records: [{ MelissaAddressKey: '1' }], TransmissionResults: '' }],
    ['an unknown transmission code', { Records: [], TransmissionResults: 'ZZ99' }],
  ])('%s fails closed', (_label, body) => {
    expect(thrownProviderError(() => parsePersonatorResponse(body, LEAD, 200)).code).toBe(
      'unrecognized_response',
    );
  });

  it('an unverified address (no AS code) is unmatched', () => {
    const body = { Records: [{ Results: 'PS01,ES01', PhoneNumber: '3125550147', MelissaAddressKey: '1' }] };
    expect(parsePersonatorResponse(body, LEAD, 200)).toMatchObject({ matched: false, mak: null });
  });

  it('splits result codes', () => {
    expect(resultCodes(' as01, PS07 ,,ES01')).toEqual(['AS01', 'PS07', 'ES01']);
  });
});

describe('personatorQuery', () => {
  it('sends the license, the request id as t, the address parts and the name', () => {
    expect(Object.fromEntries(personatorQuery(LEAD, { licenseKey: LICENSE }))).toEqual({
      id: LICENSE,
      t: 'lead-1',
      act: 'Check,Verify,Append',
      cols: 'GrpAll',
      format: 'json',
      a1: '123 Lakeview Ave',
      city: 'Chicago',
      state: 'IL',
      postal: '60614',
      ctry: 'US',
      first: 'Mary',
      last: 'Sampleton',
    });
    const half = personatorQuery(
      { ...LEAD, firstName: null, city: null },
      { licenseKey: LICENSE, columns: 'GrpNameDetails' },
    );
    expect(half.get('full')).toBe('Sampleton');
    expect(half.has('city')).toBe(false);
    expect(half.get('cols')).toBe('GrpNameDetails');
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

const melissa = (over: Partial<MelissaPersonatorOptions> = {}) =>
  createMelissaPersonator({ baseUrl: sandbox.url, licenseKey: LICENSE, ...over });
const lead = (i: number): SkipTraceInput => ({
  requestId: `lead-${i}`,
  street: `${200 + i} Birch Rd`,
  city: 'Austin',
  state: 'TX',
  zip: '78701',
});

describe('createMelissaPersonator', () => {
  it('declares its facts, MAK included', () => {
    expect(melissa()).toMatchObject({
      id: 'melissa-personator',
      kind: 'skip-trace',
      flags: {
        batchSize: 1,
        billsOnMiss: true,
        returnsLineType: false,
        returnsMak: true,
        returnsCompliance: false,
      },
      cost: { perCallMicros: 50_000, perHitMicros: 0, perItemMicros: 0 },
      authStyle: 'query',
      envKeys: ['MELISSA_LICENSE_KEY', 'MELISSA_BASE_URL', 'MELISSA_COST_PER_RECORD_USD'],
    });
    expect(melissa({ costPerRecordMicros: 40_000 }).cost.perCallMicros).toBe(40_000);
  });

  it('GETs doContactVerify with the query of personatorQuery', async () => {
    let seen = '';
    const spy: typeof fetch = (url, init) => {
      seen = String(url);
      return fetch(url, init);
    };
    await melissa({ fetch: spy }).skipTrace([LEAD]);
    expect(seen).toBe(
      `${sandbox.url}/v3/WEB/ContactVerify/doContactVerify?${personatorQuery(LEAD, { licenseKey: LICENSE })}`,
    );
  });

  it('verified and appended: MAK, owner, a fictional phone and email, billed per call', async () => {
    sandbox.setOptions({ melissaVerifyRate: 1, melissaAppendRate: 1 });
    const before = sandbox.billing.billedCount();
    const items: SkipTraceItemResult[] = [];
    for (let i = 0; i < 12; i++) items.push(...(await melissa().skipTrace([lead(i)])).items);
    expect(sandbox.billing.billedCount() - before).toBe(12);
    for (const item of items) {
      expect(item.mak).toMatch(/^\d{10}$/);
      expect(item.billableUnits).toBe(1);
      for (const p of item.persons) {
        for (const ph of p.phones) expect(ph.number).toMatch(FICTIONAL_PHONE);
        for (const e of p.emails) expect(e.address.split('@')[1]).toMatch(FICTIONAL_EMAIL_DOMAIN);
      }
    }
    expect(items.filter((i) => i.matched).length).toBeGreaterThan(6);
  });

  it('the owner appended is the BatchData sandbox owner of the same address', async () => {
    sandbox.setOptions({ melissaVerifyRate: 1, melissaAppendRate: 1, hitRate: 1, unitMissRate: 0 });
    const { createBatchDataProvider } = await import('../../../src/providers/batchdata/adapter.js');
    const bd = createBatchDataProvider({ baseUrl: sandbox.url, apiKey: 'k', authStyle: 'bearer' });
    const [fromBd] = (await bd.skipTrace([lead(3)])).items;
    const [fromMelissa] = (await melissa().skipTrace([lead(3)])).items;
    expect(fromMelissa!.persons[0]!.full).toBe(`${fromBd!.persons[0]!.first} ${fromBd!.persons[0]!.last}`);
  });

  it('an address that does not verify is unmatched, without MAK, and still billed', async () => {
    sandbox.setOptions({ melissaVerifyRate: 0 });
    const before = sandbox.billing.billedCount();
    const [item] = (await melissa().skipTrace([lead(1)])).items;
    expect(item).toMatchObject({
      requestId: 'lead-1',
      matched: false,
      mak: null,
      billableUnits: 1,
      persons: [],
    });
    expect(sandbox.billing.billedCount() - before).toBe(1);
  });

  it('verified without append: MAK only, unmatched', async () => {
    sandbox.setOptions({ melissaVerifyRate: 1, melissaAppendRate: 0 });
    const [item] = (await melissa().skipTrace([lead(2)])).items;
    expect(item).toMatchObject({ matched: false, persons: [] });
    expect(item!.mak).toMatch(/^\d{10}$/);
  });

  it('is deterministic', async () => {
    const a = await melissa().skipTrace([lead(4)]);
    const b = await melissa().skipTrace([lead(4)]);
    expect(b.items).toEqual(a.items);
  });

  it('one record per request', async () => {
    expect((await providerFailure(melissa().skipTrace([lead(1), lead(2)]))).code).toBe('invalid_request');
    expect((await providerFailure(melissa().skipTrace([]))).code).toBe('invalid_request');
  });
});

describe('createMelissaPersonator errors', () => {
  it('a wrong license → auth (GE05 in a 200), license never in the error', async () => {
    sandbox.setOptions({ apiKey: 'the-real-license' });
    const err = await providerFailure(melissa().skipTrace([lead(1)]));
    expect(err).toMatchObject({ code: 'auth', statusCode: 200 });
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(LICENSE);
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) => melissa({ timeoutMs }).skipTrace([lead(1)]),
  );
});
