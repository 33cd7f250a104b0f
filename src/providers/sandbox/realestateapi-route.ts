/**
 * Simulated RealEstateAPI in its wire format (vendors.md §5): `x-api-key` auth, hapi/Joi
 * error bodies, POST /v1/SkipTrace (one lead, `match` + `output.identity`), POST
 * /v2/PropertyDetail (by id, APN + FIPS, address parts or string; the documented 404
 * envelope for a miss) and POST /v2/PropertySearch (count, ids_only, full pages).
 *
 * Properties come from properties.ts (a ZIP-keyed fictional world), people from people.ts.
 * Billing: a SkipTrace match; a PropertyDetail hit; each full-mode search record. count and
 * ids_only are free, as documented.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { realEstateApiSearchLimits } from '../realestateapi/facts.js';
import {
  propertyDetailRequestSchema,
  SEARCH_CONTROL_KEYS,
  skipTraceRequestSchema,
  type PropertyDetailRequestBody,
} from '../realestateapi/wire.js';
import type { ResolvedSandboxOptions } from './options.js';
import { inputKey, lookupPeople } from './people.js';
import { zipForPlace } from './places.js';
import {
  propertyByAddress,
  propertyByApn,
  propertyById,
  searchWorld,
  type AddressQuery,
} from './properties.js';
import {
  detailJson,
  hapiError,
  isPlainObject,
  searchRecordJson,
  skipTraceIdentityJson,
} from './realestateapi-json.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

/** Billing vendor of the property endpoints, whose credits share a daily cap. */
const PROPERTY_VENDOR = 'realestateapi';
/** SkipTrace is not under the credit cap: billed under its own name. */
const SKIPTRACE_VENDOR = 'realestateapi-skiptrace';
/** Verbatim (rate-limiting-1). */
const DAILY_LIMIT_MESSAGE =
  'You have reached your daily credit limit for this endpoint, please try again later.';

const behaviour = (vendor: string): VendorBehaviour => ({
  vendor,
  authorize: authorizeApiKey,
  errorBody: (status, message) => hapiError(status, message),
  driftBody: (real) => {
    const r = real as { data?: unknown; output?: unknown };
    return { results: { items: r.data ?? r.output ?? [] } };
  },
  bodyErrorBody: (status) => ({ ...hapiError(status, 'Sandbox fault: an error status in a 200 body.') }),
});

function authorizeApiKey(
  headers: IncomingHttpHeaders,
  options: ResolvedSandboxOptions,
): SandboxResponse | null {
  const raw = headers['x-api-key'];
  const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!key) return { status: 401, body: hapiError(401, 'Missing authentication') };
  if (options.apiKey !== null && key !== options.apiKey) {
    return { status: 403, body: hapiError(403, 'Invalid API key.') };
  }
  return null;
}

const badRequest = (message: string, keys: string[] = ['']): SandboxResponse => ({
  status: 400,
  body: hapiError(400, message, { validation: { source: 'payload', keys } }),
});

