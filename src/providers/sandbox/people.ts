/**
 * Deterministic, clearly fictional people for the sandbox vendors.
 *
 * Every choice is drawn from sha256(normalized input key + options seed), so the same
 * address always yields the same people. Phones are NPA-555-01XX (reserved for fiction),
 * emails live on example.com/.org/.net, surnames are obviously made up.
 */
import type { ResolvedSandboxOptions } from './options.js';
import { describePhoneLine } from './phone-lines.js';
import { intBetween, pick, randomFromText, type Random } from './prng.js';

const FIRST_NAMES = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
] as const;
const MIDDLE_INITIALS = ['A', 'B', 'C', 'D', 'E', 'J', 'L', 'M', 'R', 'T'] as const;
const LAST_NAMES = [
  'Doe',
  'Roe',
  'Sample',
  'Example',
  'Tester',
  'Mockley',
  'Fixture',
  'Stubbs',
  'Placeholder',
  'Notreal',
  'Dummyton',
  'Fakewell',
  'Sandbox',
  'Specimen',
  'Demoski',
  'Proxley',
  'Pretendez',
  'Trialson',
] as const;
const AREA_CODES = [
  '212',
  '213',
  '214',
  '303',
  '305',
  '312',
  '404',
  '415',
  '512',
  '602',
  '617',
  '646',
  '702',
  '773',
  '206',
] as const;
const CARRIERS = {
  Mobile: ['Verizon Wireless', 'T-Mobile USA', 'AT&T Mobility'],
  'Land Line': ['AT&T', 'Verizon', 'Frontier'],
  VoIP: ['Bandwidth.com', 'Twilio', 'Google Voice'],
} as const;
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

export type FictionalPhoneType = keyof typeof CARRIERS;

export interface FictionalPhone {
  /** 10 digits: NPA + 555 + 01XX. */
  number: string;
  type: FictionalPhoneType;
  carrier: string;
  tested: boolean;
  reachable: boolean;
  dnc: boolean;
  tcpa: boolean;
  /** v1-style score, highest first; the top one is not necessarily 100. */
  score: number;
  lastReportedDate: string;
}

export interface FictionalEmail {
  email: string;
  tested: boolean;
}

export interface FictionalPerson {
  id: string;
  first: string;
  middle: string;
  last: string;
  full: string;
  propertyOwner: boolean;
  litigator: boolean;
  deceased: boolean;
  /** Mobile first (the vendor's order since 2025-11); scores descend in list order. */
  phones: FictionalPhone[];
  emails: FictionalEmail[];
}

