import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/domain/address/normalize-address.js';
import type { RawAddress } from '../../src/domain/address/types.js';
import { normalizeOwner } from '../../src/domain/person/normalize-person.js';
import {
  addressKey,
  computeSignatures,
  normalizedAddressString,
  normalizedPersonString,
} from '../../src/domain/signatures.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const place = { city: 'Springfield', state: 'IL', zip: '62704' };
const at = (street: string, extra: Partial<RawAddress> = {}) =>
  normalizeAddress({ street, ...place, ...extra });
const JOHN = { first: 'John', last: 'Smith' };

describe('normalizedAddressString', () => {
  it('joins line1, line2, city, state and zip5', () => {
    const addr = at('123 Main Street Apt 4', { zip: '62704-1234' });
    expect(normalizedAddressString(addr)).toBe('123 MAIN ST APT 4|SPRINGFIELD|IL|62704');
    expect(normalizedAddressString(addr, { withUnit: true })).toBe('123 MAIN ST APT 4|SPRINGFIELD|IL|62704');
    expect(normalizedAddressString(addr, { withUnit: false })).toBe('123 MAIN ST|SPRINGFIELD|IL|62704');
  });

  it('uses empty strings for missing parts', () => {
    expect(normalizedAddressString(normalizeAddress({ street: '1 Elm St' }))).toBe('1 ELM ST|||');
    expect(normalizedAddressString(normalizeAddress({}))).toBe('|||');
  });
});

describe('normalizedPersonString', () => {
  it('is FIRST LAST, upper case, trimmed, whitespace collapsed', () => {
    expect(normalizedPersonString({ first: ' john ', last: 'smith  jr' })).toBe('JOHN SMITH JR');
    expect(normalizedPersonString({ first: null, last: 'Smith' })).toBe('SMITH');
    expect(normalizedPersonString({ first: 'John', last: null })).toBe('JOHN');
    expect(normalizedPersonString(null)).toBe('');
    expect(normalizedPersonString({ first: null, last: null })).toBe('');
  });

  it('uses the company name for entities', () => {
    expect(normalizedPersonString(normalizeOwner({ full: 'Acme Holdings, L.L.C.' }))).toBe(
      'ACME HOLDINGS LLC',
    );
    expect(normalizedPersonString({ first: null, last: null, company: 'acme  llc' })).toBe('ACME LLC');
  });
});

describe('computeSignatures (seed 002 Epic A)', () => {
  it('hashes exactly as the seed specifies', () => {
    const addr = at('123 Main Street Apt 4');
    const s = computeSignatures(addr, normalizeOwner(JOHN));
    expect(s.normalizedAddress).toBe('123 MAIN ST APT 4|SPRINGFIELD|IL|62704');
    expect(s.normalizedPerson).toBe('JOHN SMITH');
    expect(s.inputSignature).toBe(sha256('123 MAIN ST APT 4|SPRINGFIELD|IL|62704#JOHN SMITH'));
    expect(s.sanitizedSignature).toBe(sha256('123 MAIN ST|SPRINGFIELD|IL|62704#JOHN SMITH'));
    expect(s.idempotencyKey).toBe(sha256(s.inputSignature));
    expect(s.sanitizedIdempotencyKey).toBe(sha256(s.sanitizedSignature));
    expect(s.inputSignature).toMatch(/^[0-9a-f]{64}$/);
    expect(s.hasUnit).toBe(true);
  });

  it('signatures with/without unit tokens produce intended primary/secondary', () => {
    const apt = computeSignatures(at('123 Main Street Apt 4'), JOHN);
    const hash = computeSignatures(at('123 MAIN ST #4'), JOHN);
    const line2 = computeSignatures(at('123 Main St', { line2: 'Unit 4' }), JOHN);
    const plain = computeSignatures(at('123 Main St.'), JOHN);

    // Secondary (sanitized): every spelling reduces to the same unit-less signature…
    expect(new Set([apt, hash, line2, plain].map((s) => s.sanitizedSignature)).size).toBe(1);
    // …which is the primary signature of the unit-less address.
    expect(apt.sanitizedSignature).toBe(plain.inputSignature);
    expect(apt.sanitizedIdempotencyKey).toBe(plain.idempotencyKey);
    // Primary: an address with a unit never shares a signature with the unit-less one.
    for (const withUnit of [apt, hash, line2]) {
      expect(withUnit.inputSignature).not.toBe(plain.inputSignature);
      expect(withUnit.idempotencyKey).not.toBe(plain.idempotencyKey);
      expect(withUnit.hasUnit).toBe(true);
    }
    // The primary keeps the designator as written in Pub 28 form: APT 4, # 4 and UNIT 4 differ.
    expect(apt.normalizedAddress).toBe('123 MAIN ST APT 4|SPRINGFIELD|IL|62704');
    expect(hash.normalizedAddress).toBe('123 MAIN ST # 4|SPRINGFIELD|IL|62704');
    expect(line2.normalizedAddress).toBe('123 MAIN ST UNIT 4|SPRINGFIELD|IL|62704');
    expect(plain.hasUnit).toBe(false);
    expect(plain.sanitizedSignature).toBe(plain.inputSignature);
  });

  it('strips every C2 designator in the sanitized signature', () => {
    const plain = computeSignatures(at('100 Main St'), null);
    for (const unit of [
      'STE 200',
      'FL 3',
      'FLOOR 3',
      'BLDG 2',
      'RM 5',
      'LOT 9',
      'SPACE 4',
      'TRLR 1',
      'REAR',
      'PH',
    ]) {
      const s = computeSignatures(at(`100 Main St ${unit}`), null);
      expect(s.sanitizedSignature).toBe(plain.inputSignature);
      expect(s.inputSignature).not.toBe(plain.inputSignature);
    }
  });

  it('is identical for identical normalized input and differs by person', () => {
    const a = computeSignatures(at('123 main st'), normalizeOwner({ full: 'smith, john' }));
    const b = computeSignatures(at('123 MAIN STREET'), normalizeOwner(JOHN));
    const c = computeSignatures(at('123 MAIN STREET'), normalizeOwner({ first: 'Jane', last: 'Smith' }));
    expect(a.idempotencyKey).toBe(b.idempotencyKey);
    expect(c.idempotencyKey).not.toBe(b.idempotencyKey);
  });
});

