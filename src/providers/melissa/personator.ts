/**
 * Melissa Personator Consumer as a skip-trace provider: one GET per lead, returning the
 * Melissa Address Key (MAK) and any appended owner name, phone and email.
 *
 * Result codes are read conservatively; their meanings are [INFERRED] (vendors.md §7 saw the
 * families, not a code table — check wiki.melissadata.com before relying on more):
 *   - any AE… (address error) → unmatched, no MAK;
 *   - no AS… (address status) at all → unmatched: the address was not verified;
 *   - AS… → MAK kept; a person only when a phone or an email came back;
 *   - PE… (phone error) drops the phone, EE… (email error) drops the email;
 *   - PS07 / PS08 / PS09 → mobile / landline / voip, otherwise 'unknown'.
 * Request-level TransmissionResults (HTTP 200): GE04–GE06 license problems → 'auth'; other
 * GE… → 'invalid_request'; SE… → 'server_error'; anything else fails closed.
 *
 * Evidence: one record per request, and `t` = requestId must come back as
 * TransmissionReference when Melissa echoes one. Billed per call (seed 001: ~$0.05/record),
 * unmatched included. Melissa checks no DNC/TCPA list: phones carry dnc/tcpa false, and the
 * descriptor says returnsCompliance: false so the pipeline runs its own checks.
 */
import type {
  ParsedPerson,
  ParsedPhone,
  ProviderDescriptor,
  SkipTraceBatchResult,
  SkipTraceInput,
  SkipTraceItemResult,
  SkipTraceProvider,
} from '../contract.js';
import { errorCodeForStatus, redactSample } from '../batchdata/diagnostics.js';
import { ProviderError, type ProviderErrorCode } from '../errors.js';
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
import { melissaPersonatorFacts as facts } from './facts.js';
import { personatorResponseSchema, type PersonatorRecord } from './wire.js';

export type MelissaPersonatorProvider = SkipTraceProvider &
  ProviderDescriptor & { readonly kind: 'skip-trace' };

export interface MelissaPersonatorOptions {
  /** Default https://personator.melissadata.net, or the sandbox URL. A trailing slash is ignored. */
  baseUrl?: string;
  /** Melissa license key, sent as `id`. */
  licenseKey: string;
  /** `act`. Default 'Check,Verify,Append'. */
  actions?: string;
  /** `cols`. Default 'GrpAll'. */
  columns?: string;
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Integer micro-dollars per record (= per call). Default 50 000 (seed 001 figure). */
  costPerRecordMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch. Default Date.now. */
  now?: () => number;
}

export function createMelissaPersonator(opts: MelissaPersonatorOptions): MelissaPersonatorProvider {
  const url = `${(opts.baseUrl ?? facts.baseUrl).replace(/\/+$/, '')}${facts.endpoints.contactVerify!}`;
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'Melissa',
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.licenseKey, encodeURIComponent(opts.licenseKey)],
  };
  const descriptor = descriptorFromFacts(facts, { perCallMicros: opts.costPerRecordMicros });

  async function skipTrace(
    inputs: SkipTraceInput[],
    options?: { signal?: AbortSignal },
  ): Promise<SkipTraceBatchResult> {
    if (inputs.length !== 1) {
      throw new ProviderError(
        'invalid_request',
        `Personator takes one record per request; got ${inputs.length}`,
        {
          provider: facts.id,
        },
      );
    }
    const input = inputs[0]!;
    const query = personatorQuery(input, opts);
    const answer = await exchange(
      ctx,
      { url: `${url}?${query}`, method: 'GET', headers: { accept: 'application/json' } },
      options?.signal,
    );
    const code = errorCodeForStatus(answer.status);
    if (code) throw statusError(ctx, code, answer);
    try {
      const item = parsePersonatorResponse(parseJsonBody(ctx, answer), input, answer.status);
      return { statusCode: answer.status, durationMs: answer.durationMs, items: [item] };
    } catch (err) {
      throw scrubbed(ctx, err);
    }
  }

  return { ...descriptor, kind: 'skip-trace', skipTrace };
}