export interface LookupInput {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface LookupResult {
  /** 'error' when the address lacks a usable combination (street+zip or street+city+state). */
  outcome: 'hit' | 'miss' | 'error';
  /** Normalized input key (street as given, unit kept), '' on error. */
  key: string;
  persons: FictionalPerson[];
}

// FL/FLOOR need a following number so "FL" as a state or street word is not read as a unit.
const UNIT =
  /\s*(?:\b(?:APT|APARTMENT|UNIT|STE|SUITE)\b\.?\s*#?\s*[A-Z0-9-]*|\b(?:FL|FLOOR)\s+\d+[A-Z]?|#\s*[A-Z0-9-]+)\s*$/;

/** Upper case, punctuation (except '#') stripped, whitespace collapsed. */
export function normalizeStreet(street: string): string {
  return street
    .toUpperCase()
    .replace(/[^A-Z0-9#\s-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hasUnit(street: string): boolean {
  return UNIT.test(normalizeStreet(street));
}

export function stripUnit(street: string): string {
  return normalizeStreet(street).replace(UNIT, '').trim();
}

/** The sandbox's input key: normalized street + '|' + ZIP5 (or city+state without a ZIP). */
export function inputKey(
  street: string,
  zip: string | null | undefined,
  city?: string | null,
  state?: string | null,
): string {
  const zip5 = zip ? (/^\s*(\d{5})/.exec(zip)?.[1] ?? zip.toUpperCase().replace(/\s+/g, '')) : '';
  const place = zip5 || `${(city ?? '').toUpperCase().trim()},${(state ?? '').toUpperCase().trim()}`;
  return `${normalizeStreet(street)}|${place}`;
}

/**
 * Looks up the people at an address. `maxPersons` is the vendor's cap (v1: 1, v3: 3).
 * With a unit, `unitMissRate` of addresses miss outright; the unit-less address is then an
 * ordinary lookup, so a sanitized retry can find what the first attempt missed.
 */
export function lookupPeople(
  input: LookupInput,
  options: ResolvedSandboxOptions,
  maxPersons: number,
  vendor?: string,
): LookupResult {
  const profile = vendor ? options.vendorProfiles[vendor] : undefined;
  if (!profile) return lookupTruth(input, options, maxPersons);
  // The truth at the address (every vendor draws from the same people), seen through this
  // vendor: its own hit draw, and only its share of the phones and emails.
  const truth = lookupTruth(input, { ...options, hitRate: 1 }, maxPersons);
  if (truth.outcome !== 'hit') return truth;
  const random = randomFromText(`${truth.key}|${options.seed}|vendor:${vendor}`);
  if (random() >= profile.hitRate) return { outcome: 'miss', key: truth.key, persons: [] };
  const persons = truth.persons.map((p) => ({
    ...p,
    phones: p.phones.filter(() => random() < profile.phoneShare),
    emails: p.emails.filter(() => random() < profile.emailShare),
  }));
  return { outcome: 'hit', key: truth.key, persons };
}

function lookupTruth(input: LookupInput, options: ResolvedSandboxOptions, maxPersons: number): LookupResult {
  const street = input.street?.trim();
  const hasZip = !!input.zip?.trim();
  if (!street || (!hasZip && !(input.city?.trim() && input.state?.trim()))) {
    return { outcome: 'error', key: '', persons: [] };
  }
  const key = inputKey(street, input.zip, input.city, input.state);
  // Non-US postal codes are answered unmatched, as the vendor does since 2025-11.
  if (hasZip && !/^\s*\d{5}/.test(input.zip!)) return { outcome: 'miss', key, persons: [] };

  const random = randomFromText(`${key}|${options.seed}`);
  // First draws fixed: hit and unit decisions stay put when other tunables change.
  const hitDraw = random();
  const unitDraw = random();
  if (hasUnit(street) && unitDraw < options.unitMissRate) return { outcome: 'miss', key, persons: [] };
  if (hitDraw >= options.hitRate) return { outcome: 'miss', key, persons: [] };

  const count = Math.min(maxPersons, 1 + (random() < 0.3 ? 1 : 0) + (random() < 0.1 ? 1 : 0));
  const persons: FictionalPerson[] = [];
  const usedNumbers = new Set<string>();
  for (let i = 0; i < count; i++) {
    const given =
      i === 0 && input.firstName && input.lastName ? { first: input.firstName, last: input.lastName } : null;
    persons.push(makePerson(random, options, i === 0, given, usedNumbers));
  }
  return { outcome: 'hit', key, persons };
}

function makePerson(
  random: Random,
  options: ResolvedSandboxOptions,
  owner: boolean,
  given: { first: string; last: string } | null,
  usedNumbers: Set<string>,
): FictionalPerson {
  // Draw the names even when given, so the rest of the person does not depend on the name.
  const drawnFirst = pick(random, FIRST_NAMES);
  const drawnLast = pick(random, LAST_NAMES);
  const middle = pick(random, MIDDLE_INITIALS);
  const first = given?.first ?? drawnFirst;
  const last = given?.last ?? drawnLast;
  const litigator = random() < options.litigatorRate;
  const deceased = random() < options.deceasedRate;

  const phoneCount = intBetween(random, 1, options.maxPhones);
  const phones: FictionalPhone[] = [];
  for (let i = 0; i < phoneCount; i++) phones.push(makePhone(random, options, usedNumbers));
  // Mobile first (stable), then scores handed out in list order so both orders agree.
  phones.sort((a, b) => Number(b.type === 'Mobile') - Number(a.type === 'Mobile'));
  let score = intBetween(random, 70, 99);
  for (const phone of phones) {
    phone.score = score;
    score = Math.max(1, score - intBetween(random, 5, 20));
  }

  const emails: FictionalEmail[] = [];
  if (random() < options.emailRate) {
    const local = emailLocal(first);
    const family = emailLocal(last);
    const nn = String(intBetween(random, 10, 99));
    emails.push({ email: `${local}.${family}@${pick(random, EMAIL_DOMAINS)}`, tested: random() < 0.7 });
    if (random() < 0.4)
      emails.push({
        email: `${local[0]}${family}${nn}@${pick(random, EMAIL_DOMAINS)}`,
        tested: random() < 0.5,
      });
  }

  return {
    id: `sbx${Math.floor(random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0')}`,
    first,
    middle,
    last,
    full: `${first} ${middle} ${last}`,
    propertyOwner: owner,
    litigator,
    deceased,
    // A litigator comes back without phones (data dictionary).
    phones: litigator ? [] : phones,
    emails,
  };
}

function makePhone(random: Random, options: ResolvedSandboxOptions, used: Set<string>): FictionalPhone {
  let number: string;
  do {
    number = `${pick(random, AREA_CODES)}55501${String(intBetween(random, 0, 99)).padStart(2, '0')}`;
  } while (used.has(number));
  used.add(number);
  // The number's facts come from the sandbox's one phone registry (phone-lines.ts), so the
  // skip-trace vendors and the phone checkers agree on its line type, DNC and TCPA flags.
  // The person's draws are still taken, so the rest of the person does not change.
  const line = describePhoneLine(number, options);
  random(); // the former line-type draw
  const type: FictionalPhoneType =
    line.lineType === 'mobile' ? 'Mobile' : line.lineType === 'landline' ? 'Land Line' : 'VoIP';
  const month = String(intBetween(random, 1, 12)).padStart(2, '0');
  const day = String(intBetween(random, 1, 28)).padStart(2, '0');
  const carrier = pick(random, CARRIERS[type]);
  random(); // tested
  random(); // reachable
  random(); // dnc
  random(); // tcpa
  return {
    number,
    type,
    carrier,
    tested: line.tested,
    reachable: line.reachable && !line.notFound,
    dnc: line.dnc,
    tcpa: line.tcpa,
    score: 0,
    lastReportedDate: `2025-${month}-${day}`,
  };
}

function emailLocal(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '') || 'owner';
}
