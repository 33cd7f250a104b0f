/**
 * Input signatures, idempotency keys and the lead dedupe key (seed 002, Epic A).
 *
 * The strings hashed here are a storage contract: cache rows and provider-call rows are found
 * by these hashes, so changing a format silently turns every cached answer into a miss (and a
 * second vendor bill). Change them only with a migration plan.
 */
import { createHash } from 'node:crypto';
import type { NormalizedAddress } from './address/types.js';

/** The name parts a signature reads; a LeadOwner fits. */
export interface SignatureOwner {
  first: string | null;
  last: string | null;
  /** Entity name; used only when there is no first or last name. */
  company?: string | null;
}

/** Everything the cache and provider-call tables key on for one lead input. */
export interface Signatures {
  /** `line1 line2|city|state|zip5`. */
  normalizedAddress: string;
  /** `FIRST LAST` (or the company), upper case. */
  normalizedPerson: string;
  /** sha256(normalizedAddress + '#' + normalizedPerson), hex. */
  inputSignature: string;
  /** Same as inputSignature with the unit removed, for the one sanitized retry. */
  sanitizedSignature: string;
  /** sha256 of the inputSignature hex string. */
  idempotencyKey: string;
  /** sha256 of the sanitizedSignature hex string. */
  sanitizedIdempotencyKey: string;
  /** True when the address had a secondary unit (so a sanitized retry means something). */
  hasUnit: boolean;
}

const WHITESPACE = /\s+/g;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * `${line1}[ ${line2}]|${city}|${state}|${zip5}`, with empty strings for nulls. With
 * `withUnit: false` the secondary line is left out entirely, which removes every C2 designator
 * and "#" together with its number (seed 002's "unit tokens removed").
 */
export function normalizedAddressString(addr: NormalizedAddress, opts?: { withUnit?: boolean }): string {
  const line1 = addr.line1 ?? '';
  const street = opts?.withUnit !== false && addr.line2 !== null ? `${line1} ${addr.line2}` : line1;
  return `${street}|${addr.city ?? ''}|${addr.state ?? ''}|${addr.zip5 ?? ''}`;
}

/**
 * `FIRST LAST` upper case, trimmed, inner whitespace collapsed (seed 002: first||'' + last||'');
 * an entity (no first or last name) signs with its company name; no owner gives ''. Pass a
 * normalized owner: punctuation is not stripped here.
 */
export function normalizedPersonString(owner: SignatureOwner | null): string {
  if (owner === null) return '';
  const name = `${owner.first ?? ''} ${owner.last ?? ''}`.replace(WHITESPACE, ' ').trim();
  if (name !== '') return name.toUpperCase();
  return (owner.company ?? '').replace(WHITESPACE, ' ').trim().toUpperCase();
}

/** Primary and sanitized signatures plus their idempotency keys, exactly per seed 002 Epic A. */
export function computeSignatures(addr: NormalizedAddress, owner: SignatureOwner | null): Signatures {
  const normalizedAddress = normalizedAddressString(addr);
  const normalizedPerson = normalizedPersonString(owner);
  const inputSignature = sha256Hex(`${normalizedAddress}#${normalizedPerson}`);
  const sanitizedSignature = sha256Hex(
    `${normalizedAddressString(addr, { withUnit: false })}#${normalizedPerson}`,
  );
  return {
    normalizedAddress,
    normalizedPerson,
    inputSignature,
    sanitizedSignature,
    idempotencyKey: sha256Hex(inputSignature),
    sanitizedIdempotencyKey: sha256Hex(sanitizedSignature),
    hasUnit: addr.unitDesignator !== null || addr.line2 !== null,
  };
}

/**
 * The dedupe key of a property: sha256 (hex) of `${line1} ${unit}|${zip5}` when the ZIP5 is
 * known, else of `${line1} ${unit}|${city}|${state}`; null when there is no line1 or no house
 * number (a street without a number, or a PO box, is not one property).
 *
 * Why ZIP and not city: lists spell one place several ways ("SAINT LOUIS", "ST LOUIS", a
 * neighborhood name, the county seat), while the ZIP5 of an address is stable; city and
 * state are only the fallback when the ZIP is missing.
 *
 * Why the unit NUMBER and not the designator: "APT 4", "UNIT 4" and "# 4" are the same door
 * written by different exporters, so the key uses the number alone (the designator only when
 * there is no number, e.g. REAR or PH). The cost: "BLDG 4" and "APT 4" at one street address
 * share a key, which is far rarer than the designator varying. When there is no unit the key
 * is `${line1}|…` with no trailing space.
 */
export function addressKey(addr: NormalizedAddress): string | null {
  if (addr.line1 === null || addr.houseNumber === null) return null;
  const unit = addr.unitNumber ?? addr.unitDesignator;
  const primary = unit === null ? addr.line1 : `${addr.line1} ${unit}`;
  const place = addr.zip5 !== null ? addr.zip5 : `${addr.city ?? ''}|${addr.state ?? ''}`;
  return sha256Hex(`${primary}|${place}`);
}
