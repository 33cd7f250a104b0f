import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from '../../../src/domain/contacts/normalize-contact.js';
import {
  SUPPRESSION_REASON_MAX,
  isSuppressionHeaderRow,
  parseSuppressionRow,
  suppressionKey,
  suppressionKindOf,
} from '../../../src/domain/compliance/suppression.js';

describe('suppressionKey', () => {
  it('normalizes phones to E.164 and emails to lower case', () => {
    expect(suppressionKey('phone', '(312) 555-0142')).toEqual({ key: '+13125550142', reason: null });
    expect(suppressionKey('phone', '1-312-555-0142')).toEqual({ key: '+13125550142', reason: null });
    expect(suppressionKey('email', '  Jane.Doe@Example.COM ')).toEqual({
      key: 'jane.doe@example.com',
      reason: null,
    });
  });

  it('matches the contact normalization exactly, so one blind index serves both', () => {
    for (const raw of ['(312) 555-0142', '+1 312 555 0199']) {
      expect(suppressionKey('phone', raw).key).toBe(normalizePhone(raw));
    }
    expect(suppressionKey('email', 'A@Example.com').key).toBe(normalizeEmail('A@Example.com'));
  });

  it('says why a value cannot be a key', () => {
    expect(suppressionKey('phone', '   ')).toEqual({ key: null, reason: 'empty' });
    expect(suppressionKey('phone', '555-0142')).toEqual({ key: null, reason: 'invalid_phone' });
    expect(suppressionKey('email', 'jane@')).toEqual({ key: null, reason: 'invalid_email' });
  });

  it('infers the kind from an @', () => {
    expect(suppressionKindOf('jane@example.com')).toBe('email');
    expect(suppressionKindOf('312 555 0142')).toBe('phone');
  });
});

describe('parseSuppressionRow', () => {
  it('parses a phone with a reason', () => {
    expect(parseSuppressionRow(['312-555-0142', ' STOP reply '])).toEqual({
      kind: 'phone',
      value: '+13125550142',
      reason: 'STOP reply',
    });
  });

  it('parses an email without a reason, or with a blank one', () => {
    const expected = { kind: 'email', value: 'jane@example.com', reason: null };
    expect(parseSuppressionRow(['Jane@Example.com'])).toEqual(expected);
    expect(parseSuppressionRow(['Jane@Example.com', '   '])).toEqual(expected);
  });

  it('joins extra cells back into the reason (an unquoted comma)', () => {
    expect(parseSuppressionRow(['+1 312 555 0142', 'asked twice', ' by phone'])).toEqual({
      kind: 'phone',
      value: '+13125550142',
      reason: 'asked twice, by phone',
    });
  });

  it('cuts a long reason', () => {
    const row = parseSuppressionRow(['3125550142', 'x'.repeat(500)]);
    expect(row).toEqual({ kind: 'phone', value: '+13125550142', reason: 'x'.repeat(SUPPRESSION_REASON_MAX) });
  });

  it('reports blank rows, missing values and invalid values', () => {
    expect(parseSuppressionRow([])).toEqual({ error: 'empty_row' });
    expect(parseSuppressionRow(['', ' '])).toEqual({ error: 'empty_row' });
    expect(parseSuppressionRow(['', 'no value'])).toEqual({ error: 'empty' });
    expect(parseSuppressionRow(['12345', 'short'])).toEqual({ error: 'invalid_phone' });
    expect(parseSuppressionRow(['bad@'])).toEqual({ error: 'invalid_email' });
  });
});

describe('isSuppressionHeaderRow', () => {
  it('recognizes header lines and not data', () => {
    expect(isSuppressionHeaderRow(['value', 'reason'])).toBe(true);
    expect(isSuppressionHeaderRow(['Phone Number'])).toBe(true);
    expect(isSuppressionHeaderRow([' Email ', 'Reason'])).toBe(true);
    expect(isSuppressionHeaderRow(['312-555-0142', 'reason'])).toBe(false);
    expect(isSuppressionHeaderRow([])).toBe(false);
  });
});
