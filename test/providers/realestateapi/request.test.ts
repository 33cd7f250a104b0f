/** RealEstateAPI request builders: what goes on the wire, and what is refused before it. */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  realEstateApiPropertyDetailFacts,
  realEstateApiPropertySearchFacts,
  realEstateApiSearchLimits,
  realEstateApiSkipTraceFacts,
} from '../../../src/providers/realestateapi/facts.js';
import {
  buildPropertyDetailRequest,
  buildPropertySearchRequest,
  buildSkipTraceRequest,
  parseSort,
  singleInput,
  splitHouse,
} from '../../../src/providers/realestateapi/request.js';

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe('invalid_request');
    return (err as ProviderError).message;
  }
  throw new Error('expected invalid_request');
}

const lead = { requestId: 'l', street: ' 12 Oak St ', city: 'Austin', state: 'TX', zip: '78701' };

describe('buildSkipTraceRequest', () => {
  it('sends the address set and a person’s names', () => {
    expect(buildSkipTraceRequest({ ...lead, firstName: 'Jane', lastName: 'Roe' })).toEqual({
      address: '12 Oak St',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      first_name: 'Jane',
      last_name: 'Roe',
    });
  });

  it('omits names for an entity owner (LLC, trust, corporation) and for half a name', () => {
    for (const [firstName, lastName] of [
      ['', 'Acme Holdings LLC'],
      ['Acme', 'Holdings LLC'],
      ['Jane Roe', 'Revocable Trust'],
      ['Acme', 'Properties Inc'],
      [null, 'Roe'],
    ]) {
      expect(buildSkipTraceRequest({ ...lead, firstName, lastName })).toEqual({
        address: '12 Oak St',
        city: 'Austin',
        state: 'TX',
        zip: '78701',
      });
    }
  });

  it('needs a street and a ZIP or city + state', () => {
    expect(invalid(() => buildSkipTraceRequest({ ...lead, street: ' ' }))).toBe(
      'skip-trace input has no street',
    );
    expect(invalid(() => buildSkipTraceRequest({ ...lead, zip: null, city: null }))).toBe(
      'skip-trace input needs a ZIP or a city and state',
    );
    expect(buildSkipTraceRequest({ ...lead, zip: null })).toEqual({
      address: '12 Oak St',
      city: 'Austin',
      state: 'TX',
    });
  });

  it('one input per request', () => {
    expect(singleInput([lead])).toBe(lead);
    expect(invalid(() => singleInput([lead, lead]))).toBe(
      'RealEstateAPI takes exactly one input per request; got 2',
    );
    expect(invalid(() => singleInput([]))).toBe('RealEstateAPI takes exactly one input per request; got 0');
  });
});

describe('buildPropertyDetailRequest', () => {
  const base = { requestId: 'p' };

  it('most exact key first: id, then APN + FIPS, then address parts', () => {
    const all = {
      ...base,
      propertyId: '123',
      apn: '606-14-00042',
      fips: '17031',
      street: '17 Sample St',
      state: 'IL',
      zip: '60614',
    };
    expect(buildPropertyDetailRequest(all)).toEqual({ id: '123' });
    expect(buildPropertyDetailRequest({ ...all, propertyId: null })).toEqual({
      apn: '606-14-00042',
      fips: '17031',
    });
    expect(buildPropertyDetailRequest({ ...all, propertyId: null, fips: null })).toEqual({
      house: '17',
      street: 'Sample St',
      state: 'IL',
      zip: '60614',
    });
  });

  it('address parts carry unit and city; ZIP+4 is cut to ZIP5 (the vendor wants 5 characters)', () => {
    expect(
      buildPropertyDetailRequest({
        ...base,
        street: '42B Demo Ter',
        unit: 'Apt 2',
        city: 'Sampleton',
        state: 'IL',
        zip: '60614-0101',
      }),
    ).toEqual({
      house: '42B',
      street: 'Demo Ter',
      unit: 'Apt 2',
      city: 'Sampleton',
      state: 'IL',
      zip: '60614',
    });
  });

  it('without a house number or its required peers, the address goes as one string', () => {
    expect(
      buildPropertyDetailRequest({
        ...base,
        street: 'Rural Route 2',
        city: 'Sampleton',
        state: 'IL',
        zip: '60614',
      }),
    ).toEqual({
      address: 'Rural Route 2, Sampleton, IL 60614',
    });
    expect(
      buildPropertyDetailRequest({
        ...base,
        street: '17 Sample St',
        unit: '#4',
        city: 'Sampleton',
        state: 'IL',
      }),
    ).toEqual({
      address: '17 Sample St #4, Sampleton, IL',
    });
  });

  it('nothing to look up → invalid_request', () => {
    expect(invalid(() => buildPropertyDetailRequest({ ...base, apn: '1' }))).toBe(
      'property-detail input needs a property id, an APN + FIPS or a street',
    );
  });

  it('splitHouse', () => {
    expect(splitHouse('1433 Canyon Rd')).toEqual({ house: '1433', street: 'Canyon Rd' });
    expect(splitHouse('12-14 Oak St')).toEqual({ house: '12-14', street: 'Oak St' });
    expect(splitHouse('Canyon Rd')).toBe(null);
  });
});

