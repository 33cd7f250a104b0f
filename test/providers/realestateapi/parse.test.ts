/** RealEstateAPI parsers over every hand-built fixture: hits, misses, error bodies, drift. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PropertyDetailInput, SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  errorCodeFor,
  isPropertyNotFound,
  ownerType,
  parsePropertyDetailResponse,
  parsePropertySearchResponse,
  parseSkipTraceResponse,
} from '../../../src/providers/realestateapi/parse.js';
import { loadFixture } from './load-fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const lead: SkipTraceInput = {
  requestId: 'lead-1',
  street: '1842 Lorem Way',
  city: 'Sampleton',
  state: 'IL',
  zip: '60614',
  firstName: 'Jane',
  lastName: 'Sample',
};
const property: PropertyDetailInput = { requestId: 'prop-1', propertyId: '190787647' };
const FULL = { kind: 'full', size: 2, resultIndex: 0 } as const;

function catchError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('parseSkipTraceResponse', () => {
  it('a match: one person, phones and emails in our words, billed once', () => {
    const body = loadFixture('skiptrace-match.json');
    const item = parseSkipTraceResponse(body, lead, 200);
    expect(item).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1, rawItem: body });
    expect(item.persons).toEqual([
      {
        first: 'Jane',
        last: 'Sample',
        full: 'Jane Q Sample',
        litigator: false,
        deceased: false,
        phones: [
          {
            number: '3125550101',
            type: 'mobile',
            carrier: 'Fictional Wireless',
            dnc: false,
            tcpa: false,
            score: null,
            reachable: true,
          },
          {
            number: '3125550102',
            type: 'landline',
            carrier: null,
            dnc: true,
            tcpa: false,
            score: null,
            reachable: false,
          },
        ],
        emails: [{ address: 'jane.sample@example.com', tested: null }],
      },
    ]);
  });

  it('a match with an empty identity is still a billed match', () => {
    const item = parseSkipTraceResponse(loadFixture('skiptrace-match-empty-identity.json'), lead, 200);
    expect(item).toMatchObject({ matched: true, billableUnits: 1 });
    expect(item.persons).toEqual([
      { first: null, last: null, full: null, litigator: false, deceased: true, phones: [], emails: [] },
    ]);
  });

  it('match: false is an unbilled miss that keeps the raw body', () => {
    const body = loadFixture('skiptrace-no-match.json');
    expect(parseSkipTraceResponse(body, lead, 200)).toEqual({
      requestId: 'lead-1',
      matched: false,
      billableUnits: 0,
      persons: [],
      rawItem: body,
    });
  });

  it('match: true without output.identity fails closed', () => {
    const err = catchError(() =>
      parseSkipTraceResponse(loadFixture('skiptrace-match-without-identity.json'), lead, 200),
    );
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe('unrecognized response shape: match is true but output.identity is missing');
  });

  it('an unknown shape fails closed, naming the top-level keys', () => {
    const err = catchError(() => parseSkipTraceResponse(loadFixture('drift.json'), lead, 200));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: no boolean "match"; top-level keys: results,status',
    );
    expect(err.details.sample).not.toMatch(/\d{3}55501\d{2}/);
  });

  it('a phone with a non-string number fails closed with its path', () => {
    const body = loadFixture('skiptrace-match.json') as Json;
    body.output.identity.phones[0].phone = { digits: '3125550101' };
    const err = catchError(() => parseSkipTraceResponse(body, lead, 200));
    expect(err.message).toMatch(/^unrecognized response shape: output\.identity\.phones\[0\]\.phone: /);
  });

  it('hapi 400 → invalid_request with the vendor message', () => {
    const err = catchError(() => parseSkipTraceResponse(loadFixture('error-400-skiptrace.json'), lead, 400));
    expect(err.code).toBe('invalid_request');
    expect(err.statusCode).toBe(400);
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 400 (Bad Request: "SkipTraceRequest" must contain at least one of [address, mail_address, phone, email])',
    );
  });

  it('an error status inside a 200 body is that error', () => {
    const body = { ...(loadFixture('error-500.json') as Json), match: false };
    const err = catchError(() => parseSkipTraceResponse(body, lead, 200));
    expect(err.code).toBe('server_error');
    expect(err.statusCode).toBe(200);
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 200 with status 500 in the body (Internal Server Error: An internal server error occurred)',
    );
  });
});

describe('error bodies', () => {
  it.each([
    ['error-401.json', 401, 'auth'],
    ['error-429-rate-limit.json', 429, 'rate_limited'],
    ['error-429-daily-credit-limit.json', 429, 'quota_exhausted'],
    ['error-500.json', 500, 'server_error'],
    ['error-400-detail-no-input.json', 400, 'invalid_request'],
    ['error-400-detail-zip-length.json', 400, 'invalid_request'],
    ['route-not-found.json', 404, 'invalid_request'],
  ])('%s (HTTP %i) → %s, from every parser', (name, status, code) => {
    const body = loadFixture(name);
    expect(errorCodeFor(status, body)).toBe(code);
    expect(catchError(() => parseSkipTraceResponse(body, lead, status)).code).toBe(code);
    expect(catchError(() => parsePropertyDetailResponse(body, property, status)).code).toBe(code);
    expect(catchError(() => parsePropertySearchResponse(body, FULL, status)).code).toBe(code);
  });

  it('the daily-credit 429 says so', () => {
    const err = catchError(() =>
      parsePropertySearchResponse(loadFixture('error-429-daily-credit-limit.json'), FULL, 429),
    );
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 429 (Too Many Requests: You have reached your daily credit limit for this endpoint, please try again later.)',
    );
  });
});

describe('parsePropertyDetailResponse', () => {
  it('a hit maps facts, both owners, the mailing address and distress flags', () => {
    const body = loadFixture('detail-hit.json');
    const item = parsePropertyDetailResponse(body, property, 200);
    expect(item).toMatchObject({ requestId: 'prop-1', matched: true, billableUnits: 1, rawItem: body });
    expect(item.record).toEqual({
      propertyId: '190787647',
      apn: '011-27-9232',
      fips: '17031',
      mak: null,
      address: { street: '17 Sample St', unit: null, city: 'Sampleton', state: 'IL', zip: '60614' },
      mailingAddress: { street: '1433 Fixture Ave', city: 'Mockford', state: 'NM', zip: '87501' },
      owners: [
        { first: 'Jane', last: 'Sample', full: 'Jane Sample', ownerType: 'individual' },
        { first: 'John', last: 'Sample', full: 'John Sample', ownerType: 'individual' },
      ],
      propertyType: 'SFR',
      beds: 3,
      baths: 2,
      sqft: 1880,
      yearBuilt: 1950,
      estimatedValue: 349267,
      estimatedEquity: 201000,
      equityPercent: 58,
      ownerOccupied: false,
      absenteeOwner: true,
      corporateOwned: false,
      preForeclosure: true,
      foreclosure: false,
      taxLien: false,
      bankruptcy: null,
      vacant: false,
      highEquity: true,
      freeClear: false,
    });
  });

  it('a company owner, numeric strings, address parts and foreclosureInfo', () => {
    const record = parsePropertyDetailResponse(
      loadFixture('detail-company-foreclosure.json'),
      property,
      200,
    ).record!;
    expect(record).toMatchObject({
      propertyId: '1606140042',
      apn: '606140004200',
      address: { street: '42 Demo Ter', unit: '2B', city: 'Sampleton', state: 'IL', zip: '60614' },
      mailingAddress: { street: '9 Stub Way', city: 'Testbury', state: 'TX', zip: '75001' },
      owners: [{ first: null, last: 'Fixture Holdings LLC', full: 'Fixture Holdings LLC', ownerType: 'llc' }],
      beds: 6,
      baths: 3.5,
      sqft: 3200,
      yearBuilt: 1925,
      estimatedValue: 410000,
      equityPercent: 100,
      corporateOwned: true,
      foreclosure: true,
      taxLien: true,
      vacant: true,
      freeClear: true,
    });
  });

  it('owner type "Other" is read from the name (a trust); absent flags stay null', () => {
    const record = parsePropertyDetailResponse(loadFixture('detail-trust-other.json'), property, 200).record!;
    expect(record.owners).toEqual([
      { first: null, last: null, full: 'Jane Sample Family Trust', ownerType: 'trust' },
    ]);
    expect(record.mailingAddress).toBe(null);
    expect([record.foreclosure, record.vacant, record.beds]).toEqual([null, null, null]);
  });

  it.each([
    ['detail-not-found-address.json', 404],
    ['detail-not-found-street.json', 404],
    ['detail-body-404-in-200.json', 200],
    ['detail-200-empty-data.json', 200],
  ])('%s (HTTP %i) → unmatched, unbilled', (name, status) => {
    const body = loadFixture(name);
    expect(parsePropertyDetailResponse(body, property, status)).toEqual({
      requestId: 'prop-1',
      matched: false,
      billableUnits: 0,
      record: null,
      rawItem: body,
    });
  });

  it('the documented not-found envelope is told apart from a wrong route', () => {
    expect(isPropertyNotFound(loadFixture('detail-not-found-address.json'), 404)).toBe(true);
    expect(isPropertyNotFound(loadFixture('route-not-found.json'), 404)).toBe(false);
    expect(isPropertyNotFound(loadFixture('detail-hit.json'), 200)).toBe(false);
  });

  it('a 200 without data, or with a malformed id, fails closed', () => {
    const drift = catchError(() => parsePropertyDetailResponse(loadFixture('drift.json'), property, 200));
    expect(drift.message).toBe('unrecognized response shape: no "data"; top-level keys: results,status');
    const body = loadFixture('detail-hit.json') as Json;
    body.data.id = true;
    expect(catchError(() => parsePropertyDetailResponse(body, property, 200)).message).toMatch(
      /^unrecognized response shape: data\.id: /,
    );
  });
});

describe('ownerType', () => {
  it.each([
    ['Individual', 'Jane Sample', 'individual'],
    ['Individual', 'Jane Sample Revocable Trust', 'trust'],
    ['Company', 'Acme Properties', 'corporate'],
    ['Company', 'Fixture Holdings LLC', 'llc'],
    ['Company', 'Jane Sample', 'corporate'],
    ['Other', 'Estate of Jane Sample', 'estate'],
    [null, 'County of Sampleton', 'government'],
    [null, null, 'unknown'],
  ])('%s + %s → %s', (vendor, name, want) => {
    expect(ownerType(vendor, name)).toBe(want);
  });
});

describe('parsePropertySearchResponse', () => {
  it('a full page: records, ids in vendor order, nextIndex = resultIndex + recordCount', () => {
    const page = parsePropertySearchResponse(loadFixture('search-page.json'), FULL, 200);
    expect(page.total).toBe(5);
    expect(page.ids).toEqual(['253175355', '253175356']);
    expect(page.nextIndex).toBe(2);
    expect(page.billableUnits).toBe(2);
    expect(page.records[0]).toMatchObject({
      propertyId: '253175355',
      address: { street: '13723 Sample St Unit 308', city: 'Sampleton', state: 'IL', zip: '60614' },
      owners: [
        { first: 'Jane', last: 'Sample', full: 'Jane Sample', ownerType: 'individual' },
        { first: 'John', last: 'Sample', full: 'John Sample', ownerType: 'individual' },
      ],
      beds: 2,
      sqft: 1323,
      equityPercent: 38,
    });
    // The street line comes from the full address when `street` is missing.
    expect(page.records[1]).toMatchObject({
      propertyId: '253175356',
      address: { street: '15 Fixture Ave' },
      mailingAddress: null,
      owners: [{ first: null, last: 'Mockley Properties LLC', ownerType: 'llc' }],
      foreclosure: true,
      taxLien: null,
      estimatedValue: 250000,
    });
  });

  it('the last page ends paging: nextIndex null once resultIndex + recordCount reaches resultCount', () => {
    const body = loadFixture('search-last-page.json');
    expect(parsePropertySearchResponse(body, { kind: 'full', size: 2, resultIndex: 4 }, 200).nextIndex).toBe(
      null,
    );
    // The request's resultIndex drives paging, not the answer's (ambiguous) echo.
    expect(parsePropertySearchResponse(body, { kind: 'full', size: 2, resultIndex: 2 }, 200).nextIndex).toBe(
      3,
    );
  });

  it('an empty result set: total 0, no next page, nothing billed', () => {
    expect(parsePropertySearchResponse(loadFixture('search-empty.json'), FULL, 200)).toEqual({
      total: 0,
      records: [],
      ids: [],
      nextIndex: null,
      billableUnits: 0,
    });
  });

  it('count: the total only, free', () => {
    expect(parsePropertySearchResponse(loadFixture('search-count.json'), { kind: 'count' }, 200)).toEqual({
      total: 1843,
      records: [],
      ids: [],
      nextIndex: null,
      billableUnits: 0,
    });
  });

  it('ids_only: flat or nested ids, as strings, free', () => {
    for (const name of ['search-ids-only.json', 'search-ids-only-nested.json']) {
      expect(parsePropertySearchResponse(loadFixture(name), { kind: 'ids' }, 200)).toEqual({
        total: 3,
        records: [],
        ids: ['253175355', '253175356', '253175357'],
        nextIndex: null,
        billableUnits: 0,
      });
    }
  });

  it('fails closed: unknown shape, recordCount disagreeing with data, a record without id', () => {
    expect(catchError(() => parsePropertySearchResponse(loadFixture('drift.json'), FULL, 200)).message).toBe(
      'unrecognized response shape: no "data" array with a numeric "resultCount"; top-level keys: results,status',
    );
    expect(
      catchError(() =>
        parsePropertySearchResponse(loadFixture('search-record-count-mismatch.json'), FULL, 200),
      ).message,
    ).toBe('unrecognized response shape: recordCount 2 but 1 records in data');
    const body = loadFixture('search-page.json') as Json;
    delete body.data[1].id;
    expect(catchError(() => parsePropertySearchResponse(body, FULL, 200)).message).toMatch(
      /^unrecognized response shape: data\[1\]\.id: /,
    );
    expect(
      catchError(() => parsePropertySearchResponse({ data: [{}], resultCount: 1 }, { kind: 'ids' }, 200))
        .message,
    ).toMatch(/^unrecognized response shape: ids_only /);
  });
});

describe('fixtures', () => {
  /** Every value under a phone-ish key (or in a `phones` array), and every email-looking string. */
  function contacts(value: unknown, key = '', out = { phones: [] as string[], emails: [] as string[] }) {
    if (Array.isArray(value)) value.forEach((v) => contacts(v, key === 'phones' ? 'phone' : key, out));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) contacts(v, k, out);
    } else if (typeof value === 'string' || typeof value === 'number') {
      if (/^(phone|phoneNumber|phone_number|phoneDisplay|number)$/.test(key)) out.phones.push(String(value));
      if (typeof value === 'string' && value.includes('@')) out.emails.push(value);
    }
    return out;
  }

  it('every fixture holds only fictional contact data (555-01XX phones, example.* emails)', () => {
    const dir = fileURLToPath(new URL('../../fixtures/realestateapi/', import.meta.url));
    const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(25);
    const all = names.map((name) => contacts(loadFixture(name)));
    const phones = all.flatMap((c) => c.phones).map((p) => p.replace(/\D/g, ''));
    const emails = all.flatMap((c) => c.emails);
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.filter((p) => !/^\d{3}55501\d{2}$/.test(p))).toEqual([]);
    expect(emails.filter((e) => !/@example\.(com|org|net)$/i.test(e))).toEqual([]);
  });
});
