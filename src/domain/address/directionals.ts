/**
 * Directionals (USPS Publication 28, section 233/234): NORTH → N … SOUTHWEST → SW.
 */

/** Every one-word spelling of a directional, mapped to its standard abbreviation. */
export const DIRECTIONALS: ReadonlyMap<string, string> = new Map([
  ['N', 'N'],
  ['S', 'S'],
  ['E', 'E'],
  ['W', 'W'],
  ['NE', 'NE'],
  ['NW', 'NW'],
  ['SE', 'SE'],
  ['SW', 'SW'],
  ['NORTH', 'N'],
  ['SOUTH', 'S'],
  ['EAST', 'E'],
  ['WEST', 'W'],
  ['NORTHEAST', 'NE'],
  ['NORTHWEST', 'NW'],
  ['SOUTHEAST', 'SE'],
  ['SOUTHWEST', 'SW'],
]);

/**
 * Two-word spellings ("NORTH EAST"; "NORTH-EAST" arrives here split at the hyphen). Only the
 * spelled-out words combine: "N E MAIN ST" is far more often pre-directional N on a street
 * named E than a garbled NE.
 */
const TWO_WORD: ReadonlyMap<string, string> = new Map([
  ['NORTH EAST', 'NE'],
  ['NORTH WEST', 'NW'],
  ['SOUTH EAST', 'SE'],
  ['SOUTH WEST', 'SW'],
]);

/** A directional found in a token list: its standard form and how many tokens it spans. */
export interface DirectionalMatch {
  code: string;
  length: 1 | 2;
}

/**
 * The directional starting at `tokens[at]`, preferring the two-word form, or null.
 * `limit` is the exclusive end of the range the match may use.
 */
export function directionalAt(tokens: readonly string[], at: number, limit: number): DirectionalMatch | null {
  const first = tokens[at];
  if (first === undefined || at >= limit) return null;
  if (at + 1 < limit && (first === 'NORTH' || first === 'SOUTH')) {
    const two = TWO_WORD.get(`${first} ${tokens[at + 1]}`);
    if (two !== undefined) return { code: two, length: 2 };
  }
  const one = DIRECTIONALS.get(first);
  return one === undefined ? null : { code: one, length: 1 };
}

/** The directional ending just before `tokens[end]` (exclusive), not reaching below `start`. */
export function directionalEndingAt(
  tokens: readonly string[],
  start: number,
  end: number,
): DirectionalMatch | null {
  const before = end - 2 >= start ? tokens[end - 2] : undefined;
  if (before === 'NORTH' || before === 'SOUTH') {
    const two = TWO_WORD.get(`${tokens[end - 2]} ${tokens[end - 1]}`);
    if (two !== undefined) return { code: two, length: 2 };
  }
  const last = end - 1 >= start ? tokens[end - 1] : undefined;
  const one = last === undefined ? undefined : DIRECTIONALS.get(last);
  return one === undefined ? null : { code: one, length: 1 };
}
