/**
 * Simulated Twilio Lookup v2 (vendors.md §6): GET /v2/PhoneNumbers/{E164}?Fields=
 * line_type_intelligence, HTTP Basic auth (Account SID + Auth Token, or API key SID +
 * secret). Only fictional NPA-555-01XX numbers can be valid (phone-lines.ts); any other
 * number is answered `valid: false` so the sandbox never vouches for a real line.
 * A national number needs `CountryCode`, as Twilio documents.
 *
 * Error bodies `{code, message, more_info, status}` with codes 20003/20404/20429 are
 * [INFERRED] (vendors.md). Billing: one Line Type Intelligence lookup per request that asks
 * for it, valid or not.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedSandboxOptions } from './options.js';
import { describePhoneLine, nanpDigits } from './phone-lines.js';
import type { SandboxRequest, SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';

const VENDOR = 'twilio';

const TWILIO_CODES: Record<number, number> = {
  400: 21211,
  401: 20003,
  404: 20404,
  429: 20429,
  500: 20500,
  503: 20503,
};

export function twilioErrorBody(status: number, message: string): unknown {
  const code = TWILIO_CODES[status] ?? 20500;
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function authorize(headers: IncomingHttpHeaders, options: ResolvedSandboxOptions): SandboxResponse | null {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  const decoded = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const at = decoded.indexOf(':');
  const [user, secret] = at > 0 ? [decoded.slice(0, at), decoded.slice(at + 1)] : ['', ''];
  if (!user || !secret || (options.apiKey !== null && secret !== options.apiKey)) {
    return { status: 401, body: twilioErrorBody(401, 'Authenticate') };
  }
  return null;
}

const behaviour: VendorBehaviour = {
  vendor: VENDOR,
  authorize,
  errorBody: twilioErrorBody,
  driftBody: (real) => {
    const r = real as { phone_number?: unknown; line_type_intelligence?: unknown };
    return { phone: r.phone_number, lookup: { line_type: r.line_type_intelligence } };
  },
  bodyErrorBody: (status) => twilioErrorBody(status, 'Sandbox fault: error reported in the body.'),
};

/** Mobile network codes for the fictional carriers (values are illustrative). */
const MOBILE_NETWORK: Record<string, string> = {
  'Verizon Wireless': '480',
  'T-Mobile USA': '260',
  'AT&T Mobility': '410',
};

function lookup(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse {
  const asked = request.params.number ?? '';
  const countryCode = request.query.get('CountryCode');
  const fields = (request.query.get('Fields') ?? '').split(',').map((f) => f.trim());
  const wantsLti = fields.includes('line_type_intelligence');
  const international = asked.startsWith('+');
  const digitsOnly = asked.replace(/\D/g, '');
  const url = `https://lookups.twilio.com/v2/PhoneNumbers/${asked}`;

  const digits = international || countryCode?.toUpperCase() === 'US' ? nanpDigits(asked) : null;
  const line = digits ? describePhoneLine(digits, options) : null;
  const valid = line !== null && !line.notFound;
  const validationErrors = valid
    ? []
    : !international && !countryCode
      ? ['INVALID_COUNTRY_CODE']
      : digitsOnly.length === 0
        ? ['NOT_A_NUMBER']
        : digitsOnly.length < 10
          ? ['TOO_SHORT']
          : digitsOnly.length > 15
            ? ['TOO_LONG']
            : ['INVALID_BUT_POSSIBLE'];
  const e164 = digits ? `+1${digits}` : international ? asked : `+${digitsOnly}`;
  const lti =
    wantsLti && valid && line
      ? {
          carrier_name: line.carrier,
          error_code: null,
          mobile_country_code: line.lineType === 'mobile' ? '311' : null,
          mobile_network_code: line.lineType === 'mobile' ? (MOBILE_NETWORK[line.carrier] ?? '000') : null,
          type: line.lineType,
        }
      : null;
  return {
    status: 200,
    body: {
      calling_country_code: digits ? '1' : null,
      country_code: digits ? 'US' : null,
      phone_number: e164,
      national_format: digits ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : null,
      valid,
      validation_errors: validationErrors,
      caller_name: null,
      sim_swap: null,
      call_forwarding: null,
      line_status: null,
      line_type_intelligence: lti,
      identity_match: null,
      reassigned_number: null,
      sms_pumping_risk: null,
      phone_number_quality_score: null,
      pre_fill: null,
      url,
    },
    billable: wantsLti ? [{ vendor: VENDOR, requestId: null, key: `lookup|${e164}` }] : [],
  };
}

export const twilioRoutes: SandboxRoute[] = [
  { method: 'GET', path: '/v2/PhoneNumbers/:number', vendor: behaviour, handle: lookup },
];
