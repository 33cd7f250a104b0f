/**
 * Rebuilds a stored lead's normalized address and owner, and from them the seed 002
 * signatures and the vendor input (full and sanitized, i.e. without the unit).
 */
import type { NormalizedAddress } from '../domain/address/types.js';
import type { LeadOwner } from '../domain/lead.js';
import { computeSignatures } from '../domain/signatures.js';
import type { SkipTraceRequest } from '../pipeline/skiptrace-service.js';
import type { TraceLead as LeadRow } from '../store/repos/leads.js';

export function addressOfLead(lead: LeadRow): NormalizedAddress | null {
  if (!lead.address_line1) return null;
  return {
    houseNumber: null,
    preDirectional: null,
    streetName: null,
    suffix: null,
    postDirectional: null,
    unitDesignator: null,
    unitNumber: null,
    line1: lead.address_line1,
    line2: lead.address_line2,
    city: lead.city,
    state: lead.state,
    zip5: lead.zip5,
    zip4: lead.zip4,
  };
}

export function ownerOfLead(lead: LeadRow): LeadOwner | null {
  if (!lead.owner_first && !lead.owner_last && !lead.owner_full && !lead.owner_company) return null;
  return {
    first: lead.owner_first,
    middle: lead.owner_middle,
    last: lead.owner_last,
    full: lead.owner_full,
    company: lead.owner_company,
    ownerType: (lead.owner_type ?? 'unknown') as LeadOwner['ownerType'],
  };
}

export interface LeadTraceKeys {
  idempotencyKey: string;
  sanitizedIdempotencyKey: string | null;
  normalizedAddress: string;
  normalizedPerson: string;
}

/** Null when the lead has no street address to trace. */
export function traceKeysOfLead(lead: LeadRow): LeadTraceKeys | null {
  const address = addressOfLead(lead);
  if (!address) return null;
  const sig = computeSignatures(address, ownerOfLead(lead));
  return {
    idempotencyKey: sig.idempotencyKey,
    sanitizedIdempotencyKey: sig.hasUnit ? sig.sanitizedIdempotencyKey : null,
    normalizedAddress: sig.normalizedAddress,
    normalizedPerson: sig.normalizedPerson,
  };
}

/** The vendor request for a lead; `sanitized` drops the unit (seed 002 retry). */
export function skipTraceRequestOf(lead: LeadRow, keys: LeadTraceKeys, sanitized: boolean): SkipTraceRequest {
  const street =
    sanitized || !lead.address_line2 ? lead.address_line1! : `${lead.address_line1} ${lead.address_line2}`;
  const entity = lead.owner_company !== null;
  return {
    leadId: lead.id,
    idempotencyKey: sanitized ? keys.sanitizedIdempotencyKey! : keys.idempotencyKey,
    attemptReason: sanitized ? 'address_sanitized' : 'primary',
    input: {
      street,
      city: lead.city,
      state: lead.state,
      zip: lead.zip5,
      firstName: entity ? null : lead.owner_first,
      lastName: entity ? null : lead.owner_last,
    },
  };
}
