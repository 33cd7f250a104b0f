/**
 * The provider contract: what every vendor adapter declares and does.
 *
 * The pipeline branches on the declared flags and cost model, never on a provider's id
 * (Kysely's capability-flag style). Adapters own their vendor's wire format; nothing
 * outside `src/providers/<vendor>/` knows a vendor's field names.
 */

export type ProviderKind =
  | 'property-search'
  | 'property-detail'
  | 'skip-trace'
  | 'business-people'
  | 'domain-search'
  | 'phone-verify'
  | 'email-verify';

/** Capability flags with documented defaults. */
export interface ProviderFlags {
  /** Most inputs one HTTP request may carry (BatchData: 100). */
  batchSize: number;
  /** True when a request item that finds nothing is still billed. */
  billsOnMiss: boolean;
  /** True when phones come back with a line type (mobile/landline/voip). */
  returnsLineType: boolean;
}

/** Cost model in integer micro-dollars (1 USD = 1,000,000). */
export interface ProviderCost {
  /** Billed per HTTP request, whatever it returns. */
  perCallMicros: number;
  /** Billed per matched item (a "hit"). */
  perHitMicros: number;
  /** Billed per item sent, hit or miss. */
  perItemMicros: number;
}

/** One lead's skip-trace input, already normalized. */
export interface SkipTraceInput {
  /** Echoed back by the vendor; the pipeline uses the idempotency key. */
  requestId: string;
  street: string;
  city: string | null;
  state: string | null;
  zip: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

import type { PhoneLineType } from '../domain/contacts/types.js';

export type { PhoneLineType };

/** A phone as the vendor returned it, mapped to our words. */
export interface ParsedPhone {
  /** Digits as the vendor sent them (normalized to E.164 later, in domain/contacts). */
  number: string;
  type: PhoneLineType;
  carrier: string | null;
  dnc: boolean;
  tcpa: boolean;
  /** 0–100; v1 `score`, or derived from v3 `rank` (rank 0 → 100, each rank −10). */
  score: number | null;
  reachable: boolean | null;
  /** The vendor marked this phone as the person's primary one (REISkip `isPrimary`). Absent: not said. */
  sourcePrimary?: boolean;
}

export interface ParsedEmail {
  /** Lower-cased address. */
  address: string;
  tested: boolean | null;
}

export interface ParsedPerson {
  first: string | null;
  last: string | null;
  full: string | null;
  litigator: boolean;
  deceased: boolean;
  phones: ParsedPhone[];
  emails: ParsedEmail[];
}

/** The vendor's answer for one request item. */
export interface SkipTraceItemResult {
  requestId: string;
  matched: boolean;
  /** Items the vendor bills for this answer (BatchData: 1 when matched with a person). */
  billableUnits: number;
  persons: ParsedPerson[];
  /** The vendor's raw JSON for this item alone (kept encrypted for audit, never returned by the API). */
  rawItem: unknown;
  /**
   * The vendor flagged this item as an error (not a miss): never cached, retried like a
   * transient failure. Absent means false.
   */
  itemError?: boolean;
  /** Melissa Address Key, from providers that return one. */
  mak?: string | null;
  /**
   * Another parsed payload of the item for kinds whose answer is not (only) persons: a
   * property record, a phone or email verification. Cached with the persons.
   */
  extra?: unknown;
}

export interface SkipTraceBatchResult {
  /** HTTP status of the request. */
  statusCode: number;
  durationMs: number;
  /** One per input, matched to inputs by evidence (requestId or address), never position alone. */
  items: SkipTraceItemResult[];
}

export interface SkipTraceProvider {
  readonly id: string;
  readonly kind: 'skip-trace';
  readonly flags: ProviderFlags;
  readonly cost: ProviderCost;
  /** Sends up to `flags.batchSize` inputs in one request. Throws a ProviderError on failure. */
  skipTrace(inputs: SkipTraceInput[], options?: { signal?: AbortSignal }): Promise<SkipTraceBatchResult>;
}

// ---------------------------------------------------------------------------------------
// The other provider kinds (issue 4). Each adapter implements one of these interfaces and
// declares its facts (flags, cost, rate limit, auth, env keys) as validated data.
// ---------------------------------------------------------------------------------------

/** Documented or configured request rate of one vendor endpoint. */
export interface ProviderRateLimit {
  requestsPerSecond: number;
  requestsPerMinute?: number;
}

export type AuthStyle = 'bearer' | 'header' | 'query' | 'basic';

/** What every provider declares, whatever its kind. */
export interface ProviderDescriptor {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly flags: ProviderFlags & {
    /** Results arrive by webhook only (not usable in a synchronous waterfall). */
    asyncOnly?: boolean;
    /** Returns a Melissa Address Key. */
    returnsMak?: boolean;
    /** Returns DNC / TCPA / litigator compliance flags for phones. */
    returnsCompliance?: boolean;
  };
  readonly cost: ProviderCost;
  readonly rateLimit: ProviderRateLimit;
  readonly authStyle: AuthStyle;
  /** Environment variables that configure it (key first). */
  readonly envKeys: readonly string[];
}

// ---- property detail ------------------------------------------------------------------

export interface PropertyDetailInput {
  requestId: string;
  /** Vendor property id when known (fills from ids_only pulls). */
  propertyId?: string | null;
  street?: string | null;
  unit?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  apn?: string | null;
  fips?: string | null;
}

export interface PropertyOwner {
  first: string | null;
  last: string | null;
  full: string | null;
  /** Vendor's owner type in our words. */
  ownerType: 'individual' | 'trust' | 'llc' | 'corporate' | 'estate' | 'government' | 'unknown';
}

export interface PropertyRecord {
  propertyId: string | null;
  apn: string | null;
  fips: string | null;
  mak: string | null;
  address: {
    street: string | null;
    unit: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
  };
  mailingAddress: {
    street: string | null;
    city: string | null;
    state: string | null;
    zip: string | null;
  } | null;
  owners: PropertyOwner[];
  propertyType: string | null;
  beds: number | null;
  baths: number | null;
  sqft: number | null;
  yearBuilt: number | null;
  estimatedValue: number | null;
  estimatedEquity: number | null;
  equityPercent: number | null;
  ownerOccupied: boolean | null;
  absenteeOwner: boolean | null;
  corporateOwned: boolean | null;
  preForeclosure: boolean | null;
  foreclosure: boolean | null;
  taxLien: boolean | null;
  bankruptcy: boolean | null;
  vacant: boolean | null;
  highEquity: boolean | null;
  freeClear: boolean | null;
}

export interface PropertyDetailItemResult {
  requestId: string;
  matched: boolean;
  billableUnits: number;
  record: PropertyRecord | null;
  rawItem: unknown;
}

export interface PropertyDetailProvider extends ProviderDescriptor {
  readonly kind: 'property-detail';
  propertyDetail(
    inputs: PropertyDetailInput[],
    options?: { signal?: AbortSignal },
  ): Promise<PropertyDetailItemResult[]>;
}

// ---- property search -------------------------------------------------------------------

/** Normalized search parameters (the query signature is a hash of these). */
export interface PropertySearchQuery {
  zips?: string[];
  city?: string;
  state?: string;
  filters?: Record<string, string | number | boolean>;
  sort?: string;
}

export interface PropertySearchPage {
  /** Total matching properties. */
  total: number;
  /** Records of this page (full mode) — empty in count and ids modes. */
  records: PropertyRecord[];
  /** Vendor ids of this page, in vendor order. */
  ids: string[];
  /** Next resultIndex, or null when the last page was reached. */
  nextIndex: number | null;
  billableUnits: number;
}

export interface PropertySearchProvider extends ProviderDescriptor {
  readonly kind: 'property-search';
  search(
    query: PropertySearchQuery,
    mode: { kind: 'count' } | { kind: 'ids' } | { kind: 'full'; size: number; resultIndex: number },
    options?: { signal?: AbortSignal },
  ): Promise<PropertySearchPage>;
}

// ---- business people (Apollo) ------------------------------------------------------------

export interface PersonMatchInput {
  requestId: string;
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  organizationName?: string | null;
  domain?: string | null;
}

export interface PersonMatchResult {
  requestId: string;
  matched: boolean;
  billableUnits: number;
  person: {
    first: string | null;
    last: string | null;
    title: string | null;
    email: string | null;
    emailStatus: string | null;
    phones: ParsedPhone[];
    linkedinUrl: string | null;
    organization: string | null;
    domain: string | null;
  } | null;
  rawItem: unknown;
}

export interface BusinessPeopleProvider extends ProviderDescriptor {
  readonly kind: 'business-people';
  matchPeople(inputs: PersonMatchInput[], options?: { signal?: AbortSignal }): Promise<PersonMatchResult[]>;
}

// ---- domain search (Hunter) ---------------------------------------------------------------

export interface DomainSearchFilters {
  type?: 'personal' | 'generic';
  seniority?: string[];
  department?: string[];
  requiredField?: string;
  limit?: number;
  offset?: number;
  location?: string;
  jobTitles?: string[];
}

export interface DomainContact {
  email: string;
  first: string | null;
  last: string | null;
  position: string | null;
  seniority: string | null;
  department: string | null;
  type: 'personal' | 'generic' | null;
  confidence: number | null;
  linkedinUrl: string | null;
  twitter: string | null;
  phone: string | null;
  verificationStatus: string | null;
  verificationDate: string | null;
}

export interface DomainSearchResult {
  domain: string;
  organization: string | null;
  total: number;
  contacts: DomainContact[];
  billableUnits: number;
}

export interface DomainSearchProvider extends ProviderDescriptor {
  readonly kind: 'domain-search';
  domainSearch(
    domain: string,
    filters: DomainSearchFilters,
    options?: { signal?: AbortSignal },
  ): Promise<DomainSearchResult>;
}

// ---- verification ------------------------------------------------------------------------

export interface PhoneVerification {
  /** E.164 as asked. */
  number: string;
  valid: boolean | null;
  type: PhoneLineType | null;
  carrier: string | null;
  reachable: boolean | null;
  /** null = this provider does not check it. */
  dnc: boolean | null;
  tcpa: boolean | null;
  litigator: boolean | null;
  billableUnits: number;
}

export interface PhoneVerifyProvider extends ProviderDescriptor {
  readonly kind: 'phone-verify';
  verifyPhones(numbers: string[], options?: { signal?: AbortSignal }): Promise<PhoneVerification[]>;
}

export type EmailVerificationStatus =
  | 'valid'
  | 'invalid'
  | 'accept_all'
  | 'unknown'
  | 'disposable'
  | 'webmail';

export interface EmailVerification {
  email: string;
  status: EmailVerificationStatus;
  /** 0–100 when the provider scores. */
  score: number | null;
  /** Why, in a few machine-readable words: 'no_mx', 'smtp_550', 'greylisted', … */
  reason: string | null;
  billableUnits: number;
}

export interface EmailVerifyProvider extends ProviderDescriptor {
  readonly kind: 'email-verify';
  verifyEmails(emails: string[], options?: { signal?: AbortSignal }): Promise<EmailVerification[]>;
}