describe('addressKey', () => {
  it('dedupes differently spelled duplicates, "#" and APT included', () => {
    const a = normalizeAddress({
      street: '123 n. main street, apt 4',
      city: 'Springfield',
      state: 'il',
      zip: '62704',
    });
    const b = normalizeAddress({
      street: '123 North Main St #4',
      city: 'SPRINGFIELD',
      state: 'Illinois',
      zip: '62704-1234',
    });
    const c = normalizeAddress({
      street: '123 N Main St',
      line2: 'Unit 4',
      city: 'Sprngfld',
      state: 'IL',
      zip: '62704',
    });
    expect(addressKey(a)).toBe(addressKey(b));
    expect(addressKey(a)).toBe(addressKey(c));
    expect(addressKey(a)).toBe(sha256('123 N MAIN ST 4|62704'));
  });

  it('keeps different units and different streets apart', () => {
    const key = (street: string) => addressKey(at(street));
    expect(key('123 Main St Apt 4')).not.toBe(key('123 Main St Apt 5'));
    expect(key('123 Main St Apt 4')).not.toBe(key('123 Main St'));
    expect(key('123 Main St REAR')).toBe(sha256('123 MAIN ST REAR|62704'));
    expect(key('123 Main St')).toBe(sha256('123 MAIN ST|62704'));
    expect(key('125 Main St')).not.toBe(key('123 Main St'));
  });

  it('keys on ZIP5, falling back to city and state without one', () => {
    const withZip = normalizeAddress({ street: '1 Elm St', city: 'Saint Louis', state: 'MO', zip: '63101' });
    const otherCity = normalizeAddress({ street: '1 Elm St', city: 'St Louis', state: 'MO', zip: '63101' });
    expect(addressKey(withZip)).toBe(addressKey(otherCity));
    const noZip = normalizeAddress({ street: '1 Elm St', city: 'St. Louis', state: 'Missouri' });
    expect(addressKey(noZip)).toBe(sha256('1 ELM ST|ST LOUIS|MO'));
  });

  it('is null without a house number', () => {
    expect(addressKey(normalizeAddress({ street: 'Main St', zip: '62704' }))).toBeNull();
    expect(addressKey(normalizeAddress({ street: 'PO Box 12', zip: '62704' }))).toBeNull();
    expect(addressKey(normalizeAddress({ city: 'Springfield', zip: '62704' }))).toBeNull();
  });
});
