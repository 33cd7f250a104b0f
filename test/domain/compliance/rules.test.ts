import { describe, expect, it } from 'vitest';
import {
  COMPLIANCE_TTL_DAYS,
  complianceExpiry,
  dialable,
  isComplianceExpired,
  type PhoneCompliance,
} from '../../../src/domain/compliance/rules.js';

describe('compliance expiry', () => {
  it('is 31 days', () => {
    expect(COMPLIANCE_TTL_DAYS).toBe(31);
  });

  it('expires exactly 31 × 24 h after the check, in UTC', () => {
    expect(complianceExpiry('2026-01-01T00:00:00.000Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(complianceExpiry('2026-01-15T10:20:30Z')).toBe('2026-02-15T10:20:30.000Z');
    // Across the US DST change: still whole UTC days.
    expect(complianceExpiry('2026-03-01T12:00:00.000Z')).toBe('2026-04-01T12:00:00.000Z');
  });

  it('throws on an unparsable check time', () => {
    expect(() => complianceExpiry('yesterday')).toThrow(RangeError);
  });

  it('is valid until the expiry instant and expired from it on', () => {
    const expires = complianceExpiry('2026-01-01T00:00:00.000Z');
    expect(isComplianceExpired(expires, '2026-01-31T00:00:00.000Z')).toBe(false); // day 30
    expect(isComplianceExpired(expires, '2026-01-31T23:59:59.999Z')).toBe(false);
    expect(isComplianceExpired(expires, '2026-02-01T00:00:00.000Z')).toBe(true); // exactly 31 days
    expect(isComplianceExpired(expires, '2026-02-01T00:00:00Z')).toBe(true); // other precision, same instant
    expect(isComplianceExpired(expires, '2026-03-01T00:00:00.000Z')).toBe(true);
  });

  it('treats never-checked and unparsable expiries as expired', () => {
    expect(isComplianceExpired(null, '2026-01-01T00:00:00.000Z')).toBe(true);
    expect(isComplianceExpired('not a time', '2026-01-01T00:00:00.000Z')).toBe(true);
  });

  it('throws on an unparsable now', () => {
    expect(() => isComplianceExpired('2026-02-01T00:00:00.000Z', '')).toThrow(RangeError);
  });
});

describe('dialable', () => {
  const clean: PhoneCompliance = { dnc: false, tcpa: false, litigator: false, suppressed: false };

  it.each([
    // [flags, without includeDnc, with includeDnc]
    [{}, { ok: true, reason: null }, { ok: true, reason: null }],
    [{ dnc: true }, { ok: false, reason: 'dnc' }, { ok: true, reason: null }],
    [{ tcpa: true }, { ok: false, reason: 'tcpa' }, { ok: true, reason: null }],
    [
      { dnc: true, tcpa: true },
      { ok: false, reason: 'dnc' },
      { ok: true, reason: null },
    ],
    [{ litigator: true }, { ok: false, reason: 'litigator' }, { ok: false, reason: 'litigator' }],
    [{ suppressed: true }, { ok: false, reason: 'suppressed' }, { ok: false, reason: 'suppressed' }],
    [
      { suppressed: true, dnc: true },
      { ok: false, reason: 'suppressed' },
      { ok: false, reason: 'suppressed' },
    ],
    [
      { litigator: true, suppressed: true },
      { ok: false, reason: 'litigator' },
      { ok: false, reason: 'litigator' },
    ],
    [
      { litigator: true, tcpa: true },
      { ok: false, reason: 'litigator' },
      { ok: false, reason: 'litigator' },
    ],
    [
      { dnc: true, tcpa: true, litigator: true, suppressed: true },
      { ok: false, reason: 'litigator' },
      { ok: false, reason: 'litigator' },
    ],
  ] as const)('%o → %o, with includeDnc %o', (flags, without, withDnc) => {
    const phone = { ...clean, ...flags };
    expect(dialable(phone, { includeDnc: false })).toEqual(without);
    expect(dialable(phone, { includeDnc: true })).toEqual(withDnc);
  });

  it('needs include_dnc for a number whose check expired or never happened, after every flag', () => {
    expect(dialable({ ...clean, current: false }, { includeDnc: false })).toEqual({
      ok: false,
      reason: 'unchecked',
    });
    expect(dialable({ ...clean, current: false }, { includeDnc: true })).toEqual({ ok: true, reason: null });
    expect(dialable({ ...clean, current: true }, { includeDnc: false })).toEqual({ ok: true, reason: null });
    expect(dialable({ ...clean, dnc: true, current: false }, { includeDnc: false })).toEqual({
      ok: false,
      reason: 'dnc',
    });
    expect(dialable({ ...clean, litigator: true, current: false }, { includeDnc: true })).toEqual({
      ok: false,
      reason: 'litigator',
    });
  });

  it('never exports litigator or suppressed numbers over all 16 flag combinations', () => {
    for (let bits = 0; bits < 16; bits++) {
      const phone = {
        dnc: !!(bits & 1),
        tcpa: !!(bits & 2),
        litigator: !!(bits & 4),
        suppressed: !!(bits & 8),
      };
      const withDnc = dialable(phone, { includeDnc: true });
      const without = dialable(phone, { includeDnc: false });
      expect(withDnc.ok).toBe(!phone.litigator && !phone.suppressed);
      expect(without.ok).toBe(bits === 0);
    }
  });
});
