/**
 * Fictional places for the sandbox's property world: a ZIP's state comes from the real USPS
 * ZIP3 ranges (so ZIP and state agree), its city and county are made up, and a ZIP-less
 * query or address is answered from one stable ZIP inside its state.
 */
import { intBetween, pick, randomFromText, type Random } from './prng.js';

// prettier-ignore
const CITIES = [
  'Sampleton', 'Fixtureville', 'Mockford', 'Stubbington', 'Testbury', 'Demo Heights', 'Exampleburg',
  'Notreal Falls', 'Proxley Park', 'Placeholder Springs',
] as const;
const COUNTIES = ['Fixture', 'Sandbox', 'Specimen', 'Trial', 'Mockery'] as const;

/** State, state FIPS and its ZIP3 ranges (USPS), enough to make ZIP and state agree. */
// prettier-ignore
const STATES: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [number, number]>]> = [
  ['MA', '25', [[10, 27]]], ['RI', '44', [[28, 29]]], ['NH', '33', [[30, 38]]], ['ME', '23', [[39, 49]]],
  ['VT', '50', [[50, 59]]], ['CT', '09', [[60, 69]]], ['NJ', '34', [[70, 89]]], ['NY', '36', [[100, 149]]],
  ['PA', '42', [[150, 196]]], ['DE', '10', [[197, 199]]], ['DC', '11', [[200, 205]]], ['MD', '24', [[206, 219]]],
  ['VA', '51', [[220, 246]]], ['WV', '54', [[247, 268]]], ['NC', '37', [[270, 289]]], ['SC', '45', [[290, 299]]],
  ['GA', '13', [[300, 319], [398, 399]]], ['FL', '12', [[320, 349]]], ['AL', '01', [[350, 369]]],
  ['TN', '47', [[370, 385]]], ['MS', '28', [[386, 397]]], ['KY', '21', [[400, 427]]], ['OH', '39', [[430, 459]]],
  ['IN', '18', [[460, 479]]], ['MI', '26', [[480, 499]]], ['IA', '19', [[500, 528]]], ['WI', '55', [[530, 549]]],
  ['MN', '27', [[550, 567]]], ['SD', '46', [[570, 577]]], ['ND', '38', [[580, 588]]], ['MT', '30', [[590, 599]]],
  ['IL', '17', [[600, 629]]], ['MO', '29', [[630, 658]]], ['KS', '20', [[660, 679]]], ['NE', '31', [[680, 693]]],
  ['LA', '22', [[700, 714]]], ['AR', '05', [[716, 729]]], ['OK', '40', [[730, 749]]],
  ['TX', '48', [[750, 799], [885, 885]]], ['CO', '08', [[800, 816]]], ['WY', '56', [[820, 831]]],
  ['ID', '16', [[832, 838]]], ['UT', '49', [[840, 847]]], ['AZ', '04', [[850, 865]]], ['NM', '35', [[870, 884]]],
  ['NV', '32', [[889, 898]]], ['CA', '06', [[900, 961]]], ['HI', '15', [[967, 968]]], ['OR', '41', [[970, 979]]],
  ['WA', '53', [[980, 994]]], ['AK', '02', [[995, 999]]],
];

function stateOfZip(zip: string): { state: string; fips: string } {
  const zip3 = Number(zip.slice(0, 3));
  const hit = STATES.find(([, , ranges]) => ranges.some(([lo, hi]) => zip3 >= lo && zip3 <= hi));
  const [state, fips] = hit ?? STATES[zip3 % STATES.length]!;
  return { state, fips };
}

/** A ZIP inside `state`'s ranges (any state when unknown), drawn from `random`. */
export function zipIn(random: Random, state: string | null | undefined): string {
  const entry = STATES.find(([s]) => s === state?.trim().toUpperCase()) ?? pick(random, STATES);
  const [lo, hi] = pick(random, entry[2]);
  return `${String(intBetween(random, lo, hi)).padStart(3, '0')}${String(intBetween(random, 0, 99)).padStart(2, '0')}`;
}

/** The ZIP the sandbox answers a ZIP-less query or address from: stable per city + state. */
export function zipForPlace(
  city: string | null | undefined,
  state: string | null | undefined,
  seed: number,
): string {
  const place = `${(city ?? '').trim().toUpperCase()}|${(state ?? '').trim().toUpperCase()}`;
  return zipIn(randomFromText(`place|${place}|${seed}`), state);
}

export interface Place {
  city: string;
  county: string;
  state: string;
  /** State FIPS + county code, 5 digits. */
  fips: string;
}

/** The fictional place of a ZIP: stable per ZIP and seed. */
export function placeOfZip(zip: string, seed: number): Place {
  const random = randomFromText(`zip|${zip}|${seed}`);
  const { state, fips } = stateOfZip(zip);
  const countyCode = String(1 + 2 * intBetween(random, 0, 99)).padStart(3, '0');
  return {
    city: pick(random, CITIES),
    county: `${pick(random, COUNTIES)} County`,
    state,
    fips: `${fips}${countyCode}`,
  };
}
