/**
 * Hunter.io facts as validated data (vendors.md §3). Both endpoints share the host, the
 * key and the error words; each is its own provider (domain search, email verification).
 */
import { vendorFactsSchema } from '../vendor-facts.js';

const BASE_URL = 'https://api.hunter.io';
const AUTH = {
  // The key also works as the `api_key` query parameter; the header keeps it out of URLs and logs.
  style: 'header',
  name: 'X-API-KEY',
  source:
    'hunter.io/api-documentation/v2: "passed in the api_key query parameter or in the X-API-KEY header"',
  verified: true,
} as const;
const RETRYABLE = ['network', 'timeout', 'rate_limited', 'server_error'] as const;
const CREDIT_COST_SOURCE =
  'no dollar price per credit is published (plans sell monthly credits); 25 000 micros ($0.025) is an unverified estimate — configure the real figure';
const ENV = ['HUNTER_API_KEY', 'HUNTER_BASE_URL', 'HUNTER_COST_PER_CREDIT_USD'];

export const hunterDomainSearchFacts = vendorFactsSchema.parse({
  id: 'hunter-domain-search',
  displayName: 'Hunter',
  kind: 'domain-search',
  baseUrl: BASE_URL,
  endpoints: { domainSearch: '/v2/domain-search' },
  auth: AUTH,
  // One domain per request; `limit` (1–100) is the page size, not a batch.
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
  rateLimit: {
    requestsPerSecond: 15,
    requestsPerMinute: 500,
    source: 'API Evangelist rate-limit profile citing hunter.io/api-documentation (vendors.md §3); seed 003',
    verified: false,
  },
  retryableCodes: [...RETRYABLE],
  cost: {
    perCallMicros: 0,
    // One credit per 1–10 emails returned; nothing when no email is returned.
    perHitMicros: 25_000,
    perItemMicros: 0,
    source: `help.hunter.io/en/articles/1911617 (1 request per 1–10 emails); ${CREDIT_COST_SOURCE}`,
    verified: false,
  },
  envKeys: ENV,
});

export const hunterEmailVerifierFacts = vendorFactsSchema.parse({
  id: 'hunter-email-verifier',
  displayName: 'Hunter',
  kind: 'email-verify',
  baseUrl: BASE_URL,
  endpoints: { emailVerifier: '/v2/email-verifier' },
  auth: AUTH,
  // One address per request; 202 "still verifying" is polled on the same call.
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
  rateLimit: {
    requestsPerSecond: 10,
    requestsPerMinute: 300,
    source: 'API Evangelist rate-limit profile citing hunter.io/api-documentation (vendors.md §3)',
    verified: false,
  },
  retryableCodes: [...RETRYABLE],
  cost: {
    perCallMicros: 0,
    // One credit per address, except `unknown` and `disposable` results.
    perHitMicros: 25_000,
    perItemMicros: 0,
    source: `help.hunter.io/en/articles/1911617 (unknown and disposable are free); ${CREDIT_COST_SOURCE}`,
    verified: false,
  },
  envKeys: ENV,
});
