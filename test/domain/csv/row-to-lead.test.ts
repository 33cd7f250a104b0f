import { describe, expect, it } from 'vitest';
import type { LeadDraft, RowOutcome } from '../../../src/domain/lead.js';
import { mapHeaders } from '../../../src/domain/csv/header-mapping.js';
import { parseNumber, rowToLead } from '../../../src/domain/csv/row-to-lead.js';

/** Runs one row given as header → cell. */
function run(row: Record<string, string>, rowNumber = 7): RowOutcome {
  const headers = Object.keys(row);
  const { mapping, errors } = mapHeaders(headers);
  expect(errors).toEqual([]);
  return rowToLead(Object.values(row), headers, mapping, rowNumber, 'csv');
}

function draft(row: Record<string, string>): LeadDraft {
  const outcome = run(row);
  if (!outcome.ok) throw new Error(`rejected: ${outcome.rejection.field}: ${outcome.rejection.reason}`);
  return outcome.draft;
}

function rejection(row: Record<string, string>): { field: string; reason: string } {
  const outcome = run(row);
  if (outcome.ok) throw new Error('expected a rejection');
  expect(outcome.rejection.rowNumber).toBe(7);
  return { field: outcome.rejection.field, reason: outcome.rejection.reason };
}

const PROPSTREAM = {
  Address: '123 n. MAIN street',
  'Unit #': 'Apt 4',
  City: 'springfield',
  State: 'Illinois',
  Zip: '62701-1234',
  APN: ' 14-28-322-001 ',
  'Owner 1 First Name': 'John',
  'Owner 1 Last Name': 'Smith',
  'Mailing Address': 'PO Box 55',
  'Mailing City': 'Chicago',
  'Mailing State': 'IL',
  'Mailing Zip': '60606',
  'Est. Value': '$250,000',
  'Est. Equity': '(1,200.50)',
  'Equity %': '72%',
  'Owner Occupied': 'N',
  Vacant: 'X',
  Bedrooms: '3',
  'Total Bathrooms': '2.5',
  'Building Sqft': '1,850',
  'Effective Year Built': '1978',
  'Property Type': 'Single Family Residential',
  'Pre-Foreclosure': '',
  Notes: 'anything',
};

describe('rowToLead — a full PropStream row', () => {
  const d = draft(PROPSTREAM);

  it('carries row number and source', () => {
    expect(d.rowNumber).toBe(7);
    expect(d.source).toBe('csv');
  });

  it('normalizes the property address and keeps the raw one', () => {
    expect(d.address).toEqual({
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
      zip5: '62701',
      zip4: '1234',
    });
    expect(d.rawAddress).toEqual({
      street: '123 n. MAIN street',
      line2: 'Apt 4',
      city: 'springfield',
      state: 'Illinois',
      zip: '62701-1234',
    });
  });

  it('keeps a PO box mailing address', () => {
    expect(d.mailingAddress?.line1).toBe('PO BOX 55');
    expect(d.mailingAddress?.houseNumber).toBeNull();
    expect(d.mailingAddress?.city).toBe('CHICAGO');
    expect(d.mailingAddress?.zip5).toBe('60606');
  });

  it('parses identifiers, facts and flags', () => {
    expect(d.apn).toBe('14-28-322-001');
    expect(d.fips).toBeNull();
    expect(d.facts).toEqual({
      propertyType: 'Single Family Residential',
      beds: 3,
      baths: 2.5,
      sqft: 1850,
      yearBuilt: 1978,
      estimatedValue: 250000,
      estimatedEquity: -1200.5,
      equityPercent: 72,
      ownerOccupied: false,
      absenteeOwner: null,
      ownerAge: null,
    });
    expect(d.distress).toEqual({
      preForeclosure: null,
      foreclosure: null,
      taxLien: null,
      bankruptcy: null,
      vacant: true,
      highEquity: null,
      freeClear: null,
    });
  });

  it('keeps every original cell, unmapped columns included', () => {
    expect(d.inputRow).toEqual(PROPSTREAM);
    expect(d.inputPhones).toEqual([]);
    expect(d.inputEmails).toEqual([]);
  });
});

