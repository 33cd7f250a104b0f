/**
 * Parses RealEstateAPI answers into our words: a skip-trace item, a property record, a
 * search page. Fails closed: an error status (HTTP or `statusCode` inside a 200 body) or an
 * unknown shape throws a ProviderError; nothing unknown is read as an empty "no match".
 *
 * The documented misses are answers, not errors: SkipTrace `match: false`, and PropertyDetail
 * `{"data":{},"statusCode":404,"statusMessage":"Not Found"}` (HTTP 404 or a 200 carrying it).
 * A bare hapi 404 (`{"statusCode":404,"error":"Not Found","message":"Not Found"}`, no `data`
 * or `statusMessage`) is a wrong route, not a missing property, and stays an error.
 */
import { classifyOwner } from '../../domain/person/normalize-person.js';
import { errorCodeForStatus, redactSample } from '../batchdata/diagnostics.js';
import { phoneLineType } from '../batchdata/parse.js';
import type {
  ParsedPerson,
  ParsedPhone,
  PropertyDetailInput,
  PropertyDetailItemResult,
  PropertyOwner,
  PropertyRecord,
  PropertySearchPage,
  SkipTraceInput,
  SkipTraceItemResult,
} from '../contract.js';
import { ProviderError, type ProviderErrorCode } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { unrecognizedShape } from '../vendor-http.js';
import {
  realEstateApiPropertyDetailFacts,
  realEstateApiPropertySearchFacts,
  realEstateApiSkipTraceFacts,
} from './facts.js';
import type { SearchMode } from './request.js';
import {
  DAILY_CREDIT_LIMIT_PHRASE,
  detailResponseSchema,
  idsOnlyDataSchema,
  searchRecordSchema,
  searchResponseSchema,
  skipTraceResponseSchema,
  type DetailData,
  type SearchRecord,
} from './wire.js';

const VENDOR = 'RealEstateAPI';

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/**
 * The code for a failed status. A 429 is a per-second limit unless the vendor says the daily
 * credit cap is reached, which no retry within the UTC day will cure: quota_exhausted.
 */
export function errorCodeFor(status: number, body: unknown): ProviderErrorCode | null {
  const code = errorCodeForStatus(status);
  if (code === 'rate_limited' && vendorErrorText(body).toLowerCase().includes(DAILY_CREDIT_LIMIT_PHRASE)) {
    return 'quota_exhausted';
  }
  return code;
}

/** "Bad Request: \"house\" missing required peer \"zip\"" from a hapi body, or its statusMessage. */
export function vendorErrorText(body: unknown): string {
  if (!isRecord(body)) return '';
  const words = [body.error, body.message, body.reason].filter((s) => typeof s === 'string' && s);
  if (words.length === 0 && typeof body.statusMessage === 'string') words.push(body.statusMessage);
  return words.join(': ');
}

/** Throws for an HTTP error status, or for an error `statusCode` inside a 2xx body. */
function throwOnStatus(provider: string, body: unknown, httpStatus: number): void {
  const bodyStatus = isRecord(body) && typeof body.statusCode === 'number' ? body.statusCode : null;
  const status = errorCodeForStatus(httpStatus) ? httpStatus : bodyStatus;
  if (status === null) return;
  const code = errorCodeFor(status, body);
  if (!code) return;
  const where =
    status === httpStatus ? `HTTP ${httpStatus}` : `HTTP ${httpStatus} with status ${status} in the body`;
  const text = vendorErrorText(body);
  throw new ProviderError(code, `${VENDOR} answered ${where}${text ? ` (${text})` : ''}`, {
    provider,
    statusCode: httpStatus,
    sample: redactSample(body),
  });
}

function unrecognized(provider: string, reason: string, body: unknown, httpStatus: number): ProviderError {
  return unrecognizedShape({ provider, secrets: [] }, reason, body, httpStatus);
}

function topKeys(body: Record<string, unknown>): string {
  return Object.keys(body).slice(0, 10).join(',') || '(none)';
}

