/**
 * BatchData phone checks as three phone-verify providers, one POST per batch of ≤100:
 *   - verification (/api/v1/phone/verification, $0.007/phone): valid, line type, carrier,
 *     reachable, DNC, TCPA;
 *   - DNC (/api/v1/phone/dnc, $0.002/phone): only `dnc` is non-null;
 *   - TCPA (/api/v1/phone/tcpa, $0.002/phone): only `tcpa` is non-null. BatchData's TCPA
 *     flag is its known-litigator/blacklist screen; `litigator` stays null because the
 *     vendor does not say the two are the same list.
 *
 * BatchData is US-only: a number that is not a 10-digit NANP number is never sent and is
 * answered with every field null and nothing billed. Results are matched to inputs by the
 * echoed `number` (evidence), never by position; a number the answer does not mention reads
 * as unchecked (nulls, unbilled). An answer that mentions none of the numbers asked fails
 * closed, as does any unknown shape.
 */
import type { PhoneVerification, PhoneVerifyProvider } from '../contract.js';
import { ProviderError } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { descriptorFromFacts, type VendorFacts } from '../vendor-facts.js';
import {
  exchange,
  parseJsonBody,
  scrubbed,
  statusError,
  unrecognizedShape,
  type VendorCallContext,
} from '../vendor-http.js';
import { errorCodeForStatus, redactSample } from './diagnostics.js';
import { batchDataPhoneFacts } from './facts.js';
import { phoneLineType } from './parse.js';
import {
  phoneCheckResponseSchema,
  type PhoneCheck,
  type PhoneCheckRequest,
  type PhoneDncItem,
  type PhoneTcpaItem,
  type PhoneVerificationItem,
} from './phone-wire.js';
import { statusSchema } from './wire.js';

export interface BatchDataPhoneOptions {
  /** e.g. https://api.batchdata.com, or the sandbox URL. A trailing slash is ignored. */
  baseUrl: string;
  apiKey: string;
  /** 'bearer' (documented, default) sends `Authorization: Bearer <key>`; 'header' sends `x-api-key`. */
  authStyle?: 'bearer' | 'header';
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Integer micro-dollars per phone; default per check: 7 000 / 2 000 / 2 000 (third-party figures). */
  costPerPhoneMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch. Default Date.now. */
  now?: () => number;
}

export function createBatchDataPhoneVerify(opts: BatchDataPhoneOptions): PhoneVerifyProvider {
  return createPhoneCheck('verification', opts);
}

export function createBatchDataDncCheck(opts: BatchDataPhoneOptions): PhoneVerifyProvider {
  return createPhoneCheck('dnc', opts);
}

export function createBatchDataTcpaCheck(opts: BatchDataPhoneOptions): PhoneVerifyProvider {
  return createPhoneCheck('tcpa', opts);
}

function createPhoneCheck(check: PhoneCheck, opts: BatchDataPhoneOptions): PhoneVerifyProvider {
  const facts: VendorFacts = batchDataPhoneFacts[check];
  const url = `${opts.baseUrl.replace(/\/+$/, '')}${facts.endpoints.check}`;
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'BatchData',
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.apiKey],
  };
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if ((opts.authStyle ?? 'bearer') === 'bearer') headers.authorization = `Bearer ${opts.apiKey}`;
  else headers['x-api-key'] = opts.apiKey;
  const descriptor = descriptorFromFacts(facts, { perItemMicros: opts.costPerPhoneMicros });

  async function verifyPhones(
    numbers: string[],
    options?: { signal?: AbortSignal },
  ): Promise<PhoneVerification[]> {
    const request = buildPhoneCheckRequest(numbers, facts);
    if (request.requests.length === 0) return numbers.map((n) => unchecked(n));
    const answer = await exchange(
      ctx,
      { url, method: 'POST', headers, body: JSON.stringify(request) },
      options?.signal,
    );
    const code = errorCodeForStatus(answer.status);
    if (code) throw statusError(ctx, code, answer, statusText(answer.text));
    try {
      return parsePhoneCheckResponse(parseJsonBody(ctx, answer), numbers, check, answer.status);
    } catch (err) {
      throw scrubbed(ctx, err);
    }
  }

  return { ...descriptor, authStyle: opts.authStyle ?? 'bearer', kind: 'phone-verify', verifyPhones };
}

// ---- request ----------------------------------------------------------------------------

/** 10 digits for a NANP number (+1 / 1 prefix dropped, NPA 2–9), else null. */
export function toUsTenDigits(number: string): string | null {
  const trimmed = number.trim();
  if (trimmed.startsWith('+') && !trimmed.startsWith('+1')) return null;
  const digits = trimmed.replace(/\D/g, '');
  const ten = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  return /^[2-9]\d{9}$/.test(ten) ? ten : null;
}