export function personatorQuery(
  input: SkipTraceInput,
  opts: Pick<MelissaPersonatorOptions, 'licenseKey' | 'actions' | 'columns'>,
): URLSearchParams {
  const query = new URLSearchParams({
    id: opts.licenseKey,
    t: input.requestId,
    act: opts.actions ?? 'Check,Verify,Append',
    cols: opts.columns ?? 'GrpAll',
    format: 'json',
    a1: input.street,
  });
  if (input.city) query.set('city', input.city);
  if (input.state) query.set('state', input.state);
  if (input.zip) query.set('postal', input.zip);
  query.set('ctry', 'US');
  if (input.firstName && input.lastName) {
    query.set('first', input.firstName);
    query.set('last', input.lastName);
  } else if (input.firstName || input.lastName) {
    query.set('full', (input.firstName || input.lastName)!);
  }
  return query;
}

export function parsePersonatorResponse(
  body: unknown,
  input: SkipTraceInput,
  httpStatus: number,
): SkipTraceItemResult {
  const ctx = { provider: facts.id, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  // Request-level errors first: their bodies need not carry Records.
  if (typeof body.TransmissionResults === 'string') {
    throwOnTransmissionResults(body.TransmissionResults, body, httpStatus);
  }
  const parsed = personatorResponseSchema.safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const response = parsed.data;
  if (response.Records.length !== 1) {
    throw unrecognizedShape(ctx, `${response.Records.length} records for one request`, body, httpStatus);
  }
  if (response.TransmissionReference && response.TransmissionReference !== input.requestId) {
    throw unrecognizedShape(ctx, 'TransmissionReference is not the requestId sent', body, httpStatus);
  }
  const record = response.Records[0]!;
  const rawItem = (body.Records as unknown[])[0];
  const codes = resultCodes(record.Results);
  const unmatched = {
    requestId: input.requestId,
    matched: false,
    billableUnits: 1,
    persons: [],
    rawItem,
    mak: null,
  };
  if (codes.some((c) => c.startsWith('AE')) || !codes.some((c) => c.startsWith('AS'))) return unmatched;
  const person = personOf(record, codes);
  return {
    requestId: input.requestId,
    matched: person !== null,
    billableUnits: 1,
    persons: person ? [person] : [],
    rawItem,
    mak: record.MelissaAddressKey || null,
  };
}

export function resultCodes(results: string): string[] {
  return results
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

const PHONE_TYPES: Record<string, ParsedPhone['type']> = { PS07: 'mobile', PS08: 'landline', PS09: 'voip' };

function personOf(record: PersonatorRecord, codes: string[]): ParsedPerson | null {
  const phoneOk =
    record.PhoneNumber.replace(/\D/g, '').length >= 10 && !codes.some((c) => c.startsWith('PE'));
  const emailOk = /^[^\s@]+@[^\s@]+$/.test(record.EmailAddress) && !codes.some((c) => c.startsWith('EE'));
  if (!phoneOk && !emailOk) return null; // a name or an address alone is not a contact
  const typeCode = codes.find((c) => c in PHONE_TYPES);
  const [first, ...rest] = record.NameFull.split(/\s+/).filter(Boolean);
  return {
    first: record.NameFirst || first || null,
    last: record.NameLast || rest.pop() || null,
    full: record.NameFull || null,
    litigator: false,
    deceased: false,
    phones: phoneOk
      ? [
          {
            number: record.PhoneNumber.replace(/\D/g, ''),
            type: typeCode ? PHONE_TYPES[typeCode]! : 'unknown',
            carrier: null,
            dnc: false,
            tcpa: false,
            score: null,
            reachable: null,
          },
        ]
      : [],
    emails: emailOk ? [{ address: record.EmailAddress.toLowerCase(), tested: null }] : [],
  };
}

const LICENSE_CODES = new Set(['GE04', 'GE05', 'GE06']);

function throwOnTransmissionResults(results: string, body: unknown, httpStatus: number): void {
  const codes = resultCodes(results);
  if (codes.length === 0) return;
  const code: ProviderErrorCode = codes.some((c) => LICENSE_CODES.has(c))
    ? 'auth'
    : codes.some((c) => c.startsWith('SE'))
      ? 'server_error'
      : codes.some((c) => c.startsWith('GE'))
        ? 'invalid_request'
        : 'unrecognized_response';
  throw new ProviderError(
    code,
    `Melissa answered HTTP ${httpStatus} with TransmissionResults ${codes.join(',')}`,
    {
      provider: facts.id,
      statusCode: httpStatus,
      sample: redactSample(body),
    },
  );
}
