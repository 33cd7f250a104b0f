import { describe, expect, it } from 'vitest';
import { batchDataFacts, providerFactsSchema } from '../../../src/providers/batchdata/facts.js';

describe('batchDataFacts', () => {
  it('holds the documented figures', () => {
    expect(batchDataFacts.baseUrl).toBe('https://api.batchdata.com');
    expect(batchDataFacts.endpoints).toEqual({
      skipTraceV1: '/api/v1/property/skip-trace',
      skipTraceV3: '/api/v3/property/skip-trace',
    });
    expect(batchDataFacts.auth.defaultStyle).toBe('bearer');
    expect(batchDataFacts.rateLimit).toMatchObject({
      requests: 3000,
      perMs: 60_000,
      scope: 'token',
      verified: true,
    });
    expect(batchDataFacts.cost).toMatchObject({ perHitMicros: 70_000, billsOnMiss: false, verified: false });
    expect(batchDataFacts.cost.source).toContain('third-party');
    expect(batchDataFacts.retryableCodes).toEqual(['network', 'timeout', 'rate_limited', 'server_error']);
    expect(batchDataFacts.env).toEqual({
      apiKey: 'BATCHDATA_API_KEY',
      baseUrl: 'BATCHDATA_BASE_URL',
      skipTracePath: 'BATCHDATA_SKIPTRACE_PATH',
      authStyle: 'BATCHDATA_AUTH_STYLE',
    });
  });

  it('the schema rejects a malformed fact', () => {
    expect(providerFactsSchema.safeParse({ ...batchDataFacts, baseUrl: 'not a url' }).success).toBe(false);
    expect(providerFactsSchema.safeParse({ ...batchDataFacts, retryableCodes: ['teapot'] }).success).toBe(
      false,
    );
    expect(providerFactsSchema.safeParse(batchDataFacts).success).toBe(true);
  });
});
