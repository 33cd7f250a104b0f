import { describe, expect, it } from 'vitest';
import {
  addressTokens,
  isValidZipInput,
  normalizeAddress,
  normalizeCity,
  normalizeState,
  normalizeZip,
} from '../../../src/domain/address/normalize-address.js';
import type { NormalizedAddress } from '../../../src/domain/address/types.js';

/** The street-derived parts only, for compact expectations. */
function street(streetLine: string, line2?: string) {
  const a = normalizeAddress({ street: streetLine, line2 });
  return {
    house: a.houseNumber,
    pre: a.preDirectional,
    name: a.streetName,
    suffix: a.suffix,
    post: a.postDirectional,
    designator: a.unitDesignator,
    unit: a.unitNumber,
    line1: a.line1,
    line2: a.line2,
  };
}

describe('normalizeAddress — whole address', () => {
  it('standardizes every part', () => {
    const expected: NormalizedAddress = {
      houseNumber: '123',
      preDirectional: 'N',
      streetName: 'MAIN',
      suffix: 'ST',
      postDirectional: null,
      unitDesignator: 'APT',
      unitNumber: '4B',
      line1: '123 N MAIN ST',
      line2: 'APT 4B',
      city: 'ST LOUIS',
      state: 'MO',
      zip5: '63101',
      zip4: '1234',
    };
    expect(
      normalizeAddress({
        street: '123 n. Main Street, Apartment 4B',
        city: ' st.  louis ',
        state: 'Missouri',
        zip: '63101-1234',
      }),
    ).toEqual(expected);
  });

  it('returns all nulls for an empty input, without throwing', () => {
    const a = normalizeAddress({});
    expect(Object.values(a).every((v) => v === null)).toBe(true);
    expect(normalizeAddress({ street: '', line2: '', city: '', state: '', zip: '' }).line1).toBeNull();
  });
});

