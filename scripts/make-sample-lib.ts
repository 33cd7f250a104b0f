/**
 * Deterministic generator of samples/leads.csv: a messy, realistic property-lead export with
 * known contents, used by demos, tests and benchmarks. Every random choice comes from one
 * seeded PRNG (mulberry32), so the output is byte-for-byte identical on every run.
 *
 * Contents (exact counts, asserted by test/samples/sample.test.ts):
 * - 609 data rows: 578 distinct valid properties, 25 duplicates of earlier rows spelled
 *   differently, 6 invalid rows (one per rejection reason in INVALID_KINDS).
 * - 40 entity owners (LLC, trust, estate, corporation) and 15 rows without an owner.
 * - All people, streets, parcel numbers and ZIP+4 add-ons are fictional; cities, states and
 *   5-digit ZIP codes are real combinations.
 */
import { writeFile } from 'node:fs/promises';
import { mulberry32 } from '../src/providers/sandbox/prng.js';

export const SAMPLE_SEED = 0x1ead7ace;
export const SAMPLE_ROWS = 609;
export const SAMPLE_DUPLICATES = 25;
export const SAMPLE_ENTITY_OWNERS = 40;
export const SAMPLE_MISSING_OWNERS = 15;
export const INVALID_KINDS = [
  'bad_zip',
  'bad_state',
  'empty',
  'bad_value',
  'bad_beds',
  'bad_occupied',
] as const;
export const SAMPLE_DISTINCT_PROPERTIES = SAMPLE_ROWS - SAMPLE_DUPLICATES - INVALID_KINDS.length; // 578

export const SAMPLE_HEADER = [
  'Property Address',
  'Unit',
  'City',
  'State',
  'Zip',
  'Owner First Name',
  'Owner Last Name',
  'Mailing Address',
  'Mailing City',
  'Mailing State',
  'Mailing Zip',
  'APN',
  'Estimated Value',
  'Equity Percent',
  'Owner Occupied',
  'Property Type',
  'Bedrooms',
  'Bathrooms',
] as const;

/** mulberry32 (the sandbox's): a tiny, fast, well-distributed 32-bit PRNG. */
export { mulberry32 };

// Real city / state / ZIP combinations.
const CITIES: readonly (readonly [city: string, state: string, zip: string])[] = [
  ['Springfield', 'IL', '62701'],
  ['Columbus', 'OH', '43215'],
  ['Cleveland', 'OH', '44113'],
  ['Indianapolis', 'IN', '46204'],
  ['Memphis', 'TN', '38103'],
  ['Nashville', 'TN', '37203'],
  ['Jacksonville', 'FL', '32202'],
  ['Tampa', 'FL', '33602'],
  ['Atlanta', 'GA', '30303'],
  ['Birmingham', 'AL', '35203'],
  ['Dallas', 'TX', '75201'],
  ['Houston', 'TX', '77002'],
  ['San Antonio', 'TX', '78205'],
  ['Phoenix', 'AZ', '85004'],
  ['Tucson', 'AZ', '85701'],
  ['Las Vegas', 'NV', '89101'],
  ['Denver', 'CO', '80202'],
  ['Kansas City', 'MO', '64106'],
  ['St. Louis', 'MO', '63101'],
  ['Oklahoma City', 'OK', '73102'],
  ['Little Rock', 'AR', '72201'],
  ['Louisville', 'KY', '40202'],
  ['Detroit', 'MI', '48226'],
  ['Milwaukee', 'WI', '53202'],
  ['Charlotte', 'NC', '28202'],
  ['Richmond', 'VA', '23219'],
  ['Baltimore', 'MD', '21201'],
  ['Pittsburgh', 'PA', '15222'],
  ['Albuquerque', 'NM', '87102'],
  ['Boise', 'ID', '83702'],
  ['Newark', 'NJ', '07102'],
  ['Hartford', 'CT', '06103'],
  ['Providence', 'RI', '02903'],
];