describe('rowToLead — addresses', () => {
  it('splits a one-string address', () => {
    const d = draft({ 'Full Address': '456 Oak Ave. Apt 2, Columbus, OH 43215-1234' });
    expect(d.address?.line1).toBe('456 OAK AVE');
    expect(d.address?.line2).toBe('APT 2');
    expect(d.address?.city).toBe('COLUMBUS');
    expect(d.address?.state).toBe('OH');
    expect(d.address?.zip5).toBe('43215');
    expect(d.address?.zip4).toBe('1234');
  });

  it('fills what a one-string address lacks from the columns', () => {
    const d = draft({ 'Full Address': '456 Oak Ave', City: 'Columbus', State: 'OH', Zip: '43215' });
    expect([d.address?.line1, d.address?.city, d.address?.state, d.address?.zip5]).toEqual([
      '456 OAK AVE',
      'COLUMBUS',
      'OH',
      '43215',
    ]);
  });

  it('prefers the street columns over a one-string address', () => {
    const d = draft({ Address: '1 Elm St', 'Full Address': '999 Other Rd, Tampa, FL 33602', Zip: '62701' });
    expect(d.address?.line1).toBe('1 ELM ST');
  });

  it('splits a whole address typed into the street column when city and ZIP are empty', () => {
    const d = draft({ Address: '789 Pine Rd, Tampa, FL 33602', City: '', Zip: '' });
    expect([d.address?.line1, d.address?.city, d.address?.state, d.address?.zip5]).toEqual([
      '789 PINE RD',
      'TAMPA',
      'FL',
      '33602',
    ]);
  });

  it('accepts a ZIP that lost its leading zero and ZIP+4 spellings', () => {
    expect(draft({ Address: '1 Elm St', Zip: '6103' }).address?.zip5).toBe('06103');
    expect(draft({ Address: '1 Elm St', Zip: '062701234' }).address?.zip4).toBe('1234');
    expect(draft({ Address: '1 Elm St', Zip: '62701 1234' }).address?.zip4).toBe('1234');
  });

  it('treats N/A ZIP and state as absent', () => {
    const d = draft({ Address: '1 Elm St', State: 'N/A', Zip: 'n/a' });
    expect(d.address?.state).toBeNull();
    expect(d.address?.zip5).toBeNull();
  });

  it('rejects a bad ZIP, quoting it', () => {
    expect(rejection({ Address: '1 Elm St', Zip: 'ABCDE' })).toEqual({
      field: 'zip',
      reason: 'not a ZIP code: "ABCDE"',
    });
  });

  it('rejects an unknown state, quoting it', () => {
    expect(rejection({ Address: '1 Elm St', State: 'XX' })).toEqual({
      field: 'state',
      reason: 'unknown state: "XX"',
    });
  });

  it('rejects a bad mailing ZIP and state on their own fields', () => {
    expect(rejection({ Address: '1 Elm St', 'Mailing Address': '2 Oak Ave', 'Mailing Zip': '1' })).toEqual({
      field: 'mailingZip',
      reason: 'not a ZIP code: "1"',
    });
    expect(rejection({ Address: '1 Elm St', 'Mailing Address': '2 Oak Ave', 'Mailing State': 'ZZ' })).toEqual(
      {
        field: 'mailingState',
        reason: 'unknown state: "ZZ"',
      },
    );
  });

  it('truncates a long quoted value', () => {
    expect(rejection({ Address: '1 Elm St', State: 'x'.repeat(100) })).toEqual({
      field: 'state',
      reason: `unknown state: "${'x'.repeat(40)}…"`,
    });
  });

  it('rejects a street without a house number when nothing else identifies the row', () => {
    expect(rejection({ Address: 'Main St', City: 'Springfield', State: 'IL' })).toEqual({
      field: 'street',
      reason: 'no house number',
    });
    expect(rejection({ 'Full Address': 'Main St, Springfield, IL 62701' })).toEqual({
      field: 'fullAddress',
      reason: 'no house number',
    });
  });

  it('keeps a street without a house number as address null when the row has an APN', () => {
    const d = draft({ Address: 'Main St', City: 'Springfield', APN: '123-45' });
    expect(d.address).toBeNull();
    expect(d.rawAddress).toEqual({
      street: 'Main St',
      line2: null,
      city: 'Springfield',
      state: null,
      zip: null,
    });
    expect(d.apn).toBe('123-45');
  });

  it('keeps city/state/ZIP without a street only in rawAddress', () => {
    const d = draft({ Address: '', City: 'Springfield', State: 'IL', Zip: '62701', APN: '1' });
    expect(d.address).toBeNull();
    expect(d.rawAddress).toEqual({
      street: null,
      line2: null,
      city: 'Springfield',
      state: 'IL',
      zip: '62701',
    });
  });
});