describe('normalizeAddress — street line', () => {
  it('uppercases, strips punctuation and collapses whitespace', () => {
    expect(street("  123   o'brien   st.  ").line1).toBe('123 OBRIEN ST');
    expect(street('123 Peña Blvd').line1).toBe('123 PENA BLVD');
    expect(street('123 Main St.,').line1).toBe('123 MAIN ST');
  });

  it.each([
    ['123 Main St', '123'],
    ['123A Main St', '123A'],
    ['12-14 Main St', '12-14'],
    ['123 1/2 Main St', '123 1/2'],
    ['123-A Main St', '123-A'],
    ['0 Main St', '0'],
  ])('preserves the house number of %s exactly', (input, house) => {
    expect(street(input).house).toBe(house);
    expect(street(input).line1).toBe(`${house} MAIN ST`);
  });

  it('does not take an ordinal street name for a house number', () => {
    expect(street('123RD ST')).toMatchObject({ house: null, name: '123RD', suffix: 'ST' });
    expect(street('100 W 123rd St')).toMatchObject({ house: '100', pre: 'W', name: '123RD', suffix: 'ST' });
  });

  it.each([
    ['123 North Main St', 'N', null],
    ['123 South Main St', 'S', null],
    ['123 East Main St', 'E', null],
    ['123 West Main St', 'W', null],
    ['123 Northeast Main St', 'NE', null],
    ['123 North East Main St', 'NE', null],
    ['123 North-East Main St', 'NE', null],
    ['123 Northwest Main St', 'NW', null],
    ['123 Southeast Main St', 'SE', null],
    ['123 South West Main St', 'SW', null],
    ['123 Main St North', null, 'N'],
    ['123 Main St SW', null, 'SW'],
    ['123 Main St South-West', null, 'SW'],
    ['123 N Main St NW', 'N', 'NW'],
  ])('reads directionals in %s', (input, pre, post) => {
    expect(street(input)).toMatchObject({ pre, name: 'MAIN', suffix: 'ST', post });
  });

  it('keeps a directional that is the whole street name as the name', () => {
    expect(street('123 NORTH ST')).toMatchObject({ pre: null, name: 'NORTH', suffix: 'ST', post: null });
    expect(street('100 E ST')).toMatchObject({ pre: null, name: 'E', suffix: 'ST', line1: '100 E ST' });
    expect(street('100 W North Ave')).toMatchObject({ pre: 'W', name: 'NORTH', suffix: 'AVE' });
    expect(street('123 E North')).toMatchObject({ pre: 'E', name: 'NORTH', suffix: null });
    expect(street('123 Avenue N')).toMatchObject({ name: 'AVENUE N', suffix: null, post: null });
  });

  it('takes only the last word as the suffix', () => {
    expect(street('123 Park Ave')).toMatchObject({ name: 'PARK', suffix: 'AVE' });
    expect(street('55 Avenue of the Americas')).toMatchObject({
      name: 'AVENUE OF THE AMERICAS',
      suffix: null,
      line1: '55 AVENUE OF THE AMERICAS',
    });
    expect(street('123 St Charles Ave')).toMatchObject({ name: 'ST CHARLES', suffix: 'AVE' });
    expect(street('123 Broadway')).toMatchObject({ name: 'BROADWAY', suffix: null });
    expect(street('123 Park')).toMatchObject({ name: 'PARK', suffix: null });
    expect(street('123 Martin Luther King Jr Boulevard')).toMatchObject({
      name: 'MARTIN LUTHER KING JR',
      suffix: 'BLVD',
    });
  });

  it.each([
    ['AVENUE', 'AVE'],
    ['AV', 'AVE'],
    ['AVEN', 'AVE'],
    ['AVENU', 'AVE'],
    ['AVN', 'AVE'],
    ['AVNUE', 'AVE'],
    ['BOULEVARD', 'BLVD'],
    ['BOUL', 'BLVD'],
    ['STREET', 'ST'],
    ['STR', 'ST'],
    ['STRT', 'ST'],
    ['DRIVE', 'DR'],
    ['DRV', 'DR'],
    ['COURT', 'CT'],
    ['LANE', 'LN'],
    ['ROAD', 'RD'],
    ['PARKWAY', 'PKWY'],
    ['PARKWY', 'PKWY'],
    ['CIRCLE', 'CIR'],
    ['CRCL', 'CIR'],
    ['HIGHWAY', 'HWY'],
    ['EXPRESSWAY', 'EXPY'],
    ['TERRACE', 'TER'],
    ['PLACE', 'PL'],
    ['TRAIL', 'TRL'],
    ['HEIGHTS', 'HTS'],
    ['MEADOWS', 'MDWS'],
    ['MDW', 'MDW'],
    ['CROSSING', 'XING'],
    ['ALLEE', 'ALY'],
  ])('abbreviates the suffix %s to %s (Pub 28 C1)', (spelling, standard) => {
    expect(street(`123 Oak ${spelling}`)).toMatchObject({ name: 'OAK', suffix: standard });
  });

  it('treats PO boxes as a street name without a house number', () => {
    expect(street('P.O. Box 55')).toMatchObject({ house: null, name: 'PO BOX 55', line1: 'PO BOX 55' });
    expect(street('Post Office Box 7')).toMatchObject({ name: 'PO BOX 7' });
  });
});

