/**
 * Parses a REISkip answer (seed 000's two shapes, two casings) into one SkipTraceItemResult.
 *
 * - 404 with an empty body or a REISkip-looking JSON body is "not found": an answer, not an
 *   error. A 404 whose body is not REISkip's (an HTML page, another API's envelope) is a
 *   wrong URL and fails closed, so a misconfigured path is never cached as misses.
 * - Shape A `matches[]` gives one person per match; shape B puts one person's contacts at the
 *   root; a body with both keeps both. Phones are deduplicated by digits and emails by
 *   lower-cased address across the answer, first occurrence kept (the seed did the same).
 * - Matched (and billed) = at least one phone or email came back (the seed's `found`).
 */
import { errorCodeForStatus, redactSample } from '../batchdata/diagnostics.js';
import { phoneLineType } from '../batchdata/parse.js';
import type {
  ParsedEmail,
  ParsedPerson,
  ParsedPhone,
  SkipTraceInput,
  SkipTraceItemResult,
} from '../contract.js';
import { ProviderError } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { unrecognizedShape } from '../vendor-http.js';
import { reiSkipFacts } from './facts.js';
import { REISKIP_BODY_KEYS, responseSchema, type ReiSkipMatch, type ReiSkipPhone } from './wire.js';

const PROVIDER = reiSkipFacts.id;

/** The vendor's own words from an error body (`error`, `message`), when it has them. */
export function vendorErrorText(body: unknown): string {
  if (!isRecord(body)) return '';
  const error = isRecord(body.error) ? body.error.message : body.error;
  return [error, body.message].filter((s) => typeof s === 'string' && s).join(': ');
}

/** A 404 body that is REISkip's "not found" rather than some other server's. */
export function isReiSkipNotFound(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return true;
  return isRecord(body) && REISKIP_BODY_KEYS.some((k) => k in body);
}

function unrecognized(reason: string, body: unknown, httpStatus: number): ProviderError {
  return unrecognizedShape({ provider: PROVIDER, secrets: [] }, reason, body, httpStatus);
}

/** `body` is the parsed JSON, or undefined for an empty body. */
export function parseReiSkipResponse(
  body: unknown,
  input: SkipTraceInput,
  httpStatus: number,
): SkipTraceItemResult {
  const miss: SkipTraceItemResult = {
    requestId: input.requestId,
    matched: false,
    billableUnits: 0,
    persons: [],
    rawItem: body ?? null,
  };
  if (httpStatus === 404) {
    if (isReiSkipNotFound(body)) return miss;
    throw unrecognized('HTTP 404 without a REISkip body (wrong base URL or path?)', body, httpStatus);
  }
  const code = errorCodeForStatus(httpStatus);
  if (code) {
    const text = vendorErrorText(body);
    throw new ProviderError(code, `REISkip answered HTTP ${httpStatus}${text ? ` (${text})` : ''}`, {
      provider: PROVIDER,
      statusCode: httpStatus,
      sample: redactSample(body),
    });
  }
  if (!isRecord(body)) throw unrecognized('body is not a JSON object', body, httpStatus);
  throwOnBodyStatus(body, httpStatus);
  const hasMatches = Array.isArray(body.matches);
  const hasRoot = Array.isArray(body.phones) || Array.isArray(body.emails);
  if (!hasMatches && !hasRoot) {
    if (body.found === false) return miss;
    const keys = Object.keys(body).slice(0, 10).join(',') || '(none)';
    throw unrecognized(
      `neither matches[] nor top-level phones[]/emails[]; top-level keys: ${keys}`,
      body,
      httpStatus,
    );
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) throw unrecognized(describeIssue(parsed.error), body, httpStatus);

  const sources: ReiSkipMatch[] = [...(parsed.data.matches ?? [])];
  if (hasRoot) sources.push(parsed.data);
  const fraction = confidenceIsFraction(sources);
  const seenPhones = new Set<string>();
  const seenEmails = new Set<string>();
  const persons = sources
    .map((m) => toPerson(m, fraction, seenPhones, seenEmails))
    .filter((p) => p.phones.length > 0 || p.emails.length > 0);
  if (persons.length === 0) return miss;
  return { requestId: input.requestId, matched: true, billableUnits: 1, persons, rawItem: body };
}

