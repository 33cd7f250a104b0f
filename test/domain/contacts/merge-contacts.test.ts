import { describe, expect, it } from 'vitest';
import {
  mergeContacts,
  pickPrimary,
  type ContactFields,
  type StoredContact,
} from '../../../src/domain/contacts/merge-contacts.js';
import { normalizeEmail, normalizePhone } from '../../../src/domain/contacts/normalize-contact.js';
import { neutralizeCell } from '../../../src/domain/csv/neutralize.js';

const phone = (value: string, over: Partial<ContactFields> = {}): ContactFields => ({
  kind: 'phone',
  value,
  type: 'unknown',
  carrier: null,
  dnc: false,
  tcpa: false,
  litigator: false,
  confidence: null,
  verified: false,
  sourcePrimary: false,
  sourceProvider: 'batchdata',
  providerCallId: 'c1',
  ...over,
});

describe('contact normalization', () => {
  it('formats phones as E.164 and dedupes spellings', () => {
    expect(normalizePhone('(312) 555-0142')).toBe('+13125550142');
    expect(normalizePhone('1-312-555-0142')).toBe('+13125550142');
    expect(normalizePhone('3125550142')).toBe('+13125550142');
    expect(normalizePhone('123')).toBeNull();
    expect(normalizePhone('1234567890')).toBeNull();
  });
  it('lower-cases emails and rejects non-emails', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
    expect(normalizeEmail('not-an-email')).toBeNull();
  });
});

describe('mergeContacts', () => {
  const now = '2026-11-25T12:00:00.000Z';
  it('dedupes by value and keeps the best of each field', () => {
    const merged = mergeContacts(
      [],
      [
        phone('+13125550142', { type: 'unknown', confidence: 40 }),
        phone('+13125550142', { type: 'mobile', confidence: 90, dnc: true, providerCallId: 'c2' }),
        phone('+13125550143', { confidence: 50 }),
      ],
      now,
    );
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({
      value: '+13125550142',
      type: 'mobile',
      confidence: 90,
      dnc: true,
      providerCallId: 'c1',
      isPrimary: true,
    });
    expect(merged[1]).toMatchObject({ value: '+13125550143', isPrimary: false });
  });
  it('keeps provenance of stored contacts and marks only changes', () => {
    const stored: StoredContact = {
      ...phone('+13125550142', { confidence: 70 }),
      id: 'p1',
      isPrimary: true,
      firstSeenAt: '2026-01-01T00:00:00.000Z',
    };
    const same = mergeContacts([stored], [], now);
    expect(same[0]!.changed).toBe(false);
    const again = mergeContacts([stored], [phone('+13125550142', { sourceProvider: 'other' })], now);
    expect(again[0]).toMatchObject({
      id: 'p1',
      firstSeenAt: '2026-01-01T00:00:00.000Z',
      lastSeenAt: now,
      sourceProvider: 'batchdata',
      changed: true,
    });
  });
  it('picks the primary by source flag, then confidence, then first seen (seed 000)', () => {
    const a = phone('+1', { confidence: 10 });
    const b = phone('+2', { confidence: 90 });
    const c = phone('+3', { confidence: 20, sourcePrimary: true });
    expect(pickPrimary([a, b, c])).toBe(c);
    expect(pickPrimary([a, b])).toBe(b);
    expect(pickPrimary([phone('+4'), phone('+5')])!.value).toBe('+4');
  });
});

describe('neutralizeCell', () => {
  it('neutralizes formula starters but keeps E.164 phones', () => {
    expect(neutralizeCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutralizeCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutralizeCell('-2+3')).toBe("'-2+3");
    expect(neutralizeCell('+1 cmd')).toBe("'+1 cmd");
    expect(neutralizeCell('+13125550142')).toBe('+13125550142');
    expect(neutralizeCell('123 MAIN ST')).toBe('123 MAIN ST');
  });
});

describe('compliance dates in a merge', () => {
  const NOW = '2026-11-25T12:00:00.000Z';
  const at = (checkedAt: string | null, source: string, dnc = false) =>
    phone('+13125550142', { complianceCheckedAt: checkedAt, complianceSource: source, dnc });

  it('keeps the newer check: an older (cached) answer neither moves the date back nor clears a flag', () => {
    const first = mergeContacts([], [at('2026-11-20T00:00:00.000Z', 'batchdata')], NOW);
    const older = mergeContacts(first, [at('2026-10-01T00:00:00.000Z', 'reiskip', true)], NOW);
    expect(older).toHaveLength(1);
    expect(older[0]).toMatchObject({
      complianceCheckedAt: '2026-11-20T00:00:00.000Z',
      complianceSource: 'batchdata',
      dnc: true,
    });
    const newer = mergeContacts(older, [at('2026-11-24T00:00:00.000Z', 'reiskip')], NOW);
    expect(newer[0]).toMatchObject({
      complianceCheckedAt: '2026-11-24T00:00:00.000Z',
      complianceSource: 'reiskip',
      dnc: true,
    });
    // A source that checks no list (no date) leaves the date alone.
    const undated = mergeContacts(newer, [at(null, 'melissa-personator')], NOW);
    expect(undated[0]).toMatchObject({
      complianceCheckedAt: '2026-11-24T00:00:00.000Z',
      complianceSource: 'reiskip',
    });
  });
});
