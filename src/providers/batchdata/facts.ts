/**
 * BatchData provider facts as validated data (Nango's providers.yaml style): where it
 * lives, how it authenticates, how fast and how much. Each figure names its source;
 * a figure not from the vendor's own pages says so (`verified: false`).
 *
 * The schema is generic so other vendors can reuse it; it parses at import time, so a
 * typo here fails the first test that loads the adapter.
 */
import { z } from 'zod';
import { vendorFactsSchema } from '../vendor-facts.js';

const errorCode = z.enum([
  'network',
  'timeout',
  'rate_limited',
  'server_error',
  'auth',
  'invalid_request',
  'quota_exhausted',
  'unrecognized_response',
]);

const sourced = { source: z.string().min(1), verified: z.boolean() };

export const providerFactsSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  kind: z.literal('skip-trace'),
  baseUrl: z.url(),
  endpoints: z.record(z.string(), z.string().startsWith('/')),
  auth: z.object({
    /** Style used when the environment does not say. */
    defaultStyle: z.enum(['bearer', 'header']),
    /** `Authorization: Bearer <key>` for 'bearer'; this header carries the key for 'header'. */
    headerName: z.string().min(1),
    ...sourced,
  }),
  batchSize: z.number().int().positive(),
  rateLimit: z.object({
    requests: z.number().int().positive(),
    perMs: z.number().int().positive(),
    scope: z.enum(['token', 'account', 'ip']),
    ...sourced,
  }),
  /** Error codes worth retrying (with backoff, honouring retryAfterMs). */
  retryableCodes: z.array(errorCode).min(1),
  /** HTTP statuses behind those codes, for metrics and logs. */
  retryableHttpStatuses: z.array(z.number().int().min(400).max(599)),
  cost: z.object({
    /** Integer micro-dollars per matched property with ≥1 person; misses are free. */
    perHitMicros: z.number().int().nonnegative(),
    billsOnMiss: z.boolean(),
    ...sourced,
  }),
  /** Environment variable names read by src/config. */
  env: z.object({
    apiKey: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    baseUrl: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    skipTracePath: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    authStyle: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  }),
});
export type ProviderFacts = z.infer<typeof providerFactsSchema>;

export const batchDataFacts = providerFactsSchema
  .extend({
    endpoints: z.object({ skipTraceV1: z.string().startsWith('/'), skipTraceV3: z.string().startsWith('/') }),
  })
  .parse({
    id: 'batchdata',
    displayName: 'BatchData',
    kind: 'skip-trace',
    baseUrl: 'https://api.batchdata.com',
    endpoints: {
      skipTraceV1: '/api/v1/property/skip-trace',
      skipTraceV3: '/api/v3/property/skip-trace',
    },
    auth: {
      defaultStyle: 'bearer',
      headerName: 'x-api-key',
      source: 'developer.batchdata.com v1 skip-trace page: "Bearer" followed by the API token',
      verified: true,
    },
    batchSize: 100,
    rateLimit: {
      requests: 3_000,
      perMs: 60_000,
      scope: 'token',
      source: 'help.batchservice.com/en/articles/9891686-batchdata-api-rate-limits (429 above it)',
      verified: true,
    },
    retryableCodes: ['network', 'timeout', 'rate_limited', 'server_error'],
    retryableHttpStatuses: [429, 500, 502, 503, 504],
    cost: {
      perHitMicros: 70_000,
      billsOnMiss: false,
      source:
        'third-party figure "$0.07/record" (odgsully/adhs-working V1_API_REFERENCE.md); billing per matched property with ≥1 person from the v3 docs',
      verified: false,
    },
    env: {
      apiKey: 'BATCHDATA_API_KEY',
      baseUrl: 'BATCHDATA_BASE_URL',
      skipTracePath: 'BATCHDATA_SKIPTRACE_PATH',
      authStyle: 'BATCHDATA_AUTH_STYLE',
    },
  });

// ---------------------------------------------------------------------------------------
// Phone checks (verification, DNC, TCPA): same host, token and per-token rate limit as the
// skip-trace, one provider per endpoint so the waterfall can pick the cheapest check.
// ---------------------------------------------------------------------------------------

const phoneCheckFacts = (id: string, endpoint: string, perItemMicros: number, returnsLineType: boolean) =>
  vendorFactsSchema.parse({
    id,
    displayName: 'BatchData',
    kind: 'phone-verify',
    baseUrl: batchDataFacts.baseUrl,
    endpoints: { check: endpoint },
    auth: {
      style: batchDataFacts.auth.defaultStyle,
      name: 'authorization',
      source: batchDataFacts.auth.source,
      verified: true,
    },
    flags: {
      // Not documented for the phone endpoints; a third-party summary gives "max 100
      // records/request" for every sync endpoint (ADHS V1_API_REFERENCE.md).
      batchSize: 100,
      // Every record returned is billable, "not found" ones included (ADHS async pages).
      billsOnMiss: true,
      returnsLineType,
      returnsCompliance: true,
    },
    rateLimit: {
      requestsPerSecond: batchDataFacts.rateLimit.requests / (batchDataFacts.rateLimit.perMs / 1000),
      requestsPerMinute: batchDataFacts.rateLimit.requests,
      source: `${batchDataFacts.rateLimit.source}; shared with every endpoint of the token`,
      verified: true,
    },
    retryableCodes: batchDataFacts.retryableCodes,
    cost: {
      perCallMicros: 0,
      perHitMicros: 0,
      perItemMicros,
      source: 'third-party figures per phone (ADHS V1_API_REFERENCE.md, endpoints/README.md)',
      verified: false,
    },
    envKeys: [batchDataFacts.env.apiKey, batchDataFacts.env.baseUrl, batchDataFacts.env.authStyle],
  });

export const batchDataPhoneFacts = {
  /** Carrier, line type, reachability, DNC and TCPA per phone: $0.007. */
  verification: phoneCheckFacts('batchdata-phone-verification', '/api/v1/phone/verification', 7_000, true),
  /** National DNC registry only: $0.002. */
  dnc: phoneCheckFacts('batchdata-phone-dnc', '/api/v1/phone/dnc', 2_000, false),
  /** TCPA (known litigator / blacklist) only: $0.002. */
  tcpa: phoneCheckFacts('batchdata-phone-tcpa', '/api/v1/phone/tcpa', 2_000, false),
};
