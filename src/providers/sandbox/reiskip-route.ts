/**
 * Simulated REISkip, POST /v1/skip-trace, in the wire format of seed 000 (the project's
 * earlier client; REISkip publishes no spec): Bearer auth, `{address, city, state, zip,
 * ownerName?}`, answers as `matches[].phones[]` or top-level `phones[]`, camelCase or
 * snake_case (`reiskipShape`, `reiskipCasing`; 'mixed' picks per address), and 404 for a
 * property with no match. Bills each match (a 200); misses are free.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { classifyOwner } from '../../domain/person/normalize-person.js';
import { reiSkipRequestSchema } from '../reiskip/wire.js';
import type { ResolvedSandboxOptions } from './options.js';
import { lookupPeople, type FictionalPerson, type FictionalPhoneType } from './people.js';
import { randomFromText } from './prng.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const VENDOR = 'reiskip';
/** Persons a shape-A answer lists at most. */
const MAX_MATCHES = 2;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** [INFERRED] error body: the seed never shows one; a flat `{error, message}`. */
const errorBody = (status: number, message: string) => ({ error: STATUS_TEXT[status] ?? 'Error', message });

const behaviour: VendorBehaviour = {
  vendor: VENDOR,
  authorize: authorizeBearer,
  errorBody,
  driftBody: (real) => ({ data: { results: (real as { matches?: unknown[] }).matches ?? [real] } }),
  bodyErrorBody: (status) => ({
    status,
    ...errorBody(status, 'Sandbox fault: an error status in a 200 body.'),
  }),
};

function authorizeBearer(
  headers: IncomingHttpHeaders,
  options: ResolvedSandboxOptions,
): SandboxResponse | null {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (!token) return { status: 401, body: errorBody(401, 'Missing or malformed Authorization header.') };
  if (options.apiKey !== null && token !== options.apiKey) {
    return { status: 403, body: errorBody(403, 'Invalid API key.') };
  }
  return null;
}

type Casing = 'camel' | 'snake';
const LINE_TYPE: Record<FictionalPhoneType, string> = {
  Mobile: 'mobile',
  'Land Line': 'landline',
  VoIP: 'voip',
};

function personJson(p: FictionalPerson, casing: Casing): Record<string, unknown> {
  const camel = casing === 'camel';
  return {
    [camel ? 'ownerName' : 'owner_name']: `${p.first} ${p.last}`,
    [camel ? 'firstName' : 'first_name']: p.first,
    [camel ? 'lastName' : 'last_name']: p.last,
    deceased: p.deceased,
    phones: p.phones.map((ph, i) => ({
      [camel ? 'phoneNumber' : 'phone_number']: ph.number,
      [camel ? 'lineType' : 'line_type']: LINE_TYPE[ph.type],
      carrier: ph.carrier,
      [camel ? 'isPrimary' : 'is_primary']: i === 0,
      confidence: ph.score,
      dnc: ph.dnc,
    })),
    emails: p.emails.map((e, i) => ({
      email: e.email,
      [camel ? 'isPrimary' : 'is_primary']: i === 0,
      confidence: 90 - 15 * i,
    })),
  };
}

/** "Jane Q Doe" → given names for the lookup, when the owner is a person. */
function givenNames(ownerName: string | null | undefined): { firstName?: string; lastName?: string } {
  const words = (ownerName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2 || classifyOwner(ownerName) !== 'individual') return {};
  return { firstName: words[0]!, lastName: words[words.length - 1]! };
}

function handleSkipTrace(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const parsed = reiSkipRequestSchema.safeParse(request.body);
  const b = parsed.success ? parsed.data : null;
  const lookup =
    b && typeof request.body === 'object'
      ? lookupPeople(
          {
            street: b.address,
            city: b.city,
            state: b.state,
            zip: b.zip,
            ...givenNames(b.ownerName ?? b.owner_name),
          },
          options,
          MAX_MATCHES,
          'reiskip',
        )
      : null;
  if (!lookup || lookup.outcome === 'error') {
    return { status: 400, body: errorBody(400, 'address and zip (or city and state) are required.') };
  }
  const persons = lookup.persons.filter((p) => p.phones.length > 0 || p.emails.length > 0);
  if (lookup.outcome !== 'hit' || persons.length === 0) {
    return { status: 404, body: errorBody(404, 'No match found for the given address.') };
  }
  const random = randomFromText(`reiskip|${lookup.key}|${options.seed}`);
  const [shapeDraw, casingDraw] = [random(), random()];
  const shape =
    options.reiskipShape === 'mixed' ? (shapeDraw < 0.5 ? 'matches' : 'top-level') : options.reiskipShape;
  const casing: Casing =
    options.reiskipCasing === 'mixed' ? (casingDraw < 0.5 ? 'camel' : 'snake') : options.reiskipCasing;
  const head = { [casing === 'camel' ? 'requestId' : 'request_id']: `sbx-${request.requestNumber}` };
  const body =
    shape === 'matches'
      ? { ...head, matches: persons.map((p) => personJson(p, casing)) }
      : { ...head, ...personJson(persons[0]!, casing) };
  return { status: 200, body, billable: [{ vendor: VENDOR, requestId: null, key: lookup.key }] };
}

export const reiSkipRoutes: SandboxRoute[] = [
  { method: 'POST', path: '/v1/skip-trace', vendor: behaviour, handle: handleSkipTrace },
];
