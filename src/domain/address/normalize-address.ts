/**
 * USPS Publication 28 address standardization: raw street/line2/city/state/ZIP → the parts of
 * a NormalizedAddress. Pure and allocation-light, because import runs it on every row.
 */
import { DIRECTIONALS, directionalAt, directionalEndingAt } from './directionals.js';
import { normalizeState } from './states.js';
import { STREET_SUFFIXES } from './suffixes.js';
import type { NormalizedAddress, RawAddress } from './types.js';
import { absorbOrdinalFloor, addUnit, collectUnits, parseUnitLine, unitAt, type Unit } from './units.js';

export { normalizeState } from './states.js';

const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const TYPOGRAPHIC = /[\u00a0\u2018\u2019\u02bc\u2013\u2014\u2044\u00bd\u00bc\u00be]/g;
// prettier-ignore
const TYPOGRAPHIC_ASCII: Readonly<Record<string, string>> = {
  '\u00a0': ' ', '\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u2013': '-', '\u2014': '-',
  '\u2044': '/', '\u00bd': ' 1/2', '\u00bc': ' 1/4', '\u00be': ' 3/4',
};

/** Accents off ("PEÑA" → "PENA") and typographic punctuation to ASCII, so spellings agree. */
function foldToAscii(text: string): string {
  return text
    .replace(TYPOGRAPHIC, (ch) => TYPOGRAPHIC_ASCII[ch] ?? ' ')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '');
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => c >= 65 && c <= 90;
const isWordChar = (c: number): boolean => isDigit(c) || isLetter(c) || c > 127;

/**
 * Splits text into upper-case address tokens. Apostrophes vanish ("O'BRIEN" → OBRIEN); a period
 * joins single letters ("P.O.", "U.S.") and otherwise separates ("ST.LOUIS"); "#" and "&" are
 * tokens of their own; "/" survives only between digits ("1/2"); "-" survives only next to a
 * digit ("12-14", "I-95"), so "NORTH-EAST" becomes two words. Everything else separates.
 */
export function addressTokens(text: string): string[] {
  const s = (NON_ASCII.test(text) ? foldToAscii(text) : text).toUpperCase();
  const out: string[] = [];
  let pending = ''; // pieces of the current token already cut out around dropped characters
  let start = -1; // start of the current uncut run, or -1
  let hasDigit = false;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (start < 0) start = i;
      if (isDigit(c)) hasDigit = true;
      continue;
    }
    const open = start >= 0 || pending !== '';
    if (c === 39 || c === 96 || c === 46) {
      // ' ` . — dropped inside a word; a period between two longer words separates them.
      const next = s.charCodeAt(i + 1);
      const len = pending.length + (start >= 0 ? i - start : 0);
      const separates =
        c === 46 && isWordChar(next) && !(len === 1 && isLetter(next) && !isWordChar(s.charCodeAt(i + 2)));
      if (!separates) {
        if (start >= 0) pending += s.slice(start, i);
        start = -1;
        continue;
      }
    } else if (
      open &&
      ((c === 45 && (hasDigit || isDigit(s.charCodeAt(i + 1)))) ||
        (c === 47 && isDigit(s.charCodeAt(i - 1)) && isDigit(s.charCodeAt(i + 1))))
    ) {
      if (start < 0) start = i;
      continue;
    }
    if (open) {
      let token = start >= 0 ? pending + s.slice(start, i) : pending;
      while (token.endsWith('-')) token = token.slice(0, -1);
      if (token !== '') out.push(token);
      pending = '';
      start = -1;
      hasDigit = false;
    }
    if (c === 35) out.push('#');
    else if (c === 38) out.push('&');
  }
  return out;
}

type StreetParts = Pick<
  NormalizedAddress,
  'houseNumber' | 'preDirectional' | 'streetName' | 'suffix' | 'postDirectional'
>;

/** The parts of an address with no street; a shared constant, never mutated. */
const NO_STREET: StreetParts = {
  houseNumber: null,
  preDirectional: null,
  streetName: null,
  suffix: null,
  postDirectional: null,
};

/** houseNumber + preDirectional + streetName + suffix + postDirectional, or null when all are. */
function primaryLine(p: StreetParts): string | null {
  let line = '';
  for (const part of [p.houseNumber, p.preDirectional, p.streetName, p.suffix, p.postDirectional]) {
    if (part !== null) line = line === '' ? part : `${line} ${part}`;
  }
  return line === '' ? null : line;
}

