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