describe('rowToLead — what makes a row', () => {
  it('rejects a row without address, owner, APN or contact', () => {
    expect(rejection({ Address: '', City: 'Springfield', 'Est. Value': '100000', APN: 'N/A' })).toEqual({
      field: 'row',
      reason: 'no address, owner, APN or contact in this row',
    });
  });

  it('keeps a row with only an owner', () => {
    const d = draft({ Address: '', 'Owner Name': 'Jane Doe' });
    expect(d.address).toBeNull();
    expect(d.owner).not.toBeNull();
  });

  it('keeps a row with only a phone or only an email', () => {
    expect(draft({ Address: '', Phone: '(555) 010-0199' }).inputPhones).toEqual(['5550100199']);
    expect(draft({ Address: '', Email: 'Owner@Example.com' }).inputEmails).toEqual(['owner@example.com']);
  });

  it('keeps a row with only an APN', () => {
    expect(draft({ Address: '', APN: '001-002' }).apn).toBe('001-002');
  });
});

describe('rowToLead — owners', () => {
  it('has no owner when the owner columns are blank', () => {
    expect(draft({ Address: '1 Elm St', 'First Name': ' ', 'Last Name': '' }).owner).toBeNull();
  });

  it('reads a co-owner', () => {
    const d = draft({
      Address: '1 Elm St',
      'Owner 1 First Name': 'John',
      'Owner 1 Last Name': 'Smith',
      'Owner 2 First Name': 'Mary',
      'Owner 2 Last Name': 'Smith',
    });
    expect(d.coOwner?.first).toBe('MARY');
    expect(d.coOwner?.last).toBe('SMITH');
  });

  it('makes a company column the owner, as an entity', () => {
    const d = draft({ Address: '1 Elm St', Company: 'Acme Holdings LLC' });
    expect(d.owner?.company).toBe('ACME HOLDINGS LLC');
    expect(d.owner?.ownerType).toBe('llc');
  });

  it('makes a company without an entity word an entity too', () => {
    const d = draft({ Address: '1 Elm St', Company: 'Blue Door Homes' });
    expect(d.owner).toEqual({
      first: null,
      middle: null,
      last: null,
      full: 'BLUE DOOR HOMES',
      company: 'BLUE DOOR HOMES',
      ownerType: 'corporate',
    });
  });

  it('keeps a named person as the owner and records the company beside them', () => {
    const d = draft({
      Address: '1 Elm St',
      'First Name': 'Jane',
      'Last Name': 'Doe',
      Company: 'Blue Door Homes',
    });
    expect(d.owner?.first).toBe('JANE');
    expect(d.owner?.last).toBe('DOE');
    expect(d.owner?.company).toBe('BLUE DOOR HOMES');
  });
});

