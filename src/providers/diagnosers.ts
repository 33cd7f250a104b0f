/**
 * Per provider: parse a saved response body with no request at hand, for
 * `leadtrace providers parse`. Each entry runs that adapter's production parser on the
 * request the body itself evidences (echoed ids, addresses, numbers, domains), so the tool
 * fails exactly where a run would; an unknown shape throws the adapter's
 * ProviderError('unrecognized_response'). A saved body has no HTTP status: it is read as a 200.
 *
 * Kinds without persons are mapped to the closest honest form:
 *   - property detail / search → one person per owner on the record(s), names only;
 *   - business people → the matched person with the email and phones Apollo returned;
 *   - domain search → one person per contact, with its email (and phone when listed);
 *   - phone verification → one unnamed person holding every phone not found invalid, with
 *     what was checked (a check a provider does not make, e.g. DNC on Twilio, reads false:
 *     ParsedPhone has no "not checked");
 *   - email verification → one unnamed person holding every address that may deliver
 *     (valid, accept_all, webmail; `tested` true only for valid).
 * For verifications `matched` means the vendor gave a verdict, even one that drops the number
 * or the address; `billableUnits` is always what the parser says the vendor bills.
 * Without the request, what only the request can prove is not checked: a body answering other
 * numbers, another Melissa reference or another Apollo person parses as if it were asked.
 * One entry per provider with a vendor wire format (the email check has none), hence the length.
 */
import { parseBulkMatchResponse } from './apollo/bulk-match.js';
import { diagnoseSkipTraceBody } from './batchdata/diagnose.js';
import { parseSkipTraceResponse as parseBatchDataSkipTrace } from './batchdata/parse.js';
import { parsePhoneCheckResponse } from './batchdata/phone.js';
import type { PhoneCheck } from './batchdata/phone-wire.js';
import type {
  DomainSearchFilters,
  DomainSearchResult,
  EmailVerification,
  ParsedPerson,
  ParsedPhone,
  PersonMatchInput,
  PersonMatchResult,
  PhoneVerification,
  PropertyDetailInput,
  PropertyDetailItemResult,
  PropertyRecord,
  PropertySearchPage,
  PropertySearchProvider,
  PropertySearchQuery,
  ProviderKind,
  SkipTraceInput,
  SkipTraceItemResult,
} from './contract.js';
import { normalizeSearchDomain, parseDomainSearchResponse } from './hunter/domain-search.js';
import { parseEmailVerifierResponse } from './hunter/email-verifier.js';
import { parsePersonatorResponse } from './melissa/personator.js';
import {
  parsePropertyDetailResponse,
  parsePropertySearchResponse,
  parseSkipTraceResponse as parseRealEstateApiSkipTrace,
} from './realestateapi/parse.js';
import { SEARCH_CONTROL_KEYS } from './realestateapi/wire.js';
import { parseReiSkipResponse } from './reiskip/parse.js';
import { isRecord } from './shape.js';
import { parseLookupResponse } from './twilio/lookup.js';

export interface Diagnosis {
  matched: boolean;
  billableUnits: number;
  persons: ParsedPerson[];
}

export type SearchMode = Parameters<PropertySearchProvider['search']>[1];

/** What each kind's method takes and returns (its batch of results). */
export interface KindExchange {
  'skip-trace': { request: SkipTraceInput[]; result: SkipTraceItemResult[] };
  'property-detail': { request: PropertyDetailInput[]; result: PropertyDetailItemResult[] };
  'property-search': {
    request: { query: PropertySearchQuery; mode: SearchMode };
    result: PropertySearchPage;
  };
  'business-people': { request: PersonMatchInput[]; result: PersonMatchResult[] };
  'domain-search': { request: { domain: string; filters: DomainSearchFilters }; result: DomainSearchResult };
  'phone-verify': { request: string[]; result: PhoneVerification[] };
  'email-verify': { request: string[]; result: EmailVerification[] };
}

export interface BodyParser<K extends ProviderKind> {
  readonly kind: K;
  /** The request a body answers, from the evidence it echoes; placeholders where it echoes none. */
  requestOf(body: unknown): KindExchange[K]['request'];
  /** The adapter's production parser. */
  parse(body: unknown, request: KindExchange[K]['request'], httpStatus: number): KindExchange[K]['result'];
}
export type AnyBodyParser = { [K in ProviderKind]: BodyParser<K> }[ProviderKind];

