/**
 * Secondary unit designators (USPS Publication 28 Appendix C2) and the rules for spotting and
 * collecting units in a token list, whether they trail the street or fill a separate line2.
 */
import { STREET_SUFFIXES } from './suffixes.js';

/** One designator spelling: its Pub 28 standard and whether a unit number follows it. */
export interface UnitDesignatorInfo {
  standard: string;
  takesNumber: boolean;
}

const C2: ReadonlyArray<readonly [standard: string, takesNumber: boolean, ...spellings: string[]]> = [
  ['APT', true, 'APARTMENT'],
  ['BSMT', false, 'BASEMENT'],
  // BLD is not in C2 but is a frequent hand-typed form with no other meaning in an address.
  ['BLDG', true, 'BUILDING', 'BLD'],
  ['DEPT', true, 'DEPARTMENT'],
  // FLR likewise: county exports write "FLR 3" as often as "FL 3".
  ['FL', true, 'FLOOR', 'FLR'],
  ['FRNT', false, 'FRONT'],
  ['HNGR', true, 'HANGAR'],
  ['KEY', true],
  ['LBBY', false, 'LOBBY'],
  ['LOT', true],
  ['LOWR', false, 'LOWER'],
  ['OFC', false, 'OFFICE'],
  ['PH', false, 'PENTHOUSE'],
  ['PIER', true],
  ['REAR', false],
  ['RM', true, 'ROOM'],
  ['SIDE', false],
  ['SLIP', true],
  ['SPC', true, 'SPACE'],
  ['STOP', true],
  ['STE', true, 'SUITE'],
  ['TRLR', true, 'TRAILER'],
  ['UNIT', true],
  ['UPPR', false, 'UPPER'],
];

/** Every designator spelling (standard and spelled out), upper case → its C2 facts. */
export const UNIT_DESIGNATORS: ReadonlyMap<string, UnitDesignatorInfo> = new Map(
  C2.flatMap(([standard, takesNumber, ...spellings]) =>
    [standard, ...spellings].map((s) => [s, { standard, takesNumber }] as const),
  ),
);

/** The standard designators, plus "#" which Pub 28 uses when the designator is unknown. */
export const UNIT_STANDARDS: ReadonlySet<string> = new Set(['#', ...C2.map(([standard]) => standard)]);

/** A unit found in a token list: standard designator, number (if any), index after it. */
export interface UnitMatch {
  designator: string;
  number: string | null;
  next: number;
}

const HAS_DIGIT = /\d/;
const LETTERS = /^[A-Z]{1,2}$/;
/** "APT4B", "STE200", "FL3": designator glued to its number, common in hand-typed lists. */
const GLUED =
  /^(APT|APARTMENT|STE|SUITE|UNIT|RM|ROOM|FL|FLR|FLOOR|BLDG|LOT|SPC|SPACE|TRLR|DEPT|PH)(\d[0-9A-Z/-]*)$/;

/**
 * True when a token can be a unit number: it has a digit ("4", "4B", "B2"), or it is one or two
 * letters that are not a street suffix ("B", "PH"-style letters; not "ST" or "RD", so "123 OAK
 * KEY LN" keeps KEY in the street).
 */
export function isUnitNumber(token: string): boolean {
  return HAS_DIGIT.test(token) || (LETTERS.test(token) && !STREET_SUFFIXES.has(token));
}

function startsUnit(token: string | undefined): boolean {
  return token === '#' || (token !== undefined && UNIT_DESIGNATORS.has(token));
}

/**
 * The unit starting at `tokens[at]`, or null. Designators double as ordinary words ("FRONT ST",
 * "SUNSET KEY", "BRIDGE SIDE RD"), so a designator only counts when its shape fits: one that
 * takes a number must be followed by something number-like (or end the line and not be a
 * suffix); one that takes none must end the line or be followed by another unit. Callers also
 * only look after the first street-name token.
 */