describe('rowToLead — numbers', () => {
  it('parses money, percentages, negatives and blanks', () => {
    expect(parseNumber('$250,000')).toBe(250000);
    expect(parseNumber('72%')).toBe(72);
    expect(parseNumber('72 %')).toBe(72);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('-$12,000')).toBe(-12000);
    expect(parseNumber('($12,000)')).toBe(-12000);
    expect(parseNumber('+5')).toBe(5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('0')).toBe(0);
  });

  it('refuses what is not a plain number', () => {
    for (const s of [
      'three',
      '1e5',
      '0x10',
      '12abc',
      '1.2.3',
      '$',
      '%',
      '5$',
      '%5',
      '1-2',
      '--5',
      'Infinity',
      '1.000,5',
    ]) {
      expect(parseNumber(s), s).toBeNull();
    }
  });

  it('treats "", N/A, NA, -, null as no value', () => {
    for (const blank of ['', 'N/A', 'NA', 'na', '-', 'null', 'NULL', '#N/A']) {
      expect(draft({ Address: '1 Elm St', 'Estimated Value': blank }).facts.estimatedValue, blank).toBeNull();
    }
  });

  it('rejects a non-numeric value with the field name', () => {
    expect(rejection({ Address: '1 Elm St', Bedrooms: 'three' })).toEqual({
      field: 'beds',
      reason: 'not a number: "three"',
    });
    expect(rejection({ Address: '1 Elm St', 'Estimated Value': 'lots' })).toEqual({
      field: 'estimatedValue',
      reason: 'not a number: "lots"',
    });
  });
});

describe('rowToLead — yes/no', () => {
  it('reads the usual spellings', () => {
    for (const yes of ['Y', 'y', 'Yes', 'TRUE', 'true', '1', 'X', 'x']) {
      expect(draft({ Address: '1 Elm St', Vacant: yes }).distress.vacant, yes).toBe(true);
    }
    for (const no of ['N', 'No', 'FALSE', 'false', '0']) {
      expect(draft({ Address: '1 Elm St', Vacant: no }).distress.vacant, no).toBe(false);
    }
    expect(draft({ Address: '1 Elm St', Vacant: ' ' }).distress.vacant).toBeNull();
  });

  it('rejects anything else', () => {
    expect(rejection({ Address: '1 Elm St', 'Owner Occupied': 'maybe' })).toEqual({
      field: 'ownerOccupied',
      reason: 'not a yes/no value: "maybe"',
    });
  });
});

describe('rowToLead — phones and emails', () => {
  it('keeps 10 digits, drops a leading 1, deduplicates, splits lists', () => {
    const d = draft({
      Address: '1 Elm St',
      'Phone 1': '+1 (555) 010-0123',
      'Phone 2': '555.010.0123',
      'Phone 3': '555-010-0124; 5550100125',
      Mobile: '',
    });
    expect(d.inputPhones).toEqual(['5550100123', '5550100124', '5550100125']);
  });

  it('rejects a non-US phone showing at most the last 4 digits', () => {
    const r = rejection({ Address: '1 Elm St', 'Phone 2': '555-010-01234' });
    expect(r).toEqual({ field: 'phone2', reason: 'not a US phone number (ends in 1234)' });
    expect(r.reason).not.toContain('555');
    expect(rejection({ Address: '1 Elm St', Phone: '123' })).toEqual({
      field: 'phone1',
      reason: 'not a US phone number',
    });
    expect(rejection({ Address: '1 Elm St', Phone: '25550100123' })).toEqual({
      field: 'phone1',
      reason: 'not a US phone number (ends in 0123)',
    });
  });

  it('lower-cases and deduplicates emails', () => {
    const d = draft({
      Address: '1 Elm St',
      'Email 1': ' Jane.Doe@Example.COM ',
      'Email 2': 'jane.doe@example.com, j@example.org',
    });
    expect(d.inputEmails).toEqual(['jane.doe@example.com', 'j@example.org']);
  });

  it('rejects a malformed email showing only the domain', () => {
    const r = rejection({ Address: '1 Elm St', Email: 'jane.doe@example' });
    expect(r).toEqual({ field: 'email1', reason: 'not an email address (domain "example")' });
    expect(r.reason).not.toContain('jane');
    expect(rejection({ Address: '1 Elm St', 'Email 2': 'jane.doe' })).toEqual({
      field: 'email2',
      reason: 'not an email address',
    });
  });
});

