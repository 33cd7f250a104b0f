/**
 * Twilio Lookup v2 Line Type Intelligence facts as validated data (vendors.md §6).
 */
import { vendorFactsSchema } from '../vendor-facts.js';

export const twilioLookupFacts = vendorFactsSchema.parse({
  id: 'twilio-lookup',
  displayName: 'Twilio Lookup',
  kind: 'phone-verify',
  baseUrl: 'https://lookups.twilio.com',
  endpoints: { phoneNumbers: '/v2/PhoneNumbers' },
  auth: {
    style: 'basic',
    name: 'authorization',
    source:
      'twilio.com/docs/lookup/v2-api: HTTP Basic with Account SID + Auth Token, or API key SID + secret',
    verified: true,
  },
  flags: {
    // One number per GET.
    batchSize: 1,
    // Line Type Intelligence is paid per lookup, whatever it finds.
    billsOnMiss: true,
    returnsLineType: true,
  },
  rateLimit: {
    requestsPerSecond: 10,
    source: 'no figure found in the Lookup docs; a conservative default — configure the account limit',
    verified: false,
  },
  retryableCodes: ['network', 'timeout', 'rate_limited', 'server_error'],
  cost: {
    perCallMicros: 0,
    perHitMicros: 0,
    perItemMicros: 10_000,
    source:
      'third-party "about $0.01 per request" (lib.rs/crates/twlu); no official price seen — configurable',
    verified: false,
  },
  envKeys: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_LOOKUP_BASE_URL', 'TWILIO_LOOKUP_COST_USD'],
});