// ---------------------------------------------------------------------------------------
// POST /v1/SkipTrace
// ---------------------------------------------------------------------------------------

export function parseSkipTraceResponse(
  body: unknown,
  input: SkipTraceInput,
  httpStatus: number,
  provider = realEstateApiSkipTraceFacts.id,
): SkipTraceItemResult {
  throwOnStatus(provider, body, httpStatus);
  if (!isRecord(body)) throw unrecognized(provider, 'body is not a JSON object', body, httpStatus);
  if (typeof body.match !== 'boolean') {
    throw unrecognized(provider, `no boolean "match"; top-level keys: ${topKeys(body)}`, body, httpStatus);
  }
  const parsed = skipTraceResponseSchema.safeParse(body);
  if (!parsed.success) throw unrecognized(provider, describeIssue(parsed.error), body, httpStatus);
  const miss = { requestId: input.requestId, matched: false, billableUnits: 0, persons: [], rawItem: body };
  if (!parsed.data.match) return miss;

  const identity = parsed.data.output?.identity;
  if (!identity)
    throw unrecognized(provider, 'match is true but output.identity is missing', body, httpStatus);
  const name = identity.names?.[0];
  const first = name?.firstName || null;
  const last = name?.lastName || null;
  const person: ParsedPerson = {
    first,
    last,
    full: name?.fullName || [first, name?.middleName, last].filter(Boolean).join(' ') || null,
    // The vendor reports neither litigators nor TCPA: false means "not said" here.
    litigator: false,
    deceased: parsed.data.output?.demographics?.deceased ?? false,
    phones: (identity.phones ?? []).map(
      (p): ParsedPhone => ({
        number: p.phone,
        type: phoneLineType(p.phoneType),
        carrier: p.telcoName || null,
        dnc: p.doNotCall ?? false,
        tcpa: false,
        // Unranked list: no score rather than an invented one.
        score: null,
        reachable: p.isConnected ?? null,
      }),
    ),
    emails: (identity.emails ?? []).map((e) => ({ address: e.email.trim().toLowerCase(), tested: null })),
  };
  // The vendor bills the match, whatever it holds.
  return { requestId: input.requestId, matched: true, billableUnits: 1, persons: [person], rawItem: body };
}

// ---------------------------------------------------------------------------------------
// POST /v2/PropertyDetail
// ---------------------------------------------------------------------------------------

/** The documented "Not Found" envelope: status 404 and PropertyDetail's own keys. */
export function isPropertyNotFound(body: unknown, httpStatus: number): boolean {
  if (!isRecord(body)) return false;
  const status = httpStatus === 404 ? 404 : body.statusCode;
  return status === 404 && ('data' in body || 'statusMessage' in body) && isEmptyData(body.data);
}

function isEmptyData(data: unknown): boolean {
  return data === undefined || data === null || (isRecord(data) && Object.keys(data).length === 0);
}

export function parsePropertyDetailResponse(
  body: unknown,
  input: PropertyDetailInput,
  httpStatus: number,
  provider = realEstateApiPropertyDetailFacts.id,
): PropertyDetailItemResult {
  const miss = { requestId: input.requestId, matched: false, billableUnits: 0, record: null, rawItem: body };
  if (isPropertyNotFound(body, httpStatus)) return miss;
  throwOnStatus(provider, body, httpStatus);
  if (!isRecord(body)) throw unrecognized(provider, 'body is not a JSON object', body, httpStatus);
  if (!('data' in body)) {
    throw unrecognized(provider, `no "data"; top-level keys: ${topKeys(body)}`, body, httpStatus);
  }
  // "No data" for a 200 is a miss too, never an empty record.
  if (isEmptyData(body.data)) return miss;
  const parsed = detailResponseSchema.safeParse(body);
  if (!parsed.success) throw unrecognized(provider, describeIssue(parsed.error), body, httpStatus);
  return {
    requestId: input.requestId,
    matched: true,
    billableUnits: 1,
    record: detailRecord(parsed.data.data),
    rawItem: body,
  };
}