describe('rowToLead — identifiers', () => {
  it('pads a 4-digit FIPS code and rejects a bad one', () => {
    expect(draft({ Address: '1 Elm St', FIPS: '1001' }).fips).toBe('01001');
    expect(draft({ Address: '1 Elm St', FIPS: '17031' }).fips).toBe('17031');
    expect(rejection({ Address: '1 Elm St', FIPS: 'Cook' })).toEqual({
      field: 'fips',
      reason: 'not a FIPS code: "Cook"',
    });
  });

  it('reads MAK, vendor record id and property id as trimmed text', () => {
    const d = draft({ Address: '1 Elm St', MAK: ' 123456789 ', lead_id: 'L-9', property_id: 'P-1' });
    expect([d.mak, d.vendorRecordId, d.propertyId]).toEqual(['123456789', 'L-9', 'P-1']);
  });
});

describe('rowToLead — inputRow', () => {
  it('names duplicate, blank and extra columns apart', () => {
    const headers = ['Address', 'Phone', 'Phone', ''];
    const { mapping } = mapHeaders(headers);
    const outcome = rowToLead(['1 Elm St', '', '', 'x', 'extra'], headers, mapping, 1, 'csv');
    expect(outcome.ok && outcome.draft.inputRow).toEqual({
      Address: '1 Elm St',
      Phone: '',
      'Phone (2)': '',
      'column 4': 'x',
      'column 5': 'extra',
    });
  });

  it('fills missing trailing cells with ""', () => {
    const headers = ['Address', 'City', 'Zip'];
    const { mapping } = mapHeaders(headers);
    const outcome = rowToLead(['1 Elm St'], headers, mapping, 1, 'csv');
    expect(outcome.ok && outcome.draft.inputRow).toEqual({ Address: '1 Elm St', City: '', Zip: '' });
  });

  it('keeps a "__proto__" header as an ordinary key', () => {
    const headers = ['Address', '__proto__'];
    const { mapping } = mapHeaders(headers);
    const outcome = rowToLead(['1 Elm St', 'x'], headers, mapping, 1, 'csv');
    if (!outcome.ok) throw new Error('rejected');
    expect(Object.keys(outcome.draft.inputRow)).toEqual(['Address', '__proto__']);
    expect(Object.getPrototypeOf(outcome.draft.inputRow)).toBe(Object.prototype);
  });

  it('is built on first read, then is the same object, enumerable like any field', () => {
    const headers = ['Address', 'Notes'];
    const { mapping } = mapHeaders(headers);
    const outcome = rowToLead(['1 Elm St', 'a'], headers, mapping, 1, 'csv');
    if (!outcome.ok) throw new Error('rejected');
    const first = outcome.draft.inputRow;
    expect(outcome.draft.inputRow).toBe(first);
    first.Notes = 'b';
    expect(outcome.draft.inputRow).toEqual({ Address: '1 Elm St', Notes: 'b' });
    expect(Object.keys(outcome.draft)).toContain('inputRow');
    expect({ ...outcome.draft }.inputRow).toBe(first);
  });

  it('uses the same layout for rows of one file and a fresh one for another header', () => {
    const { mapping } = mapHeaders(['Address']);
    const a = rowToLead(['1 Elm St'], ['Address'], mapping, 1, 'csv');
    const b = rowToLead(['2 Elm St'], ['Address'], mapping, 2, 'csv');
    expect(a.ok && a.draft.inputRow).toEqual({ Address: '1 Elm St' });
    expect(b.ok && b.draft.inputRow).toEqual({ Address: '2 Elm St' });
    const c = rowToLead(['3 Elm St'], ['Street'], mapping, 3, 'csv');
    expect(c.ok && c.draft.inputRow).toEqual({ Street: '3 Elm St' });
  });
});
