/**
 * Deterministic, clearly fictional business contacts for the sandbox Hunter and Apollo.
 *
 * Emails only ever live on example.com/.org/.net: a domain under them is used as is
 * (`acme.example.com`), any other domain is mirrored under example.com (`acme.com` →
 * `acme-com.example.com`), so a search for a real company never fabricates an address at
 * that company. Phones are NPA-555-01XX; LinkedIn and Twitter handles are never invented.
 */
import { intBetween, pick, type Random } from './prng.js';

const FIRST_NAMES = [
  'Avery',
  'Blake',
  'Casey',
  'Dana',
  'Emerson',
  'Finley',
  'Gray',
  'Harper',
  'Indigo',
  'Jordan',
  'Kendall',
  'Logan',
  'Morgan',
  'Noel',
  'Parker',
  'Quinn',
  'Reese',
  'Sawyer',
  'Taylor',
  'Winter',
] as const;
const LAST_NAMES = [
  'Testwell',
  'Mockford',
  'Stubington',
  'Fakesworth',
  'Sampleton',
  'Placeholt',
  'Dummington',
  'Examplar',
  'Fixturely',
  'Notreal',
  'Pretendale',
  'Specimore',
] as const;

export type Seniority = 'junior' | 'senior' | 'executive';

interface Role {
  position: string;
  seniority: Seniority;
  department: string;
  /** Apollo's seniority word. */
  apolloSeniority: string;
}

const ROLES: readonly Role[] = [
  {
    position: 'Chief Executive Officer',
    seniority: 'executive',
    department: 'executive',
    apolloSeniority: 'c_suite',
  },
  {
    position: 'Chief Technology Officer',
    seniority: 'executive',
    department: 'it',
    apolloSeniority: 'c_suite',
  },
  { position: 'VP of Sales', seniority: 'executive', department: 'sales', apolloSeniority: 'vp' },
  { position: 'Head of Marketing', seniority: 'senior', department: 'marketing', apolloSeniority: 'head' },
  { position: 'Finance Director', seniority: 'senior', department: 'finance', apolloSeniority: 'director' },
  {
    position: 'Operations Manager',
    seniority: 'senior',
    department: 'operations',
    apolloSeniority: 'manager',
  },
  { position: 'Software Engineer', seniority: 'junior', department: 'it', apolloSeniority: 'entry' },
  { position: 'Account Executive', seniority: 'junior', department: 'sales', apolloSeniority: 'senior' },
  { position: 'Support Specialist', seniority: 'junior', department: 'support', apolloSeniority: 'entry' },
  { position: 'HR Manager', seniority: 'senior', department: 'hr', apolloSeniority: 'manager' },
  { position: 'Legal Counsel', seniority: 'senior', department: 'legal', apolloSeniority: 'senior' },
  { position: 'Designer', seniority: 'junior', department: 'design', apolloSeniority: 'entry' },
];

/** Role mailboxes returned as `generic` emails. */
export const GENERIC_MAILBOXES = [
  { local: 'info', department: 'communication' },
  { local: 'sales', department: 'sales' },
  { local: 'support', department: 'support' },
  { local: 'billing', department: 'finance' },
] as const;

const RESERVED = /(^|\.)example\.(com|org|net)$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Lower case, no scheme, no path, no `www.`; null when it is not a domain name. */
export function normalizeDomain(input: string): string | null {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return DOMAIN.test(host) ? host : null;
}

/** example.com, example.org, example.net or a name under them (RFC 2606). */
export function isTestDomain(domain: string): boolean {
  return RESERVED.test(domain);
}

/** Where the fictional people of `domain` receive mail: itself if reserved, else a mirror. */
export function mailDomainFor(domain: string): string {
  return isTestDomain(domain) ? domain : `${domain.replace(/\./g, '-')}.example.com`;
}

/** "acme.example.com" → "Acme"; "big-co.io" → "Big Co". */
export function organizationFor(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label
    .split('-')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

export interface BusinessPerson {
  first: string;
  last: string;
  role: Role;
  /** local part of the address, `first.last`. */
  local: string;
  /** 10 digits NPA-555-01XX, or null. */
  phone: string | null;
  confidence: number;
}

export function makeBusinessPerson(
  random: Random,
  given: { first: string; last: string } | null = null,
): BusinessPerson {
  // Names are drawn even when given, so the rest does not depend on the name.
  const drawnFirst = pick(random, FIRST_NAMES);
  const drawnLast = pick(random, LAST_NAMES);
  const first = given?.first ?? drawnFirst;
  const last = given?.last ?? drawnLast;
  const role = pick(random, ROLES);
  const hasPhone = random() < 0.2;
  const phone = `${pick(random, ['212', '312', '415', '512', '617'])}55501${String(intBetween(random, 0, 99)).padStart(2, '0')}`;
  return {
    first,
    last,
    role,
    local: `${mailLocal(first)}.${mailLocal(last)}`,
    phone: hasPhone ? phone : null,
    confidence: intBetween(random, 60, 99),
  };
}

function mailLocal(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'person'
  );
}
