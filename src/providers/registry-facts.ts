/**
 * Facts in the shared schema (vendor-facts.ts) for the two providers whose folders do not
 * have them: the BatchData skip-trace (batchdata/facts.ts predates the shared schema) and
 * leadtrace's own email check (no vendor at all). Parsed at import time, like every facts.ts.
 */
import { batchDataFacts } from './batchdata/facts.js';
import { EMAIL_CHECK_PROVIDER_ID } from './email-check/provider.js';
import { vendorFactsSchema } from './vendor-facts.js';

/** BatchData skip-trace facts (batchdata/facts.ts, older schema) in the shared schema. */
export const batchDataSkipTraceFacts = vendorFactsSchema.parse({
  id: batchDataFacts.id,
  displayName: batchDataFacts.displayName,
  kind: batchDataFacts.kind,
  baseUrl: batchDataFacts.baseUrl,
  endpoints: batchDataFacts.endpoints,
  auth: {
    style: batchDataFacts.auth.defaultStyle,
    name: 'authorization',
    source: batchDataFacts.auth.source,
    verified: batchDataFacts.auth.verified,
  },
  // Phones come with DNC and TCPA flags (v1 `dnc`/`tcpa`, v3 the same per phone).
  flags: {
    batchSize: batchDataFacts.batchSize,
    billsOnMiss: batchDataFacts.cost.billsOnMiss,
    returnsLineType: true,
    returnsCompliance: true,
  },
  rateLimit: {
    requestsPerSecond: batchDataFacts.rateLimit.requests / (batchDataFacts.rateLimit.perMs / 1000),
    requestsPerMinute: (batchDataFacts.rateLimit.requests * 60_000) / batchDataFacts.rateLimit.perMs,
    source: batchDataFacts.rateLimit.source,
    verified: batchDataFacts.rateLimit.verified,
  },
  retryableCodes: batchDataFacts.retryableCodes,
  cost: {
    perCallMicros: 0,
    perHitMicros: batchDataFacts.cost.perHitMicros,
    perItemMicros: 0,
    source: batchDataFacts.cost.source,
    verified: batchDataFacts.cost.verified,
  },
  envKeys: [
    batchDataFacts.env.apiKey,
    batchDataFacts.env.baseUrl,
    batchDataFacts.env.skipTracePath,
    batchDataFacts.env.authStyle,
    'BATCHDATA_COST_PER_HIT_USD',
  ],
});

/** leadtrace's own email check: no host, no key, no price (email-check/provider.ts). */
export const emailCheckFacts = vendorFactsSchema.parse({
  id: EMAIL_CHECK_PROVIDER_ID,
  displayName: 'leadtrace email check',
  kind: 'email-verify',
  // No single host: each address's own MX hosts, port 25. A placeholder the schema accepts.
  baseUrl: 'smtp://recipient-mx.invalid',
  endpoints: {},
  auth: {
    style: 'header',
    name: 'none',
    source: 'no credentials: DNS and SMTP from this machine',
    verified: true,
  },
  flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
  rateLimit: {
    requestsPerSecond: 2,
    source: 'our own good-citizen limit (email-check/provider.ts), so mail servers do not see a harvest',
    verified: true,
  },
  retryableCodes: ['network', 'timeout'],
  cost: {
    perCallMicros: 0,
    perHitMicros: 0,
    perItemMicros: 0,
    source: 'our own code: free in money, paid in time',
    verified: true,
  },
  envKeys: [
    'EMAIL_CHECK_ENABLED',
    'EMAIL_CHECK_HELO_NAME',
    'EMAIL_CHECK_MAIL_FROM',
    'EMAIL_CHECK_DNS_SERVERS',
    'EMAIL_CHECK_SMTP_PORT',
  ],
});