describe('normalizeAddress — secondary units (Pub 28 C2)', () => {
  it.each([
    ['APARTMENT 4B', 'APT', '4B'],
    ['APT 4B', 'APT', '4B'],
    ['BASEMENT', 'BSMT', null],
    ['BUILDING 7', 'BLDG', '7'],
    ['DEPARTMENT 12', 'DEPT', '12'],
    ['FLOOR 3', 'FL', '3'],
    ['FL 3', 'FL', '3'],
    ['FRONT', 'FRNT', null],
    ['HANGAR 2', 'HNGR', '2'],
    ['KEY 9', 'KEY', '9'],
    ['LOBBY', 'LBBY', null],
    ['LOT 12', 'LOT', '12'],
    ['LOWER', 'LOWR', null],
    ['OFFICE', 'OFC', null],
    ['PENTHOUSE', 'PH', null],
    ['PH', 'PH', null],
    ['PIER 39', 'PIER', '39'],
    ['REAR', 'REAR', null],
    ['ROOM 101', 'RM', '101'],
    ['SIDE', 'SIDE', null],
    ['SLIP 4', 'SLIP', '4'],
    ['SPACE 22', 'SPC', '22'],
    ['STOP 5', 'STOP', '5'],
    ['SUITE 200', 'STE', '200'],
    ['STE 200', 'STE', '200'],
    ['TRAILER 3', 'TRLR', '3'],
    ['UNIT B', 'UNIT', 'B'],
    ['UPPER', 'UPPR', null],
    ['#4B', '#', '4B'],
    ['# 4B', '#', '4B'],
  ])('reads "%s" in the street and in line2', (unit, designator, number) => {
    const line2 = number === null ? designator : `${designator} ${number}`;
    const expected = { designator, unit: number, line1: '100 MAIN ST', line2 };
    expect(street(`100 Main St ${unit}`)).toMatchObject(expected);
    expect(street('100 Main St', unit)).toMatchObject(expected);
  });

  it('reads designators glued to their number, or with a redundant #', () => {
    expect(street('100 Main St Apt#5')).toMatchObject({ designator: 'APT', unit: '5' });
    expect(street('100 Main St APT # 5')).toMatchObject({ designator: 'APT', unit: '5' });
    expect(street('100 Main St APT4B')).toMatchObject({ designator: 'APT', unit: '4B' });
    expect(street('100 Main St STE200')).toMatchObject({ designator: 'STE', unit: '200' });
  });

  it('reads a floor written as an ordinal', () => {
    expect(street('100 Main St 2nd Floor')).toMatchObject({ line1: '100 MAIN ST', line2: 'FL 2' });
    expect(street('100 Main St', '3rd fl')).toMatchObject({ line2: 'FL 3' });
  });

  it('reads a bare number as a "#" unit after a suffix, but not on numbered roads', () => {
    expect(street('100 Main St 4B')).toMatchObject({ line1: '100 MAIN ST', line2: '# 4B' });
    expect(street('100 Main St', '4B')).toMatchObject({ line2: '# 4B' });
    expect(street('123 County Road 45')).toMatchObject({ name: 'COUNTY ROAD 45', line2: null });
    expect(street('9 Highway 61')).toMatchObject({ name: 'HIGHWAY 61', line2: null });
  });

  it('does not mistake street words for designators', () => {
    expect(street('123 Front St')).toMatchObject({ name: 'FRONT', suffix: 'ST', line2: null });
    expect(street('123 Sunset Key')).toMatchObject({ name: 'SUNSET', suffix: 'KY', line2: null });
    expect(street('123 Bridge Side Rd')).toMatchObject({ name: 'BRIDGE SIDE', suffix: 'RD', line2: null });
    expect(street('1 Lower Lake Dr')).toMatchObject({ name: 'LOWER LAKE', suffix: 'DR', line2: null });
    expect(street('100 N Unit Rd')).toMatchObject({ pre: 'N', name: 'UNIT', suffix: 'RD', line2: null });
  });

  it('keeps extra units in the number and drops duplicates and non-units', () => {
    expect(street('100 Main St Bldg 5 Apt 2')).toMatchObject({
      designator: 'BLDG',
      unit: '5 APT 2',
      line2: 'BLDG 5 APT 2',
    });
    expect(street('100 Main St Apt 4', 'Apt 4')).toMatchObject({ line2: 'APT 4' });
    expect(street('100 Main St', 'c/o Jane Doe')).toMatchObject({ designator: null, line2: null });
    expect(street('100 Main St #')).toMatchObject({ designator: null, line2: null });
  });
});

