import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DIRECTIONALS,
  directionalAt,
  directionalEndingAt,
} from '../../../src/domain/address/directionals.js';
import { STATE_CODES, STATE_NAMES } from '../../../src/domain/address/states.js';
import { STREET_SUFFIXES } from '../../../src/domain/address/suffixes.js';
import { UNIT_DESIGNATORS, UNIT_STANDARDS, unitAt } from '../../../src/domain/address/units.js';

/** The shared reference CSV the suffix module is generated from (outside the repo; optional). */
const CSV = resolve(
  import.meta.dirname,
  '../../../../shared/reference/usps/usps_pub28_c1_street_suffixes.csv',
);

describe('Pub 28 C1 street suffixes', () => {
  it('maps common spellings, primary names and standards to the standard', () => {
    expect(STREET_SUFFIXES.get('AVENUE')).toBe('AVE');
    expect(STREET_SUFFIXES.get('AVN')).toBe('AVE');
    expect(STREET_SUFFIXES.get('AVE')).toBe('AVE');
    expect(STREET_SUFFIXES.get('BOULEVARD')).toBe('BLVD');
    expect(STREET_SUFFIXES.get('PLACE')).toBe('PL'); // primary name not listed as a common spelling
    expect(STREET_SUFFIXES.get('CMNS')).toBe('CMNS'); // standard not listed as a common spelling
    expect(STREET_SUFFIXES.get('MAIN')).toBeUndefined();
    expect(STREET_SUFFIXES.size).toBe(549);
  });

  it('maps every standard abbreviation to itself, so normalizing twice changes nothing', () => {
    for (const standard of new Set(STREET_SUFFIXES.values())) {
      expect(STREET_SUFFIXES.get(standard)).toBe(standard);
    }
  });

  it.skipIf(!existsSync(CSV))('agrees with every row of the shared CSV', () => {
    const rows = readFileSync(CSV, 'utf8').trim().split(/\r?\n/).slice(1);
    expect(rows).toHaveLength(502);
    for (const row of rows) {
      const [primary, common, standard] = row.split(',') as [string, string, string];
      // MDW is both MEADOW's standard and a listed spelling of MEADOWS; the standard wins.
      if (common !== 'MDW') expect([row, STREET_SUFFIXES.get(common)]).toEqual([row, standard]);
      expect(STREET_SUFFIXES.get(standard)).toBe(standard);
      expect(STREET_SUFFIXES.has(primary)).toBe(true);
    }
  });
});

describe('Pub 28 C2 unit designators', () => {
  it('knows every designator, spelled out and standard', () => {
    const standards = [...UNIT_STANDARDS].sort();
    expect(standards).toEqual(
      [
        '#',
        'APT',
        'BLDG',
        'BSMT',
        'DEPT',
        'FL',
        'FRNT',
        'HNGR',
        'KEY',
        'LBBY',
        'LOT',
        'LOWR',
        'OFC',
        'PH',
        'PIER',
        'REAR',
        'RM',
        'SIDE',
        'SLIP',
        'SPC',
        'STE',
        'STOP',
        'TRLR',
        'UNIT',
        'UPPR',
      ].sort(),
    );
    for (const info of UNIT_DESIGNATORS.values()) expect(UNIT_DESIGNATORS.get(info.standard)).toEqual(info);
    const takesNumber = [...UNIT_STANDARDS].filter((s) => UNIT_DESIGNATORS.get(s)?.takesNumber).sort();
    expect(takesNumber).toEqual(
      [
        'APT',
        'BLDG',
        'DEPT',
        'FL',
        'HNGR',
        'KEY',
        'LOT',
        'PIER',
        'RM',
        'SLIP',
        'SPC',
        'STOP',
        'STE',
        'TRLR',
        'UNIT',
      ].sort(),
    );
  });

  it('finds a unit only where its shape fits', () => {
    expect(unitAt(['APT', '4'], 0)).toEqual({ designator: 'APT', number: '4', next: 2 });
    expect(unitAt(['#', '4'], 0)).toEqual({ designator: '#', number: '4', next: 2 });
    expect(unitAt(['REAR'], 0)).toEqual({ designator: 'REAR', number: null, next: 1 });
    expect(unitAt(['REAR', 'ST'], 0)).toBeNull();
    expect(unitAt(['KEY'], 0)).toBeNull(); // a suffix at the end of a street
    expect(unitAt(['MAIN'], 0)).toBeNull();
  });
});

describe('directionals', () => {
  it('abbreviates one- and two-word directionals', () => {
    expect(DIRECTIONALS.get('NORTHEAST')).toBe('NE');
    expect(DIRECTIONALS.get('SW')).toBe('SW');
    expect(directionalAt(['NORTH', 'EAST', 'MAIN'], 0, 3)).toEqual({ code: 'NE', length: 2 });
    expect(directionalAt(['NORTH', 'EAST'], 0, 1)).toEqual({ code: 'N', length: 1 });
    expect(directionalAt(['N', 'E'], 0, 2)).toEqual({ code: 'N', length: 1 });
    expect(directionalEndingAt(['MAIN', 'SOUTH', 'WEST'], 0, 3)).toEqual({ code: 'SW', length: 2 });
    expect(directionalEndingAt(['MAIN'], 0, 1)).toBeNull();
  });
});

describe('Appendix B states', () => {
  it('has the 50 states, DC, territories and military codes', () => {
    expect(STATE_CODES.size).toBe(50 + 1 + 8 + 3); // territories: AS FM GU MH MP PR PW VI
    for (const code of ['DC', 'PR', 'VI', 'GU', 'AS', 'MP', 'FM', 'MH', 'PW', 'AA', 'AE', 'AP']) {
      expect(STATE_CODES.has(code)).toBe(true);
    }
    expect(STATE_NAMES.get('TEXAS')).toBe('TX');
    expect(STATE_NAMES.get('TX')).toBe('TX');
  });
});
