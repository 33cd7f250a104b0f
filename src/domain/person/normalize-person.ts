/**
 * Owner names: upper case, punctuation stripped, split into first/middle/last, and entities
 * (LLCs, trusts, estates, government) told apart from people, because entities are skip-traced
 * through their officers rather than by name.
 */
import type { OwnerType } from '../address/types.js';
import type { LeadOwner } from '../lead.js';

const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Vanish inside words: "O'BRIEN" → OBRIEN, "L.L.C." → LLC, "JOHN Q." → JOHN Q. */
const DROPPED = /[.'`\u2018\u2019]/g;
/** Everything but letters, digits, "&" and "-" separates words. */
const SEPARATORS = /[^A-Z0-9&-]+/g;
/** A hyphen survives only inside a word ("SMITH-JONES"); "SMITH - JONES" joins too. */
const LOOSE_HYPHEN = /\s*-[\s-]*/g;
const AMPERSAND = /\s*&\s*/g;
const EDGE = /^[\s-]+|[\s-]+$/g;

/** Upper case, accents folded, punctuation stripped, whitespace collapsed. */
function cleanName(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  const folded = NON_ASCII.test(text) ? text.normalize('NFD').replace(COMBINING_MARKS, '') : text;
  return folded
    .toUpperCase()
    .replace(DROPPED, '')
    .replace(SEPARATORS, ' ')
    .replace(LOOSE_HYPHEN, '-')
    .replace(AMPERSAND, ' & ')
    .replace(EDGE, '');
}

const LLC_WORDS: ReadonlySet<string> = new Set(['LLC', 'PLLC', 'LLLP']);
const CORPORATE_WORDS: ReadonlySet<string> = new Set(
  (
    'INC INCORPORATED CORP CORPORATION CO COMPANY LP LLP LTD LIMITED HOLDINGS PROPERTIES ' +
    'INVESTMENTS PARTNERS PARTNERSHIP ENTERPRISES REALTY VENTURES GROUP BANK ASSOCIATES ASSOCIATION ASSN'
  ).split(' '),
);
const TRUST_WORDS: ReadonlySet<string> = new Set(
  'TRUST TRUSTS TR TRS TRUSTEE TRUSTEES TTEE TTEES REVOCABLE IRREVOCABLE'.split(' '),
);
/** Phrases, matched on word boundaries of the cleaned name. */
const GOVERNMENT =
  /(^| )(CITY|COUNTY|STATE|TOWN|VILLAGE|TOWNSHIP|BOROUGH|DEPARTMENT|DEPT|SECRETARY) OF( |$)|(^| )(HOUSING AUTHORITY|UNITED STATES|SCHOOL DISTRICT)( |$)/;
const LLC_SPACED = /(^| )L L C( |$)/;
const ESTATE_OF = /(^| )(ESTATE|EST) OF( |$)/;

function classifyCleaned(name: string): OwnerType {
  if (name === '') return 'unknown';
  if (GOVERNMENT.test(name)) return 'government';
  const words = name.split(' ');
  if (LLC_SPACED.test(name) || words.some((w) => LLC_WORDS.has(w))) return 'llc';
  if (words.some((w) => CORPORATE_WORDS.has(w))) return 'corporate';
  // Hyphen parts count for trusts ("CO-TRUSTEE"), not for companies (the CO there is not one).
  if (
    words.some((w) => TRUST_WORDS.has(w) || (w.includes('-') && w.split('-').some((p) => TRUST_WORDS.has(p))))
  ) {
    return 'trust';
  }
  // "ESTATE OF JOHN SMITH", "JOHN SMITH ESTATE" — but not "REAL ESTATE" in a company name.
  if (ESTATE_OF.test(name) || (words[words.length - 1] === 'ESTATE' && words[words.length - 2] !== 'REAL')) {
    return 'estate';
  }
  return 'individual';
}

/**
 * What kind of owner a name is: government (CITY OF, COUNTY OF, STATE OF, HOUSING AUTHORITY…),
 * llc (LLC, L.L.C., PLLC), corporate (INC, CORP, CO, COMPANY, LP, LLP, LTD and generic holding
 * words such as HOLDINGS, PROPERTIES, INVESTMENTS), trust (TRUST, TR, TRUSTEE, REVOCABLE…),
 * estate (ESTATE OF…, …ESTATE), else individual; 'unknown' for an empty name. Checked in that
 * order, so "ABC TRUST COMPANY" is corporate and "REAL ESTATE HOLDINGS LLC" is an llc.
 */
export function classifyOwner(name: string | null | undefined): OwnerType {
  return classifyCleaned(cleanName(name));
}

const TITLES: ReadonlySet<string> = new Set(['MR', 'MRS', 'MS', 'MISS', 'DR']);
/** Generational suffixes stay with the last name ("SMITH JR"): LeadOwner has no suffix field. */
const GENERATIONAL: ReadonlySet<string> = new Set(['JR', 'SR', 'II', 'III', 'IV', 'ESQ']);
/** Surname particles: "JUAN DE LA CRUZ" has the last name DE LA CRUZ. */
const PARTICLES: ReadonlySet<string> = new Set([
  'DE',
  'DEL',
  'DELA',
  'LA',
  'LOS',
  'VAN',
  'VON',
  'DER',
  'DA',
  'DI',
  'DU',
  'LE',
]);
/** Co-owner and "and others" markers; only the first person is kept (coOwner carries the second). */
const ET_AL = / (ET AL|ETAL|ET UX|ETUX|ET VIR)( |$).*/;
const AND = / (&|AND) /;

interface NameParts {
  first: string | null;
  middle: string | null;
  last: string | null;
}

/** Words in "FIRST [MIDDLE…] LAST" order → parts. */
function splitWords(words: string[]): NameParts {
  while (words.length > 1 && TITLES.has(words[0]!)) words.shift();
  let lastStart = words.length - 1;
  while (lastStart > 1 && GENERATIONAL.has(words[lastStart]!)) lastStart--;
  while (lastStart > 1 && PARTICLES.has(words[lastStart - 1]!)) lastStart--;
  if (words.length === 0) return { first: null, middle: null, last: null };
  if (words.length === 1) return { first: null, middle: null, last: words[0]! };
  return {
    first: words[0]!,
    middle: lastStart > 1 ? words.slice(1, lastStart).join(' ') : null,
    last: words.slice(Math.max(lastStart, 1)).join(' '),
  };
}

/**
 * The first person of "JOHN SMITH & JANE DOE", or of "JOHN & JANE SMITH" when the text ends
 * with a shared last name (`sharedLast`); given names alone ("JOHN & JANE") keep "JOHN".
 */
function firstPerson(cleaned: string, sharedLast: boolean): string {
  const m = AND.exec(cleaned);
  if (m === null) return cleaned;
  const before = cleaned.slice(0, m.index);
  if (!sharedLast || before.includes(' ')) return before;
  return `${before} ${cleaned
    .slice(m.index + m[0].length)
    .split(' ')
    .pop()}`;
}

/** A free-form name: "FIRST M LAST" or, with a comma, "LAST, FIRST M". */
function parseFull(raw: string): NameParts {
  const comma = raw.indexOf(',');
  if (comma >= 0) {
    const last = cleanName(raw.slice(0, comma)).replace(ET_AL, '');
    const rest = firstPerson(cleanName(raw.slice(comma + 1)).replace(ET_AL, ''), false);
    const given = rest === '' ? [] : rest.split(' ');
    // "SMITH, JOHN JR": the generational suffix belongs with the last name.
    const generational = given.length > 1 && GENERATIONAL.has(given[given.length - 1]!) ? given.pop()! : '';
    const lastName = [last, generational].filter(Boolean).join(' ') || null;
    if (given.length === 0) return { first: null, middle: null, last: lastName };
    return { first: given[0]!, middle: given.length > 1 ? given.slice(1).join(' ') : null, last: lastName };
  }
  const cleaned = firstPerson(cleanName(raw).replace(ET_AL, ''), true);
  return splitWords(cleaned === '' ? [] : cleaned.split(' '));
}

function display(p: NameParts): string | null {
  return [p.first, p.middle, p.last].filter((x) => x !== null).join(' ') || null;
}

/**
 * Normalizes an owner from separate first/last fields, a full name, or both (the fields win for
 * the parts). Entities keep their whole name in `company` with first/middle/last null.
 * Returns null when there is no name at all.
 */
export function normalizeOwner(input: {
  first?: string | null;
  last?: string | null;
  full?: string | null;
}): LeadOwner | null {
  const first = cleanName(input.first);
  const last = cleanName(input.last);
  const full = cleanName(input.full);
  const fromFields = first !== '' || last !== '';
  const asOne = fromFields ? `${first} ${last}`.trim() : full;
  if (asOne === '' && full === '') return null;
  // An entity in the name fields (exports put "ACME LLC" in Last Name) or in the full name.
  let ownerType = classifyCleaned(asOne);
  let company = asOne;
  if (ownerType === 'individual' && full !== '' && fromFields && classifyCleaned(full) !== 'individual') {
    ownerType = classifyCleaned(full);
    company = full;
  }
  if (ownerType !== 'individual') {
    return { first: null, middle: null, last: null, full: company, company, ownerType };
  }
  let parts: NameParts;
  if (fromFields) {
    const given = firstPerson(first.replace(ET_AL, ''), false);
    const words = given === '' ? [] : given.split(' ');
    parts = {
      first: words[0] ?? null,
      middle: words.length > 1 ? words.slice(1).join(' ') : null,
      last: last.replace(ET_AL, '') || null,
    };
  } else {
    parts = parseFull(input.full ?? '');
  }
  const { first: f, middle, last: l } = parts;
  return { first: f, middle, last: l, full: display(parts), company: null, ownerType: 'individual' };
}
