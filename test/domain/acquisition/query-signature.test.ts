import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  querySignature,
  signatureText,
} from '../../../src/domain/acquisition/query-signature.js';
import { normalizeSearchQuery } from '../../../src/domain/acquisition/search-query.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[3,1]},"b":1}',
    );
  });
});

describe('querySignature', () => {
  it('is sha256 of the versioned canonical text of the normalized search (a storage contract)', () => {
    const q = normalizeSearchQuery({ zips: ['85001'], filters: { vacant: true } });
    expect(signatureText(q)).toBe(
      '{"city":null,"filters":{"vacant":true},"sort":null,"state":null,"v":1,"zips":["85001"]}',
    );
    expect(querySignature(q)).toBe(createHash('sha256').update(signatureText(q)).digest('hex'));
    // Pinned: changing the format silently orphans every bookmark.
    expect(querySignature({ zips: ['85001'] })).toBe(
      createHash('sha256')
        .update('{"city":null,"filters":{},"sort":null,"state":null,"v":1,"zips":["85001"]}')
        .digest('hex'),
    );
  });

  it('is the same however the search was spelled', () => {
    const a = querySignature({
      zips: ['85002', '85001'],
      state: 'Arizona',
      city: 'phoenix',
      filters: { pre_foreclosure: 'true', value_min: '100000' },
      sort: 'years_owned',
    });
    const b = querySignature({
      zips: [' 85001 , 85002', '85002-0001'],
      state: ' az ',
      city: 'PHOENIX',
      filters: { VALUE_MIN: 100000, Pre_Foreclosure: true },
      sort: 'YEARS_OWNED:asc',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when the result set can differ', () => {
    const base = { zips: ['85001'], filters: { vacant: true } };
    const sig = querySignature(base);
    expect(querySignature({ ...base, zips: ['85002'] })).not.toBe(sig);
    expect(querySignature({ ...base, filters: { vacant: false } })).not.toBe(sig);
    expect(querySignature({ ...base, filters: { vacant: 'yes' } })).not.toBe(sig);
    expect(querySignature({ ...base, sort: 'x:desc' })).not.toBe(querySignature({ ...base, sort: 'x' }));
    expect(querySignature({ ...base, state: 'AZ' })).not.toBe(sig);
  });

  it('accepts a normalized search and gives the raw one its signature', () => {
    const raw = { city: 'Mesa', state: 'az', filters: { a: '1' } };
    expect(querySignature(normalizeSearchQuery(raw))).toBe(querySignature(raw));
  });
});
