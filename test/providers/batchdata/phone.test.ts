/** BatchData phone checks: request building and the parser over every recorded payload. */
import { describe, expect, it } from 'vitest';
import type { PhoneVerification } from '../../../src/providers/contract.js';
import type { ProviderErrorCode } from '../../../src/providers/errors.js';
import { batchDataPhoneFacts } from '../../../src/providers/batchdata/facts.js';
import {
  buildPhoneCheckRequest,
  parsePhoneCheckResponse,
  toUsTenDigits,
} from '../../../src/providers/batchdata/phone.js';
import type { PhoneCheck } from '../../../src/providers/batchdata/phone-wire.js';
import {
  FICTIONAL_EMAIL_DOMAIN,
  FICTIONAL_PHONE,
  contactsIn,
  fixtureNames,
  fixtureText,
  loadVendorFixture,
  thrownProviderError,
} from '../vendor-fixtures.js';

const FOLDER = 'batchdata/phone';
const load = (name: string) => loadVendorFixture(FOLDER, name);

const verified = (over: Partial<PhoneVerification>): PhoneVerification => ({
  number: '',
  valid: null,
  type: null,
  carrier: null,
  reachable: null,
  dnc: null,
  tcpa: null,
  litigator: null,
  billableUnits: 0,
  ...over,
});

type Expectation =
  | { check: PhoneCheck; numbers: string[]; results: PhoneVerification[] }
  | { check: PhoneCheck; numbers: string[]; error: ProviderErrorCode; message?: RegExp };

/** Every fixture of the folder, with what the parser must make of it. */
const EXPECTED: Record<string, Expectation> = {
  'verification.json': {
    check: 'verification',
    numbers: ['+12125550101', '312-555-0142', '(415) 555-0177'],
    results: [
      verified({
        number: '+12125550101',
        valid: true,
        type: 'mobile',
        carrier: 'Verizon Wireless',
        reachable: true,
        dnc: false,
        tcpa: false,
        billableUnits: 1,
      }),
      verified({
        number: '312-555-0142',
        valid: true,
        type: 'landline',
        carrier: 'AT&T',
        reachable: false,
        dnc: true,
        tcpa: true,
        billableUnits: 1,
      }),
      // notFound: billed (every record returned is), invalid, no line type.
      verified({
        number: '(415) 555-0177',
        valid: false,
        reachable: false,
        dnc: false,
        tcpa: false,
        billableUnits: 1,
      }),
    ],
  },
  'verification-reordered.json': {
    check: 'verification',
    // Matched by the echoed number: order, an unasked record, a repeat, a missing and a
    // foreign number must not shift anything.
    numbers: ['12125550188', '+16175550123', '6175550123', '+12125550999', '+447700900123'],
    results: [
      verified({
        number: '12125550188',
        valid: true,
        type: 'mobile',
        carrier: 'T-Mobile USA',
        reachable: true,
        dnc: false,
        tcpa: false,
        billableUnits: 1,
      }),
      verified({
        number: '+16175550123',
        valid: true,
        type: 'voip',
        carrier: 'Bandwidth.com',
        reachable: true,
        dnc: false,
        tcpa: false,
        billableUnits: 1,
      }),
      verified({
        number: '6175550123',
        valid: true,
        type: 'voip',
        carrier: 'Bandwidth.com',
        reachable: true,
        dnc: false,
        tcpa: false,
        billableUnits: 0,
      }),
      verified({ number: '+12125550999' }),
      verified({ number: '+447700900123' }),
    ],
  },
  'dnc.json': {
    check: 'dnc',
    numbers: ['+12125550101', '+13125550142'],
    results: [
      verified({ number: '+12125550101', dnc: false, billableUnits: 1 }),
      verified({ number: '+13125550142', dnc: true, billableUnits: 1 }),
    ],
  },
  'tcpa.json': {
    check: 'tcpa',
    numbers: ['+12125550101', '+13125550142'],
    results: [
      verified({ number: '+12125550101', tcpa: false, billableUnits: 1 }),
      verified({ number: '+13125550142', tcpa: true, billableUnits: 1 }),
    ],
  },
  'error-403-insufficient-balance.json': {
    check: 'dnc',
    numbers: ['+12125550101'],
    error: 'auth',
    message: /status 403 in the body \(Forbidden: Insufficient balance or invalid token permission\)/,
  },
  'error-403-permission.json': { check: 'tcpa', numbers: ['+12125550101'], error: 'auth' },
  'body-401.json': {
    check: 'verification',
    numbers: ['+12125550101'],
    error: 'auth',
    message: /^BatchData answered HTTP 200 with status 401 in the body \(Unauthorized\)$/,
  },
  'all-errors.json': {
    check: 'verification',
    numbers: ['+12125550101', '+12125550102'],
    error: 'server_error',
  },
  'unrelated-numbers.json': {
    check: 'dnc',
    numbers: ['+12125550101'],
    error: 'unrecognized_response',
    message: /no phone in the answer matches a number asked/,
  },
  'drift.json': {
    check: 'dnc',
    numbers: ['+12125550101'],
    error: 'unrecognized_response',
    message: /^unrecognized response shape: results: /,
  },
};