const HOUSE_NUMBER = /^\d[0-9A-Z/-]*$/;
const FRACTION = /^\d+\/\d+$/;
const ORDINAL = /^\d+(ST|ND|RD|TH)$/;
const HAS_DIGIT = /\d/;
const PO_BOX = /^(POBOX|PO BOX|P O BOX|POST OFFICE BOX)/;
/** Suffixes that routinely take a route number ("COUNTY ROAD 45", "HIGHWAY 61"): not a unit. */
const NUMBERED_ROADS: ReadonlySet<string> = new Set(
  'RD HWY RTE FWY EXPY PIKE TPKE PKWY SKWY BYP LOOP SPUR TRL'.split(' '),
);

function isPoBox(t: readonly string[], i: number): boolean {
  const a = t[i];
  return (
    a === 'POBOX' ||
    (a === 'PO' && t[i + 1] === 'BOX') ||
    (a === 'P' && t[i + 1] === 'O' && t[i + 2] === 'BOX') ||
    (a === 'POST' && t[i + 1] === 'OFFICE' && t[i + 2] === 'BOX')
  );
}

/** Splits street tokens into Pub 28 parts; any unit found is appended to `units`. */
function parseStreet(t: readonly string[], units: Unit[]): StreetParts {
  const parts: StreetParts = {
    houseNumber: null,
    preDirectional: null,
    streetName: null,
    suffix: null,
    postDirectional: null,
  };
  let lo = 0;
  const first = t[0];
  // An ordinal is a street name ("123RD ST"), never a house number.
  if (first !== undefined && HOUSE_NUMBER.test(first) && !ORDINAL.test(first)) {
    parts.houseNumber = first;
    lo = 1;
    const fraction = t[1];
    if (fraction !== undefined && FRACTION.test(fraction) && !first.includes('/')) {
      parts.houseNumber = `${first} ${fraction}`;
      lo = 2;
    }
  }
  if (isPoBox(t, lo)) {
    parts.streetName = t.slice(lo).join(' ').replace(PO_BOX, 'PO BOX');
    return parts;
  }
  // The unit starts at the first designator that follows a real street word.
  let hi = t.length;
  let sawName = false;
  for (let j = lo; j < t.length; j++) {
    if (sawName && unitAt(t, j) !== null) {
      collectUnits(t, j, units);
      hi = absorbOrdinalFloor(t, j, lo + 1, units); // "MAIN ST 2ND FLOOR", not "2ND FLOOR ST"
      break;
    }
    if (!DIRECTIONALS.has(t[j]!)) sawName = true;
  }
  // A bare trailing number after a suffix is a unit ("123 MAIN ST 4B"), unless the road is numbered.
  if (hi === t.length && hi - lo >= 3 && HAS_DIGIT.test(t[hi - 1]!)) {
    const suffix = STREET_SUFFIXES.get(t[hi - 2]!);
    if (suffix !== undefined && !NUMBERED_ROADS.has(suffix)) {
      addUnit(units, '#', t[hi - 1]!);
      hi--;
    }
  }
  // A directional only counts as one when a street name is left without it ("123 NORTH ST"
  // is the street NORTH; "123 AVENUE N" is the street AVENUE N).
  const post = hi - lo >= 2 ? directionalEndingAt(t, lo, hi) : null;
  if (post !== null) {
    const left = hi - post.length - lo;
    const only = t[lo]!;
    if (left >= 2 || (left === 1 && !STREET_SUFFIXES.has(only) && !DIRECTIONALS.has(only))) {
      parts.postDirectional = post.code;
      hi -= post.length;
    }
  }
  if (hi - lo >= 2) {
    let pre = directionalAt(t, lo, hi);
    // "NORTH EAST ST": if the two-word form leaves no name, try the one-word form.
    if (pre !== null && pre.length === 2 && hi - lo - 2 === 1 && STREET_SUFFIXES.has(t[hi - 1]!)) {
      pre = directionalAt(t, lo, lo + 1);
    }
    if (pre !== null) {
      const left = hi - lo - pre.length;
      if (left >= 2 || (left === 1 && !STREET_SUFFIXES.has(t[hi - 1]!))) {
        parts.preDirectional = pre.code;
        lo += pre.length;
      }
    }
  }
  // Only the last word can be the suffix, and only with a name before it ("55 AVENUE OF THE AMERICAS").
  if (hi - lo >= 2) {
    const suffix = STREET_SUFFIXES.get(t[hi - 1]!);
    if (suffix !== undefined) {
      parts.suffix = suffix;
      hi--;
    }
  }
  if (hi > lo) parts.streetName = t.slice(lo, hi).join(' ');
  return parts;
}