// ---------------------------------------------------------------------------------------

/** An error status carried inside a 2xx body (`status` or `statusCode`) is that error. */
function throwOnBodyStatus(body: Record<string, unknown>, httpStatus: number): void {
  const status =
    typeof body.statusCode === 'number'
      ? body.statusCode
      : typeof body.status === 'number'
        ? body.status
        : null;
  const code = status === null ? null : errorCodeForStatus(status);
  if (!code) return;
  const text = vendorErrorText(body);
  throw new ProviderError(
    code,
    `REISkip answered HTTP ${httpStatus} with status ${status} in the body${text ? ` (${text})` : ''}`,
    { provider: PROVIDER, statusCode: httpStatus, sample: redactSample(body) },
  );
}

/** Confidence on a 0–1 scale when every confidence in the answer is at most 1. */
function confidenceIsFraction(sources: ReiSkipMatch[]): boolean {
  const values = sources.flatMap((m) =>
    [...(m.phones ?? []), ...(m.emails ?? [])].flatMap((c) =>
      typeof c === 'object' && typeof c.confidence === 'number' ? [c.confidence] : [],
    ),
  );
  return values.length > 0 && values.every((v) => v <= 1);
}

function score(confidence: number | null | undefined, fraction: boolean): number | null {
  if (typeof confidence !== 'number' || !Number.isFinite(confidence)) return null;
  return Math.max(0, Math.min(100, Math.round(fraction ? confidence * 100 : confidence)));
}

function toPerson(
  m: ReiSkipMatch,
  fraction: boolean,
  seenPhones: Set<string>,
  seenEmails: Set<string>,
): ParsedPerson {
  const first = m.firstName || m.first_name || null;
  const last = m.lastName || m.last_name || null;
  const full = m.ownerName || m.owner_name || m.fullName || m.full_name || m.name || null;
  const phones: ParsedPhone[] = [];
  for (const raw of m.phones ?? []) {
    const phone = toPhone(raw, fraction);
    const key = phone.number.replace(/\D/g, '');
    if (!key || seenPhones.has(key)) continue;
    seenPhones.add(key);
    phones.push(phone);
  }
  const emails: ParsedEmail[] = [];
  for (const raw of m.emails ?? []) {
    const address = (typeof raw === 'string' ? raw : (raw.email ?? raw.address ?? '')).trim().toLowerCase();
    if (!address || seenEmails.has(address)) continue;
    seenEmails.add(address);
    emails.push({ address, tested: null });
  }
  return {
    first,
    last,
    full: full || [first, last].filter(Boolean).join(' ') || null,
    // REISkip (as the seed read it) reports no litigator flag.
    litigator: false,
    deceased: m.deceased ?? m.isDeceased ?? m.is_deceased ?? false,
    phones,
    emails,
  };
}

function toPhone(raw: ReiSkipPhone, fraction: boolean): ParsedPhone {
  if (typeof raw === 'string') {
    return {
      number: raw.replace(/\D/g, ''),
      type: 'unknown',
      carrier: null,
      dnc: false,
      tcpa: false,
      score: null,
      reachable: null,
    };
  }
  const primary = raw.isPrimary ?? raw.is_primary ?? undefined;
  const confidence = score(raw.confidence, fraction);
  const phone: ParsedPhone = {
    // Digits only: the format is our reading of the seed, "(212) 555-0102" included.
    number: (raw.number ?? raw.phone ?? raw.phoneNumber ?? raw.phone_number)!.replace(/\D/g, ''),
    type: phoneLineType(raw.type ?? raw.lineType ?? raw.line_type ?? raw.phoneType ?? raw.phone_type),
    carrier: raw.carrier || null,
    dnc: raw.dnc ?? raw.isDnc ?? raw.is_dnc ?? false,
    tcpa: false,
    // No confidence: the vendor's primary ranks first (seed: isPrimary > confidence > order).
    score: confidence ?? (primary === true ? 100 : null),
    reachable: null,
  };
  if (primary !== undefined) phone.sourcePrimary = primary;
  return phone;
}
