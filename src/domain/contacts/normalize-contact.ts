/**
 * Phones to E.164 (libphonenumber-js, US default region) and emails to lower case.
 * Dedupe is by these normalized values: the same digits are one phone.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** "+13125550142" for a valid number, else null. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 10 || digits.length > 15) return null;
  const parsed = parsePhoneNumberFromString(raw, 'US');
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased, trimmed address when it looks like an email, else null. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}