/** ZIP5 (3–5 digits before padding) then an optional ZIP+4 add-on after "-", space or nothing. */
const ZIP = /^(\d{3,5})(?:[\s-]*(\d{4}))?$/;
/** "60606.0": a ZIP that went through a spreadsheet as a float. */
const EXCEL_DECIMAL = /\.0+$/;

/**
 * ZIP or ZIP+4 in any common spelling → parts. "60606-6306", "606066306", "60606 6306" and
 * "60606" read as written; 3–4 digit ZIPs and 7–8 digit ZIP+4s are ones a spreadsheet stripped
 * of leading zeros ("2134" → 02134, "601" → 00601 in Puerto Rico) and are padded back.
 * Returns null when there is no ZIP at all, and null parts (never a throw) when it is malformed;
 * a "0000" add-on is dropped because USPS never assigns it.
 */
export function normalizeZip(
  zip: string | number | null | undefined,
): { zip5: string | null; zip4: string | null } | null {
  if (zip === null || zip === undefined) return null;
  const s = (typeof zip === 'number' ? (Number.isInteger(zip) && zip >= 0 ? String(zip) : '-') : zip)
    .trim()
    .replace(EXCEL_DECIMAL, '');
  if (s === '') return null;
  const m = ZIP.exec(s);
  const zip5 = m === null ? null : m[1]!.padStart(5, '0');
  if (m === null || zip5 === '00000') return { zip5: null, zip4: null };
  const zip4 = m[2] === undefined || m[2] === '0000' ? null : m[2];
  return { zip5, zip4 };
}

/** True when the text is a ZIP or ZIP+4 normalizeZip can read; blank is not valid. */
export function isValidZipInput(s: string | number | null | undefined): boolean {
  return normalizeZip(s)?.zip5 != null;
}

/** City: upper case, punctuation stripped, whitespace collapsed; null when nothing is left. */
export function normalizeCity(city: string | null | undefined): string | null {
  if (city === null || city === undefined) return null;
  const tokens = addressTokens(city).filter((tok) => tok !== '#');
  return tokens.length === 0 ? null : tokens.join(' ');
}

/**
 * Standardizes one address per USPS Publication 28: upper case, suffix/directional/unit
 * abbreviations, house number kept exactly, unit from the street or line2, state code and
 * ZIP parts. Never throws; what cannot be read comes back null.
 */
export function normalizeAddress(raw: RawAddress): NormalizedAddress {
  const units: Unit[] = [];
  const street = raw.street ? parseStreet(addressTokens(raw.street), units) : NO_STREET;
  if (raw.line2) parseUnitLine(addressTokens(raw.line2), units);
  const zip = normalizeZip(raw.zip);
  const unit = units[0];
  let unitNumber = unit?.number ?? null;
  // Pub 28 allows one secondary unit; extra ones ride along in the number so nothing is lost.
  for (let k = 1; k < units.length; k++) {
    const u = units[k]!;
    const extra = u.number === null ? u.designator : `${u.designator} ${u.number}`;
    unitNumber = unitNumber === null ? extra : `${unitNumber} ${extra}`;
  }
  const designator = unit?.designator ?? null;
  // Properties spelled out, not spread: `{ ...street }` cost ~10 µs per call in V8 here.
  return {
    houseNumber: street.houseNumber,
    preDirectional: street.preDirectional,
    streetName: street.streetName,
    suffix: street.suffix,
    postDirectional: street.postDirectional,
    unitDesignator: designator,
    unitNumber,
    line1: primaryLine(street),
    line2: unitNumber === null ? designator : `${designator} ${unitNumber}`,
    city: normalizeCity(raw.city),
    state: normalizeState(raw.state),
    zip5: zip?.zip5 ?? null,
    zip4: zip?.zip4 ?? null,
  };
}
