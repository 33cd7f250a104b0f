/**
 * A batch crosses from the parser thread as the values that vary within it plus one shared
 * row: decoded, it is the batch that was encoded — every lead's full values (shared columns,
 * nulls, numbers and strings in place), row numbers, input rows and rejections.
 */
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../../src/runs/import/parser-protocol.js';
import type { LeadBatch } from '../../../src/runs/import/lead-batches.js';

const lead = (rowNumber: number, values: (string | number | null)[], input: string[]) => ({
  rowNumber,
  values,
  inputRowJson: JSON.stringify(input),
});

describe('parser protocol', () => {
  it('sends the shared columns once and the varying ones per lead, and decodes the same batch', () => {
    const batch: LeadBatch = {
      rows: 7,
      last: false,
      rejections: [{ rowNumber: 3, field: 'zip', reason: 'not a ZIP code: "x"' }],
      leads: [
        lead(1, [null, 'csv', '1 MAIN ST', 150000, null, 'new'], ['1 Main St', 'a\u0002"b"']),
        lead(2, [null, 'csv', '2 OAK AVE', null, 'APT 1', 'new'], ['2 Oak Ave', '']),
        lead(4, [null, 'csv', '3 ELM ST', 0, null, 'new'], []),
      ],
    };
    const encoded = encodeBatch(batch);
    expect(encoded.varying).toEqual([2, 3, 4]);
    expect(JSON.parse(encoded.shared)).toEqual([null, 'csv', null, null, null, 'new']);
    expect(JSON.parse(encoded.values)).toEqual([
      ['1 MAIN ST', 150000, null],
      ['2 OAK AVE', null, 'APT 1'],
      ['3 ELM ST', 0, null],
    ]);
    const decoded = decodeBatch(structuredClone(encoded));
    expect(decoded).toEqual(batch);
    // Each lead owns its values array (the upsert completes it in place).
    expect(decoded.leads[0]!.values).not.toBe(decoded.leads[1]!.values);
  });

  it('round-trips a batch of one lead and an empty last batch', () => {
    const one: LeadBatch = { rows: 1, last: false, rejections: [], leads: [lead(1, ['x', null, 5], ['x'])] };
    expect(encodeBatch(one).varying).toEqual([]);
    expect(decodeBatch(encodeBatch(one))).toEqual(one);
    const empty: LeadBatch = {
      rows: 9,
      last: true,
      rejections: [{ rowNumber: 9, field: 'address', reason: 'no street' }],
      leads: [],
    };
    expect(decodeBatch(encodeBatch(empty))).toEqual(empty);
  });
});
