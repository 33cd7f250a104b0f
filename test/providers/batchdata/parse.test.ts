import { describe, expect, it } from 'vitest';
import type { SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import { redactSample } from '../../../src/providers/batchdata/diagnostics.js';
import {
  addressMatchKey,
  parseSkipTraceResponse,
  phoneLineType,
  scoreFromRank,
} from '../../../src/providers/batchdata/parse.js';
import { loadFixture } from './load-fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const input = (
  requestId: string,
  street: string,
  zip: string | null,
  city = 'X',
  state = 'NY',
): SkipTraceInput => ({
  requestId,
  street,
  city,
  state,
  zip,
});

function catchError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

const evergreen = input('lead-a', '742 Evergreen Ter', '62704', 'Springfield', 'IL');
const spooner = input('lead-b', '31 Spooner St', '02903', 'Quahog', 'RI');
const nowhere = input('lead-c', '1600 Nowhere Rd', '75001', 'Faketown', 'TX');
const unanswered = input('lead-d', '5 Silent Ct', '75001', 'Faketown', 'TX');

const multiExpected = (body: Json) => [
  {
    requestId: 'lead-a',
    matched: true,
    billableUnits: 1,
    persons: [
      {
        first: 'Mary',
        last: 'Sample',
        full: 'Mary Sample',
        litigator: false,
        deceased: false,
        phones: [
          {
            number: '2175550110',
            type: 'mobile',
            carrier: 'T-Mobile USA',
            dnc: false,
            tcpa: false,
            score: 88,
            reachable: true,
          },
          {
            number: '2175550111',
            type: 'landline',
            carrier: 'AT&T',
            dnc: false,
            tcpa: false,
            score: 51,
            reachable: false,
          },
        ],
        emails: [{ address: 'mary.sample@example.org', tested: false }],
      },
      {
        first: 'Robert',
        last: 'Sample',
        full: 'Robert T Sample',
        litigator: false,
        deceased: true,
        // person-level tcpa flags every phone of that person
        phones: [
          {
            number: '2175550112',
            type: 'voip',
            carrier: 'Bandwidth.com',
            dnc: true,
            tcpa: true,
            score: 35,
            reachable: true,
          },
        ],
        emails: [],
      },
    ],
    rawItem: [
      body.results.persons.find((p: Json) => p._id === 'p-a-1'),
      body.results.persons.find((p: Json) => p._id === 'p-a-2'),
    ],
  },
  {
    requestId: 'lead-b',
    matched: true,
    billableUnits: 1,
    persons: [
      {
        first: 'Linda',
        last: 'Tester',
        full: 'Linda Tester',
        litigator: true,
        deceased: false,
        phones: [
          {
            number: '4015550120',
            type: 'mobile',
            carrier: 'AT&T Mobility',
            dnc: false,
            tcpa: false,
            score: 97,
            reachable: true,
          },
          {
            number: '4015550121',
            type: 'unknown',
            carrier: null,
            dnc: false,
            tcpa: false,
            score: null,
            reachable: null,
          },
        ],
        emails: [
          { address: 'linda.tester@example.net', tested: true },
          { address: 'ltester77@example.com', tested: false },
        ],
      },
    ],
    rawItem: [body.results.persons.find((p: Json) => p._id === 'p-b-1')],
  },
  {
    requestId: 'lead-c',
    matched: false,
    billableUnits: 0,
    persons: [],
    rawItem: [body.results.persons.find((p: Json) => p.requestId === 'lead-c')],
  },
  { requestId: 'lead-d', matched: false, billableUnits: 0, persons: [], rawItem: null },
];

