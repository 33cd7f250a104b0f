/**
 * CSV formula-injection guard: a cell starting with = + - @ (or tab / carriage return)
 * is prefixed with an apostrophe so spreadsheets show it as text. Validated E.164 phones
 * ("+13125550142") are data leadtrace produced, not formulas, and stay as they are so
 * dialers can read them.
 */
const DANGEROUS = /^[=+\-@\t\r]/;
const E164 = /^\+[1-9]\d{7,14}$/;

export function neutralizeCell(value: string): string {
  if (!DANGEROUS.test(value) || E164.test(value)) return value;
  return `'${value}`;
}
