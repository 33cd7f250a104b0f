/**
 * Deterministic, clearly fictional properties for the sandbox's RealEstateAPI.
 *
 * The world is keyed by ZIP: each ZIP has 100,000 property slots on 40 fictional streets,
 * and a property is a pure function of (ZIP, slot, seed). Its id encodes both
 * (`1` + ZIP5 + slot5), so PropertyDetail by id, by APN or by a sandbox street address
 * answers the very property a search listed. Owners are the people the sandbox's
 * skip-trace finds at that address (people.ts), so a detail → skip-trace chain agrees.
 *
 * An address off the sandbox's streets (a real-looking one from an imported list) gets a
 * property with `propertyHitRate`, minted under a `2…` id; detail by such an id is answered
 * only by the process that minted it (a bounded memo), else 404.
 */
import type { ResolvedSandboxOptions } from './options.js';
import { lookupPeople, normalizeStreet } from './people.js';
import { placeOfZip, zipForPlace, zipIn } from './places.js';
import { intBetween, pick, randomFromText, type Random } from './prng.js';

export const SLOTS_PER_ZIP = 100_000;
/** Coprime with SLOTS_PER_ZIP, so stepping by it visits every slot once. */
const STRIDE = 7919;

// prettier-ignore
const STREETS = [
  ['Sample', 'St'], ['Fixture', 'Ave'], ['Placeholder', 'Rd'], ['Sandbox', 'Ln'], ['Mockingbird', 'Dr'],
  ['Example', 'Ct'], ['Stub', 'Way'], ['Specimen', 'Pl'], ['Testing', 'Blvd'], ['Demo', 'Ter'],
  ['Notreal', 'St'], ['Pretend', 'Ave'], ['Dummy', 'Rd'], ['Proxy', 'Ln'], ['Trial', 'Dr'],
  ['Fakewell', 'Ct'], ['Lorem', 'Way'], ['Ipsum', 'Pl'], ['Quux', 'Blvd'], ['Foobar', 'Ter'],
  ['Widget', 'St'], ['Gadget', 'Ave'], ['Mockup', 'Rd'], ['Draft', 'Ln'], ['Prototype', 'Dr'],
  ['Template', 'Ct'], ['Scaffold', 'Way'], ['Harness', 'Pl'], ['Dryrun', 'Blvd'], ['Rehearsal', 'Ter'],
  ['Simulacra', 'St'], ['Facsimile', 'Ave'], ['Replica', 'Rd'], ['Stand-In', 'Ln'], ['Decoy', 'Dr'],
  ['Surrogate', 'Ct'], ['Standby', 'Way'], ['Understudy', 'Pl'], ['Shadow', 'Blvd'], ['Echo', 'Ter'],
] as const;
// prettier-ignore
const TYPE_WORDS: Record<string, string> = {
  STREET: 'ST', AVENUE: 'AVE', ROAD: 'RD', LANE: 'LN', DRIVE: 'DR', COURT: 'CT', PLACE: 'PL',
  BOULEVARD: 'BLVD', TERRACE: 'TER',
};
const STREET_INDEX = new Map(
  STREETS.map(([name, type], i) => [`${name.toUpperCase()} ${type.toUpperCase()}`, i]),
);
const MAX_HOUSE = 100 + 2 * (Math.floor(SLOTS_PER_ZIP / STREETS.length) - 1);

export interface FictionalOwner {
  first: string | null;
  last: string;
  full: string;
  /** RealEstateAPI's owner types (owner-types.md). */
  type: 'Individual' | 'Company' | 'Other';
}

export interface FictionalProperty {
  /** `1` + ZIP5 + slot5 for world properties; `2` + ZIP5 + 8 digits for minted ones. */
  id: string;
  house: string;
  /** Street name and type without the house number ("Sample St"). */
  streetName: string;
  /** The street line ("1234 Sample St"). */
  street: string;
  unit: string | null;
  city: string;
  county: string;
  state: string;
  zip: string;
  fips: string;
  apn: string;
  propertyType: 'SFR' | 'CONDO' | 'MFR' | 'MOBILE' | 'LAND';
  bedrooms: number | null;
  bathrooms: number | null;
  squareFeet: number | null;
  lotSquareFeet: number;
  yearBuilt: number | null;
  estimatedValue: number;
  openMortgageBalance: number;
  estimatedEquity: number;
  equityPercent: number;
  lastSaleDate: string;
  lastSalePrice: number;
  ownershipLengthMonths: number;
  owners: FictionalOwner[];
  ownerOccupied: boolean;
  absenteeOwner: boolean;
  corporateOwned: boolean;
  vacant: boolean;
  preForeclosure: boolean;
  foreclosure: boolean;
  taxLien: boolean;
  highEquity: boolean;
  freeClear: boolean;
  mail: { street: string; city: string; state: string; zip: string };
}

// ---- ids ---------------------------------------------------------------------------------

export function worldId(zip: string, slot: number): string {
  return `1${zip}${String(slot).padStart(5, '0')}`;
}