describe('parseSkipTraceResponse — v1 fixtures', () => {
  it('v1 hit: maps phones, emails and names, matched by address (zip+4 and punctuation normalized)', () => {
    const body = loadFixture('v1-hit.json') as Json;
    const items = parseSkipTraceResponse(
      body,
      [input('lead-1', '1011 Rosegold St.', '11010-2507', 'Franklin Square')],
      200,
    );
    expect(items).toEqual([
      {
        requestId: 'lead-1',
        matched: true,
        billableUnits: 1,
        persons: [
          {
            first: 'John',
            last: 'Doe',
            full: 'John Q Doe',
            litigator: false,
            deceased: false,
            phones: [
              {
                number: '5165550101',
                type: 'mobile',
                carrier: 'Verizon Wireless',
                dnc: false,
                tcpa: false,
                score: 92,
                reachable: true,
              },
              {
                number: '5165550102',
                type: 'landline',
                carrier: 'Verizon',
                dnc: true,
                tcpa: false,
                score: 40,
                reachable: true,
              },
            ],
            emails: [{ address: 'jdoe@example.com', tested: true }],
          },
        ],
        rawItem: [body.results.persons[0]],
      },
    ]);
  });

  it('v1 multi-person: several persons per input, a placeholder miss, and an input with no result', () => {
    const body = loadFixture('v1-multi-person.json') as Json;
    const items = parseSkipTraceResponse(body, [evergreen, spooner, nowhere, unanswered], 200);
    expect(items).toEqual(multiExpected(body));
  });

  it('v1 Toronto no-match (verbatim): unmatched, unbilled, raw entry kept', () => {
    const body = loadFixture('v1-no-match-toronto.json') as Json;
    const items = parseSkipTraceResponse(
      body,
      [input('tor-1', '145 Adelaide St W', 'M5H 4', 'Toronto', 'ON')],
      200,
    );
    expect(items).toEqual([
      {
        requestId: 'tor-1',
        matched: false,
        billableUnits: 0,
        persons: [],
        rawItem: [body.results.persons[0]],
      },
    ]);
  });

  it('200 with a 401 in the body → auth', () => {
    const err = catchError(() =>
      parseSkipTraceResponse(loadFixture('v1-200-with-401-body.json'), [evergreen], 200),
    );
    expect(err.code).toBe('auth');
    expect(err.message).toBe('BatchData answered HTTP 200 with status 401 in the body (Unauthorized)');
    expect(err.statusCode).toBe(200);
  });

  it('403 error body (verbatim) → auth, as HTTP 403 and inside a 200', () => {
    const body = loadFixture('error-403.json');
    const http = catchError(() => parseSkipTraceResponse(body, [evergreen], 403));
    expect(http.code).toBe('auth');
    expect(http.statusCode).toBe(403);
    const inBody = catchError(() => parseSkipTraceResponse(body, [evergreen], 200));
    expect(inBody.code).toBe('auth');
    expect(inBody.message).toBe(
      'BatchData answered HTTP 200 with status 403 in the body (Forbidden: Provided token does not have permission to access this API.)',
    );
  });

  it.each([
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
    [400, 'invalid_request'],
    [422, 'invalid_request'],
    [402, 'quota_exhausted'],
  ])('body status %i inside a 200 → %s', (code, expected) => {
    const body = { status: { code, text: 'x' }, results: { persons: [] } };
    expect(catchError(() => parseSkipTraceResponse(body, [evergreen], 200)).code).toBe(expected);
  });

  it('errorCount == requestCount → server_error', () => {
    const err = catchError(() =>
      parseSkipTraceResponse(
        loadFixture('v1-all-errors.json'),
        [input('e1', '1 Error Ave', '60601'), input('e2', '2 Error Ave', '60601')],
        200,
      ),
    );
    expect(err.code).toBe('server_error');
    expect(err.message).toBe('BatchData reported errors for all 2 request items');
  });

  it('some item errors (not all) are flagged per item, not a failure of the batch', () => {
    const body = loadFixture('v1-all-errors.json') as Json;
    body.results.meta.results = { requestCount: 3, matchCount: 0, noMatchCount: 1, errorCount: 2 };
    const items = parseSkipTraceResponse(body, [input('e1', '1 Error Ave', '60601')], 200);
    expect(items).toEqual([
      {
        requestId: 'e1',
        matched: false,
        billableUnits: 0,
        persons: [],
        rawItem: [body.results.persons[0]],
        itemError: true,
      },
    ]);
  });

  it('matched flag without any person is not a match (nothing billed)', () => {
    const body = loadFixture('v3-no-match.json') as Json;
    body.result.data[0].meta.matched = true;
    const items = parseSkipTraceResponse(body, [input('tor-1', '145 Adelaide St W', 'M5H 4')], 200);
    expect(items[0]).toMatchObject({ matched: false, billableUnits: 0, persons: [] });
  });
});

