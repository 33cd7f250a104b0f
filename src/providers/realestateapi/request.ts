/**
 * Builds RealEstateAPI request bodies from normalized inputs. Every builder throws
 * ProviderError('invalid_request') for an input the vendor would reject, before any HTTP
 * request (and any credit) is spent.
 */
import { classifyOwner } from '../../domain/person/normalize-person.js';
import type {
  PropertyDetailInput,
  PropertySearchProvider,
  PropertySearchQuery,
  SkipTraceInput,
} from '../contract.js';
import { ProviderError } from '../errors.js';
import { realEstateApiSearchLimits } from './facts.js';
import {
  SEARCH_CONTROL_KEYS,
  type PropertyDetailRequest,
  type PropertySearchRequest,
  type SkipTraceRequest,
} from './wire.js';

const PROVIDER = 'realestateapi';

function invalid(message: string): ProviderError {
  return new ProviderError('invalid_request', message, { provider: PROVIDER });
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/** Exactly one input: every RealEstateAPI endpoint we call takes one lead per request. */
export function singleInput<T>(inputs: readonly T[]): T {
  if (inputs.length !== 1) {
    throw invalid(`RealEstateAPI takes exactly one input per request; got ${inputs.length}`);
  }
  return inputs[0]!;
}

/**
 * POST /v1/SkipTrace. Needs the street and either a ZIP or city + state. Names go only when
 * both are known and they name a person: for an entity owner (LLC, trust, corporation…)
 * the docs say to omit them, the vendor then traces the address.
 */
export function buildSkipTraceRequest(input: SkipTraceInput): SkipTraceRequest {
  if (!present(input.street)) throw invalid('skip-trace input has no street');
  if (!present(input.zip) && !(present(input.city) && present(input.state))) {
    throw invalid('skip-trace input needs a ZIP or a city and state');
  }
  const body: SkipTraceRequest = { address: input.street.trim() };
  if (present(input.city)) body.city = input.city.trim();
  if (present(input.state)) body.state = input.state.trim();
  if (present(input.zip)) body.zip = input.zip.trim();
  if (present(input.firstName) && present(input.lastName) && isPerson(input.firstName, input.lastName)) {
    body.first_name = input.firstName.trim();
    body.last_name = input.lastName.trim();
  }
  return body;
}

/** Exports put "ACME HOLDINGS LLC" in the last-name column: classify the whole name. */
function isPerson(first: string, last: string): boolean {
  const kind = classifyOwner(`${first} ${last}`);
  return kind === 'individual' || kind === 'unknown';
}

/** "1433 Canyon Rd" → house "1433", street "Canyon Rd"; null when there is no house number. */
export function splitHouse(street: string): { house: string; street: string } | null {
  const m = /^\s*(\d+[A-Z]?(?:-\d+[A-Z]?)?|\d+\s+\d\/\d)\s+(.+?)\s*$/i.exec(street);
  return m ? { house: m[1]!, street: m[2]! } : null;
}

/**
 * POST /v2/PropertyDetail, most exact key first: vendor id, then APN + FIPS, then address
 * parts (house + street + state + ZIP, the vendor's required peers), else the address as one
 * string (no house number, or no state/ZIP).
 */
export function buildPropertyDetailRequest(input: PropertyDetailInput): PropertyDetailRequest {
  if (present(input.propertyId)) return { id: input.propertyId.trim() };
  if (present(input.apn) && present(input.fips)) return { apn: input.apn.trim(), fips: input.fips.trim() };
  if (!present(input.street))
    throw invalid('property-detail input needs a property id, an APN + FIPS or a street');

  const parts = splitHouse(input.street);
  const zip5 = present(input.zip) ? /^\s*(\d{5})/.exec(input.zip)?.[1] : undefined;
  if (parts && zip5 && present(input.state)) {
    const body: Extract<PropertyDetailRequest, { house: string }> = {
      house: parts.house,
      street: parts.street,
      state: input.state.trim(),
      zip: zip5,
    };
    if (present(input.unit)) body.unit = input.unit.trim();
    if (present(input.city)) body.city = input.city.trim();
    return body;
  }
  const street = present(input.unit) ? `${input.street.trim()} ${input.unit.trim()}` : input.street.trim();
  const tail = [input.state, input.zip]
    .filter(present)
    .map((s) => s.trim())
    .join(' ');
  return {
    address: [street, input.city, tail]
      .filter(present)
      .map((s) => s.trim())
      .join(', '),
  };
}

export type SearchMode = Parameters<PropertySearchProvider['search']>[1];

/**
 * POST /v2/PropertySearch. Filters pass through under their vendor names (`pre_foreclosure`,
 * `property_type`, …) but may not smuggle in a paging or mode switch. One ZIP per query: the
 * docs show `zip` as a single 5-digit value, so several ZIPs are several queries.
 */
export function buildPropertySearchRequest(
  query: PropertySearchQuery,
  mode: SearchMode,
): PropertySearchRequest {
  const body: PropertySearchRequest = {};
  for (const [key, value] of Object.entries(query.filters ?? {})) {
    if ((SEARCH_CONTROL_KEYS as readonly string[]).includes(key) || key === 'sort') {
      throw invalid(`search filter "${key}" is a paging or mode switch, not a filter`);
    }
    body[key] = value;
  }
  const zips = (query.zips ?? []).filter(present).map((z) => z.trim());
  if (zips.length > 1) throw invalid(`RealEstateAPI searches one ZIP per query; got ${zips.length}`);
  if (zips.length === 1) {
    if (!/^\d{5}$/.test(zips[0]!)) throw invalid(`search ZIP must be exactly 5 digits; got "${zips[0]}"`);
    body.zip = zips[0]!;
  }
  if (present(query.city)) body.city = query.city.trim();
  if (present(query.state)) body.state = query.state.trim();
  if (present(query.sort)) body.sort = parseSort(query.sort);

  switch (mode.kind) {
    case 'count':
      body.count = true;
      return body;
    case 'ids':
      body.ids_only = true;
      return body;
    case 'full': {
      const max = realEstateApiSearchLimits.maxPageSize;
      if (!Number.isInteger(mode.size) || mode.size < 1 || mode.size > max) {
        throw invalid(`search page size must be an integer from 1 to ${max}; got ${mode.size}`);
      }
      if (!Number.isInteger(mode.resultIndex) || mode.resultIndex < 0) {
        throw invalid(`search resultIndex must be a non-negative integer; got ${mode.resultIndex}`);
      }
      body.size = mode.size;
      body.resultIndex = mode.resultIndex;
      return body;
    }
  }
}

/** "years_owned", "years_owned:asc" or "estimated_value:desc" → `{ field: direction }`. */
export function parseSort(sort: string): Record<string, 'asc' | 'desc'> {
  const m = /^\s*([a-z][a-z0-9_]*)\s*(?::\s*(asc|desc))?\s*$/i.exec(sort);
  if (!m) throw invalid(`search sort must be "<field>" or "<field>:asc|desc"; got "${sort}"`);
  return { [m[1]!]: (m[2]?.toLowerCase() ?? 'asc') as 'asc' | 'desc' };
}
