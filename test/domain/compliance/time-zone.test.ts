import { describe, expect, it } from 'vitest';
import {
  KNOWN_ZONES,
  callingWindow,
  isWithinCallingHours,
  localTime,
  timeZoneFor,
} from '../../../src/domain/compliance/time-zone.js';

describe('timeZoneFor', () => {
  it.each([
    // single-zone states
    ['IL', null, 'America/Chicago'],
    ['Illinois', '60601', 'America/Chicago'],
    ['ny', '10001', 'America/New_York'],
    ['CA', '90028', 'America/Los_Angeles'],
    ['CO', '80202', 'America/Denver'],
    ['AZ', '85004', 'America/Phoenix'],
    ['AZ', '86515', 'America/Phoenix'], // Window Rock, Navajo Nation: documented gap
    ['HI', '96813', 'Pacific/Honolulu'],
    ['DC', '20500', 'America/New_York'],
    // Florida: peninsula Eastern, panhandle west of the Apalachicola Central
    ['FL', '33101', 'America/New_York'],
    ['FL', '32301', 'America/New_York'], // Tallahassee
    ['FL', '32501', 'America/Chicago'], // Pensacola
    ['FL', '32501-1234', 'America/Chicago'],
    ['FL', '32401', 'America/Chicago'], // Panama City
    ['FL', '32456', 'America/New_York'], // Port St. Joe
    // Texas: El Paso Mountain, Alpine (same 798 prefix as Clint) Central
    ['TX', '75201', 'America/Chicago'],
    ['TX', '79901', 'America/Denver'],
    ['TX', '79836', 'America/Denver'],
    ['TX', '79830', 'America/Chicago'],
    // Tennessee: Central majority, East Tennessee Eastern
    ['TN', '37201', 'America/Chicago'], // Nashville
    ['TN', '38103', 'America/Chicago'], // Memphis
    ['TN', '37902', 'America/New_York'], // Knoxville
    ['TN', '37402', 'America/New_York'], // Chattanooga
    // Kentucky and Indiana
    ['KY', '40202', 'America/New_York'], // Louisville
    ['KY', '42001', 'America/Chicago'], // Paducah
    ['KY', '42101', 'America/Chicago'], // Bowling Green
    ['IN', '46204', 'America/New_York'], // Indianapolis
    ['IN', '46320', 'America/Chicago'], // Hammond
    ['IN', '47708', 'America/Chicago'], // Evansville
    // Michigan Upper Peninsula
    ['MI', '48226', 'America/New_York'], // Detroit
    ['MI', '49855', 'America/New_York'], // Marquette
    ['MI', '49801', 'America/Chicago'], // Iron Mountain
    // Plains states' western parts
    ['ND', '58501', 'America/Chicago'], // Bismarck
    ['ND', '58601', 'America/Denver'], // Dickinson
    ['SD', '57104', 'America/Chicago'], // Sioux Falls
    ['SD', '57701', 'America/Denver'], // Rapid City
    ['NE', '68102', 'America/Chicago'], // Omaha
    ['NE', '69361', 'America/Denver'], // Scottsbluff
    ['NE', '69153', 'America/Denver'], // Ogallala
    ['KS', '66101', 'America/Chicago'], // Kansas City
    ['KS', '67735', 'America/Denver'], // Goodland
    // Mountain/Pacific splits
    ['OR', '97201', 'America/Los_Angeles'], // Portland
    ['OR', '97914', 'America/Denver'], // Ontario, Malheur County
    ['ID', '83702', 'America/Denver'], // Boise
    ['ID', '83814', 'America/Los_Angeles'], // Coeur d'Alene
    ['ID', '83501', 'America/Los_Angeles'], // Lewiston
    ['NV', '89101', 'America/Los_Angeles'], // Las Vegas
    ['NV', '89883', 'America/Denver'], // West Wendover
    // Alaska
    ['AK', '99501', 'America/Anchorage'],
    ['AK', '99546', 'America/Adak'],
    // territories
    ['PR', '00901', 'America/Puerto_Rico'],
    ['VI', '00802', 'America/St_Thomas'],
    ['GU', '96910', 'Pacific/Guam'],
    ['AS', '96799', 'Pacific/Pago_Pago'],
    ['MP', '96950', 'Pacific/Saipan'],
  ] as const)('%s %s → %s', (state, zip, zone) => {
    expect(timeZoneFor(state, zip)).toBe(zone);
  });

  it('gives null for military mail, unknown and missing states', () => {
    expect(timeZoneFor('AA', '34002')).toBeNull();
    expect(timeZoneFor('AE', '09001')).toBeNull();
    expect(timeZoneFor('AP', '96201')).toBeNull();
    expect(timeZoneFor('XX', '32501')).toBeNull();
    expect(timeZoneFor(null, '32501')).toBeNull();
  });

  it('falls back to the majority zone for a missing or malformed ZIP', () => {
    expect(timeZoneFor('FL', null)).toBe('America/New_York');
    expect(timeZoneFor('FL', 'abc')).toBe('America/New_York');
    expect(timeZoneFor('FL', '3250')).toBe('America/New_York');
    expect(timeZoneFor('TN', '')).toBe('America/Chicago');
  });

  it('keys exceptions by state: a ZIP in another state’s exception list is ignored', () => {
    expect(timeZoneFor('GA', '32501')).toBe('America/New_York');
  });

  it('returns only zones Intl knows', () => {
    for (const zone of KNOWN_ZONES) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
    }
    expect(KNOWN_ZONES.size).toBeGreaterThan(15);
  });
});