/** Once the configured credits are spent, property calls answer the daily-cap 429. */
function creditsExhausted(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse | null {
  const limit = options.realEstateApiCreditsAfter;
  if (limit === null || request.billedSinceOptions(PROPERTY_VENDOR) < limit) return null;
  return { status: 429, body: hapiError(429, DAILY_LIMIT_MESSAGE) };
}

const envelope = (request: SandboxRequest, input: unknown) => ({
  input,
  statusCode: 200,
  statusMessage: 'Success',
  live: false,
  requestExecutionTimeMS: `${1 + (request.requestNumber % 40)}ms`,
});

// ---- POST /v1/SkipTrace ------------------------------------------------------------------

function handleSkipTrace(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const parsed = skipTraceRequestSchema.safeParse(request.body);
  if (!isPlainObject(request.body) || !parsed.success) {
    return badRequest('"SkipTraceRequest" must be of type object');
  }
  const b = parsed.data;
  const hasAddress = !!b.address && (!!b.zip || (!!b.city && !!b.state));
  const hasMail = !!b.mail_address && (!!b.mail_zip || (!!b.mail_city && !!b.mail_state));
  if (!hasAddress && !hasMail && !b.phone && !b.email) {
    return badRequest(
      '"SkipTraceRequest" must contain at least one of [address, mail_address, phone, email] with its required peers',
    );
  }
  const lookup = lookupPeople(
    hasAddress
      ? { street: b.address, city: b.city, state: b.state, zip: b.zip }
      : { street: b.mail_address, city: b.mail_city, state: b.mail_state, zip: b.mail_zip },
    options,
    1,
    'realestateapi',
  );
  // Phone- and email-only lookups exist at the vendor; the sandbox has no reverse index: a miss.
  const person = hasAddress || hasMail ? lookup.persons[0] : undefined;
  const base = {
    requestId: `sbx-${String(request.requestNumber).padStart(8, '0')}`,
    responseCode: 0,
    requestDate: new Date(options.now()).toISOString(),
    warnings: 'None',
    cached: false,
    ...envelope(request, request.body),
  };
  if (lookup.outcome !== 'hit' || !person) {
    // [INFERRED] the shape of a miss: `match: false`, an empty output, nothing billed.
    return {
      status: 200,
      body: { ...base, responseMessage: 'No match', output: {}, match: false, credits: 0 },
    };
  }
  return {
    status: 200,
    body: {
      ...base,
      responseMessage: 'Successful',
      output: skipTraceIdentityJson(person, b),
      match: true,
      credits: 1,
    },
    billable: [{ vendor: SKIPTRACE_VENDOR, requestId: null, key: lookup.key }],
  };
}

// ---- POST /v2/PropertyDetail -------------------------------------------------------------

/** Validation in the vendor's words (handling-property-detail-errors.md). */
function detailValidation(b: PropertyDetailRequestBody): SandboxResponse | null {
  if (b.id == null && !b.address && !b.house && !b.apn) {
    return badRequest('"PropertyDetailRequest" must contain at least one of [id, address, house, apn]');
  }
  if (b.house) {
    for (const peer of ['street', 'zip', 'state'] as const) {
      if (!b[peer]) return badRequest(`"house" missing required peer "${peer}"`);
    }
  }
  if (b.zip != null && b.zip.length !== 5)
    return badRequest('"zip" length must be 5 characters long', ['zip']);
  if (b.state != null && b.state.length !== 2) {
    return badRequest('"state" length must be 2 characters long', ['state']);
  }
  return null;
}

/** "722 Valentines Street, Gasburg, VA 23857" → parts (street line first, "[ST] 12345" last). */
export function parseAddressString(address: string): AddressQuery {
  const parts = address
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const tail = parts.slice(1).join(' ');
  const m = /(?:\b([A-Za-z]{2})\s+)?\b(\d{5})(?:-\d{4})?\s*$/.exec(tail);
  const city = parts.length >= 3 ? parts[1]! : m ? tail.slice(0, m.index).trim() : (parts[1] ?? null);
  return { street: parts[0] ?? '', city: city || null, state: m?.[1] ?? null, zip: m?.[2] ?? null };
}

function handlePropertyDetail(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const parsed = propertyDetailRequestSchema.safeParse(request.body);
  if (!isPlainObject(request.body) || !parsed.success) {
    return badRequest('"PropertyDetailRequest" must be of type object');
  }
  const b = parsed.data;
  const invalid = detailValidation(b);
  if (invalid) return invalid;
  const exhausted = creditsExhausted(request, options);
  if (exhausted) return exhausted;

  const property =
    b.id != null
      ? propertyById(String(b.id), options)
      : b.apn
        ? propertyByApn(b.apn, b.fips, options)
        : b.house
          ? propertyByAddress(
              { house: b.house, street: b.street!, unit: b.unit, city: b.city, state: b.state, zip: b.zip },
              options,
            )
          : propertyByAddress(parseAddressString(b.address!), options);
  if (!property) {
    // The documented "Not Found" envelope, on an HTTP 404.
    return {
      status: 404,
      body: {
        ...envelope(request, request.body),
        data: {},
        statusCode: 404,
        statusMessage: 'Not Found',
        propertyLookupExecutionTimeMS: null,
        compsLookupExecutionTimeMS: null,
      },
    };
  }
  return {
    status: 200,
    body: { ...envelope(request, request.body), data: detailJson(property), credits: 1 },
    billable: [{ vendor: PROPERTY_VENDOR, requestId: null, key: inputKey(property.street, property.zip) }],
  };
}

// ---- POST /v2/PropertySearch -------------------------------------------------------------

/** JSON with sorted keys: the identity of a query whatever the key order it was sent in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function handlePropertySearch(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const body = request.body;
  if (!isPlainObject(body)) return badRequest('"PropertySearchRequest" must be of type object');
  const size = body.size ?? realEstateApiSearchLimits.defaultPageSize;
  const resultIndex = body.resultIndex ?? 0;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    return badRequest('"size" must be an integer greater than or equal to 1', ['size']);
  }
  if (typeof resultIndex !== 'number' || !Number.isInteger(resultIndex) || resultIndex < 0) {
    return badRequest('"resultIndex" must be an integer greater than or equal to 0', ['resultIndex']);
  }
  if (body.zip !== undefined && (typeof body.zip !== 'string' || !/^\d{5}$/.test(body.zip))) {
    return badRequest('"zip" length must be 5 characters long', ['zip']);
  }
  const filters = Object.fromEntries(
    Object.entries(body).filter(([k]) => !(SEARCH_CONTROL_KEYS as readonly string[]).includes(k)),
  );
  const queryKey = canonical(filters);
  const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
  const zip =
    text(body.zip) ??
    (text(body.city) || text(body.state)
      ? zipForPlace(text(body.city), text(body.state), options.seed)
      : zipForPlace(`query ${queryKey}`, null, options.seed));
  const world = searchWorld(queryKey, zip, options.newListings, options.seed);
  const head = { ...envelope(request, body), resultCount: world.total };

  if (body.count === true) {
    return { status: 200, body: { ...head, data: [], resultIndex: 0, recordCount: 0, credits: 0 } };
  }
  if (body.ids_only === true) {
    const n = Math.min(world.total, realEstateApiSearchLimits.maxIdsOnly);
    const data = Array.from({ length: n }, (_, i) => Number(world.idAt(i)));
    return { status: 200, body: { ...head, data, resultIndex: 0, recordCount: n, credits: 0 } };
  }
  const exhausted = creditsExhausted(request, options);
  if (exhausted) return exhausted;
  // "will only return a max of 250 properties, even if the 'size' property is set to larger".
  const end = Math.min(world.total, resultIndex + Math.min(size, realEstateApiSearchLimits.maxPageSize));
  const properties = [];
  for (let i = resultIndex; i < end; i++) properties.push(propertyById(world.idAt(i), options)!);
  return {
    status: 200,
    body: {
      ...head,
      data: properties.map(searchRecordJson),
      // Echoes this page's start; the vendor's example is ambiguous and the adapter ignores it.
      resultIndex,
      recordCount: properties.length,
      credits: properties.length,
    },
    billable: properties.map((p) => ({
      vendor: PROPERTY_VENDOR,
      requestId: null,
      key: inputKey(p.street, p.zip),
    })),
  };
}

export const realEstateApiRoutes: SandboxRoute[] = [
  { method: 'POST', path: '/v1/SkipTrace', vendor: behaviour(SKIPTRACE_VENDOR), handle: handleSkipTrace },
  {
    method: 'POST',
    path: '/v2/PropertyDetail',
    vendor: behaviour(PROPERTY_VENDOR),
    handle: handlePropertyDetail,
  },
  {
    method: 'POST',
    path: '/v2/PropertySearch',
    vendor: behaviour(PROPERTY_VENDOR),
    handle: handlePropertySearch,
  },
];