// ---- evidence ----------------------------------------------------------------------------

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null;

/** An address no vendor knows: enough for a request builder when the body echoes nothing. */
const PLACEHOLDER_INPUT: SkipTraceInput = {
  requestId: 'diagnose',
  street: '0 Unknown St',
  city: null,
  state: null,
  zip: '00000',
};
const PLACEHOLDER_PHONE = '+12125550100';

function skipTraceInput(requestId: unknown, address: Record<string, unknown>, i = 0): SkipTraceInput {
  return {
    requestId: str(requestId) ?? `${PLACEHOLDER_INPUT.requestId}-${i}`,
    street:
      str(address.street) ?? str(address.address) ?? str(address.AddressLine1) ?? PLACEHOLDER_INPUT.street,
    city: str(address.city) ?? str(address.City),
    state: str(address.state) ?? str(address.State),
    zip: str(address.zip) ?? str(address.PostalCode) ?? PLACEHOLDER_INPUT.zip,
  };
}

/**
 * BatchData echoes `requestId` and `propertyAddress` per item (v1 once per person, v3 under
 * `input`). The same evidence batchdata/diagnose.ts reads, kept here as requests for replay.
 */
function batchDataInputs(body: unknown): SkipTraceInput[] {
  const b = rec(body);
  const items = [
    ...(Array.isArray(rec(b.results).persons) ? (rec(b.results).persons as unknown[]) : []),
    ...(Array.isArray(rec(b.result).data) ? (rec(b.result).data as unknown[]) : []),
  ];
  const byKey = new Map<string, SkipTraceInput>();
  items.forEach((item, i) => {
    const input = isRecord(rec(item).input) ? rec(rec(item).input) : rec(item);
    const next = skipTraceInput(input.requestId ?? rec(item).requestId, rec(input.propertyAddress), i);
    const key = str(input.requestId) ? `id:${next.requestId}` : `addr:${next.street}|${next.zip}`;
    if (!byKey.has(key)) byKey.set(key, next);
  });
  return byKey.size > 0 ? [...byKey.values()] : [PLACEHOLDER_INPUT];
}

function phoneNumbersOf(body: unknown): string[] {
  const items = rec(rec(body).results).phoneNumbers;
  const numbers = Array.isArray(items) ? items.map((p) => str(rec(p).number)).filter((n) => n !== null) : [];
  return numbers.length > 0 ? numbers : [PLACEHOLDER_PHONE];
}

function propertyDetailInput(body: unknown): PropertyDetailInput {
  const input = rec(rec(body).input);
  const house = str(input.house);
  const street = str(input.address) ?? (house ? `${house} ${str(input.street) ?? ''}`.trim() : null);
  const id = str(input.id) ?? str(rec(rec(body).data).id);
  return {
    requestId: 'diagnose',
    propertyId: id,
    apn: str(input.apn),
    fips: str(input.fips),
    street: street ?? (id ? null : PLACEHOLDER_INPUT.street),
    unit: str(input.unit),
    city: str(input.city),
    state: str(input.state),
    zip: str(input.zip) ?? (id || street ? null : PLACEHOLDER_INPUT.zip),
  };
}

function propertySearchRequest(body: unknown): KindExchange['property-search']['request'] {
  const input = rec(rec(body).input);
  const data = rec(body).data;
  const zip = str(input.zip);
  const filters: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(input)) {
    const control = (SEARCH_CONTROL_KEYS as readonly string[]).includes(key);
    if (control || ['zip', 'city', 'state', 'sort'].includes(key)) continue;
    if (['string', 'number', 'boolean'].includes(typeof value))
      filters[key] = value as string | number | boolean;
  }
  const query: PropertySearchQuery = { ...(zip ? { zips: [zip] } : {}), filters };
  if (str(input.city)) query.city = str(input.city)!;
  if (str(input.state)) query.state = str(input.state)!;
  const first = Array.isArray(data) ? (data as unknown[])[0] : undefined;
  if (input.count === true) return { query, mode: { kind: 'count' } };
  if (input.ids_only === true || (first !== undefined && !isRecord(first)))
    return { query, mode: { kind: 'ids' } };
  const size =
    typeof input.size === 'number' ? input.size : Math.max(1, Array.isArray(data) ? data.length : 0);
  const resultIndex = typeof input.resultIndex === 'number' ? input.resultIndex : 0;
  return { query, mode: { kind: 'full', size: Math.min(size, 250), resultIndex } };
}