describe('parsePhoneCheckResponse — fixtures', () => {
  it('covers every fixture in the folder', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames(FOLDER));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, expectation) => {
    const run = () => parsePhoneCheckResponse(load(name), expectation.numbers, expectation.check, 200);
    if ('results' in expectation) {
      expect(run()).toEqual(expectation.results);
      return;
    }
    const err = thrownProviderError(run);
    expect(err.code).toBe(expectation.error);
    expect(err.details.provider).toBe(batchDataPhoneFacts[expectation.check].id);
    if (expectation.message) expect(err.message).toMatch(expectation.message);
  });

  it('fixtures hold only fictional phones and example.* emails', () => {
    for (const name of fixtureNames(FOLDER)) {
      const { phones, emailDomains } = contactsIn(fixtureText(FOLDER, name));
      for (const phone of phones) expect(phone, name).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, name).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });
});

describe('parsePhoneCheckResponse — unknown shapes fail closed', () => {
  const numbers = ['+12125550101'];
  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'OK'],
    ['no results', { status: { code: 200, text: 'OK' } }],
    ['no status', { results: { phoneNumbers: [{ number: '2125550101', dnc: false }] } }],
    ['phoneNumbers not an array', { status: { code: 200 }, results: { phoneNumbers: {} } }],
    ['an item without number', { status: { code: 200 }, results: { phoneNumbers: [{ dnc: true }] } }],
    [
      'a DNC item without dnc',
      { status: { code: 200 }, results: { phoneNumbers: [{ number: '2125550101' }] } },
    ],
    [
      'dnc as a string',
      { status: { code: 200 }, results: { phoneNumbers: [{ number: '2125550101', dnc: 'Y' }] } },
    ],
  ])('%s', (_label, body) => {
    const err = thrownProviderError(() => parsePhoneCheckResponse(body, numbers, 'dnc', 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toMatch(/^unrecognized response shape: /);
  });

  it('a TCPA answer is not read as a DNC answer', () => {
    const err = thrownProviderError(() => parsePhoneCheckResponse(load('tcpa.json'), numbers, 'dnc', 200));
    expect(err.code).toBe('unrecognized_response');
  });

  it('samples are redacted', () => {
    const err = thrownProviderError(() => parsePhoneCheckResponse(load('drift.json'), numbers, 'dnc', 200));
    expect(err.details.sample).not.toContain('2125550101');
    expect(err.details.sample).toContain('##########');
  });
});

describe('request building', () => {
  it.each([
    ['+12125550101', '2125550101'],
    ['12125550101', '2125550101'],
    ['(212) 555-0101', '2125550101'],
    ['212.555.0101', '2125550101'],
    ['+442071234567', null],
    ['0125550101', null],
    ['555-0101', null],
    ['', null],
  ])('toUsTenDigits(%j) → %j', (input, expected) => {
    expect(toUsTenDigits(input)).toBe(expected);
  });

  it('sends each NANP number once, never a foreign one', () => {
    const facts = batchDataPhoneFacts.verification;
    expect(
      buildPhoneCheckRequest(['+12125550101', '2125550101', '+447700900123', '+13125550142'], facts),
    ).toEqual({
      requests: ['2125550101', '3125550142'],
    });
  });

  it('refuses more than 100 numbers', () => {
    const numbers = Array.from({ length: 101 }, (_, i) => `+1212555${String(i).padStart(4, '0')}`);
    const err = thrownProviderError(() => buildPhoneCheckRequest(numbers, batchDataPhoneFacts.dnc));
    expect(err.code).toBe('invalid_request');
    expect(buildPhoneCheckRequest(numbers.slice(0, 100), batchDataPhoneFacts.dnc).requests).toHaveLength(100);
  });
});

describe('batchDataPhoneFacts', () => {
  it('holds the third-party prices and shares the skip-trace token limits', () => {
    expect(batchDataPhoneFacts.verification.cost.perItemMicros).toBe(7_000);
    expect(batchDataPhoneFacts.dnc.cost.perItemMicros).toBe(2_000);
    expect(batchDataPhoneFacts.tcpa.cost.perItemMicros).toBe(2_000);
    for (const facts of Object.values(batchDataPhoneFacts)) {
      expect(facts.cost.verified).toBe(false);
      expect(facts.rateLimit).toMatchObject({ requestsPerMinute: 3_000, requestsPerSecond: 50 });
      expect(facts.flags).toMatchObject({ batchSize: 100, billsOnMiss: true, returnsCompliance: true });
      expect(facts.envKeys[0]).toBe('BATCHDATA_API_KEY');
    }
    expect(batchDataPhoneFacts.verification.flags.returnsLineType).toBe(true);
    expect(batchDataPhoneFacts.dnc.flags.returnsLineType).toBe(false);
  });
});
