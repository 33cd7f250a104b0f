import { describe, expect, it } from 'vitest';
import type { SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import { BATCHDATA_MAX_BATCH, buildSkipTraceRequest } from '../../../src/providers/batchdata/request.js';

const inputs = (n: number): SkipTraceInput[] =>
  Array.from({ length: n }, (_, i) => ({
    requestId: `r${i}`,
    street: `${i} Main St`,
    city: 'Chicago',
    state: 'IL',
    zip: '60606',
  }));

describe('buildSkipTraceRequest', () => {
  it('builds the documented body, omitting absent parts', () => {
    const body = buildSkipTraceRequest(
      [
        {
          requestId: 'lead-1',
          street: '1011 Rosegold St',
          city: 'Franklin Square',
          state: 'NY',
          zip: '11010',
          firstName: 'John',
          lastName: 'Doe',
        },
        {
          requestId: 'lead-2',
          street: '9 Elm St',
          city: null,
          state: null,
          zip: '60606',
          firstName: null,
          lastName: 'Roe',
        },
      ],
      { version: 'v1' },
    );
    expect(body).toEqual({
      requests: [
        {
          requestId: 'lead-1',
          propertyAddress: { street: '1011 Rosegold St', city: 'Franklin Square', state: 'NY', zip: '11010' },
          name: { first: 'John', last: 'Doe' },
        },
        { requestId: 'lead-2', propertyAddress: { street: '9 Elm St', zip: '60606' }, name: { last: 'Roe' } },
      ],
      options: { includeTCPABlacklistedPhones: false, showRequests: true },
    });
  });

  it('v3 uses the same body; TCPA phones only when asked', () => {
    expect(buildSkipTraceRequest(inputs(1), { version: 'v3' }).options).toEqual({
      includeTCPABlacklistedPhones: false,
      showRequests: true,
    });
    expect(
      buildSkipTraceRequest(inputs(1), { version: 'v3', includeTcpaBlacklistedPhones: true }).options
        .includeTCPABlacklistedPhones,
    ).toBe(true);
  });

  it('accepts exactly 100 inputs', () => {
    expect(BATCHDATA_MAX_BATCH).toBe(100);
    expect(buildSkipTraceRequest(inputs(100), { version: 'v1' }).requests).toHaveLength(100);
  });

  it.each([
    [101, 'skip-trace batch has 101 inputs; BatchData accepts at most 100'],
    [0, 'skip-trace batch is empty'],
  ])('%i inputs → invalid_request', (n, message) => {
    const attempt = () => buildSkipTraceRequest(inputs(n), { version: 'v1' });
    expect(attempt).toThrow(ProviderError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as ProviderError).code).toBe('invalid_request');
    }
  });

  it('a repeated requestId → invalid_request (results are matched by requestId)', () => {
    const twice = [...inputs(2), { ...inputs(1)[0]! }];
    expect(() => buildSkipTraceRequest(twice, { version: 'v1' })).toThrow('duplicate requestId in batch: r0');
  });
});