describe('buildPropertySearchRequest', () => {
  const query = {
    zips: ['60614'],
    filters: { pre_foreclosure: true, property_type: 'SFR' },
    sort: 'years_owned:desc',
  };

  it('full mode: filters, one ZIP, sort, size and resultIndex', () => {
    expect(buildPropertySearchRequest(query, { kind: 'full', size: 250, resultIndex: 500 })).toEqual({
      pre_foreclosure: true,
      property_type: 'SFR',
      zip: '60614',
      sort: { years_owned: 'desc' },
      size: 250,
      resultIndex: 500,
    });
  });

  it('count and ids_only carry no paging', () => {
    expect(buildPropertySearchRequest({ city: 'Sampleton', state: 'IL' }, { kind: 'count' })).toEqual({
      city: 'Sampleton',
      state: 'IL',
      count: true,
    });
    expect(buildPropertySearchRequest({ city: 'Sampleton', state: 'IL' }, { kind: 'ids' })).toEqual({
      city: 'Sampleton',
      state: 'IL',
      ids_only: true,
    });
  });

  it('refuses what the vendor would not take', () => {
    const full = (size: number, resultIndex = 0) => ({ kind: 'full', size, resultIndex }) as const;
    expect(invalid(() => buildPropertySearchRequest(query, full(251)))).toBe(
      'search page size must be an integer from 1 to 250; got 251',
    );
    expect(invalid(() => buildPropertySearchRequest(query, full(0)))).toMatch(/page size/);
    expect(invalid(() => buildPropertySearchRequest(query, full(10, -1)))).toBe(
      'search resultIndex must be a non-negative integer; got -1',
    );
    expect(invalid(() => buildPropertySearchRequest({ zips: ['60614', '60615'] }, { kind: 'count' }))).toBe(
      'RealEstateAPI searches one ZIP per query; got 2',
    );
    expect(invalid(() => buildPropertySearchRequest({ zips: ['6061'] }, { kind: 'count' }))).toBe(
      'search ZIP must be exactly 5 digits; got "6061"',
    );
    for (const key of ['size', 'resultIndex', 'count', 'ids_only', 'sort']) {
      expect(invalid(() => buildPropertySearchRequest({ filters: { [key]: 1 } }, { kind: 'count' }))).toBe(
        `search filter "${key}" is a paging or mode switch, not a filter`,
      );
    }
  });

  it('parseSort', () => {
    expect(parseSort('estimated_value')).toEqual({ estimated_value: 'asc' });
    expect(parseSort(' years_owned : DESC ')).toEqual({ years_owned: 'desc' });
    expect(invalid(() => parseSort('-years'))).toMatch(/^search sort must be/);
  });
});

describe('facts', () => {
  it('hold the documented figures, with sources', () => {
    expect(realEstateApiSkipTraceFacts).toMatchObject({
      id: 'realestateapi-skiptrace',
      kind: 'skip-trace',
      baseUrl: 'https://api.realestateapi.com',
      endpoints: { skipTrace: '/v1/SkipTrace' },
      auth: { style: 'header', name: 'x-api-key', verified: true },
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: true, returnsCompliance: true },
      rateLimit: { requestsPerSecond: 10, verified: true },
      cost: { perHitMicros: 50_000, verified: false },
      envKeys: ['REALESTATEAPI_API_KEY', 'REALESTATEAPI_BASE_URL'],
      dailyCreditLimit: null,
    });
    expect(realEstateApiSkipTraceFacts.cost.source).toContain('third-party');
    expect(realEstateApiPropertyDetailFacts).toMatchObject({
      kind: 'property-detail',
      endpoints: { propertyDetail: '/v2/PropertyDetail' },
      flags: { batchSize: 1 },
      dailyCreditLimit: { credits: 500_000, verified: true },
    });
    expect(realEstateApiPropertySearchFacts).toMatchObject({
      kind: 'property-search',
      endpoints: { propertySearch: '/v2/PropertySearch' },
      dailyCreditLimit: { credits: 1_000_000, verified: true },
    });
    expect(realEstateApiSearchLimits).toEqual({ defaultPageSize: 50, maxPageSize: 250, maxIdsOnly: 10_000 });
  });
});