function domainOf(body: unknown): string {
  const asked = str(rec(rec(body).data).domain) ?? str(rec(rec(rec(body).meta).params).domain);
  try {
    return normalizeSearchDomain(asked ?? '');
  } catch {
    return 'unknown.example';
  }
}

// ---- one parser per provider ------------------------------------------------------------

const skipTrace = (
  requestOf: (body: unknown) => SkipTraceInput[],
  parse: (body: unknown, input: SkipTraceInput, status: number) => SkipTraceItemResult,
): BodyParser<'skip-trace'> => ({
  kind: 'skip-trace',
  requestOf,
  parse: (body, inputs, status) => [parse(body, inputs[0]!, status)],
});

const phoneCheck = (check: PhoneCheck): BodyParser<'phone-verify'> => ({
  kind: 'phone-verify',
  requestOf: phoneNumbersOf,
  parse: (body, numbers, status) => parsePhoneCheckResponse(body, numbers, check, status),
});

export const BODY_PARSERS: Readonly<Record<string, AnyBodyParser>> = {
  batchdata: {
    kind: 'skip-trace',
    requestOf: batchDataInputs,
    parse: (body, inputs, status) => parseBatchDataSkipTrace(body, inputs, status),
  },
  'batchdata-phone-verification': phoneCheck('verification'),
  'batchdata-phone-dnc': phoneCheck('dnc'),
  'batchdata-phone-tcpa': phoneCheck('tcpa'),
  'realestateapi-skiptrace': skipTrace(
    (body) => [skipTraceInput(rec(body).requestId, rec(rec(body).input))],
    (body, input, status) => parseRealEstateApiSkipTrace(body, input, status),
  ),
  'realestateapi-property-detail': {
    kind: 'property-detail',
    requestOf: (body) => [propertyDetailInput(body)],
    parse: (body, inputs, status) => [parsePropertyDetailResponse(body, inputs[0]!, status)],
  },
  'realestateapi-property-search': {
    kind: 'property-search',
    requestOf: propertySearchRequest,
    parse: (body, request, status) => parsePropertySearchResponse(body, request.mode, status),
  },
  reiskip: skipTrace(
    (body) => [skipTraceInput(rec(body).requestId ?? rec(body).request_id, {})],
    parseReiSkipResponse,
  ),
  'melissa-personator': skipTrace(
    (body) => [
      skipTraceInput(
        str(rec(body).TransmissionReference) ?? 'diagnose',
        rec(Array.isArray(rec(body).Records) ? (rec(body).Records as unknown[])[0] : undefined),
      ),
    ],
    parsePersonatorResponse,
  ),
  'apollo-bulk-match': {
    kind: 'business-people',
    // Apollo echoes nothing: one detail per answer slot, with nothing to contradict.
    requestOf: (body) => {
      const matches = rec(body).matches;
      const n = Math.max(1, Array.isArray(matches) ? matches.length : 0);
      return Array.from({ length: n }, (_, i) => ({ requestId: `diagnose-${i}` }));
    },
    parse: parseBulkMatchResponse,
  },
  'hunter-domain-search': {
    kind: 'domain-search',
    requestOf: (body) => ({ domain: domainOf(body), filters: {} }),
    parse: (body, request, status) => parseDomainSearchResponse(body, request.domain, status),
  },
  'hunter-email-verifier': {
    kind: 'email-verify',
    requestOf: (body) => [
      str(rec(rec(body).data).email) ??
        str(rec(rec(rec(body).meta).params).email) ??
        'unknown@unknown.example',
    ],
    parse: (body, emails, status) => [parseEmailVerifierResponse(body, emails[0]!, status)],
  },
  'twilio-lookup': {
    kind: 'phone-verify',
    requestOf: (body) => [str(rec(body).phone_number) ?? PLACEHOLDER_PHONE],
    parse: (body, numbers, status) => [parseLookupResponse(body, numbers[0]!, status)],
  },
};

// ---- results → Diagnosis ---------------------------------------------------------------

const person = (over: Partial<ParsedPerson>): ParsedPerson => ({
  first: null,
  last: null,
  full: null,
  litigator: false,
  deceased: false,
  phones: [],
  emails: [],
  ...over,
});
const units = (results: readonly { billableUnits: number }[]): number =>
  results.reduce((sum, r) => sum + r.billableUnits, 0);
