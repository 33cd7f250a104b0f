/**
 * One JSON-lines record for `leadtrace normalize`: the address parts, keys and signatures the
 * rest of the system would compute for it, so users can see why two rows dedupe (or do not).
 */
import { normalizeOwner } from '../person/normalize-person.js';
import { addressKey, computeSignatures } from '../signatures.js';
import { normalizeAddress } from './normalize-address.js';
import { parseAddressLine } from './parse-address-line.js';
import type { RawAddress } from './types.js';

/** The output line, snake_case; absent parts are null, never omitted. */
export interface NormalizedRecord {
  input: Record<string, unknown>;
  house_number: string | null;
  pre_directional: string | null;
  street_name: string | null;
  suffix: string | null;
  post_directional: string | null;
  unit_designator: string | null;
  unit_number: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  zip5: string | null;
  zip4: string | null;
  address_key: string | null;
  input_signature: string;
  sanitized_signature: string;
  idempotency_key: string;
}

export type NormalizeRecordResult = { ok: true; output: NormalizedRecord } | { ok: false; error: string };

export const MISSING_ADDRESS_ERROR =
  'record has no address: give "street" (with "city", "state", "zip") or "address" as one string';

const TEXT_FIELDS = ['street', 'line2', 'city', 'state', 'zip', 'address', 'first', 'last'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** Reads the known fields as strings; numbers are accepted (a ZIP often arrives as one). */
function readFields(input: Record<string, unknown>): Partial<Record<TextField, string>> | string {
  const fields: Partial<Record<TextField, string>> = {};
  for (const name of TEXT_FIELDS) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isFinite(value)) fields[name] = String(value);
    else if (typeof value === 'string') fields[name] = value;
    else return `field "${name}" must be a string, got ${Array.isArray(value) ? 'array' : typeof value}`;
  }
  return fields;
}

/**
 * Normalizes one input object: `{street, city, state, zip}` (optionally `line2`, `first`,
 * `last`) or `{address: "one string"}` (plus `first`/`last`). When both `street` and `address`
 * are given, `street` wins, since separate fields carry more structure. Never throws.
 */
export function normalizeRecord(input: Record<string, unknown>): NormalizeRecordResult {
  const fields = readFields(input);
  if (typeof fields === 'string') return { ok: false, error: fields };
  const hasStreet = fields.street !== undefined && fields.street.trim() !== '';
  const hasLine = fields.address !== undefined && fields.address.trim() !== '';
  if (!hasStreet && !hasLine) return { ok: false, error: MISSING_ADDRESS_ERROR };
  const raw: RawAddress = hasStreet ? fields : parseAddressLine(fields.address!);
  if (!hasStreet) raw.line2 = fields.line2;
  const addr = normalizeAddress(raw);
  const owner = normalizeOwner({ first: fields.first, last: fields.last });
  const signatures = computeSignatures(addr, owner);
  return {
    ok: true,
    output: {
      input,
      house_number: addr.houseNumber,
      pre_directional: addr.preDirectional,
      street_name: addr.streetName,
      suffix: addr.suffix,
      post_directional: addr.postDirectional,
      unit_designator: addr.unitDesignator,
      unit_number: addr.unitNumber,
      line1: addr.line1,
      line2: addr.line2,
      city: addr.city,
      state: addr.state,
      zip5: addr.zip5,
      zip4: addr.zip4,
      address_key: addressKey(addr),
      input_signature: signatures.inputSignature,
      sanitized_signature: signatures.sanitizedSignature,
      idempotency_key: signatures.idempotencyKey,
    },
  };
}
