/**
 * REISkip facts as validated data. Read this first: **no public REISkip API spec exists**
 * (vendors.md §2: no docs, SDK or OpenAPI found). The wire format — POST /v1/skip-trace,
 * Bearer key, `{address, city, state, zip, ownerName?}`, two response shapes in two casings,
 * 404 = not found — follows seed 000, the project's own earlier client, not vendor docs.
 * Every figure below is therefore unverified; check it against a real key before trusting it.
 */
import { vendorFactsSchema } from '../vendor-facts.js';

const SEED_000 = "seed 000 (the project's earlier REISkip client), not vendor documentation";

export const reiSkipFacts = vendorFactsSchema.parse({
  id: 'reiskip',
  displayName: 'REISkip',
  kind: 'skip-trace',
  // [INFERRED] host: the seed read it from configuration; set REISKIP_BASE_URL.
  baseUrl: 'https://api.reiskip.com',
  endpoints: { skipTrace: '/v1/skip-trace' },
  auth: { style: 'bearer', name: 'authorization', source: `Bearer token per ${SEED_000}`, verified: false },
  // One property per request; misses are free (catalogue: "misses not charged").
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: true, returnsCompliance: true },
  rateLimit: {
    requestsPerSecond: 1,
    source: `no published limit; ${SEED_000} ran one request at a time (BullMQ concurrency 1), calls up to 30 s`,
    verified: false,
  },
  retryableCodes: ['network', 'timeout', 'rate_limited', 'server_error'],
  cost: {
    perCallMicros: 0,
    perHitMicros: 150_000,
    perItemMicros: 0,
    source:
      'third-party catalogue: "$0.15 per match, misses not charged, no subscription" (bestskiptracingservice.com/bulk-skip-tracing, 2026-08-21)',
    verified: false,
  },
  envKeys: ['REISKIP_API_KEY', 'REISKIP_BASE_URL'],
});

/** Default per-request timeout: the seed saw calls take up to 30 s. */
export const REISKIP_DEFAULT_TIMEOUT_MS = 45_000;