describe('parseSkipTraceResponse — v3 fixtures', () => {
  it('v3 hit: up to 3 persons, score derived from rank, tcpa per phone', () => {
    const body = loadFixture('v3-hit.json') as Json;
    const items = parseSkipTraceResponse(
      body,
      [input('lead-123', '1011 Rosegold St', '11010'), input('lead-124', '9 Vacant Lot Way', '11010')],
      200,
    );
    expect(items).toEqual([
      {
        requestId: 'lead-123',
        matched: true,
        billableUnits: 1,
        persons: [
          {
            first: 'John',
            last: 'Doe',
            full: 'John Q Doe',
            litigator: false,
            deceased: false,
            phones: [
              {
                number: '5165550101',
                type: 'mobile',
                carrier: 'Verizon Wireless',
                dnc: false,
                tcpa: false,
                score: 100,
                reachable: true,
              },
              {
                number: '5165550102',
                type: 'landline',
                carrier: 'Verizon',
                dnc: true,
                tcpa: false,
                score: 90,
                reachable: true,
              },
              {
                number: '5165550103',
                type: 'voip',
                carrier: 'Twilio',
                dnc: false,
                tcpa: true,
                score: 0,
                reachable: false,
              },
            ],
            emails: [{ address: 'john.doe@example.com', tested: true }],
          },
          {
            first: 'Jane',
            last: 'Doe',
            full: 'Jane Doe',
            litigator: false,
            deceased: false,
            phones: [],
            emails: [{ address: 'jane.doe@example.net', tested: false }],
          },
        ],
        rawItem: body.result.data[0],
      },
      { requestId: 'lead-124', matched: false, billableUnits: 0, persons: [], rawItem: body.result.data[1] },
    ]);
  });

  it('v3 no-match (release-notes shape, no inputIndex): matched by address', () => {
    const body = loadFixture('v3-no-match.json') as Json;
    const items = parseSkipTraceResponse(
      body,
      [input('tor-1', '145 ADELAIDE ST W', 'M5H 4', 'Toronto', 'ON')],
      200,
    );
    expect(items).toEqual([
      { requestId: 'tor-1', matched: false, billableUnits: 0, persons: [], rawItem: body.result.data[0] },
    ]);
  });
});