/** Unique sendable numbers; throws invalid_request above the batch size. */
export function buildPhoneCheckRequest(
  numbers: string[],
  facts: Pick<VendorFacts, 'id' | 'flags'>,
): PhoneCheckRequest {
  if (numbers.length > facts.flags.batchSize) {
    throw new ProviderError(
      'invalid_request',
      `phone batch has ${numbers.length} numbers; at most ${facts.flags.batchSize} per request`,
      { provider: facts.id },
    );
  }
  const requests = [...new Set(numbers.map(toUsTenDigits).filter((n): n is string => n !== null))];
  return { requests };
}

// ---- response ---------------------------------------------------------------------------

type Item = PhoneVerificationItem | PhoneDncItem | PhoneTcpaItem;

/**
 * One PhoneVerification per input number, in input order. A repeated number is billed
 * once (on its first occurrence): it was sent once.
 */
export function parsePhoneCheckResponse(
  body: unknown,
  numbers: string[],
  check: PhoneCheck,
  httpStatus: number,
): PhoneVerification[] {
  const provider = batchDataPhoneFacts[check].id;
  const ctx = { provider, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  throwOnBodyStatus(body, provider, httpStatus);
  const parsed = phoneCheckResponseSchema(check).safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const counts = parsed.data.results.meta?.results;
  if (counts && counts.requestCount > 0 && counts.errorCount === counts.requestCount) {
    throw new ProviderError(
      'server_error',
      `BatchData reported errors for all ${counts.requestCount} phones`,
      {
        provider,
        statusCode: httpStatus,
        sample: redactSample(body),
      },
    );
  }

  const byDigits = new Map<string, Item>();
  for (const item of parsed.data.results.phoneNumbers as Item[]) {
    const digits = toUsTenDigits(item.number);
    if (digits && !byDigits.has(digits)) byDigits.set(digits, item);
  }
  const asked = new Set(numbers.map(toUsTenDigits).filter((n): n is string => n !== null));
  if (asked.size > 0 && ![...asked].some((d) => byDigits.has(d))) {
    throw unrecognizedShape(ctx, 'no phone in the answer matches a number asked', body, httpStatus);
  }

  const billed = new Set<string>();
  return numbers.map((number) => {
    const digits = toUsTenDigits(number);
    const item = digits ? byDigits.get(digits) : undefined;
    if (!digits || !item) return unchecked(number);
    const billableUnits = billed.has(digits) ? 0 : 1;
    billed.add(digits);
    return { ...toVerification(number, item, check), billableUnits };
  });
}

function toVerification(number: string, item: Item, check: PhoneCheck): PhoneVerification {
  const result = unchecked(number);
  if (check === 'dnc') return { ...result, dnc: (item as PhoneDncItem).dnc };
  if (check === 'tcpa') return { ...result, tcpa: (item as PhoneTcpaItem).tcpa };
  const v = item as PhoneVerificationItem;
  const notFound = v.notFound ?? null;
  return {
    ...result,
    valid: notFound === null ? null : !notFound,
    type: notFound === true || !v.type ? null : phoneLineType(v.type),
    carrier: v.carrier || null,
    reachable: v.reachable ?? null,
    dnc: v.dnc ?? null,
    tcpa: v.tcpa ?? null,
  };
}

function unchecked(number: string): PhoneVerification {
  return {
    number,
    valid: null,
    type: null,
    carrier: null,
    reachable: null,
    dnc: null,
    tcpa: null,
    litigator: null,
    billableUnits: 0,
  };
}

/** BatchData can answer HTTP 200 with the real status in the body. */
function throwOnBodyStatus(body: Record<string, unknown>, provider: string, httpStatus: number): void {
  const status = statusSchema.safeParse(body.status);
  if (!status.success) return; // reported by the schema as a shape problem
  const code = errorCodeForStatus(status.data.code);
  if (!code) return;
  const text = [status.data.text, status.data.message].filter(Boolean).join(': ');
  throw new ProviderError(
    code,
    `BatchData answered HTTP ${httpStatus} with status ${status.data.code} in the body${text ? ` (${text})` : ''}`,
    { provider, statusCode: httpStatus, sample: redactSample(body) },
  );
}

/** `text: message` of a BatchData error body, when it has one. */
function statusText(text: string): string {
  try {
    const status = statusSchema.safeParse((JSON.parse(text) as { status?: unknown }).status);
    return status.success ? [status.data.text, status.data.message].filter(Boolean).join(': ') : '';
  } catch {
    return '';
  }
}
