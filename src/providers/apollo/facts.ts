/**
 * Apollo.io bulk people enrichment facts as validated data (vendors.md §4).
 */
import { vendorFactsSchema } from '../vendor-facts.js';

export const apolloBulkMatchFacts = vendorFactsSchema.parse({
  id: 'apollo-bulk-match',
  displayName: 'Apollo.io',
  kind: 'business-people',
  baseUrl: 'https://api.apollo.io',
  endpoints: { bulkMatch: '/api/v1/people/bulk_match' },
  auth: {
    style: 'header',
    name: 'x-api-key',
    source:
      'third-party clients (vendors.md §4); the key needs access to api/v1/people/bulk_match or be a master key',
    verified: false,
  },
  flags: {
    // "Up to 10 people per request" (docs.apollo.io bulk-people-enrichment).
    batchSize: 10,
    // "0 credits if nothing credit-consuming is found"; unmatched people come back as null.
    billsOnMiss: false,
    // Phones are revealed only asynchronously (webhook), which this adapter never asks for.
    returnsLineType: false,
  },
  rateLimit: {
    requestsPerSecond: 1,
    requestsPerMinute: 10,
    source: 'plan-dependent, no official figure; third-party claims conflict (10/min, 20/min): the lower one',
    verified: false,
  },
  retryableCodes: ['network', 'timeout', 'rate_limited', 'server_error'],
  cost: {
    perCallMicros: 0,
    // Per credit: 1 per person enriched (+8 when a mobile phone is returned).
    perHitMicros: 20_000,
    perItemMicros: 0,
    source:
      'credits per docs.apollo.io (1 per person, +8 for a mobile phone); no dollar price per credit is published — 20 000 micros ($0.02) is an unverified estimate, configure the real figure',
    verified: false,
  },
  envKeys: ['APOLLO_API_KEY', 'APOLLO_BASE_URL', 'APOLLO_COST_PER_CREDIT_USD'],
});
