/**
 * One-string addresses ("123 Main St Apt 4, Springfield, IL 62704") → RawAddress parts, for
 * sources that give the whole address in one field. Parts keep their original spelling;
 * normalizeAddress does the standardizing.
 */
import { DIRECTIONALS } from './directionals.js';
import { addressTokens } from './normalize-address.js';
import { normalizeState, STATE_NAME_MAX_WORDS } from './states.js';
import { STREET_SUFFIXES } from './suffixes.js';
import type { RawAddress } from './types.js';
import { UNIT_DESIGNATORS, unitAt } from './units.js';

const COUNTRY_TAIL = /[\s,]+(U\.?S\.?A?\.?|UNITED STATES(\s+OF\s+AMERICA)?)\s*$/i;
/** ZIP or ZIP+4 at the very end; 3–4 digits only count when a state precedes them. */
const ZIP_TAIL = /(^|[\s,]+)(\d{5}(?:[\s-]?\d{4})?|\d{3,4}(?:-\d{4})?)[\s,.]*$/;
const TRAILING_SEPARATORS = /[\s,]+$/;
const TRAILING_COMMA = /,\s*$/;
const WORD = /\S+/g;
const HOUSE_NUMBER = /^\d/;

/** A state at the end of `text` (within its last comma-separated segment), or null. */
function stateAtEnd(text: string): { state: string; before: string } | null {
  const body = text.replace(TRAILING_SEPARATORS, '');
  const segmentStart = body.lastIndexOf(',') + 1;
  const words: { text: string; index: number }[] = [];
  for (const m of body.slice(segmentStart).matchAll(WORD)) {
    words.push({ text: m[0], index: segmentStart + m.index });
  }
  // Longest name first, so "WEST VIRGINIA" is not read as VIRGINIA.
  for (let k = Math.min(STATE_NAME_MAX_WORDS, words.length); k >= 1; k--) {
    const first = words[words.length - k]!;
    // Without a comma before it, a state must leave something in front of it.
    if (segmentStart === 0 && k === words.length) continue;
    const candidate = body.slice(first.index);
    if (normalizeState(candidate) !== null) return { state: candidate, before: body.slice(0, first.index) };
  }
  return null;
}

const NOT_LETTER = /[^A-Z]/g;
/**
 * "123 MAIN CT" with no ZIP and no comma: CT is the street's suffix, not Connecticut (likewise
 * MT, KY, PR, and FL as a floor).
 */
function isStreetWord(stateText: string): boolean {
  const word = stateText.toUpperCase().replace(NOT_LETTER, '');
  return STREET_SUFFIXES.has(word) || UNIT_DESIGNATORS.has(word);
}

const isSuffix = (token: string): boolean => STREET_SUFFIXES.has(token);
const isShortDirectional = (token: string | undefined): boolean =>
  token !== undefined && token.length <= 2 && DIRECTIONALS.has(token);

/**
 * Splits "123 MAIN ST APT 4 SPRINGFIELD" (no commas) into street and city: the street ends at
 * the first suffix after a street-name word, plus a short post-directional and any units. With
 * no suffix the split is unknowable and everything stays in the street.
 */
function splitStreetCity(body: string): { street: string; city: string | null } {
  const words = [...body.matchAll(WORD)];
  const tokens: string[] = [];
  const wordOf: number[] = [];
  words.forEach((w, i) => {
    for (const t of addressTokens(w[0])) {
      tokens.push(t);
      wordOf.push(i);
    }
  });
  let k = tokens[0] !== undefined && HOUSE_NUMBER.test(tokens[0]) ? 2 : 1;
  while (k < tokens.length && !isSuffix(tokens[k]!)) k++;
  if (k >= tokens.length) return { street: body.trim(), city: null };
  let end = k + 1;
  if (isShortDirectional(tokens[end]) && end + 1 < tokens.length) end++;
  for (let u = unitAt(tokens, end); u !== null && end < tokens.length; u = unitAt(tokens, end)) end = u.next;
  const cityWord = wordOf[end];
  // The split must fall between words, and leave a city behind.
  if (cityWord === undefined || cityWord === wordOf[end - 1]) return { street: body.trim(), city: null };
  const cut = words[cityWord]!.index;
  return { street: body.slice(0, cut).trim(), city: body.slice(cut).trim() };
}

/**
 * Parses a one-line US address: "123 Main St Apt 4, Springfield, IL 62704",
 * "123 Main St, Springfield IL 62704-1234", "123 Main St Springfield IL 62704" (commas
 * optional), with a trailing country ignored. Parts that cannot be found are null.
 */
export function parseAddressLine(full: string): RawAddress {
  let body = full.trim().replace(COUNTRY_TAIL, '');
  let zip: string | null = null;
  const z = ZIP_TAIL.exec(body);
  if (z !== null) {
    const before = body.slice(0, z.index);
    // A trailing number is a ZIP only after a state, or after a comma when it has five digits
    // ("PO BOX 12345" alone is not a ZIP).
    if (stateAtEnd(before) !== null || (z[2]!.length >= 5 && before.includes(','))) {
      zip = z[2]!;
      body = before;
    }
  }
  let state: string | null = null;
  let cityBeforeState = false;
  const st = stateAtEnd(body);
  if (st !== null && !(zip === null && !st.before.includes(',') && isStreetWord(st.state))) {
    state = st.state;
    body = st.before;
    cityBeforeState = TRAILING_COMMA.test(body);
  }
  body = body.replace(TRAILING_SEPARATORS, '').trim();
  if (body === '') return { street: null, city: null, state, zip };
  const comma = body.lastIndexOf(',');
  if (comma >= 0) {
    const street = body.slice(0, comma).replace(TRAILING_SEPARATORS, '').trim();
    return { street: street === '' ? null : street, city: body.slice(comma + 1).trim() || null, state, zip };
  }
  // "Springfield, IL": no house number and a comma before the state — a city alone.
  if (cityBeforeState && !HOUSE_NUMBER.test(body)) return { street: null, city: body, state, zip };
  const { street, city } = splitStreetCity(body);
  return { street: street === '' ? null : street, city, state, zip };
}
