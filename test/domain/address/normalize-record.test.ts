import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MISSING_ADDRESS_ERROR, normalizeRecord } from '../../../src/domain/address/normalize-record.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('normalizeRecord', () => {
  it('normalizes a street/city/state/zip record with every output key', () => {
    const input = {
      street: '123 Main Street Apt 4',
      city: 'Springfield',
      state: 'Illinois',
      zip: '62704-1234',
    };
    const signature = sha256('123 MAIN ST APT 4|SPRINGFIELD|IL|62704#');
    expect(normalizeRecord(input)).toEqual({
      ok: true,
      output: {
        input,
        house_number: '123',
        pre_directional: null,
        street_name: 'MAIN',
        suffix: 'ST',
        post_directional: null,
        unit_designator: 'APT',
        unit_number: '4',
        line1: '123 MAIN ST',
        line2: 'APT 4',
        city: 'SPRINGFIELD',
        state: 'IL',
        zip5: '62704',
        zip4: '1234',
        address_key: sha256('123 MAIN ST 4|62704'),
        input_signature: signature,
        sanitized_signature: sha256('123 MAIN ST|SPRINGFIELD|IL|62704#'),
        idempotency_key: sha256(signature),
      },
    });
  });

  it('keeps the output keys in the documented order, nulls included', () => {
    const result = normalizeRecord({ street: '1 Elm St' });
    expect(result.ok && Object.keys(result.output)).toEqual([
      'input',
      'house_number',
      'pre_directional',
      'street_name',
      'suffix',
      'post_directional',
      'unit_designator',
      'unit_number',
      'line1',
      'line2',
      'city',
      'state',
      'zip5',
      'zip4',
      'address_key',
      'input_signature',
      'sanitized_signature',
      'idempotency_key',
    ]);
  });

  it('accepts a one-string address, line2 and the owner name', () => {
    const input = {
      address: '123 Main St, Springfield, IL 62704',
      line2: '#4',
      first: 'john',
      last: 'smith',
    };
    const result = normalizeRecord(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.output).toMatchObject({
      line1: '123 MAIN ST',
      line2: '# 4',
      city: 'SPRINGFIELD',
      zip5: '62704',
    });
    expect(result.output.input_signature).toBe(sha256('123 MAIN ST # 4|SPRINGFIELD|IL|62704#JOHN SMITH'));
    expect(result.output.sanitized_signature).toBe(sha256('123 MAIN ST|SPRINGFIELD|IL|62704#JOHN SMITH'));
  });

  it('accepts a numeric ZIP', () => {
    const result = normalizeRecord({ street: '1 Elm St', zip: 2134 });
    expect(result.ok && result.output.zip5).toBe('02134');
  });

  it('rejects a record without street or address', () => {
    expect(normalizeRecord({ city: 'Springfield', state: 'IL' })).toEqual({
      ok: false,
      error: MISSING_ADDRESS_ERROR,
    });
    expect(normalizeRecord({ street: '   ', address: '' })).toEqual({
      ok: false,
      error: MISSING_ADDRESS_ERROR,
    });
    expect(MISSING_ADDRESS_ERROR).toBe(
      'record has no address: give "street" (with "city", "state", "zip") or "address" as one string',
    );
  });

  it('rejects fields of the wrong type', () => {
    expect(normalizeRecord({ street: { line: 'x' } })).toEqual({
      ok: false,
      error: 'field "street" must be a string, got object',
    });
    expect(normalizeRecord({ address: ['1 Elm St'] })).toEqual({
      ok: false,
      error: 'field "address" must be a string, got array',
    });
  });
});