// prettier-ignore
const STREET_NAMES = [
  'Main', 'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Walnut',
  'Sunset', 'Lincoln', 'Jackson', 'Franklin', 'Highland', 'Church', 'Willow', 'Chestnut', 'Center',
  'Dogwood', 'Magnolia', 'Cherry', 'Hickory', 'Birch', 'Adams', 'Madison', 'Jefferson', 'Monroe',
  'Sycamore', 'Poplar', 'Laurel', 'Ash', 'Spruce', 'Cottonwood', 'Aspen', '2nd', '5th', '14th', '23rd',
  'Martin Luther King Jr', 'Prospect', 'Pleasant', 'Fairview', 'Riverside', 'College', 'Mill',
];

// [spelled out, abbreviation] — both are USPS Pub 28 C1 spellings of one suffix.
const SUFFIXES: readonly (readonly [string, string])[] = [
  ['Street', 'St'],
  ['Avenue', 'Ave'],
  ['Road', 'Rd'],
  ['Drive', 'Dr'],
  ['Lane', 'Ln'],
  ['Court', 'Ct'],
  ['Boulevard', 'Blvd'],
  ['Place', 'Pl'],
  ['Circle', 'Cir'],
  ['Terrace', 'Ter'],
  ['Parkway', 'Pkwy'],
  ['Way', 'Way'],
];

const DIRECTIONS: readonly (readonly [string, string])[] = [
  ['North', 'N'],
  ['South', 'S'],
  ['East', 'E'],
  ['West', 'W'],
];

// [as typed, standard] unit designators.
const UNIT_KINDS = ['Apt', 'Unit', 'Ste', '#'] as const;

// prettier-ignore
const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Ashley',
  'José', 'María', 'Luis', 'Carmen', 'Wei', 'Mei', 'Darnell', 'Keisha', 'Tomasz', 'Aisha',
];

// prettier-ignore
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', "O'Brien", 'McDonald',
  'Peñalosa', 'Nuñez', 'Nguyen', 'Kowalski', 'Washington', 'Okafor', 'Van Buren', 'St. Clair', 'Fitzgerald',
  'Delacroix',
];

const ENTITY_WORDS = [
  'Summit',
  'Keystone',
  'Bluebird',
  'Ironwood',
  'Harbor',
  'Red Oak',
  'Cornerstone',
  'Lakeside',
];

const PROPERTY_TYPES = [
  'Single Family Residential',
  'Single Family Residential',
  'Single Family Residential',
  'Townhouse',
  'Duplex',
  'Multi-Family (2-4 Units)',
  'Mobile Home',
  'Residential, Single Family',
];

interface Property {
  house: string;
  preDir: number | null; // index into DIRECTIONS
  name: string;
  suffix: number; // index into SUFFIXES
  postDir: number | null;
  unit: { kind: (typeof UNIT_KINDS)[number]; number: string } | null;
  city: number; // index into CITIES
  zip4: string;
  apn: string;
  owner: Owner;
  occupied: boolean;
  mailing: { street: string; city: number; zip4: string } | null; // null: same as the property
  value: number;
  equity: number;
  type: string;
  beds: number;
  baths: number;
}

type Owner =
  | { kind: 'person'; first: string; last: string }
  | { kind: 'entity'; name: string }
  | { kind: 'none' };

/** How one row spells its property; duplicates use a different style than the original. */
interface Style {
  upper: boolean;
  lower: boolean;
  longDir: boolean;
  dotDir: boolean;
  longSuffix: boolean;
  dotSuffix: boolean;
  zipForm: 0 | 1 | 2 | 3; // 62701, 62701-1234, 627011234, 62701 1234
  unitInStreet: boolean;
  pad: boolean;
}