export function unitAt(tokens: readonly string[], at: number): UnitMatch | null {
  const token = tokens[at];
  if (token === undefined) return null;
  const nextToken = tokens[at + 1];
  if (token === '#') {
    if (nextToken === undefined || startsUnit(nextToken))
      return { designator: '#', number: null, next: at + 1 };
    return { designator: '#', number: nextToken, next: at + 2 };
  }
  const info = UNIT_DESIGNATORS.get(token);
  if (info === undefined) {
    const glued = GLUED.exec(token);
    if (glued === null) return null;
    return { designator: UNIT_DESIGNATORS.get(glued[1]!)!.standard, number: glued[2]!, next: at + 1 };
  }
  if (info.takesNumber) {
    // "APT # 4" / "APT #4": the "#" is redundant once a designator is named.
    const skip = nextToken === '#' ? 1 : 0;
    const candidate = tokens[at + 1 + skip];
    if (candidate !== undefined && isUnitNumber(candidate)) {
      return { designator: info.standard, number: candidate, next: at + 2 + skip };
    }
    if (candidate === undefined && !STREET_SUFFIXES.has(token)) {
      return { designator: info.standard, number: null, next: at + 1 + skip };
    }
    if (startsUnit(candidate)) return { designator: info.standard, number: null, next: at + 1 + skip };
    return null;
  }
  if (nextToken === undefined || startsUnit(nextToken)) {
    return { designator: info.standard, number: null, next: at + 1 };
  }
  // Pub 28 says PH, REAR… take no number, but "PH 2" is written and dropping the 2 loses a unit.
  if (at + 2 === tokens.length && isUnitNumber(nextToken)) {
    return { designator: info.standard, number: nextToken, next: at + 2 };
  }
  return null;
}

/** A unit read from an address: standard designator and its number, if any. */
export interface Unit {
  designator: string;
  number: string | null;
}

const ORDINAL = /^(\d+)(ST|ND|RD|TH)$/;

/** Adds a unit unless it repeats one already found. */
export function addUnit(units: Unit[], designator: string, number: string | null): void {
  if (designator === '#' && number === null) return; // a lone "#" says nothing
  for (const u of units) if (u.designator === designator && u.number === number) return;
  units.push({ designator, number });
}

/** Reads units from tokens[at] to the end; stray words join the previous unit's number. */
export function collectUnits(t: readonly string[], at: number, units: Unit[]): void {
  for (let k = at; k < t.length; ) {
    const u = unitAt(t, k);
    if (u !== null) {
      addUnit(units, u.designator, u.number);
      k = u.next;
      continue;
    }
    const last = units[units.length - 1];
    if (last === undefined) units.push({ designator: '#', number: t[k]! });
    else last.number = last.number === null ? t[k]! : `${last.number} ${t[k]}`;
    k++;
  }
}

/** "2ND FLOOR" / "3RD FL": the ordinal before FL is the floor number. Returns the new end. */
export function absorbOrdinalFloor(t: readonly string[], at: number, lowest: number, units: Unit[]): number {
  const ordinal = at - 1 >= lowest ? ORDINAL.exec(t[at - 1]!) : null;
  const first = units[0];
  if (ordinal === null || first === undefined || first.designator !== 'FL' || first.number !== null)
    return at;
  first.number = ordinal[1]!;
  return at - 1;
}

/**
 * A separate secondary line: units, or one bare unit number ("4B" → "# 4B"). Anything else
 * ("C/O JANE DOE") is not a unit of this address and is dropped.
 */
export function parseUnitLine(t: readonly string[], units: Unit[]): void {
  const first = t[0];
  if (first === undefined) return;
  if (unitAt(t, 0) !== null) return collectUnits(t, 0, units);
  const ordinal = ORDINAL.exec(first);
  if (ordinal !== null && t.length === 2 && (t[1] === 'FL' || t[1] === 'FLOOR' || t[1] === 'FLR')) {
    return addUnit(units, 'FL', ordinal[1]!); // "2ND FLOOR"
  }
  if (t.length === 1 && isUnitNumber(first)) addUnit(units, '#', first);
}
