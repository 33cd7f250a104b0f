/**
 * Melissa Personator Consumer (contact verify / append) facts as validated data
 * (vendors.md §7; cost from seed 001).
 */
import { vendorFactsSchema } from '../vendor-facts.js';

export const melissaPersonatorFacts = vendorFactsSchema.parse({
  id: 'melissa-personator',
  displayName: 'Melissa Personator',
  kind: 'skip-trace',
  baseUrl: 'https://personator.melissadata.net',
  endpoints: { contactVerify: '/v3/WEB/ContactVerify/doContactVerify' },
  auth: {
    style: 'query',
    name: 'id',
    source: 'callers of doContactVerify and a Python cloud-API SDK (vendors.md §7): license key in `id`',
    verified: false,
  },
  flags: {
    // One record per GET (the POST batch form is not used).
    batchSize: 1,
    // Billed per record sent, verified or not.
    billsOnMiss: true,
    // Phone line types come only from result codes whose meanings are inferred (PS07/08/09).
    returnsLineType: false,
    returnsMak: true,
    returnsCompliance: false,
  },
  rateLimit: {
    requestsPerSecond: 10,
    source: 'not found; a conservative default — configure the contract limit',
    verified: false,
  },
  retryableCodes: ['network', 'timeout', 'rate_limited', 'server_error'],
  cost: {
    perCallMicros: 50_000,
    perHitMicros: 0,
    perItemMicros: 0,
    source: 'seed 001 waterfall: "~$0.05 per record"; no vendor price page seen',
    verified: false,
  },
  envKeys: ['MELISSA_LICENSE_KEY', 'MELISSA_BASE_URL', 'MELISSA_COST_PER_RECORD_USD'],
});