/** The sample CSV as a string (LF line endings, UTF-8, no BOM). */
export function generateSampleCsv(seed = SAMPLE_SEED): string {
  const rng = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const chance = (p: number): boolean => rng() < p;

  // Decide which row positions hold duplicates and invalid rows. Duplicates need an earlier
  // original, so they sit after the first 60 rows.
  const positions = Array.from({ length: SAMPLE_ROWS - 60 }, (_, i) => i + 60);
  shuffle(positions, rng);
  const duplicateAt = new Set(positions.slice(0, SAMPLE_DUPLICATES));
  const invalidAt = new Map(
    positions
      .slice(SAMPLE_DUPLICATES, SAMPLE_DUPLICATES + INVALID_KINDS.length)
      .map((p, i) => [p, INVALID_KINDS[i]]),
  );

  // Owners of the distinct valid properties: exactly 40 entities and 15 missing.
  const ownerKinds: ('person' | 'entity' | 'none')[] = Array.from(
    { length: SAMPLE_DISTINCT_PROPERTIES },
    (_, i) =>
      i < SAMPLE_ENTITY_OWNERS
        ? 'entity'
        : i < SAMPLE_ENTITY_OWNERS + SAMPLE_MISSING_OWNERS
          ? 'none'
          : 'person',
  );
  shuffle(ownerKinds, rng);

  const usedAddresses = new Set<string>();
  const usedApns = new Set<string>();
  const newProperty = (ownerKind: 'person' | 'entity' | 'none'): Property => {
    let p: Omit<
      Property,
      'apn' | 'owner' | 'occupied' | 'mailing' | 'value' | 'equity' | 'type' | 'beds' | 'baths'
    >;
    let key: string;
    do {
      const condo = chance(0.12);
      p = {
        house: String(int(1, 60) * (chance(0.5) ? 100 : 10) + int(0, 99)),
        preDir: chance(0.25) ? int(0, 3) : null,
        name: pick(STREET_NAMES),
        suffix: int(0, SUFFIXES.length - 1),
        postDir: chance(0.05) ? int(0, 3) : null,
        unit: condo
          ? {
              kind: pick(UNIT_KINDS),
              number: chance(0.3) ? `${int(1, 4)}${pick(['A', 'B', 'C'])}` : String(int(1, 320)),
            }
          : null,
        city: int(0, CITIES.length - 1),
        zip4: String(int(1, 9999)).padStart(4, '0'),
      };
      key = [p.house, p.preDir, p.name, p.suffix, p.postDir, p.unit?.number ?? '', p.city].join('|');
    } while (usedAddresses.has(key));
    usedAddresses.add(key);

    let apn: string;
    do {
      apn = pick([
        () => `${int(100, 999)}-${int(10, 99)}-${int(100, 999)}`,
        () => `${int(10, 99)}-${int(10, 99)}-${int(100, 999)}-${int(100, 999)}`,
        () => String(int(1_000_000, 9_999_999)) + String(int(100, 999)),
      ])();
    } while (usedApns.has(apn));
    usedApns.add(apn);

    const owner = makeOwner(ownerKind, p.name);
    const occupied = owner.kind === 'person' && chance(0.6);
    const mailing = occupied
      ? null
      : {
          street: chance(0.2)
            ? `PO Box ${int(10, 9999)}`
            : `${int(100, 9999)} ${pick(STREET_NAMES)} ${pick(SUFFIXES)[1]}${chance(0.2) ? ` Ste ${int(100, 400)}` : ''}`,
          city: int(0, CITIES.length - 1),
          zip4: String(int(1, 9999)).padStart(4, '0'),
        };
    const type = p.unit ? 'Condominium' : pick(PROPERTY_TYPES);
    const value = int(45, 950) * 1000;
    return {
      ...p,
      apn,
      owner,
      occupied,
      mailing,
      value,
      equity: int(0, 100),
      type,
      beds: type === 'Condominium' ? int(1, 3) : int(2, 6),
      baths: int(2, 7) / 2,
    };
  };

  const makeOwner = (kind: 'person' | 'entity' | 'none', streetName: string): Owner => {
    if (kind === 'none') return { kind };
    if (kind === 'person') {
      const first = pick(FIRST_NAMES);
      const middle = chance(0.15) ? ` ${String.fromCharCode(65 + int(0, 25))}` : '';
      return { kind, first: first + middle, last: pick(LAST_NAMES) + (chance(0.03) ? ', Jr.' : '') };
    }
    const last = pick(LAST_NAMES);
    const name = pick([
      () => `${pick(ENTITY_WORDS)} Holdings LLC`,
      () => `${streetName} Street Properties LLC`,
      () => `${last} Family Trust`,
      () => `The ${last} Revocable Living Trust`,
      () => `Estate of ${pick(FIRST_NAMES)} ${last}`,
      () => `${pick(ENTITY_WORDS)} Capital Group, Inc.`,
      () => `${pick(ENTITY_WORDS)} Homebuyers L.L.C.`,
    ])();
    return { kind, name };
  };

  const randomStyle = (): Style => ({
    upper: chance(0.2),
    lower: chance(0.1),
    longDir: chance(0.4),
    dotDir: chance(0.3),
    longSuffix: chance(0.4),
    dotSuffix: chance(0.3),
    zipForm: int(0, 3) as Style['zipForm'],
    unitInStreet: chance(0.5),
    pad: chance(0.1),
  });
  /** The same property spelled visibly differently: suffix, directional and ZIP form flip. */
  const otherStyle = (s: Style): Style => ({
    ...randomStyle(),
    longDir: !s.longDir,
    longSuffix: !s.longSuffix,
    zipForm: s.zipForm === 0 ? (int(1, 3) as Style['zipForm']) : 0,
    unitInStreet: !s.unitInStreet,
  });

  const originals: { property: Property; style: Style }[] = [];
  const duplicated = new Set<number>();
  const rows: string[][] = [];
  let ownerIndex = 0;
  for (let position = 0; position < SAMPLE_ROWS; position++) {
    const invalid = invalidAt.get(position);
    if (duplicateAt.has(position)) {
      let i: number;
      do i = int(0, originals.length - 1);
      while (duplicated.has(i));
      duplicated.add(i);
      const original = originals[i] as { property: Property; style: Style };
      rows.push(renderRow(original.property, otherStyle(original.style), rng));
    } else if (invalid === 'empty') {
      const row = renderRow(newProperty('none'), randomStyle(), rng);
      // Keep only property facts: no address, owner, APN or mailing address.
      for (const column of [
        'Property Address',
        'Unit',
        'City',
        'State',
        'Zip',
        'Mailing Address',
        'Mailing City',
        'Mailing State',
        'Mailing Zip',
        'APN',
      ]) {
        row[SAMPLE_HEADER.indexOf(column as (typeof SAMPLE_HEADER)[number])] = '';
      }
      rows.push(row);
    } else if (invalid !== undefined) {
      const row = renderRow(newProperty('person'), randomStyle(), rng);
      const set = (column: (typeof SAMPLE_HEADER)[number], value: string): void => {
        row[SAMPLE_HEADER.indexOf(column)] = value;
      };
      if (invalid === 'bad_zip') set('Zip', 'ABCDE');
      if (invalid === 'bad_state') set('State', 'ZZ');
      if (invalid === 'bad_value') set('Estimated Value', 'lots');
      if (invalid === 'bad_beds') set('Bedrooms', 'three');
      if (invalid === 'bad_occupied') set('Owner Occupied', 'maybe');
      rows.push(row);
    } else {
      const property = newProperty(ownerKinds[ownerIndex++] as 'person' | 'entity' | 'none');
      const style = randomStyle();
      originals.push({ property, style });
      rows.push(renderRow(property, style, rng));
    }
  }

  return (
    [SAMPLE_HEADER as readonly string[], ...rows].map((cells) => cells.map(csvCell).join(',')).join('\n') +
    '\n'
  );
}

