import { describe, expect, it } from 'vitest';
import {
  describeSearchQuery,
  normalizeFilterValue,
  normalizeSearchQuery,
  parseFilterAssignment,
  searchPerZip,
  SearchQueryError,
} from '../../../src/domain/acquisition/search-query.js';

describe('normalizeSearchQuery', () => {
  it('gives one spelling: sorted unique ZIP5s, state code, city upper case, typed filters, sort with direction', () => {
    expect(
      normalizeSearchQuery({
        zips: [' 85002 ', '85001,85002', '85003-1234'],
        city: '  phoenix ',
        state: 'arizona',
        filters: { Pre_Foreclosure: 'TRUE', property_type: ' SFR ', value_min: '100000', vacant: false },
        sort: 'Years_Owned',
      }),
    ).toEqual({
      zips: ['85001', '85002', '85003'],
      city: 'PHOENIX',
      state: 'AZ',
      filters: { pre_foreclosure: true, property_type: 'SFR', vacant: false, value_min: 100000 },
      sort: 'years_owned:asc',
    });
  });

  it('fills absent parts with empty values, so equal searches are equal objects', () => {
    expect(normalizeSearchQuery({ state: 'az' })).toEqual({
      zips: [],
      city: null,
      state: 'AZ',
      filters: {},
      sort: null,
    });
  });

  it('is idempotent', () => {
    const once = normalizeSearchQuery({
      zips: ['85002', '85001'],
      city: 'St. Louis',
      state: 'mo',
      filters: { b: '1', a: 'x' },
      sort: 'estimated_value:DESC',
    });
    expect(normalizeSearchQuery(once)).toEqual(once);
    expect(Object.keys(once.filters)).toEqual(['a', 'b']);
    expect(once.city).toBe('ST LOUIS');
    expect(once.sort).toBe('estimated_value:desc');
  });

  it.each([
    [{ zips: ['8500A'] }, 'zip', 'not a ZIP code: "8500A"'],
    [{ state: 'Atlantis' }, 'state', 'unknown state: "Atlantis"'],
    [{}, 'location', 'a search needs a ZIP, a city or a state'],
    [{ state: 'AZ', filters: { size: 10 } }, 'filter', '"size" is not a filter'],
    [{ state: 'AZ', filters: { zip: '85001' } }, 'filter', '"zip" is not a filter'],
    [{ state: 'AZ', filters: { resultIndex: 0 } }, 'filter', '"resultIndex" is not a filter'],
    [{ state: 'AZ', filters: { 'bad-key': 1 } }, 'filter', 'filter name must be letters, digits and _'],
    [{ state: 'AZ', filters: { a: 'x', A: 'y' } }, 'filter', 'filter "a" is given twice'],
    [{ state: 'AZ', filters: { a: '  ' } }, 'filter', 'filter "a" has no value'],
    [{ state: 'AZ', sort: 'value desc' }, 'sort', 'sort must be "<field>" or "<field>:asc|desc"'],
  ])('rejects %j (%s)', (input, field, message) => {
    let caught: unknown;
    try {
      normalizeSearchQuery(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SearchQueryError);
    expect((caught as SearchQueryError).field).toBe(field);
    expect((caught as SearchQueryError).message).toContain(message);
  });
});

describe('filters', () => {
  it('reads booleans and numbers, keeps text as given but trimmed', () => {
    expect(normalizeFilterValue(' True ')).toBe(true);
    expect(normalizeFilterValue('false')).toBe(false);
    expect(normalizeFilterValue('-12.5')).toBe(-12.5);
    expect(normalizeFilterValue('12a')).toBe('12a');
    expect(normalizeFilterValue(' Condo ')).toBe('Condo');
    expect(normalizeFilterValue(7)).toBe(7);
  });

  it('parses key=value; the value may contain "="', () => {
    expect(parseFilterAssignment('pre_foreclosure=true')).toEqual(['pre_foreclosure', true]);
    expect(parseFilterAssignment(' note = a=b ')).toEqual(['note', 'a=b']);
    expect(() => parseFilterAssignment('=x')).toThrow('filter must be key=value; got "=x"');
    expect(() => parseFilterAssignment('novalue')).toThrow(SearchQueryError);
  });
});

describe('searchPerZip and describeSearchQuery', () => {
  it('splits a several-ZIP search into one search per ZIP, the rest unchanged', () => {
    const q = normalizeSearchQuery({ zips: ['85002', '85001'], filters: { vacant: 'true' } });
    expect(searchPerZip(q)).toEqual([
      { ...q, zips: ['85001'] },
      { ...q, zips: ['85002'] },
    ]);
    const single = normalizeSearchQuery({ city: 'Mesa', state: 'AZ' });
    expect(searchPerZip(single)).toEqual([single]);
  });

  it('labels a search for list names', () => {
    expect(
      describeSearchQuery(
        normalizeSearchQuery({
          zips: ['85001'],
          filters: { vacant: 'true', pre_foreclosure: true },
          sort: 'x',
        }),
      ),
    ).toBe('85001 · pre_foreclosure=true · vacant=true · sort=x:asc');
    expect(describeSearchQuery(normalizeSearchQuery({ city: 'mesa', state: 'az' }))).toBe('MESA, AZ');
  });
});
