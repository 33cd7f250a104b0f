import { describe, expect, it } from 'vitest';
import type { LeadOwner } from '../../../src/domain/lead.js';
import { classifyOwner, normalizeOwner } from '../../../src/domain/person/normalize-person.js';

const person = (first: string | null, middle: string | null, last: string | null): LeadOwner => ({
  first,
  middle,
  last,
  full: [first, middle, last].filter(Boolean).join(' '),
  company: null,
  ownerType: 'individual',
});

describe('normalizeOwner — people', () => {
  it.each([
    ['John Q. Smith', person('JOHN', 'Q', 'SMITH')],
    ['  john   smith ', person('JOHN', null, 'SMITH')],
    ['Smith, John Q', person('JOHN', 'Q', 'SMITH')],
    ['SMITH, JOHN QUINCY', person('JOHN', 'QUINCY', 'SMITH')],
    ['Mary Ann Smith', person('MARY', 'ANN', 'SMITH')],
    ['Smith, John Jr.', person('JOHN', null, 'SMITH JR')],
    ['John Smith III', person('JOHN', null, 'SMITH III')],
    ['Dr. John Smith', person('JOHN', null, 'SMITH')],
    ["Mary O'Brien-Jones", person('MARY', null, 'OBRIEN-JONES')],
    ['Juan de la Cruz', person('JUAN', null, 'DE LA CRUZ')],
    ['José Peña', person('JOSE', null, 'PENA')],
    ['John & Jane Smith', person('JOHN', null, 'SMITH')],
    ['John and Jane Smith', person('JOHN', null, 'SMITH')],
    ['John Smith & Jane Doe', person('JOHN', null, 'SMITH')],
    ['Smith, John & Jane', person('JOHN', null, 'SMITH')],
    ['John Smith et al', person('JOHN', null, 'SMITH')],
    ['Madonna', person(null, null, 'MADONNA')],
  ])('parses the full name %s', (full, expected) => {
    expect(normalizeOwner({ full })).toEqual(expected);
  });

  it('uses first/last fields, splitting a middle name off the first', () => {
    expect(normalizeOwner({ first: 'John Q.', last: 'Smith' })).toEqual(person('JOHN', 'Q', 'SMITH'));
    expect(normalizeOwner({ first: 'john', last: null })).toEqual(person('JOHN', null, null));
    expect(normalizeOwner({ first: 'John & Jane', last: 'Smith' })).toEqual(person('JOHN', null, 'SMITH'));
    expect(normalizeOwner({ first: 'John', last: 'Smith', full: 'SMITH JOHN' })).toEqual(
      person('JOHN', null, 'SMITH'),
    );
  });

  it('returns null when there is no name at all', () => {
    expect(normalizeOwner({})).toBeNull();
    expect(normalizeOwner({ first: '', last: '  ', full: null })).toBeNull();
    expect(normalizeOwner({ full: ' . , ' })).toBeNull();
  });
});

describe('normalizeOwner — entities', () => {
  it.each([
    ['Acme Holdings, L.L.C.', 'ACME HOLDINGS LLC', 'llc'],
    ['Acme L L C', 'ACME L L C', 'llc'],
    ['Smith Law PLLC', 'SMITH LAW PLLC', 'llc'],
    ['Acme Inc.', 'ACME INC', 'corporate'],
    ['Acme Corp', 'ACME CORP', 'corporate'],
    ['Acme & Co', 'ACME & CO', 'corporate'],
    ['Acme Company', 'ACME COMPANY', 'corporate'],
    ['Acme LP', 'ACME LP', 'corporate'],
    ['Acme LLP', 'ACME LLP', 'corporate'],
    ['Acme Ltd', 'ACME LTD', 'corporate'],
    ['Blue Sky Holdings', 'BLUE SKY HOLDINGS', 'corporate'],
    ['Blue Sky Properties', 'BLUE SKY PROPERTIES', 'corporate'],
    ['Blue Sky Investments', 'BLUE SKY INVESTMENTS', 'corporate'],
    ['ABC Trust Company', 'ABC TRUST COMPANY', 'corporate'],
    ['Real Estate Holdings LLC', 'REAL ESTATE HOLDINGS LLC', 'llc'],
    ['Smith Family Trust', 'SMITH FAMILY TRUST', 'trust'],
    ['Smith Living Trust', 'SMITH LIVING TRUST', 'trust'],
    ['John Smith TR', 'JOHN SMITH TR', 'trust'],
    ['John Smith, Trustee', 'JOHN SMITH TRUSTEE', 'trust'],
    ['Smith John Co-Trustee', 'SMITH JOHN CO-TRUSTEE', 'trust'],
    ['John Smith Revocable', 'JOHN SMITH REVOCABLE', 'trust'],
    ['Estate of John Smith', 'ESTATE OF JOHN SMITH', 'estate'],
    ['John Smith Estate', 'JOHN SMITH ESTATE', 'estate'],
    ['City of Chicago', 'CITY OF CHICAGO', 'government'],
    ['County of Cook', 'COUNTY OF COOK', 'government'],
    ['State of Illinois', 'STATE OF ILLINOIS', 'government'],
    ['Chicago Housing Authority', 'CHICAGO HOUSING AUTHORITY', 'government'],
  ])('classifies %s', (full, company, ownerType) => {
    expect(normalizeOwner({ full })).toEqual({
      first: null,
      middle: null,
      last: null,
      full: company,
      company,
      ownerType,
    });
    expect(classifyOwner(full)).toBe(ownerType);
  });

  it('detects an entity written into the name fields', () => {
    expect(normalizeOwner({ first: '', last: 'Acme LLC' })).toMatchObject({
      company: 'ACME LLC',
      ownerType: 'llc',
    });
    expect(normalizeOwner({ first: 'Smith Family', last: 'Trust' })).toMatchObject({
      first: null,
      last: null,
      company: 'SMITH FAMILY TRUST',
      ownerType: 'trust',
    });
  });
});

describe('classifyOwner', () => {
  it('calls plain names individual and empty names unknown', () => {
    expect(classifyOwner('John Smith')).toBe('individual');
    expect(classifyOwner('Bob Trustman')).toBe('individual');
    expect(classifyOwner('Cobb Corporal')).toBe('individual');
    expect(classifyOwner('')).toBe('unknown');
    expect(classifyOwner(null)).toBe('unknown');
  });
});