// ---- the world ---------------------------------------------------------------------------

/** The world property in `slot` of `zip`. */
export function propertyAt(zip: string, slot: number, options: ResolvedSandboxOptions): FictionalProperty {
  const [name, type] = STREETS[slot % STREETS.length]!;
  const house = String(100 + 2 * Math.floor(slot / STREETS.length));
  const place = placeOfZip(zip, options.seed);
  const random = randomFromText(`property|${zip}|${slot}|${options.seed}`);
  return makeProperty(random, options, {
    id: worldId(zip, slot),
    house,
    streetName: `${name} ${type}`,
    unit: null,
    zip,
    ...place,
    apn: `${zip.slice(0, 3)}-${zip.slice(3)}-${String(slot).padStart(5, '0')}`,
  });
}

export function propertyById(id: string, options: ResolvedSandboxOptions): FictionalProperty | null {
  const world = /^1(\d{5})(\d{5})$/.exec(id);
  if (world) return propertyAt(world[1]!, Number(world[2]), options);
  return minted.get(`${id}|${options.seed}`) ?? null;
}

/** By APN ("606-14-00042"; minted ones have 8 digits last); with a FIPS, it must be the property's. */
export function propertyByApn(apn: string, fips: string | null | undefined, options: ResolvedSandboxOptions) {
  const m = /^(\d{3})-(\d{2})-(\d{5})$/.exec(apn.trim());
  const property = m
    ? propertyAt(`${m[1]}${m[2]}`, Number(m[3]), options)
    : minted.get(`apn:${apn.trim()}|${options.seed}`);
  if (!property) return null;
  return fips && fips.trim() !== property.fips ? null : property;
}

export interface AddressQuery {
  house?: string | null;
  /** Street name and type, or the whole street line when `house` is absent. */
  street: string;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
}

/**
 * A sandbox street answers its world property (every even house from 100 exists); any other
 * address finds a property with `propertyHitRate`, minted for it. ZIP-less: the place's ZIP.
 */
export function propertyByAddress(
  q: AddressQuery,
  options: ResolvedSandboxOptions,
): FictionalProperty | null {
  const zip = /^\s*(\d{5})/.exec(q.zip ?? '')?.[1] ?? zipForPlace(q.city, q.state, options.seed);
  const line = normalizeStreet(q.house ? `${q.house} ${q.street}` : q.street);
  const m = /^(\d+)\s+(.+)$/.exec(line);
  if (m) {
    const words = m[2]!.split(' ');
    const last = words.length - 1;
    words[last] = TYPE_WORDS[words[last]!] ?? words[last]!;
    const streetIdx = STREET_INDEX.get(words.join(' '));
    const house = Number(m[1]);
    if (streetIdx !== undefined && !q.unit && house % 2 === 0 && house >= 100 && house <= MAX_HOUSE) {
      return propertyAt(zip, ((house - 100) / 2) * STREETS.length + streetIdx, options);
    }
  }
  const key = `${line}|${(q.unit ?? '').trim().toUpperCase()}|${zip}`;
  const random = randomFromText(`address|${key}|${options.seed}`);
  if (random() >= options.propertyHitRate) return null;
  const place = placeOfZip(zip, options.seed);
  const serial = String(intBetween(random, 0, 99_999_999)).padStart(8, '0');
  // The address as asked (not upper-cased): it is the caller's own.
  const asked = (q.house ? `${q.house.trim()} ${q.street.trim()}` : q.street.trim()).replace(/\s+/g, ' ');
  const parts = /^(\d+\S*)\s+(.+)$/.exec(asked);
  const property = makeProperty(random, options, {
    id: `2${zip}${serial}`,
    house: parts?.[1] ?? '',
    streetName: parts?.[2] ?? asked,
    unit: q.unit?.trim() || null,
    zip,
    ...place,
    city: q.city?.trim() || place.city,
    state: q.state?.trim().toUpperCase() || place.state,
    apn: `${zip.slice(0, 3)}-${zip.slice(3)}-${serial}`,
  });
  if (minted.size >= MINTED_MAX) minted.clear();
  minted.set(`${property.id}|${options.seed}`, property);
  minted.set(`apn:${property.apn}|${options.seed}`, property);
  return property;
}

/** Minted (off-world) properties by `id|seed` and `apn:<apn>|seed`: a cache of a pure function, bounded. */
const minted = new Map<string, FictionalProperty>();
const MINTED_MAX = 50_000;

// ---- search ------------------------------------------------------------------------------

export interface SearchWorld {
  zip: string;
  /** Matching properties, new listings included. */
  total: number;
  /** The id at position `i` of the ordered result set (0 ≤ i < total). */
  idAt(i: number): string;
}

/**
 * The ordered result set of a query: its size (150–2,500) and order come from the query's
 * hash, so the same query always pages the same ids. `newListings` puts N more ids at the
 * front (newest first), so a later pull sees them before everything it already knows.
 */