/** Detail addresses: `address` is the street line; else house + street name + type. */
function detailStreet(a: {
  address?: string | null;
  house?: string | null;
  street?: string | null;
  streetType?: string | null;
}) {
  return a.address || [a.house, a.street, a.streetType].filter(Boolean).join(' ') || null;
}

export function detailRecord(d: DetailData): PropertyRecord {
  const pa = d.propertyInfo?.address;
  const mail = d.ownerInfo?.mailAddress;
  const info = d.ownerInfo;
  const owners = [
    owner(info?.owner1FirstName, info?.owner1LastName, info?.owner1FullName, info?.owner1Type),
    owner(info?.owner2FirstName, info?.owner2LastName, info?.owner2FullName, info?.owner2Type),
  ].filter((o): o is PropertyOwner => o !== null);
  return {
    propertyId: d.id,
    apn: d.lotInfo?.apn || d.lotInfo?.apnUnformatted || null,
    fips: pa?.fips || null,
    mak: null,
    address: {
      street: pa ? detailStreet(pa) : null,
      unit: pa?.unit || null,
      city: pa?.city || null,
      state: pa?.state || null,
      zip: pa?.zip || null,
    },
    mailingAddress: mail
      ? {
          street: detailStreet(mail),
          city: mail.city || null,
          state: mail.state || null,
          zip: mail.zip || null,
        }
      : null,
    owners,
    propertyType: d.propertyType || null,
    beds: d.propertyInfo?.bedrooms ?? null,
    baths: d.propertyInfo?.bathrooms ?? null,
    sqft: d.propertyInfo?.livingSquareFeet ?? d.propertyInfo?.buildingSquareFeet ?? null,
    yearBuilt: d.propertyInfo?.yearBuilt ?? null,
    estimatedValue: d.estimatedValue ?? null,
    estimatedEquity: d.estimatedEquity ?? info?.equity ?? null,
    equityPercent: d.equityPercent ?? null,
    ...flags(d),
    // Detail has no `foreclosure` flag: the field guide says to look for foreclosureInfo[] entries.
    foreclosure: d.foreclosure ?? (d.foreclosureInfo ? d.foreclosureInfo.length > 0 : null),
  };
}

function flags(d: DetailData | SearchRecord) {
  return {
    ownerOccupied: d.ownerOccupied ?? null,
    absenteeOwner: d.absenteeOwner ?? null,
    corporateOwned: d.corporateOwned ?? null,
    preForeclosure: d.preForeclosure ?? null,
    foreclosure: d.foreclosure ?? null,
    taxLien: d.taxLien ?? null,
    bankruptcy: d.bankruptcy ?? null,
    vacant: d.vacant ?? null,
    highEquity: d.highEquity ?? null,
    freeClear: d.freeClear ?? null,
  };
}

/**
 * owner1Type/owner2Type are "Individual" | "Company" | "Other" (owner-types.md). The name
 * refines them: a "Company" named "… LLC" is an llc, one named "… TRUST" a trust; an
 * "Individual" whose name is plainly an entity is that entity.
 */
export function ownerType(
  vendorType: string | null | undefined,
  name: string | null,
): PropertyOwner['ownerType'] {
  const byName = classifyOwner(name);
  const type = vendorType?.trim().toLowerCase();
  if (type === 'company') return byName === 'individual' || byName === 'unknown' ? 'corporate' : byName;
  if (type === 'individual') return byName === 'unknown' ? 'individual' : byName;
  return byName;
}

function owner(
  first: string | null | undefined,
  last: string | null | undefined,
  full: string | null | undefined,
  vendorType?: string | null,
): PropertyOwner | null {
  const name = full || [first, last].filter(Boolean).join(' ') || null;
  if (!name) return null;
  return { first: first || null, last: last || null, full: name, ownerType: ownerType(vendorType, name) };
}

