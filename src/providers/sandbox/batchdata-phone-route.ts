/**
 * Simulated BatchData phone checks (vendors.md §1 "Related BatchData endpoints"):
 * POST /api/v1/phone/verification, /phone/dnc, /phone/tcpa with `{"requests": [...]}`.
 *
 * Same Bearer auth and error bodies as the skip-trace. The sync envelope is the inferred one
 * of src/providers/batchdata/phone-wire.ts (`results.phoneNumbers[]`, `results.meta`).
 * One record per distinct 10-digit number asked, echoing it; a number that is not 10 digits
 * is an item error (counted in errorCount, no record). Every record returned is billed,
 * "not found" ones included.
 */
import { phoneCheckRequestSchema, type PhoneCheck } from '../batchdata/phone-wire.js';
import { authorizeBearer, statusBlock } from './batchdata-auth.js';
import type { ResolvedSandboxOptions } from './options.js';
import { describePhoneLine, type PhoneLine } from './phone-lines.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const MAX_ITEMS = 100;

const BATCHDATA_TYPE: Record<PhoneLine['lineType'], string> = {
  mobile: 'Mobile',
  landline: 'Land Line',
  fixedVoip: 'VoIP',
  nonFixedVoip: 'VoIP',
};

const behaviour: VendorBehaviour = {
  vendor: 'batchdata',
  authorize: authorizeBearer,
  errorBody: (status, message) => ({ status: statusBlock(status, message) }),
  driftBody: (real) => {
    const r = real as { results?: { phoneNumbers?: unknown[] } };
    return { status: { code: 200, text: 'OK' }, data: { phones: r.results?.phoneNumbers ?? [] } };
  },
  bodyErrorBody: (status) => ({ status: statusBlock(status), results: { phoneNumbers: [] } }),
};

function record(check: PhoneCheck, digits: string, line: PhoneLine): Record<string, unknown> {
  if (check === 'dnc') return { number: digits, dnc: !line.notFound && line.dnc };
  if (check === 'tcpa') return { number: digits, tcpa: !line.notFound && line.tcpa };
  if (line.notFound) {
    return {
      number: digits,
      carrier: null,
      dnc: false,
      notFound: true,
      reachable: false,
      tcpa: false,
      tested: false,
      type: null,
    };
  }
  return {
    number: digits,
    carrier: line.carrier,
    dnc: line.dnc,
    notFound: false,
    reachable: line.reachable,
    tcpa: line.tcpa,
    tested: line.tested,
    type: BATCHDATA_TYPE[line.lineType],
  };
}

const handle =
  (check: PhoneCheck) =>
  (request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse => {
    const parsed = phoneCheckRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return {
        status: 400,
        body: { status: statusBlock(400, 'Request body must be {"requests":["2024561111", ...]}.') },
      };
    }
    const asked = parsed.data.requests;
    if (asked.length === 0 || asked.length > MAX_ITEMS) {
      return {
        status: 400,
        body: {
          status: statusBlock(
            400,
            `Each request can handle up to ${MAX_ITEMS} phone numbers; got ${asked.length}.`,
          ),
        },
      };
    }
    const distinct = [...new Set(asked.map((n) => n.replace(/\D/g, '')))];
    const valid = distinct.filter((d) => /^\d{10}$/.test(d));
    const phoneNumbers = valid.map((digits) => record(check, digits, describePhoneLine(digits, options)));
    const found = valid.filter((d) => !describePhoneLine(d, options).notFound).length;
    return {
      status: 200,
      body: {
        status: { code: 200, text: 'OK' },
        results: {
          phoneNumbers,
          meta: {
            apiVersion: '1.0-sandbox',
            requestId: `sbx-${request.requestNumber}`,
            results: {
              requestCount: distinct.length,
              matchCount: found,
              noMatchCount: valid.length - found,
              errorCount: distinct.length - valid.length,
            },
          },
        },
      },
      billable: valid.map((digits) => ({ vendor: 'batchdata', requestId: null, key: `${check}|${digits}` })),
    };
  };

export const batchDataPhoneRoutes: SandboxRoute[] = [
  { method: 'POST', path: '/api/v1/phone/verification', vendor: behaviour, handle: handle('verification') },
  { method: 'POST', path: '/api/v1/phone/dnc', vendor: behaviour, handle: handle('dnc') },
  { method: 'POST', path: '/api/v1/phone/tcpa', vendor: behaviour, handle: handle('tcpa') },
];
