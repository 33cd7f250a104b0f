/**
 * Simulated BatchData property skip-trace, v1 and v3, in the real wire format
 * (vendors.md §1): Bearer auth, at most 100 request items, `results.persons[]` (v1, one
 * person per property) or `result.data[]` (v3, up to 3 persons, ranked phones, tcpa flags).
 */
import { skipTraceRequestSchema, type SkipTraceRequestBody } from '../batchdata/wire.js';
import { authorizeBearer, statusBlock } from './batchdata-auth.js';
import type { ResolvedSandboxOptions } from './options.js';
import { lookupPeople, type FictionalPerson, type LookupResult } from './people.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const MAX_ITEMS = 100;

const behaviour = (version: 'v1' | 'v3'): VendorBehaviour => ({
  vendor: 'batchdata',
  authorize: authorizeBearer,
  errorBody: (status, message) => ({ status: statusBlock(status, message) }),
  driftBody: (real) => {
    const r = real as { results?: { persons?: unknown[] }; result?: { data?: unknown[] } };
    return { data: { records: r.results?.persons ?? r.result?.data ?? [] } };
  },
  bodyErrorBody: (status) =>
    version === 'v1'
      ? { status: statusBlock(status), results: { persons: [] } }
      : { status: statusBlock(status), result: { data: [] } },
});

type RequestItem = SkipTraceRequestBody['requests'][number];

interface ItemAnswer {
  item: RequestItem;
  index: number;
  lookup: LookupResult;
}

function lookupAll(
  request: SandboxRequest,
  options: ResolvedSandboxOptions,
  maxPersons: number,
): SandboxResponse | ItemAnswer[] {
  const parsed = skipTraceRequestSchema.safeParse(request.body);
  if (!parsed.success) {
    return {
      status: 400,
      body: { status: statusBlock(400, 'Request body must be {"requests":[...],"options":{...}}.') },
    };
  }
  const { requests } = parsed.data;
  if (requests.length === 0 || requests.length > MAX_ITEMS) {
    return {
      status: 400,
      body: {
        status: statusBlock(
          400,
          `Each request can handle up to ${MAX_ITEMS} properties; got ${requests.length}.`,
        ),
      },
    };
  }
  return requests.map((item, index) => ({
    item,
    index,
    lookup: lookupPeople(
      {
        street: item.propertyAddress?.street,
        city: item.propertyAddress?.city,
        state: item.propertyAddress?.state,
        zip: item.propertyAddress?.zip,
        firstName: item.name?.first,
        lastName: item.name?.last,
      },
      options,
      maxPersons,
      'batchdata',
    ),
  }));
}

function counts(answers: ItemAnswer[]) {
  const matchCount = answers.filter((a) => a.lookup.outcome === 'hit').length;
  const errorCount = answers.filter((a) => a.lookup.outcome === 'error').length;
  return {
    requestCount: answers.length,
    matchCount,
    noMatchCount: answers.length - matchCount - errorCount,
    errorCount,
  };
}

/** The vendor bills each matched property with at least one person. */
function billable(answers: ItemAnswer[]): SandboxResponse['billable'] {
  return answers
    .filter((a) => a.lookup.outcome === 'hit' && a.lookup.persons.length > 0)
    .map((a) => ({ vendor: 'batchdata', requestId: a.item.requestId ?? null, key: a.lookup.key }));
}

/** v1 drops TCPA-blacklisted phones unless asked; v3 keeps them, flagged. */
function keepPhone(includeTcpa: boolean) {
  return (p: FictionalPerson['phones'][number]): boolean => includeTcpa || !p.tcpa;
}

function name(p: FictionalPerson) {
  return { first: p.first, last: p.last, middle: p.middle, full: p.full };
}

// ---- v1 -------------------------------------------------------------------------------