// ---------------------------------------------------------------------------------------
// POST /v2/PropertySearch
// ---------------------------------------------------------------------------------------

/**
 * One page in our words. `nextIndex` follows the vendor's paging recipe: the next
 * `resultIndex` is this request's plus `recordCount`, and paging is over once it reaches
 * `resultCount` (or a page comes back empty). count and ids_only calls have no next page.
 */
export function parsePropertySearchResponse(
  body: unknown,
  mode: SearchMode,
  httpStatus: number,
  provider = realEstateApiPropertySearchFacts.id,
): PropertySearchPage {
  throwOnStatus(provider, body, httpStatus);
  if (!isRecord(body)) throw unrecognized(provider, 'body is not a JSON object', body, httpStatus);
  if (!Array.isArray(body.data) || typeof body.resultCount !== 'number') {
    throw unrecognized(
      provider,
      `no "data" array with a numeric "resultCount"; top-level keys: ${topKeys(body)}`,
      body,
      httpStatus,
    );
  }
  const parsed = searchResponseSchema.safeParse(body);
  if (!parsed.success) throw unrecognized(provider, describeIssue(parsed.error), body, httpStatus);
  const total = parsed.data.resultCount;
  const empty = { total, records: [], ids: [], nextIndex: null, billableUnits: 0 };

  if (mode.kind === 'count') return empty;
  if (mode.kind === 'ids') {
    const ids = idsOnlyDataSchema.safeParse(parsed.data.data);
    if (!ids.success) throw unrecognized(provider, `ids_only ${describeIssue(ids.error)}`, body, httpStatus);
    return { ...empty, ids: ids.data.flat() };
  }

  const records: PropertyRecord[] = [];
  const ids: string[] = [];
  for (const [i, raw] of parsed.data.data.entries()) {
    const record = searchRecordSchema.safeParse(raw);
    if (!record.success) {
      throw unrecognized(provider, `data[${i}].${describeIssue(record.error)}`, body, httpStatus);
    }
    records.push(searchRecord(record.data));
    ids.push(record.data.id);
  }
  const recordCount = parsed.data.recordCount ?? records.length;
  if (recordCount !== records.length) {
    throw unrecognized(
      provider,
      `recordCount ${recordCount} but ${records.length} records in data`,
      body,
      httpStatus,
    );
  }
  const next = mode.resultIndex + recordCount;
  return {
    total,
    records,
    ids,
    nextIndex: recordCount === 0 || next >= total ? null : next,
    billableUnits: records.length,
  };
}

/** Search addresses: `street` is the street line, `address` the full line ("…, Herndon, Va 20171"). */
function searchStreet(a: { street?: string | null; address?: string | null }): string | null {
  return a.street || a.address?.split(',')[0]?.trim() || null;
}

export function searchRecord(r: SearchRecord): PropertyRecord {
  const a = r.address;
  const m = r.mailAddress;
  const owners = [
    owner(r.owner1FirstName, r.owner1LastName, null),
    owner(r.owner2FirstName, r.owner2LastName, null),
  ].filter((o): o is PropertyOwner => o !== null);
  return {
    propertyId: r.id,
    apn: null,
    fips: a?.fips || null,
    mak: null,
    address: {
      street: a ? searchStreet(a) : null,
      unit: null,
      city: a?.city || null,
      state: a?.state || null,
      zip: a?.zip || null,
    },
    mailingAddress: m
      ? { street: searchStreet(m), city: m.city || null, state: m.state || null, zip: m.zip || null }
      : null,
    owners,
    propertyType: r.propertyType || null,
    beds: r.bedrooms ?? null,
    baths: r.bathrooms ?? null,
    sqft: r.squareFeet ?? null,
    yearBuilt: r.yearBuilt ?? null,
    estimatedValue: r.estimatedValue ?? null,
    estimatedEquity: r.estimatedEquity ?? null,
    equityPercent: r.equityPercent ?? null,
    ...flags(r),
  };
}
