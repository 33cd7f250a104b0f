/**
 * Simulated Melissa Personator Consumer (vendors.md §7): GET /v3/WEB/ContactVerify/
 * doContactVerify?id=<license>&act=Check,Verify,Append&format=json&a1=…&postal=…, one
 * record per request, `{Records: [...], TotalRecords, TransmissionReference,
 * TransmissionResults, Version}`.
 *
 * Result codes are [INFERRED] (vendors.md: families seen, meanings from memory):
 *   AS01 address verified; AE01 postal code / general address error; AE02 unknown street;
 *   PS01 phone valid, with PS07 cell / PS08 landline / PS09 VoIP; ES01 email valid;
 *   TransmissionResults GE04 empty license, GE05 invalid license (HTTP 200), SE01 internal error.
 *
 * The owner appended is the BatchData sandbox's owner of the same address (people.ts), so
 * the two vendors agree; `melissaVerifyRate` and `melissaAppendRate` decide how often the
 * address verifies and how often a person is appended. The MAK is a fictional 10-digit key
 * drawn from the normalized address. Billing: one record per call, answered or not,
 * license errors excepted.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedSandboxOptions } from './options.js';
import { inputKey, lookupPeople, normalizeStreet, type FictionalPhoneType } from './people.js';
import { randomFromText } from './prng.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const VENDOR = 'melissa';
const VERSION = '8.4.1.sandbox';

const PHONE_TYPE_CODE: Record<FictionalPhoneType, string> = {
  Mobile: 'PS07',
  'Land Line': 'PS08',
  VoIP: 'PS09',
};

function envelope(records: unknown[], transmissionResults: string, reference = ''): Record<string, unknown> {
  return {
    Records: records,
    TotalRecords: String(records.length),
    TransmissionReference: reference,
    TransmissionResults: transmissionResults,
    Version: VERSION,
  };
}

function authorize(
  _headers: IncomingHttpHeaders,
  options: ResolvedSandboxOptions,
  query: URLSearchParams,
): SandboxResponse | null {
  const id = query.get('id');
  const reference = query.get('t') ?? '';
  // Melissa reports license problems in a 200 body, not with an HTTP status.
  if (!id) return { status: 200, body: envelope([], 'GE04', reference) };
  if (options.apiKey !== null && id !== options.apiKey)
    return { status: 200, body: envelope([], 'GE05', reference) };
  return null;
}

const behaviour: VendorBehaviour = {
  vendor: VENDOR,
  authorize,
  errorBody: (_status, message) => ({ ...envelope([], 'SE01'), Message: message }),
  driftBody: (real) => ({ Result: { records: (real as { Records?: unknown[] }).Records ?? [] } }),
  bodyErrorBody: (status) => envelope([], status === 401 || status === 403 ? 'GE05' : 'SE01'),
};

function makKey(key: string, seed: number): string {
  const random = randomFromText(`mak|${key}|${seed}`);
  return String(1_000_000_000 + Math.floor(random() * 8_999_999_999));
}

function contactVerify(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const q = request.query;
  const reference = q.get('t') ?? '';
  const street = q.get('a1')?.trim() ?? '';
  const postal = q.get('postal')?.trim() ?? '';
  const city = q.get('city')?.trim() ?? '';
  const state = q.get('state')?.trim() ?? '';
  const country = (q.get('ctry') ?? 'US').trim().toUpperCase();
  const actions = (q.get('act') ?? 'Check').split(',').map((a) => a.trim().toLowerCase());

  const base: Record<string, unknown> = {
    RecordID: '1',
    AddressLine1: street ? normalizeStreet(street) : '',
    AddressLine2: q.get('a2')?.trim().toUpperCase() ?? '',
    City: city.toUpperCase(),
    State: state.toUpperCase(),
    PostalCode: postal,
    NameFull: q.get('full') ?? [q.get('first'), q.get('last')].filter(Boolean).join(' '),
    PhoneNumber: '',
    EmailAddress: '',
    MelissaAddressKey: '',
    MelissaAddressKeyBase: '',
    MelissaIdentityKey: '',
  };
  const usable = street !== '' && (/^\d{5}/.test(postal) || (postal === '' && city !== '' && state !== ''));
  const key = street ? inputKey(street, postal || null, city, state) : '';
  const billable = [{ vendor: VENDOR, requestId: reference || null, key }];
  const answer = (record: Record<string, unknown>): SandboxResponse => ({
    status: 200,
    body: envelope([record], '', reference),
    billable,
  });

  if (!usable || (country !== 'US' && country !== 'USA')) return answer({ ...base, Results: 'AE01' });
  const random = randomFromText(`melissa|${key}|${options.seed}`);
  const [verifyDraw, appendDraw] = [random(), random()] as [number, number];
  if (verifyDraw >= options.melissaVerifyRate) return answer({ ...base, Results: 'AE02' });

  const mak = makKey(key, options.seed);
  const codes = ['AS01'];
  const record: Record<string, unknown> = {
    ...base,
    PostalCode: postal.slice(0, 5) || base.PostalCode,
    MelissaAddressKey: mak,
    MelissaAddressKeyBase: mak,
  };
  const owner = lookupPeople(
    { street, city, state, zip: postal || null },
    { ...options, hitRate: 1, unitMissRate: 0 },
    1,
  ).persons[0];
  if (actions.includes('append') && owner && appendDraw < options.melissaAppendRate) {
    record.NameFull = `${owner.first} ${owner.last}`;
    record.MelissaIdentityKey = `sbx${mak.slice(0, 6)}`;
    const phone = owner.phones[0];
    if (phone) {
      record.PhoneNumber = phone.number;
      codes.push('PS01', PHONE_TYPE_CODE[phone.type]);
    }
    const email = owner.emails[0];
    if (email) {
      record.EmailAddress = email.email;
      codes.push('ES01');
    }
  }
  return answer({ ...record, Results: codes.join(',') });
}

export const melissaRoutes: SandboxRoute[] = [
  { method: 'GET', path: '/v3/WEB/ContactVerify/doContactVerify', vendor: behaviour, handle: contactVerify },
];
