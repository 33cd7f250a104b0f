/**
 * Twilio Lookup v2 with Line Type Intelligence: one GET per number.
 *
 * Maps Twilio's `line_type_intelligence.type` to our words: mobile → mobile, landline →
 * landline, fixedVoip / nonFixedVoip → voip, every other type (tollFree, personal, premium,
 * sharedCost, uan, voicemail, pager, unknown) → unknown. `valid: false` leaves line type and
 * carrier null. Twilio checks no compliance list: dnc, tcpa, litigator stay null.
 *
 * The answer's `phone_number` must be the number asked (evidence), or the parse fails closed.
 * Each 200 is billed one lookup, valid or not (configurable cost, see facts.ts).
 */
import { ProviderError } from '../errors.js';
import type { PhoneLineType, PhoneVerification, PhoneVerifyProvider } from '../contract.js';
import { errorCodeForStatus, redactSample } from '../batchdata/diagnostics.js';
import { describeIssue, isRecord } from '../shape.js';
import { descriptorFromFacts } from '../vendor-facts.js';
import {
  exchange,
  parseJsonBody,
  scrubbed,
  statusError,
  unrecognizedShape,
  type VendorCallContext,
} from '../vendor-http.js';
import { twilioLookupFacts as facts } from './facts.js';
import { twilioErrorSchema, twilioLookupSchema } from './wire.js';

export interface TwilioLookupOptions {
  /** Default https://lookups.twilio.com, or the sandbox URL. A trailing slash is ignored. */
  baseUrl?: string;
  /** Account SID, or an API key SID. */
  accountSid: string;
  /** Auth Token, or the API key's secret. */
  authToken: string;
  /** Sent as CountryCode for a number not in E.164 (no leading +). Default 'US'. */
  defaultCountryCode?: string;
  /** Per request, body included. Default 15 000. */
  timeoutMs?: number;
  /** Integer micro-dollars per lookup. Default 10 000 (a third-party figure, see facts.ts). */
  costPerLookupMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch. Default Date.now. */
  now?: () => number;
}

const LINE_TYPES: Record<string, PhoneLineType> = {
  mobile: 'mobile',
  landline: 'landline',
  fixedvoip: 'voip',
  nonfixedvoip: 'voip',
};

export function twilioLineType(type: string | null | undefined): PhoneLineType | null {
  if (!type) return null;
  return LINE_TYPES[type.toLowerCase()] ?? 'unknown';
}

export function createTwilioLookup(opts: TwilioLookupOptions): PhoneVerifyProvider {
  const baseUrl = `${(opts.baseUrl ?? facts.baseUrl).replace(/\/+$/, '')}${facts.endpoints.phoneNumbers!}`;
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'Twilio',
    timeoutMs: opts.timeoutMs ?? 15_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.authToken, Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')],
  };
  const headers = {
    accept: 'application/json',
    authorization: `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`,
  };
  const descriptor = descriptorFromFacts(facts, { perItemMicros: opts.costPerLookupMicros });

  async function lookupOne(number: string, signal?: AbortSignal): Promise<PhoneVerification> {
    const asked = number.trim();
    const query = new URLSearchParams({ Fields: 'line_type_intelligence' });
    if (!asked.startsWith('+')) query.set('CountryCode', opts.defaultCountryCode ?? 'US');
    const url = `${baseUrl}/${encodeURIComponent(asked)}?${query}`;
    const answer = await exchange(ctx, { url, method: 'GET', headers }, signal);
    const code = errorCodeForStatus(answer.status);
    if (code) throw statusError(ctx, code, answer, errorText(answer.text));
    try {
      return parseLookupResponse(parseJsonBody(ctx, answer), number, answer.status);
    } catch (err) {
      throw scrubbed(ctx, err);
    }
  }

  async function verifyPhones(
    numbers: string[],
    options?: { signal?: AbortSignal },
  ): Promise<PhoneVerification[]> {
    if (numbers.length > facts.flags.batchSize) {
      throw new ProviderError(
        'invalid_request',
        `Twilio Lookup takes one number per request; got ${numbers.length} (send them one by one)`,
        { provider: facts.id },
      );
    }
    const results: PhoneVerification[] = [];
    for (const number of numbers) results.push(await lookupOne(number, options?.signal));
    return results;
  }

  return { ...descriptor, kind: 'phone-verify', verifyPhones };
}

export function parseLookupResponse(
  body: unknown,
  askedNumber: string,
  httpStatus: number,
): PhoneVerification {
  const ctx = { provider: facts.id, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  const error = twilioErrorSchema.safeParse(body);
  if (error.success && !('phone_number' in body)) {
    const code = errorCodeForStatus(error.data.status) ?? 'unrecognized_response';
    throw new ProviderError(
      code,
      `Twilio answered HTTP ${httpStatus} with error ${error.data.code} in the body${error.data.message ? ` (${error.data.message})` : ''}`,
      { provider: facts.id, statusCode: httpStatus, sample: redactSample(body) },
    );
  }
  const parsed = twilioLookupSchema.safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const lookup = parsed.data;
  if (!sameNumber(askedNumber, lookup.phone_number)) {
    throw unrecognizedShape(ctx, 'answer is for another number than the one asked', body, httpStatus);
  }
  const valid = lookup.valid ?? null;
  const lti = valid === false ? null : lookup.line_type_intelligence;
  return {
    number: askedNumber,
    valid,
    type: lti && lti.error_code == null ? twilioLineType(lti.type) : null,
    carrier: lti?.carrier_name || null,
    reachable: null,
    dnc: null,
    tcpa: null,
    litigator: null,
    billableUnits: 1,
  };
}

/** E.164 compared digit for digit; a national number only by its trailing digits. */
function sameNumber(asked: string, answered: string): boolean {
  const a = asked.replace(/\D/g, '');
  const b = answered.replace(/\D/g, '');
  if (!a || !b) return false;
  return asked.trim().startsWith('+') ? a === b : b.endsWith(a);
}

/** `code: message` of a Twilio error body, when it has them. */
function errorText(text: string): string {
  try {
    const parsed = twilioErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? [parsed.data.code, parsed.data.message].filter(Boolean).join(': ') : '';
  } catch {
    return '';
  }
}