const owners = (record: PropertyRecord | null): ParsedPerson[] =>
  (record?.owners ?? []).map((o) => person({ first: o.first, last: o.last, full: o.full }));

function verifiedPhones(results: PhoneVerification[]): Diagnosis {
  const answered = results.filter((r) =>
    [r.valid, r.type, r.carrier, r.reachable, r.dnc, r.tcpa, r.litigator].some((v) => v !== null),
  );
  const phones = answered
    .filter((r) => r.valid !== false)
    .map(
      (r): ParsedPhone => ({
        number: r.number,
        type: r.type ?? 'unknown',
        carrier: r.carrier,
        dnc: r.dnc ?? false,
        tcpa: r.tcpa ?? false,
        score: null,
        reachable: r.reachable,
      }),
    );
  const litigator = answered.some((r) => r.litigator === true);
  return {
    matched: answered.length > 0,
    billableUnits: units(results),
    persons: phones.length > 0 ? [person({ litigator, phones })] : [],
  };
}

const MAY_DELIVER = new Set(['valid', 'accept_all', 'webmail']);

const TO_DIAGNOSIS: { [K in ProviderKind]: (result: KindExchange[K]['result']) => Diagnosis } = {
  'skip-trace': (items) => ({
    matched: items.some((i) => i.matched),
    billableUnits: units(items),
    persons: items.flatMap((i) => i.persons),
  }),
  'property-detail': (items) => ({
    matched: items.some((i) => i.matched),
    billableUnits: units(items),
    persons: items.flatMap((i) => owners(i.record)),
  }),
  'property-search': (page) => ({
    matched: page.records.length > 0 || page.ids.length > 0,
    billableUnits: page.billableUnits,
    persons: page.records.flatMap(owners),
  }),
  'business-people': (results) => ({
    matched: results.some((r) => r.matched),
    billableUnits: units(results),
    persons: results.flatMap(({ person: p }) =>
      p
        ? [
            person({
              first: p.first,
              last: p.last,
              full: [p.first, p.last].filter(Boolean).join(' ') || null,
              phones: p.phones,
              emails: p.email
                ? [{ address: p.email, tested: p.emailStatus === 'verified' ? true : null }]
                : [],
            }),
          ]
        : [],
    ),
  }),
  'domain-search': (result) => ({
    matched: result.contacts.length > 0,
    billableUnits: result.billableUnits,
    persons: result.contacts.map((c) =>
      person({
        first: c.first,
        last: c.last,
        full: [c.first, c.last].filter(Boolean).join(' ') || null,
        emails: [{ address: c.email.toLowerCase(), tested: c.verificationStatus === 'valid' ? true : null }],
        phones: c.phone
          ? [
              {
                number: c.phone,
                type: 'unknown',
                carrier: null,
                dnc: false,
                tcpa: false,
                score: null,
                reachable: null,
              },
            ]
          : [],
      }),
    ),
  }),
  'phone-verify': verifiedPhones,
  'email-verify': (results) => {
    const emails = results
      .filter((r) => MAY_DELIVER.has(r.status))
      .map((r) => ({ address: r.email.trim().toLowerCase(), tested: r.status === 'valid' }));
    return {
      matched: results.some((r) => r.status !== 'unknown'),
      billableUnits: units(results),
      persons: emails.length > 0 ? [person({ emails })] : [],
    };
  },
};

/** A kind's result in the Diagnosis form (used by the CLI and by the contract suite). */
export function diagnosisOf<K extends ProviderKind>(kind: K, result: KindExchange[K]['result']): Diagnosis {
  return (TO_DIAGNOSIS[kind] as (r: KindExchange[K]['result']) => Diagnosis)(result);
}

function diagnoserOf<K extends ProviderKind>(parser: BodyParser<K>): (body: unknown) => Diagnosis {
  return (body) => diagnosisOf(parser.kind, parser.parse(body, parser.requestOf(body), 200));
}

/** Provider id → diagnoser, for every provider with a vendor wire format. */
export const DIAGNOSERS: Record<string, (body: unknown) => Diagnosis> = {
  ...Object.fromEntries(
    Object.entries(BODY_PARSERS).map(([id, parser]) => [id, diagnoserOf(parser as BodyParser<ProviderKind>)]),
  ),
  // BatchData keeps its own, older diagnoser (same evidence; the contract suite checks they agree).
  batchdata: (body) => diagnoseSkipTraceBody(body),
};
