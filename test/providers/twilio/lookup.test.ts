/** Twilio Lookup v2 line type intelligence: parser over every fixture, adapter against the sandbox. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PhoneVerification } from '../../../src/providers/contract.js';
import type { ProviderErrorCode } from '../../../src/providers/errors.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import {
  createTwilioLookup,
  parseLookupResponse,
  twilioLineType,
  type TwilioLookupOptions,
} from '../../../src/providers/twilio/lookup.js';
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

const SID = 'AC00000000000000000000000000000000';
const TOKEN = 'twilio-test-token-0123456789';

const answer = (over: Partial<PhoneVerification>): PhoneVerification => ({
  number: '',
  valid: null,
  type: null,
  carrier: null,
  reachable: null,
  dnc: null,
  tcpa: null,
  litigator: null,
  billableUnits: 1,
  ...over,
});

type Case =
  | { asked: string; result: PhoneVerification }
  | { asked: string; error: ProviderErrorCode; message?: RegExp };

const EXPECTED: Record<string, Case> = {
  'lookup-mobile.json': {
    asked: '+12125550101',
    result: answer({ number: '+12125550101', valid: true, type: 'mobile', carrier: 'T-Mobile USA, Inc.' }),
  },
  'lookup-nonfixed-voip.json': {
    asked: '4155550199',
    result: answer({
      number: '4155550199',
      valid: true,
      type: 'voip',
      carrier: 'Bandwidth/13 - Bandwidth.com - SVR',
    }),
  },
  'lookup-toll-free.json': {
    asked: '+18005550100',
    result: answer({ number: '+18005550100', valid: true, type: 'unknown' }),
  },
  'lookup-invalid.json': { asked: '+1212555', result: answer({ number: '+1212555', valid: false }) },
  // Canada without NPAC approval: valid, but no line data.
  'lookup-canada-60601.json': {
    asked: '+16045550142',
    result: answer({ number: '+16045550142', valid: true }),
  },
  'error-401.json': {
    asked: '+12125550101',
    error: 'auth',
    message: /error 20003 in the body \(Authenticate\)/,
  },
  'error-404.json': { asked: '+12125550101', error: 'invalid_request' },
  'error-429.json': { asked: '+12125550101', error: 'rate_limited' },
  'drift.json': {
    asked: '+12125550101',
    error: 'unrecognized_response',
    message: /^unrecognized response shape: phone_number: /,
  },
};

describe('parseLookupResponse — fixtures', () => {
  it('covers every fixture in the folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames('twilio'));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, c) => {
    const run = () => parseLookupResponse(loadVendorFixture('twilio', name), c.asked, 200);
    if ('result' in c) {
      expect(run()).toEqual(c.result);
      return;
    }
    const err = thrownProviderError(run);
    expect(err.code).toBe(c.error);
    if (c.message) expect(err.message).toMatch(c.message);
  });

  it('fixtures hold only fictional phones and example.* emails', () => {
    for (const name of fixtureNames('twilio')) {
      const { phones, emailDomains } = contactsIn(fixtureText('twilio', name));
      for (const phone of phones) expect(phone, name).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, name).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });

  it('an answer for another number fails closed', () => {
    const err = thrownProviderError(() =>
      parseLookupResponse(loadVendorFixture('twilio', 'lookup-mobile.json'), '+12125550102', 200),
    );
    expect(err.code).toBe('unrecognized_response');
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['valid as a string', { phone_number: '+12125550101', valid: 'yes' }],
    ['LTI as a string', { phone_number: '+12125550101', valid: true, line_type_intelligence: 'mobile' }],
  ])('%s fails closed', (_label, body) => {
    expect(thrownProviderError(() => parseLookupResponse(body, '+12125550101', 200)).code).toBe(
      'unrecognized_response',
    );
  });
});

describe('twilioLineType', () => {
  it.each([
    ['mobile', 'mobile'],
    ['landline', 'landline'],
    ['fixedVoip', 'voip'],
    ['nonFixedVoip', 'voip'],
    ['tollFree', 'unknown'],
    ['personal', 'unknown'],
    ['premium', 'unknown'],
    ['sharedCost', 'unknown'],
    ['uan', 'unknown'],
    ['voicemail', 'unknown'],
    ['pager', 'unknown'],
    ['unknown', 'unknown'],
    [null, null],
  ] as const)('%s → %s', (type, expected) => {
    expect(twilioLineType(type)).toBe(expected);
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

const twilio = (over: Partial<TwilioLookupOptions> = {}) =>
  createTwilioLookup({ baseUrl: sandbox.url, accountSid: SID, authToken: TOKEN, ...over });
const lookup = async (number: string, over: Partial<TwilioLookupOptions> = {}) =>
  (await twilio(over).verifyPhones([number]))[0]!;

describe('createTwilioLookup', () => {
  it('declares its facts', () => {
    expect(twilio()).toMatchObject({
      id: 'twilio-lookup',
      kind: 'phone-verify',
      flags: { batchSize: 1, billsOnMiss: true, returnsLineType: true },
      cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 10_000 },
      authStyle: 'basic',
      envKeys: [
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_LOOKUP_BASE_URL',
        'TWILIO_LOOKUP_COST_USD',
      ],
    });
    expect(twilio({ costPerLookupMicros: 8_000 }).cost.perItemMicros).toBe(8_000);
  });

  it('GETs /v2/PhoneNumbers/{E164}?Fields=line_type_intelligence with Basic auth', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const spy: typeof fetch = (url, init) => {
      seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
      return fetch(url, init);
    };
    await lookup('+12125550101', { fetch: spy });
    await lookup('2125550101', { fetch: spy });
    expect(seen.map((s) => s.url)).toEqual([
      `${sandbox.url}/v2/PhoneNumbers/%2B12125550101?Fields=line_type_intelligence`,
      `${sandbox.url}/v2/PhoneNumbers/2125550101?Fields=line_type_intelligence&CountryCode=US`,
    ]);
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  });

  it('maps sandbox lines to our types; E.164 and national forms agree', async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `+1312555${String(100 + i).padStart(4, '0')}`);
    const before = sandbox.billing.billedCount();
    const results: PhoneVerification[] = [];
    for (const n of numbers) results.push(await lookup(n));
    expect(sandbox.billing.billedCount() - before).toBe(40);
    const types = new Set(results.map((r) => r.type));
    expect(types).toContain('mobile');
    expect(types).toContain('landline');
    expect(types).toContain('voip');
    for (const r of results) {
      expect(r).toMatchObject({ dnc: null, tcpa: null, litigator: null, reachable: null, billableUnits: 1 });
      if (r.valid) expect(r.carrier).toEqual(expect.any(String));
      else expect(r).toMatchObject({ type: null, carrier: null });
    }
    const national = await lookup(numbers[0]!.slice(2));
    expect({ ...national, number: numbers[0] }).toEqual(results[0]);
  });

  it('agrees with the BatchData verification on the same number (one sandbox phone book)', async () => {
    const { createBatchDataPhoneVerify } = await import('../../../src/providers/batchdata/phone.js');
    const numbers = ['+16175550111', '+16175550112', '+16175550113', '+16175550114'];
    const bd = await createBatchDataPhoneVerify({ baseUrl: sandbox.url, apiKey: 'k' }).verifyPhones(numbers);
    for (const [i, n] of numbers.entries()) {
      const tw = await lookup(n);
      expect(tw.valid).toBe(bd[i]!.valid);
      if (tw.valid) expect(tw.type).toBe(bd[i]!.type);
    }
  });

  it('never vouches for a real line', async () => {
    expect(await lookup('+14155551234')).toMatchObject({ valid: false, type: null, carrier: null });
    expect(await lookup('+442071234567')).toMatchObject({ valid: false });
  });

  it('is deterministic', async () => {
    expect(await lookup('+12125550133')).toEqual(await lookup('+12125550133'));
  });

  it('one number per request', async () => {
    const err = await providerFailure(twilio().verifyPhones(['+12125550101', '+12125550102']));
    expect(err.code).toBe('invalid_request');
  });
});

describe('createTwilioLookup errors', () => {
  it('wrong credentials → auth (401), token never in the error', async () => {
    sandbox.setOptions({ apiKey: 'the-real-token' });
    const err = await providerFailure(twilio().verifyPhones(['+12125550101']));
    expect(err).toMatchObject({ code: 'auth', statusCode: 401 });
    expect(err.message).toBe('Twilio answered HTTP 401 (20003: Authenticate)');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(TOKEN);
  });

  itMapsSandboxFaults(
    () => sandbox,
    ({ timeoutMs }) => twilio({ timeoutMs }).verifyPhones(['+12125550101']),
  );
});
