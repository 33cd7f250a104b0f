/**
 * Parses a BatchData skip-trace answer (v1 or v3) into one SkipTraceItemResult per input.
 *
 * Fails closed: an error status (HTTP or inside a 200 body), an all-errors batch or an
 * unknown shape throws a ProviderError; it never yields an empty "no match" answer that
 * would be cached as a real miss.
 *
 * Results are matched to inputs BY EVIDENCE, never by array position alone:
 *   1. the echoed requestId (v1 `person.requestId`, v3 `input.requestId`);
 *   2. else the echoed propertyAddress, street + ZIP5 normalized, when exactly one input has it;
 *   3. else the v3 `inputIndex` (the position in our request, which the vendor echoes).
 * A result with no evidence is dropped, and its input reads as unmatched (and unbilled).
 */
import type {
  ParsedEmail,
  ParsedPerson,
  ParsedPhone,
  PhoneLineType,
  SkipTraceInput,
  SkipTraceItemResult,
} from '../contract.js';
import { ProviderError } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { errorCodeForStatus, redactSample } from './diagnostics.js';
import { statusSchema, v1ResponseSchema, v3ResponseSchema, type V1Person, type V3DataItem } from './wire.js';

const PROVIDER = 'batchdata';

export function parseSkipTraceResponse(
  body: unknown,
  inputs: SkipTraceInput[],
  httpStatus: number,
): SkipTraceItemResult[] {
  const httpCode = errorCodeForStatus(httpStatus);
  if (httpCode) {
    throw new ProviderError(httpCode, `BatchData answered HTTP ${httpStatus}`, {
      provider: PROVIDER,
      statusCode: httpStatus,
      sample: redactSample(body),
    });
  }
  if (!isRecord(body)) throw unrecognized('body is not a JSON object', body, httpStatus);

  throwOnBodyStatus(body, httpStatus);

  if (isRecord(body.results) && 'persons' in body.results) {
    const parsed = v1ResponseSchema.safeParse(body);
    if (!parsed.success) throw unrecognized(`v1 ${describeIssue(parsed.error)}`, body, httpStatus);
    throwOnAllErrors(parsed.data.results.meta?.results, body, httpStatus);
    const rawPersons = (body.results as { persons: unknown[] }).persons;
    return matchV1(parsed.data.results.persons, rawPersons, inputs);
  }
  if (isRecord(body.result) && 'data' in body.result) {
    const parsed = v3ResponseSchema.safeParse(body);
    if (!parsed.success) throw unrecognized(`v3 ${describeIssue(parsed.error)}`, body, httpStatus);
    throwOnAllErrors(parsed.data.result.meta?.results, body, httpStatus);
    const rawData = (body.result as { data: unknown[] }).data;
    return matchV3(parsed.data.result.data, rawData, inputs);
  }
  const keys = Object.keys(body).slice(0, 10).join(',') || '(none)';
  throw unrecognized(
    `neither results.persons (v1) nor result.data (v3); top-level keys: ${keys}`,
    body,
    httpStatus,
  );
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/** BatchData can answer HTTP 200 with the real status in the body. */
function throwOnBodyStatus(body: Record<string, unknown>, httpStatus: number): void {
  const status = statusSchema.safeParse(body.status);
  if (!status.success) return; // a missing status is a shape problem, reported by the schemas
  const code = errorCodeForStatus(status.data.code);
  if (!code) return;
  const text = [status.data.text, status.data.message].filter(Boolean).join(': ');
  throw new ProviderError(
    code,
    `BatchData answered HTTP ${httpStatus} with status ${status.data.code} in the body${text ? ` (${text})` : ''}`,
    { provider: PROVIDER, statusCode: httpStatus, sample: redactSample(body) },
  );
}

/** Every item failing is a vendor failure, not a batch of misses. */
function throwOnAllErrors(
  counts: { requestCount: number; errorCount: number } | undefined,
  body: unknown,
  httpStatus: number,
): void {
  if (!counts || counts.requestCount <= 0 || counts.errorCount !== counts.requestCount) return;
  throw new ProviderError(
    'server_error',
    `BatchData reported errors for all ${counts.requestCount} request items`,
    { provider: PROVIDER, statusCode: httpStatus, sample: redactSample(body) },
  );
}

function unrecognized(reason: string, body: unknown, httpStatus: number): ProviderError {
  return new ProviderError('unrecognized_response', `unrecognized response shape: ${reason}`, {
    provider: PROVIDER,
    statusCode: httpStatus,
    sample: redactSample(body),
  });
}

// ---------------------------------------------------------------------------------------
// Matching results to inputs
// ---------------------------------------------------------------------------------------

interface Evidence {
  requestId: string | null | undefined;
  street: string | null | undefined;
  zip: string | null | undefined;
  /** v3 only: the item's position in our request. */
  inputIndex?: number | null | undefined;
}

/** Street + ZIP5, upper case, punctuation stripped, whitespace collapsed. */
export function addressMatchKey(
  street: string | null | undefined,
  zip: string | null | undefined,
): string | null {
  if (!street) return null;
  const s = street
    .toUpperCase()
    .replace(/[^A-Z0-9\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!s) return null;
  return `${s}|${zip5(zip)}`;
}

function zip5(zip: string | null | undefined): string {
  if (!zip) return '';
  const digits = /^\s*(\d{5})/.exec(zip);
  // Non-US postal codes ("M5H 4") are compared whole, normalized like the street.
  return digits ? digits[1]! : zip.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function createResolver(inputs: SkipTraceInput[]): (e: Evidence) => number | undefined {
  const byRequestId = new Map<string, number>();
  const byAddress = new Map<string, number[]>();
  inputs.forEach((input, i) => {
    byRequestId.set(input.requestId, i);
    const key = addressMatchKey(input.street, input.zip);
    if (key) byAddress.set(key, [...(byAddress.get(key) ?? []), i]);
  });
  return (e) => {
    if (e.requestId != null) {
      const hit = byRequestId.get(e.requestId);
      if (hit !== undefined) return hit;
    }
    const validIndex =
      typeof e.inputIndex === 'number' &&
      Number.isInteger(e.inputIndex) &&
      e.inputIndex >= 0 &&
      e.inputIndex < inputs.length
        ? e.inputIndex
        : undefined;
    const key = addressMatchKey(e.street, e.zip);
    const candidates = key ? byAddress.get(key) : undefined;
    if (candidates?.length === 1) return candidates[0];
    // Two inputs at one address: only the echoed index can tell them apart.
    if (candidates && candidates.length > 1) {
      return validIndex !== undefined && candidates.includes(validIndex) ? validIndex : undefined;
    }
    return validIndex;
  };
}

function matchV1(
  persons: V1Person[],
  rawPersons: unknown[],
  inputs: SkipTraceInput[],
): SkipTraceItemResult[] {
  const resolve = createResolver(inputs);
  const groups = inputs.map(() => ({ parsed: [] as V1Person[], raw: [] as unknown[] }));
  persons.forEach((person, i) => {
    const at = resolve({
      requestId: person.requestId,
      street: person.propertyAddress?.street,
      zip: person.propertyAddress?.zip,
    });
    if (at === undefined) return;
    groups[at]!.parsed.push(person);
    groups[at]!.raw.push(rawPersons[i]);
  });
  return inputs.map((input, i) => {
    const group = groups[i]!;
    // v1 sends a placeholder entry with meta.matched=false for a miss: not a person.
    const found = group.parsed.filter((p) => p.meta.matched).map(v1Person);
    const errored = found.length === 0 && group.parsed.some((p) => p.meta.error === true);
    return itemResult(input.requestId, found, group.raw.length > 0 ? group.raw : null, errored);
  });
}

function matchV3(data: V3DataItem[], rawData: unknown[], inputs: SkipTraceInput[]): SkipTraceItemResult[] {
  const resolve = createResolver(inputs);
  const groups = inputs.map(() => ({ parsed: [] as V3DataItem[], raw: [] as unknown[] }));
  data.forEach((item, i) => {
    const at = resolve({
      requestId: item.input?.requestId,
      street: item.input?.propertyAddress?.street,
      zip: item.input?.propertyAddress?.zip,
      inputIndex: item.inputIndex ?? item.input?.inputIndex,
    });
    if (at === undefined) return;
    groups[at]!.parsed.push(item);
    groups[at]!.raw.push(rawData[i]);
  });
  return inputs.map((input, i) => {
    const group = groups[i]!;
    const found = group.parsed.filter((d) => d.meta.matched).flatMap((d) => d.persons.map(v3Person));
    const raw = group.raw.length === 0 ? null : group.raw.length === 1 ? group.raw[0] : group.raw;
    const errored = found.length === 0 && group.parsed.some((d) => d.meta.error === true);
    return itemResult(input.requestId, found, raw, errored);
  });
}

/** Matched = the vendor said matched AND returned a person; that is also what it bills. */
function itemResult(
  requestId: string,
  persons: ParsedPerson[],
  rawItem: unknown,
  itemError = false,
): SkipTraceItemResult {
  const matched = persons.length > 0;
  return {
    requestId,
    matched,
    billableUnits: matched ? 1 : 0,
    persons,
    rawItem,
    ...(itemError ? { itemError } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Mapping to our words
// ---------------------------------------------------------------------------------------

export function phoneLineType(vendorType: string | null | undefined): PhoneLineType {
  const t = (vendorType ?? '').toUpperCase().replace(/[\s_-]/g, '');
  if (t === 'MOBILE' || t === 'WIRELESS' || t === 'CELL' || t === 'CELLULAR') return 'mobile';
  if (t === 'LANDLINE') return 'landline';
  if (t === 'VOIP') return 'voip';
  return 'unknown';
}

/** v3 has no score: rank 0 → 100, each rank below it −10, floored at 0. */
export function scoreFromRank(rank: number | null | undefined): number | null {
  return typeof rank === 'number' ? Math.max(0, 100 - 10 * rank) : null;
}

type VendorName = {
  first?: string | null;
  last?: string | null;
  middle?: string | null;
  full?: string | null;
};

function names(name: VendorName | null | undefined): Pick<ParsedPerson, 'first' | 'last' | 'full'> {
  const first = name?.first || null;
  const last = name?.last || null;
  const composed = [first, name?.middle, last].filter(Boolean).join(' ');
  return { first, last, full: name?.full || composed || null };
}

function email(e: { email: string; tested?: boolean | null }): ParsedEmail {
  return { address: e.email.trim().toLowerCase(), tested: e.tested ?? null };
}

function v1Person(p: V1Person): ParsedPerson {
  return {
    ...names(p.name),
    litigator: p.litigator ?? false,
    deceased: p.deceased ?? false,
    phones: (p.phoneNumbers ?? []).map(
      (ph): ParsedPhone => ({
        number: ph.number,
        type: phoneLineType(ph.type),
        carrier: ph.carrier ?? null,
        dnc: ph.dnc ?? false,
        // v1 documents TCPA per person; a flagged person flags every phone (fail safe).
        tcpa: ph.tcpa ?? p.tcpa ?? false,
        score: ph.score ?? null,
        reachable: ph.reachable ?? null,
      }),
    ),
    emails: (p.emails ?? []).map(email),
  };
}

function v3Person(p: V3DataItem['persons'][number]): ParsedPerson {
  return {
    ...names(p.name),
    litigator: p.litigator ?? false,
    deceased: p.deceased ?? false,
    phones: (p.phones ?? []).map(
      (ph): ParsedPhone => ({
        number: ph.number,
        type: phoneLineType(ph.type),
        carrier: ph.carrier ?? null,
        dnc: ph.dnc ?? false,
        tcpa: ph.tcpa ?? false,
        score: scoreFromRank(ph.rank),
        reachable: ph.reachable ?? null,
      }),
    ),
    emails: (p.emails ?? []).map(email),
  };
}