describe('parseSkipTraceResponse — unknown shapes fail closed', () => {
  it('drift body → unrecognized_response with a redacted sample', () => {
    const err = catchError(() => parseSkipTraceResponse(loadFixture('drift.json'), [evergreen], 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: neither results.persons (v1) nor result.data (v3); top-level keys: data',
    );
    expect(err.details.sample).toBe(
      '{"data":{"records":[{"owner":"Jane Sample","phone":"(###) ###-####","mobile":"##########","email":"***@***","address":"742 Evergreen Ter, Springfield, IL 62704"}]}}',
    );
  });

  it('missing required structure (a person without meta) → unrecognized_response naming the path', () => {
    const body = loadFixture('v1-hit.json') as Json;
    delete body.results.persons[0].meta;
    const err = catchError(() => parseSkipTraceResponse(body, [evergreen], 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: v1 results.persons[0].meta: Invalid input: expected object, received undefined',
    );
  });

  it('v3 data element without persons → unrecognized_response', () => {
    const body = loadFixture('v3-hit.json') as Json;
    delete body.result.data[1].persons;
    const err = catchError(() => parseSkipTraceResponse(body, [evergreen], 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: v3 result.data[1].persons: Invalid input: expected array, received undefined',
    );
  });

  it.each([
    ['null', null, 'body is not a JSON object'],
    ['an array', [], 'body is not a JSON object'],
    ['a string', 'OK', 'body is not a JSON object'],
  ])('%s → unrecognized_response', (_label, body, reason) => {
    const err = catchError(() => parseSkipTraceResponse(body, [evergreen], 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(`unrecognized response shape: ${reason}`);
  });

  it('extra vendor fields are tolerated', () => {
    const body = loadFixture('v1-hit.json') as Json;
    body.results.newTopLevelThing = { x: 1 };
    body.results.persons[0].phoneNumbers[0].spamScore = 3;
    const items = parseSkipTraceResponse(body, [input('lead-1', '1011 Rosegold St', '11010')], 200);
    expect(items[0]!.matched).toBe(true);
  });
});

describe('matching results to inputs by evidence', () => {
  // Persons of one input keep their response order; the groups are shuffled.
  it('v1: shuffled persons, matched by requestId', () => {
    const body = loadFixture('v1-multi-person.json') as Json;
    const expected = multiExpected(loadFixture('v1-multi-person.json') as Json);
    const [a1, a2, b, c] = body.results.persons;
    body.results.persons = [c, b, a1, a2];
    const items = parseSkipTraceResponse(body, [evergreen, spooner, nowhere, unanswered], 200);
    expect(items).toEqual(expected);
  });

  it('v1: shuffled persons without requestIds, and shuffled inputs, matched by street+zip5', () => {
    const body = loadFixture('v1-multi-person.json') as Json;
    const expected = multiExpected(loadFixture('v1-multi-person.json') as Json);
    for (const p of body.results.persons) delete p.requestId;
    for (const p of expected) for (const raw of (p.rawItem ?? []) as Json[]) delete raw.requestId;
    const [a1, a2, b, c] = body.results.persons;
    body.results.persons = [b, a1, c, a2];
    const items = parseSkipTraceResponse(body, [unanswered, nowhere, spooner, evergreen], 200);
    expect(items).toEqual([expected[3], expected[2], expected[1], expected[0]]);
  });

  it('v3: reversed data without requestIds, matched by address', () => {
    const body = loadFixture('v3-hit.json') as Json;
    for (const d of body.result.data) delete d.input.requestId;
    body.result.data.reverse();
    const items = parseSkipTraceResponse(
      body,
      [input('x-124', '9 vacant lot way', '11010'), input('x-123', '1011 Rosegold St', '11010')],
      200,
    );
    expect(items.map((i) => [i.requestId, i.matched, i.persons.length])).toEqual([
      ['x-124', false, 0],
      ['x-123', true, 2],
    ]);
  });

  it('v3: no requestId and a vendor-standardized address fall back to inputIndex', () => {
    const body = loadFixture('v3-hit.json') as Json;
    for (const d of body.result.data) {
      delete d.input.requestId;
      d.input.propertyAddress.street = `${d.input.propertyAddress.street}reet`; // "St" → "Street"
    }
    body.result.data.reverse();
    const items = parseSkipTraceResponse(
      body,
      [input('y-0', '1011 Rosegold St', '11010'), input('y-1', '9 Vacant Lot Way', '11010')],
      200,
    );
    expect(items.map((i) => [i.requestId, i.matched])).toEqual([
      ['y-0', true],
      ['y-1', false],
    ]);
  });

  it('an unknown requestId falls back to the address', () => {
    const body = loadFixture('v3-hit.json') as Json;
    body.result.data[0].input.requestId = 'someone-else';
    const items = parseSkipTraceResponse(body, [input('z-1', '1011 Rosegold St', '11010')], 200);
    expect(items[0]).toMatchObject({ requestId: 'z-1', matched: true });
  });

  it('never by position alone: a v1 result with no requestId and a foreign address matches nothing', () => {
    const body = loadFixture('v1-hit.json') as Json;
    const items = parseSkipTraceResponse(body, [input('only-input', '1 Other Rd', '11010')], 200);
    expect(items).toEqual([
      { requestId: 'only-input', matched: false, billableUnits: 0, persons: [], rawItem: null },
    ]);
  });

  it('two inputs at one address and no requestId: ambiguous, neither is credited', () => {
    const body = loadFixture('v1-hit.json') as Json;
    const items = parseSkipTraceResponse(
      body,
      [input('twin-1', '1011 Rosegold St', '11010'), input('twin-2', '1011 Rosegold St', '11010')],
      200,
    );
    expect(items.map((i) => i.matched)).toEqual([false, false]);
  });
});

describe('mapping helpers', () => {
  it.each([
    ['Mobile', 'mobile'],
    ['Wireless', 'mobile'],
    ['Cell', 'mobile'],
    ['Land Line', 'landline'],
    ['Landline', 'landline'],
    ['VoIP', 'voip'],
    ['Pager', 'unknown'],
    [null, 'unknown'],
  ])('phone type %s → %s', (vendor, ours) => {
    expect(phoneLineType(vendor)).toBe(ours);
  });

  it('score from rank', () => {
    expect([0, 1, 5, 10, 11].map(scoreFromRank)).toEqual([100, 90, 50, 0, 0]);
    expect(scoreFromRank(null)).toBe(null);
  });

  it('address match key', () => {
    expect(addressMatchKey(' 1011  Rosegold St. ', '11010-2507')).toBe('1011 ROSEGOLD ST|11010');
    expect(addressMatchKey('145 Adelaide St W', 'M5H 4')).toBe('145 ADELAIDE ST W|M5H4');
    expect(addressMatchKey('', '11010')).toBe(null);
  });

  it('redactSample masks phone-like runs and emails, then cuts to 500 chars', () => {
    expect(redactSample({ a: '+1 (312) 555-0142', b: 'x.y@example.org', d: '2025-04-01', n: 100 })).toBe(
      '{"a":"+# (###) ###-####","b":"***@***","d":"2025-04-01","n":100}',
    );
    expect(redactSample('z'.repeat(900))).toHaveLength(500);
  });
});