/** Writes the sample to `outPath`; returns the number of data rows written. */
export async function makeSample(outPath: string, seed = SAMPLE_SEED): Promise<number> {
  await writeFile(outPath, generateSampleCsv(seed), 'utf8');
  return SAMPLE_ROWS;
}

function renderRow(p: Property, style: Style, rng: () => number): string[] {
  const chance = (x: number): boolean => rng() < x;
  const [city, state, zip5] = CITIES[p.city] as readonly [string, string, string];
  const dir = (d: number | null): string[] => {
    if (d === null) return [];
    const [long, short] = DIRECTIONS[d] as readonly [string, string];
    return [style.longDir ? long : style.dotDir ? `${short}.` : short];
  };
  const [longSuffix, shortSuffix] = SUFFIXES[p.suffix] as readonly [string, string];
  const suffix = style.longSuffix
    ? longSuffix
    : style.dotSuffix && shortSuffix !== 'Way'
      ? `${shortSuffix}.`
      : shortSuffix;
  const unitText = p.unit
    ? p.unit.kind === '#'
      ? `# ${p.unit.number}`
      : `${p.unit.kind} ${p.unit.number}`
    : '';
  const streetParts = [p.house, ...dir(p.preDir), p.name, suffix, ...dir(p.postDir)];
  if (p.unit && style.unitInStreet) streetParts.push(unitText);
  let street = streetParts.join(chance(0.05) ? '  ' : ' ');
  street = style.upper ? street.toUpperCase() : style.lower ? street.toLowerCase() : street;
  if (style.pad) street = `  ${street} `;

  const zip = formatZip(zip5, p.zip4, style.zipForm, chance(0.3));
  const owner = renderOwner(p.owner, style, chance);
  const mailing = p.mailing
    ? (() => {
        const [mCity, mState, mZip5] = CITIES[p.mailing.city] as readonly [string, string, string];
        return [
          p.mailing.street,
          mCity,
          mState,
          formatZip(mZip5, p.mailing.zip4, chance(0.5) ? 1 : 0, false),
        ];
      })()
    : [p.unit && !style.unitInStreet ? `${street.trim()} ${unitText}` : street.trim(), city, state, zip];

  const value = chance(0.05)
    ? ''
    : chance(0.4)
      ? `$${groupThousands(p.value)}`
      : chance(0.3)
        ? groupThousands(p.value)
        : String(p.value);
  const equity = chance(0.05) ? '' : chance(0.5) ? `${p.equity}%` : String(p.equity);
  const occupied = p.occupied ? pick(['Y', 'Y', 'Yes', 'TRUE'], rng) : pick(['N', 'N', 'No', 'FALSE'], rng);

  return [
    street,
    p.unit && !style.unitInStreet ? unitText : '',
    style.upper ? city.toUpperCase() : city,
    chance(0.05) ? fullStateName(state) : style.lower ? state.toLowerCase() : state,
    zip,
    owner[0],
    owner[1],
    ...mailing,
    p.apn,
    value,
    equity,
    occupied,
    p.type,
    chance(0.04) ? '' : String(p.beds),
    chance(0.04) ? '' : String(p.baths),
  ];
}