export function searchWorld(queryKey: string, zip: string, newListings: number, seed: number): SearchWorld {
  const random = randomFromText(`search|${queryKey}|${seed}`);
  const base = intBetween(random, 150, 2_500);
  const offset = intBetween(random, 0, SLOTS_PER_ZIP - 1);
  const slotAt = (position: number): number => (offset + position * STRIDE) % SLOTS_PER_ZIP;
  return {
    zip,
    total: base + newListings,
    idAt: (i) => worldId(zip, slotAt(i < newListings ? base + newListings - 1 - i : i - newListings)),
  };
}

// ---- facts -------------------------------------------------------------------------------

interface Site {
  id: string;
  house: string;
  streetName: string;
  unit: string | null;
  zip: string;
  city: string;
  county: string;
  state: string;
  fips: string;
  apn: string;
}

function makeProperty(random: Random, options: ResolvedSandboxOptions, site: Site): FictionalProperty {
  const street = site.house ? `${site.house} ${site.streetName}` : site.streetName;
  const typeDraw = random();
  const propertyType =
    typeDraw < 0.7
      ? 'SFR'
      : typeDraw < 0.82
        ? 'CONDO'
        : typeDraw < 0.92
          ? 'MFR'
          : typeDraw < 0.96
            ? 'MOBILE'
            : 'LAND';
  const land = propertyType === 'LAND';
  const bedrooms = intBetween(random, 1, 6);
  const bathrooms = intBetween(random, 2, 2 * Math.min(4, bedrooms)) / 2;
  const squareFeet = 100 * intBetween(random, 4 + 3 * bedrooms, 8 + 5 * bedrooms);
  const yearBuilt = intBetween(random, 1905, 2022);
  const lotSquareFeet = 100 * intBetween(random, 20, 200);
  const estimatedValue = 1_000 * intBetween(random, 80, 1_200);
  const freeClear = random() < 0.25;
  const openMortgageBalance = freeClear
    ? 0
    : 1_000 * Math.round((estimatedValue * (0.1 + 0.95 * random())) / 1_000);
  const estimatedEquity = estimatedValue - openMortgageBalance;
  const equityPercent = Math.round((100 * estimatedEquity) / estimatedValue);
  const saleYear = intBetween(random, 1995, 2024);
  const saleMonth = intBetween(random, 1, 12);
  const lastSaleDate = `${saleYear}-${String(saleMonth).padStart(2, '0')}-${String(intBetween(random, 1, 28)).padStart(2, '0')}`;
  const lastSalePrice = 1_000 * Math.round((estimatedValue * (0.4 + 0.6 * random())) / 1_000);
  const ownerOccupied = random() < 0.65;
  const corporateOwned = !ownerOccupied && random() < 0.3;
  const trust = !corporateOwned && random() < 0.05;
  const vacant = random() < 0.04;
  const preForeclosure = random() < 0.03;
  const foreclosure = random() < 0.015;
  const taxLien = random() < 0.02;
  const mailZip = zipIn(random, null);
  const mailStreet = `${intBetween(random, 1, 9_999)} ${pick(random, STREETS).join(' ')}`;

  // The people a skip-trace of this address finds: the first owns it (or runs the LLC).
  const people = lookupPeople(
    { street, zip: site.zip },
    { ...options, hitRate: 1, unitMissRate: 0 },
    2,
  ).persons;
  const [p1, p2] = people;
  const owners: FictionalOwner[] = [];
  if (p1 && corporateOwned) {
    owners.push({
      first: null,
      last: `${p1.last} Holdings LLC`,
      full: `${p1.last} Holdings LLC`,
      type: 'Company',
    });
  } else if (p1 && trust) {
    const full = `${p1.first} ${p1.last} Family Trust`;
    owners.push({ first: null, last: full, full, type: 'Other' });
  } else if (p1) {
    owners.push({ first: p1.first, last: p1.last, full: `${p1.first} ${p1.last}`, type: 'Individual' });
    if (p2)
      owners.push({ first: p2.first, last: p2.last, full: `${p2.first} ${p2.last}`, type: 'Individual' });
  }
  const mailPlace = placeOfZip(mailZip, options.seed);
  return {
    ...site,
    street,
    propertyType,
    bedrooms: land ? null : bedrooms,
    bathrooms: land ? null : bathrooms,
    squareFeet: land ? null : squareFeet,
    lotSquareFeet,
    yearBuilt: land ? null : yearBuilt,
    estimatedValue,
    openMortgageBalance,
    estimatedEquity,
    equityPercent,
    lastSaleDate,
    lastSalePrice,
    ownershipLengthMonths: (2025 - saleYear) * 12 + (12 - saleMonth),
    owners,
    ownerOccupied,
    absenteeOwner: !ownerOccupied,
    corporateOwned,
    vacant,
    preForeclosure,
    foreclosure,
    taxLien,
    highEquity: equityPercent >= 50,
    freeClear,
    mail: ownerOccupied
      ? { street, city: site.city, state: site.state, zip: site.zip }
      : { street: mailStreet, city: mailPlace.city, state: mailPlace.state, zip: mailZip },
  };
}
