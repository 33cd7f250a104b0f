import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../../src/domain/address/normalize-address.js';
import { parseAddressLine } from '../../../src/domain/address/parse-address-line.js';

describe('parseAddressLine', () => {
  it.each([
    [
      '123 Main St Apt 4, Springfield, IL 62704',
      { street: '123 Main St Apt 4', city: 'Springfield', state: 'IL', zip: '62704' },
    ],
    [
      '123 Main St, Springfield IL 62704-1234',
      { street: '123 Main St', city: 'Springfield', state: 'IL', zip: '62704-1234' },
    ],
    [
      '123 Main St Springfield IL 62704',
      { street: '123 Main St', city: 'Springfield', state: 'IL', zip: '62704' },
    ],
    [
      '123 Main St Apt 4 Springfield IL 62704',
      { street: '123 Main St Apt 4', city: 'Springfield', state: 'IL', zip: '62704' },
    ],
    [
      '123 Main St #4B Springfield IL 62704',
      { street: '123 Main St #4B', city: 'Springfield', state: 'IL', zip: '62704' },
    ],
    [
      '123 Main St, Apt 4, Springfield, IL, 62704',
      { street: '123 Main St, Apt 4', city: 'Springfield', state: 'IL', zip: '62704' },
    ],
    [
      '350 5th Ave, New York, NY 10118, USA',
      { street: '350 5th Ave', city: 'New York', state: 'NY', zip: '10118' },
    ],
    [
      '1600 Pennsylvania Ave NW Washington DC 20500',
      { street: '1600 Pennsylvania Ave NW', city: 'Washington', state: 'DC', zip: '20500' },
    ],
    [
      '123 Main St, Charleston, West Virginia 25301',
      { street: '123 Main St', city: 'Charleston', state: 'West Virginia', zip: '25301' },
    ],
    [
      '123 Main St Palm Beach Gardens FL 33410',
      { street: '123 Main St', city: 'Palm Beach Gardens', state: 'FL', zip: '33410' },
    ],
    ['123 Elm Rd, Boston, MA 2134', { street: '123 Elm Rd', city: 'Boston', state: 'MA', zip: '2134' }],
    [
      '123 Main St Kansas City MO 64101',
      { street: '123 Main St', city: 'Kansas City', state: 'MO', zip: '64101' },
    ],
    ['123 Main Ct, Hartford, CT', { street: '123 Main Ct', city: 'Hartford', state: 'CT', zip: null }],
    ['123 Main Ct', { street: '123 Main Ct', city: null, state: null, zip: null }],
    ['PO Box 12345', { street: 'PO Box 12345', city: null, state: null, zip: null }],
    ['Springfield, IL', { street: null, city: 'Springfield', state: 'IL', zip: null }],
    ['', { street: null, city: null, state: null, zip: null }],
  ])('parses %j', (line, expected) => {
    expect(parseAddressLine(line)).toEqual(expected);
  });

  it('leaves the city unknown when no suffix marks where the street ends', () => {
    expect(parseAddressLine('55 Avenue of the Americas New York NY 10036')).toEqual({
      street: '55 Avenue of the Americas New York',
      city: null,
      state: 'NY',
      zip: '10036',
    });
  });

  it('feeds normalizeAddress', () => {
    expect(
      normalizeAddress(parseAddressLine('123 n. Main Street Apt 4, Springfield, Illinois 62704-1234')),
    ).toEqual({
      houseNumber: '123',
      preDirectional: 'N',
      streetName: 'MAIN',
      suffix: 'ST',
      postDirectional: null,
      unitDesignator: 'APT',
      unitNumber: '4',
      line1: '123 N MAIN ST',
      line2: 'APT 4',
      city: 'SPRINGFIELD',
      state: 'IL',
      zip5: '62704',
      zip4: '1234',
    });
  });
});
