/**
 * The account suppression list (opt-outs): phones and emails that must never be exported,
 * whatever any other flag says. The store keeps only `blindIndex(suppressionKey(...))`.
 *
 * Invariant: a suppression key is exactly the normalized value contact_points hashes
 * (E.164 phone, lower-cased email — domain/contacts/normalize-contact.ts), so one HMAC of
 * one string matches a suppression row to a contact row. Changing the normalization here
 * without contact_points (or the reverse) silently stops honoring opt-outs.
 */
import { normalizeEmail, normalizePhone } from '../contacts/normalize-contact.js';

export type SuppressionKind = 'phone' | 'email';

export type SuppressionKeyError = 'empty' | 'invalid_phone' | 'invalid_email';

export type SuppressionKeyResult = { key: string; reason: null } | { key: null; reason: SuppressionKeyError };

/** The normalized value to blind-index, or null with the reason it cannot be one. */
export function suppressionKey(kind: SuppressionKind, value: string): SuppressionKeyResult {
  if (value.trim() === '') return { key: null, reason: 'empty' };
  if (kind === 'phone') {
    const phone = normalizePhone(value);
    return phone === null ? { key: null, reason: 'invalid_phone' } : { key: phone, reason: null };
  }
  const email = normalizeEmail(value);
  return email === null ? { key: null, reason: 'invalid_email' } : { key: email, reason: null };
}

/** An email has an "@"; anything else on the list is taken for a phone. */
export function suppressionKindOf(value: string): SuppressionKind {
  return value.includes('@') ? 'email' : 'phone';
}

/** One parsed line of a suppression upload, value already normalized (still plaintext PII). */
export interface SuppressionEntry {
  kind: SuppressionKind;
  value: string;
  /** Free text from the file ("customer asked", "STOP reply"), trimmed; null when absent. */
  reason: string | null;
}

export type SuppressionRowError = 'empty_row' | SuppressionKeyError;

/** Longest reason kept; longer text is cut (it is a note, not a document). */
export const SUPPRESSION_REASON_MAX = 200;

/**
 * One CSV row, already split into cells by the CSV parser: `value[,reason]`. The kind is
 * inferred from the value. Extra cells are taken as an unquoted comma inside the reason
 * and joined back. A blank row is an error the caller may skip silently.
 */
export function parseSuppressionRow(
  cells: readonly string[],
): SuppressionEntry | { error: SuppressionRowError } {
  const [rawValue = '', ...rest] = cells;
  const value = rawValue.trim();
  const reasonText = rest.join(',').trim();
  if (value === '') return { error: reasonText === '' ? 'empty_row' : 'empty' };
  const kind = suppressionKindOf(value);
  const normalized = suppressionKey(kind, value);
  if (normalized.key === null) return { error: normalized.reason };
  return {
    kind,
    value: normalized.key,
    reason: reasonText === '' ? null : reasonText.slice(0, SUPPRESSION_REASON_MAX),
  };
}

const HEADER_NAMES: ReadonlySet<string> = new Set([
  'value',
  'phone',
  'email',
  'number',
  'phone_number',
  'contact',
]);

/** True for a header line ("value,reason", "Phone", "email,reason") rather than data. */
export function isSuppressionHeaderRow(cells: readonly string[]): boolean {
  const first = (cells[0] ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return HEADER_NAMES.has(first);
}