function handleV1(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const answers = lookupAll(request, options, 1);
  if (!Array.isArray(answers)) return answers;
  const body = request.body as SkipTraceRequestBody;
  const includeTcpa = body.options?.includeTCPABlacklistedPhones ?? false;
  // Where v1 echoes requestId is undocumented; the sandbox echoes it only with showRequests.
  const echoId = body.options?.showRequests === true;
  const persons: unknown[] = [];
  for (const { item, lookup } of answers) {
    const head: Record<string, unknown> = {};
    if (echoId && item.requestId) head.requestId = item.requestId;
    if (item.propertyAddress) head.propertyAddress = item.propertyAddress;
    if (lookup.outcome !== 'hit') {
      persons.push({ ...head, meta: { matched: false, error: lookup.outcome === 'error' } });
      continue;
    }
    for (const p of lookup.persons) {
      persons.push({
        _id: p.id,
        ...head,
        name: name(p),
        phoneNumbers: p.phones.filter(keepPhone(includeTcpa)).map((ph) => {
          const phone: Record<string, unknown> = {
            number: ph.number,
            type: ph.type,
            carrier: ph.carrier,
            tested: ph.tested,
            reachable: ph.reachable,
            dnc: ph.dnc,
            score: ph.score,
            lastReportedDate: ph.lastReportedDate,
          };
          if (includeTcpa) phone.tcpa = ph.tcpa;
          return phone;
        }),
        emails: p.emails.map((e) => ({ email: e.email, tested: e.tested })),
        litigator: p.litigator,
        deceased: p.deceased,
        meta: { matched: true, error: false },
      });
    }
  }
  return {
    status: 200,
    body: {
      status: { code: 200, text: 'OK' },
      results: {
        persons,
        meta: {
          apiVersion: '1.0-sandbox',
          requestId: `sbx-${request.requestNumber}`,
          results: counts(answers),
        },
      },
    },
    billable: billable(answers),
  };
}

// ---- v3 -------------------------------------------------------------------------------

function handleV3(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const answers = lookupAll(request, options, 3);
  if (!Array.isArray(answers)) return answers;
  const body = request.body as SkipTraceRequestBody;
  const includeTcpa = body.options?.includeTCPABlacklistedPhones ?? true;
  const data = answers.map(({ item, index, lookup }) => {
    const input: Record<string, unknown> = { inputIndex: index };
    if (item.requestId) input.requestId = item.requestId;
    if (item.propertyAddress) input.propertyAddress = item.propertyAddress;
    if (item.name) input.name = item.name;
    const element: Record<string, unknown> = { inputIndex: index, input };
    const owner = lookup.persons[0];
    if (lookup.outcome === 'hit' && owner && item.propertyAddress) {
      element.property = {
        id: `sbxp-${owner.id}`,
        address: item.propertyAddress,
        owners: [{ name: name(owner) }],
      };
    }
    element.persons = lookup.persons.map((p) => ({
      propertyOwner: p.propertyOwner,
      name: name(p),
      phones: p.phones.filter(keepPhone(includeTcpa)).map((ph, rank) => ({
        rank,
        number: ph.number,
        type: ph.type,
        carrier: ph.carrier,
        tested: ph.tested,
        reachable: ph.reachable,
        dnc: ph.dnc,
        tcpa: ph.tcpa,
      })),
      emails: p.emails.map((e, rank) => ({ rank, email: e.email, tested: e.tested })),
      litigator: p.litigator,
      deceased: p.deceased,
    }));
    element.meta = { matched: lookup.outcome === 'hit', error: lookup.outcome === 'error' };
    return element;
  });
  return {
    status: 200,
    body: {
      status: { code: 200, text: 'OK' },
      result: {
        data,
        meta: {
          apiVersion: '3.0-sandbox',
          requestId: `sbx-${request.requestNumber}`,
          results: counts(answers),
        },
      },
    },
    billable: billable(answers),
  };
}

export const batchDataRoutes: SandboxRoute[] = [
  { method: 'POST', path: '/api/v1/property/skip-trace', vendor: behaviour('v1'), handle: handleV1 },
  { method: 'POST', path: '/api/v3/property/skip-trace', vendor: behaviour('v3'), handle: handleV3 },
];