describe('calling hours', () => {
  it('is the federal 8 a.m.–9 p.m. window', () => {
    expect(callingWindow('America/Chicago')).toEqual({ start: '08:00', end: '21:00' });
  });

  it('reads the local clock with DST (US spring forward 2026-03-08)', () => {
    expect(localTime('America/New_York', '2026-03-08T06:59:00Z')).toBe('01:59');
    expect(localTime('America/New_York', '2026-03-08T07:00:00Z')).toBe('03:00');
    expect(localTime('America/New_York', '2026-03-09T04:00:00Z')).toBe('00:00');
  });

  it('moves the morning edge by an hour of UTC across spring forward (New York)', () => {
    // Saturday 2026-03-07, EST (UTC-5): 8 a.m. is 13:00Z.
    expect(isWithinCallingHours('America/New_York', '2026-03-07T12:59:59Z')).toBe(false);
    expect(isWithinCallingHours('America/New_York', '2026-03-07T13:00:00Z')).toBe(true);
    // Monday 2026-03-09, EDT (UTC-4): 8 a.m. is 12:00Z.
    expect(isWithinCallingHours('America/New_York', '2026-03-09T11:59:59Z')).toBe(false);
    expect(isWithinCallingHours('America/New_York', '2026-03-09T12:00:00Z')).toBe(true);
    // The same UTC time of day answers differently on either side of the change.
    expect(isWithinCallingHours('America/New_York', '2026-03-07T12:30:00Z')).toBe(false);
    expect(isWithinCallingHours('America/New_York', '2026-03-09T12:30:00Z')).toBe(true);
  });

  it('ends at 9 p.m. local, exclusive, on both sides of spring forward', () => {
    // 20:30 EST on 03-06 is 01:30Z on 03-07; 21:30 EDT on 03-09 is 01:30Z on 03-10.
    expect(isWithinCallingHours('America/New_York', '2026-03-07T01:30:00Z')).toBe(true);
    expect(isWithinCallingHours('America/New_York', '2026-03-10T01:30:00Z')).toBe(false);
    expect(isWithinCallingHours('America/New_York', '2026-03-10T00:59:59Z')).toBe(true);
    expect(isWithinCallingHours('America/New_York', '2026-03-10T01:00:00Z')).toBe(false);
  });

  it('follows fall back (2026-11-01)', () => {
    expect(isWithinCallingHours('America/New_York', '2026-10-31T12:30:00Z')).toBe(true); // 08:30 EDT
    expect(isWithinCallingHours('America/New_York', '2026-11-02T12:30:00Z')).toBe(false); // 07:30 EST
  });

  it('keeps Arizona fixed while Denver shifts', () => {
    for (const day of ['2026-03-07', '2026-03-09']) {
      expect(isWithinCallingHours('America/Phoenix', `${day}T14:59:00Z`)).toBe(false);
      expect(isWithinCallingHours('America/Phoenix', `${day}T15:00:00Z`)).toBe(true);
    }
    expect(isWithinCallingHours('America/Denver', '2026-03-07T14:30:00Z')).toBe(false); // 07:30 MST
    expect(isWithinCallingHours('America/Denver', '2026-03-09T14:30:00Z')).toBe(true); // 08:30 MDT
  });

  it('is never within hours for an unknown zone, and throws on bad input', () => {
    expect(isWithinCallingHours(null, '2026-03-09T16:00:00Z')).toBe(false);
    expect(() => isWithinCallingHours('America/New_York', 'noon')).toThrow(RangeError);
    expect(() => isWithinCallingHours('Mars/Olympus_Mons', '2026-03-09T16:00:00Z')).toThrow(RangeError);
  });
});
