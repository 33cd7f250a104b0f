/**
 * RealEstateAPI facts as validated data: one vendor, one key, three providers (skip-trace,
 * property detail, property search), each described by the shared vendor-facts schema plus
 * the vendor's daily credit cap. Every figure names its source; `verified: false` marks one
 * that is not from the vendor's own pages. Parsed at import time.
 *
 * Sources: /work/shared/reference/vendors.md §5 — the developer.realestateapi.com export
 * (LandRise/realestateapi-docs: OpenAPI `securitySchemes`, rate-limiting-1.md, count-query.md,
 * ids_only-searches-for-credit-optimization.md, property-search-paging-example.md).
 */
import { z } from 'zod';
import { vendorFactsSchema } from '../vendor-facts.js';

const sourced = { source: z.string().min(1), verified: z.boolean() };

export const realEstateApiFactsSchema = vendorFactsSchema.extend({
  /** Credits per UTC day (midnight to midnight); null when the endpoint has no daily cap. */
  dailyCreditLimit: z.object({ credits: z.number().int().positive(), ...sourced }).nullable(),
});
export type RealEstateApiFacts = z.output<typeof realEstateApiFactsSchema>;

const BASE_URL = 'https://api.realestateapi.com';
const ENV_KEYS = ['REALESTATEAPI_API_KEY', 'REALESTATEAPI_BASE_URL'];
const AUTH = {
  style: 'header',
  name: 'x-api-key',
  source:
    'OpenAPI securitySchemes.sec0: apiKey in header x-api-key (skiptrace-apis.json, property-apis.json)',
  verified: true,
} as const;
const RETRYABLE = ['network', 'timeout', 'rate_limited', 'server_error'] as const;
const NO_PRICE =
  'no per-credit price is published (monthly plans with credit allowances), so 0 until the caller configures one';
const NO_PER_SECOND =
  'no per-second limit is published for this endpoint (only the daily credit cap); 10/s is our conservative default';

export const realEstateApiSkipTraceFacts = realEstateApiFactsSchema.parse({
  id: 'realestateapi-skiptrace',
  displayName: 'RealEstateAPI SkipTrace',
  kind: 'skip-trace',
  baseUrl: BASE_URL,
  endpoints: { skipTrace: '/v1/SkipTrace' },
  auth: AUTH,
  // One lead per request; misses are assumed free (the docs bill by `match`).
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: true, returnsCompliance: true },
  rateLimit: {
    requestsPerSecond: 10,
    source: 'rate-limiting-1: /SkipTrace 10 requests per second',
    verified: true,
  },
  retryableCodes: RETRYABLE,
  cost: {
    perCallMicros: 0,
    perHitMicros: 50_000,
    perItemMicros: 0,
    source:
      'third-party figure "$0.05/match with a property-data subscription (Starter $599/mo)", itself marked unverified; not on the vendor\'s pages',
    verified: false,
  },
  envKeys: ENV_KEYS,
  dailyCreditLimit: null,
});

export const realEstateApiPropertyDetailFacts = realEstateApiFactsSchema.parse({
  id: 'realestateapi-property-detail',
  displayName: 'RealEstateAPI Property Detail',
  kind: 'property-detail',
  baseUrl: BASE_URL,
  endpoints: { propertyDetail: '/v2/PropertyDetail' },
  auth: AUTH,
  // A 404 "Not Found" answer is assumed free: the docs do not say.
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
  rateLimit: { requestsPerSecond: 10, source: NO_PER_SECOND, verified: false },
  retryableCodes: RETRYABLE,
  cost: {
    perCallMicros: 0,
    perHitMicros: 0,
    perItemMicros: 0,
    source: `1 credit per property found (ids_only guide: "2 credits for each property" for search + detail); ${NO_PRICE}`,
    verified: false,
  },
  envKeys: ENV_KEYS,
  dailyCreditLimit: {
    credits: 500_000,
    source:
      'rate-limiting-1: Property Detail / Detail Bulk 500,000 credits per 24 h, midnight to midnight UTC',
    verified: true,
  },
});

export const realEstateApiPropertySearchFacts = realEstateApiFactsSchema.parse({
  id: 'realestateapi-property-search',
  displayName: 'RealEstateAPI Property Search',
  kind: 'property-search',
  baseUrl: BASE_URL,
  endpoints: { propertySearch: '/v2/PropertySearch' },
  auth: AUTH,
  // One query per request; a "hit" is one record returned in full mode.
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
  rateLimit: { requestsPerSecond: 10, source: NO_PER_SECOND, verified: false },
  retryableCodes: RETRYABLE,
  cost: {
    perCallMicros: 0,
    perHitMicros: 0,
    perItemMicros: 0,
    source: `1 credit per record returned; count = 0 credits (count-query.md), ids_only free (rate-limiting-1); ${NO_PRICE}`,
    verified: false,
  },
  envKeys: ENV_KEYS,
  dailyCreditLimit: {
    credits: 1_000_000,
    source: 'rate-limiting-1: Property Search 1,000,000 credits per 24 h; count and ids_only calls excluded',
    verified: true,
  },
});

/** Property Search paging limits (OpenAPI PropertySearch). */
export const realEstateApiSearchLimits = {
  /** `size` when not sent. */
  defaultPageSize: 50,
  /** "will only return a max of 250 properties, even if the 'size' property is set to larger". */
  maxPageSize: 250,
  /** ids_only: "The max number of ids that can be returned per each ids_only: true call is 10,000". */
  maxIdsOnly: 10_000,
} as const;