function renderOwner(owner: Owner, style: Style, chance: (p: number) => boolean): [string, string] {
  if (owner.kind === 'none') return ['', ''];
  const cased = (s: string): string => (style.upper ? s.toUpperCase() : s);
  // Entity names arrive whole in the last-name column, as PropStream-style exports write them.
  if (owner.kind === 'entity') return ['', cased(owner.name)];
  return chance(0.5)
    ? [cased(owner.first), cased(owner.last)]
    : [owner.first.toUpperCase(), owner.last.toUpperCase()];
}

/** ZIP in one of the spellings exports use; `dropZero` mimics a spreadsheet eating the leading 0. */
function formatZip(zip5: string, zip4: string, form: 0 | 1 | 2 | 3, dropZero: boolean): string {
  const five = dropZero && zip5.startsWith('0') && form === 0 ? zip5.slice(1) : zip5;
  switch (form) {
    case 0:
      return five;
    case 1:
      return `${five}-${zip4}`;
    case 2:
      return `${five}${zip4}`;
    case 3:
      return `${five} ${zip4}`;
  }
}

// prettier-ignore
const STATE_NAMES: Record<string, string> = {
  IL: 'Illinois', OH: 'Ohio', IN: 'Indiana', TN: 'Tennessee', FL: 'Florida', GA: 'Georgia', AL: 'Alabama',
  TX: 'Texas', AZ: 'Arizona', NV: 'Nevada', CO: 'Colorado', MO: 'Missouri', OK: 'Oklahoma', AR: 'Arkansas',
  KY: 'Kentucky', MI: 'Michigan', WI: 'Wisconsin', NC: 'North Carolina', VA: 'Virginia', MD: 'Maryland',
  PA: 'Pennsylvania', NM: 'New Mexico', ID: 'Idaho', NJ: 'New Jersey', CT: 'Connecticut', RI: 'Rhode Island',
};

/** 250000 → "250,000", without locale data so the output cannot vary by ICU build. */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fullStateName(code: string): string {
  return STATE_NAMES[code] ?? code;
}

function pick<T>(xs: readonly T[], rng: () => number): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

function shuffle<T>(xs: T[], rng: () => number): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
}

/** RFC 4180 quoting: only cells with a comma, quote or line break are quoted. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