describe('city, state, ZIP', () => {
  it('normalizes cities', () => {
    expect(normalizeCity(' st. louis ')).toBe('ST LOUIS');
    expect(normalizeCity('Winston-Salem')).toBe('WINSTON SALEM');
    expect(normalizeCity("coeur d'alene")).toBe('COEUR DALENE');
    expect(normalizeCity('  ')).toBeNull();
    expect(normalizeCity(null)).toBeNull();
  });

  it.each([
    ['IL', 'IL'],
    ['il', 'IL'],
    ['Illinois', 'IL'],
    ['  new   york ', 'NY'],
    ['West Virginia', 'WV'],
    ['District of Columbia', 'DC'],
    ['D.C.', 'DC'],
    ['Puerto Rico', 'PR'],
    ['U.S. Virgin Islands', 'VI'],
    ['Guam', 'GU'],
    ['American Samoa', 'AS'],
    ['Northern Mariana Islands', 'MP'],
    ['Federated States of Micronesia', 'FM'],
    ['Marshall Islands', 'MH'],
    ['Palau', 'PW'],
    ['Armed Forces Americas', 'AA'],
    ['Armed Forces Europe', 'AE'],
    ['Armed Forces Middle East', 'AE'],
    ['Armed Forces Pacific', 'AP'],
    ['ap', 'AP'],
  ])('normalizes the state %s to %s', (input, code) => {
    expect(normalizeState(input)).toBe(code);
  });

  it('returns null for unknown states', () => {
    expect(normalizeState('XX')).toBeNull();
    expect(normalizeState('Narnia')).toBeNull();
    expect(normalizeState('')).toBeNull();
    expect(normalizeState(null)).toBeNull();
  });

  it.each([
    ['60606-6306', '60606', '6306'],
    ['606066306', '60606', '6306'],
    ['60606 6306', '60606', '6306'],
    ['60606', '60606', null],
    [' 60606 ', '60606', null],
    ['2134', '02134', null],
    ['601', '00601', null],
    ['2134-1234', '02134', '1234'],
    ['21341234', '02134', '1234'],
    ['60606.0', '60606', null],
    ['60606-0000', '60606', null],
    [60606, '60606', null],
  ])('reads the ZIP %s', (input, zip5, zip4) => {
    expect(normalizeZip(input)).toEqual({ zip5, zip4 });
    expect(isValidZipInput(input)).toBe(true);
  });

  it('gives null parts for malformed ZIPs and null for none', () => {
    for (const bad of ['abc', '60', '606066', '60606-12', '00000', '60606-63066', 'IL 60606', 60606.5, -1]) {
      expect(normalizeZip(bad)).toEqual({ zip5: null, zip4: null });
      expect(isValidZipInput(bad)).toBe(false);
    }
    expect(normalizeZip('')).toBeNull();
    expect(normalizeZip(null)).toBeNull();
    expect(normalizeZip(undefined)).toBeNull();
    expect(isValidZipInput('')).toBe(false);
  });
});

describe('addressTokens', () => {
  it('splits on punctuation but keeps #, fractions and digit hyphens', () => {
    expect(addressTokens("123 1/2 O'Brien St.,Apt#4-B")).toEqual([
      '123',
      '1/2',
      'OBRIEN',
      'ST',
      'APT',
      '#',
      '4-B',
    ]);
    expect(addressTokens('P.O. Box 5 U.S. Hwy 1 St.Louis N.Main')).toEqual([
      'PO',
      'BOX',
      '5',
      'US',
      'HWY',
      '1',
      'ST',
      'LOUIS',
      'N',
      'MAIN',
    ]);
    expect(addressTokens('North-East I-95 12- c/o')).toEqual(['NORTH', 'EAST', 'I-95', '12', 'C', 'O']);
    expect(addressTokens('123½ Main')).toEqual(['123', '1/2', 'MAIN']);
  });
});
