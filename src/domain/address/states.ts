/**
 * States, territories and military "states" (USPS Publication 28 Appendix B).
 */

const APPENDIX_B: ReadonlyArray<readonly [code: string, ...names: string[]]> = [
  ['AL', 'ALABAMA'],
  ['AK', 'ALASKA'],
  ['AS', 'AMERICAN SAMOA'],
  ['AZ', 'ARIZONA'],
  ['AR', 'ARKANSAS'],
  ['CA', 'CALIFORNIA'],
  ['CO', 'COLORADO'],
  ['CT', 'CONNECTICUT'],
  ['DE', 'DELAWARE'],
  // Not "WASHINGTON DC": in "…NW WASHINGTON DC 20500" the city must stay WASHINGTON.
  ['DC', 'DISTRICT OF COLUMBIA'],
  ['FM', 'FEDERATED STATES OF MICRONESIA', 'MICRONESIA'],
  ['FL', 'FLORIDA'],
  ['GA', 'GEORGIA'],
  ['GU', 'GUAM'],
  ['HI', 'HAWAII'],
  ['ID', 'IDAHO'],
  ['IL', 'ILLINOIS'],
  ['IN', 'INDIANA'],
  ['IA', 'IOWA'],
  ['KS', 'KANSAS'],
  ['KY', 'KENTUCKY'],
  ['LA', 'LOUISIANA'],
  ['ME', 'MAINE'],
  ['MH', 'MARSHALL ISLANDS'],
  ['MD', 'MARYLAND'],
  ['MA', 'MASSACHUSETTS'],
  ['MI', 'MICHIGAN'],
  ['MN', 'MINNESOTA'],
  ['MS', 'MISSISSIPPI'],
  ['MO', 'MISSOURI'],
  ['MT', 'MONTANA'],
  ['NE', 'NEBRASKA'],
  ['NV', 'NEVADA'],
  ['NH', 'NEW HAMPSHIRE'],
  ['NJ', 'NEW JERSEY'],
  ['NM', 'NEW MEXICO'],
  ['NY', 'NEW YORK'],
  ['NC', 'NORTH CAROLINA'],
  ['ND', 'NORTH DAKOTA'],
  ['MP', 'NORTHERN MARIANA ISLANDS', 'NORTHERN MARIANAS'],
  ['OH', 'OHIO'],
  ['OK', 'OKLAHOMA'],
  ['OR', 'OREGON'],
  ['PW', 'PALAU'],
  ['PA', 'PENNSYLVANIA'],
  ['PR', 'PUERTO RICO'],
  ['RI', 'RHODE ISLAND'],
  ['SC', 'SOUTH CAROLINA'],
  ['SD', 'SOUTH DAKOTA'],
  ['TN', 'TENNESSEE'],
  ['TX', 'TEXAS'],
  ['UT', 'UTAH'],
  ['VT', 'VERMONT'],
  ['VI', 'VIRGIN ISLANDS', 'US VIRGIN ISLANDS', 'UNITED STATES VIRGIN ISLANDS'],
  ['VA', 'VIRGINIA'],
  ['WA', 'WASHINGTON'],
  ['WV', 'WEST VIRGINIA'],
  ['WI', 'WISCONSIN'],
  ['WY', 'WYOMING'],
  // Military mail: Americas (except Canada), Europe/Middle East/Africa/Canada, Pacific.
  ['AA', 'ARMED FORCES AMERICAS'],
  ['AE', 'ARMED FORCES EUROPE', 'ARMED FORCES AFRICA', 'ARMED FORCES CANADA', 'ARMED FORCES MIDDLE EAST'],
  ['AP', 'ARMED FORCES PACIFIC'],
];

/** Every valid two-letter code, including DC, territories and AA/AE/AP. */
export const STATE_CODES: ReadonlySet<string> = new Set(APPENDIX_B.map(([code]) => code));

/** Upper-case names (single spaces, no punctuation) → two-letter code. Codes map to themselves. */
export const STATE_NAMES: ReadonlyMap<string, string> = new Map(
  APPENDIX_B.flatMap(([code, ...names]) => [[code, code] as const, ...names.map((n) => [n, code] as const)]),
);

/** The most words any name in STATE_NAMES has ("FEDERATED STATES OF MICRONESIA"). */
export const STATE_NAME_MAX_WORDS = Math.max(...[...STATE_NAMES.keys()].map((n) => n.split(' ').length));

const DROPPED = /[.']/g;
const NOT_LETTER = /[^A-Z]+/g;
const EDGE_SPACE = /^ | $/g;

/**
 * A state name or code in any case and punctuation ("Illinois", "il", "D.C.", "new  york") →
 * its two-letter code; null when it is not a state (unknown codes such as "XX" included).
 */
export function normalizeState(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  // Fast path: nearly every input is already a two-letter code.
  if (trimmed.length === 2) {
    const code = trimmed.toUpperCase();
    return STATE_CODES.has(code) ? code : null;
  }
  // Periods and apostrophes vanish ("D.C." → DC); any other non-letter separates words.
  const cleaned = trimmed.toUpperCase().replace(DROPPED, '').replace(NOT_LETTER, ' ').replace(EDGE_SPACE, '');
  return STATE_NAMES.get(cleaned) ?? null;
}
