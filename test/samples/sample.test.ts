import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDraft, RowRejection } from '../../src/domain/lead.js';
import { hasAddressColumn, mapHeaders } from '../../src/domain/csv/header-mapping.js';
import { rowToLead } from '../../src/domain/csv/row-to-lead.js';
import { readCsvRows } from '../../src/runs/import/read-csv.js';
import {
  SAMPLE_DISTINCT_PROPERTIES,
  SAMPLE_ENTITY_OWNERS,
  SAMPLE_HEADER,
  SAMPLE_MISSING_OWNERS,
  SAMPLE_ROWS,
  generateSampleCsv,
  makeSample,
  mulberry32,
} from '../../scripts/make-sample-lib.js';

const COMMITTED = fileURLToPath(new URL('../../samples/leads.csv', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadtrace-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mulberry32', () => {
  it('is a fixed sequence for a seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(first[0]);
  });
});

describe('makeSample', () => {
  it('writes identical bytes on every run, equal to the committed samples/leads.csv', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    expect(await makeSample(a)).toBe(609);
    expect(await makeSample(b)).toBe(609);
    const bytesA = await readFile(a);
    expect(bytesA.equals(await readFile(b))).toBe(true);
    expect(bytesA.equals(await readFile(COMMITTED))).toBe(true);
  });

  it('changes with the seed', () => {
    expect(generateSampleCsv(1)).not.toBe(generateSampleCsv(2));
  });
});

describe('samples/leads.csv', () => {
  let headers: string[] = [];
  const rows: { rowNumber: number; cells: string[] }[] = [];
  beforeAll(async () => {
    for await (const item of readCsvRows(COMMITTED)) {
      if ('headers' in item) headers = item.headers;
      else rows.push(item);
    }
  });

  it('has the documented header and 609 data rows of 18 cells', () => {
    expect(headers).toEqual([...SAMPLE_HEADER]);
    expect(rows).toHaveLength(SAMPLE_ROWS);
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 609 }, (_, i) => i + 1));
    expect(rows.every((r) => r.cells.length === 18)).toBe(true);
  });

  it('maps every column automatically', () => {
    const { mapping, unmapped, errors } = mapHeaders(headers);
    expect(unmapped).toEqual([]);
    expect(errors).toEqual([]);
    expect(mapping.size).toBe(18);
    expect(hasAddressColumn(mapping)).toBe(true);
  });

  it('imports as 603 leads and 6 rejections, 578 distinct addresses, 40 entities, 15 without owner', () => {
    const { mapping } = mapHeaders(headers);
    const drafts: LeadDraft[] = [];
    const rejections: RowRejection[] = [];
    for (const row of rows) {
      const outcome = rowToLead(row.cells, headers, mapping, row.rowNumber, 'csv');
      if (outcome.ok) drafts.push(outcome.draft);
      else rejections.push(outcome.rejection);
    }
    expect(rejections.map(({ field, reason }) => ({ field, reason })).sort((x, y) => x.field.localeCompare(y.field))).toEqual([
      { field: 'beds', reason: 'not a number: "three"' },
      { field: 'estimatedValue', reason: 'not a number: "lots"' },
      { field: 'ownerOccupied', reason: 'not a yes/no value: "maybe"' },
      { field: 'row', reason: 'no address, owner, APN or contact in this row' },
      { field: 'state', reason: 'unknown state: "ZZ"' },
      { field: 'zip', reason: 'not a ZIP code: "ABCDE"' },
    ]);
    expect(drafts).toHaveLength(603);
    expect(drafts.every((d) => d.address !== null && d.address.zip5 !== null && d.address.state !== null)).toBe(true);

    // First occurrence of each address stands for the property.
    const byAddress = new Map<string, LeadDraft>();
    for (const d of drafts) {
      const a = d.address!;
      const key = `${a.line1}|${a.line2 ?? ''}|${a.zip5}`;
      if (!byAddress.has(key)) byAddress.set(key, d);
    }
    expect(byAddress.size).toBe(SAMPLE_DISTINCT_PROPERTIES);
    const distinct = [...byAddress.values()];
    expect(distinct.filter((d) => d.owner?.company != null)).toHaveLength(SAMPLE_ENTITY_OWNERS);
    expect(distinct.filter((d) => d.owner === null)).toHaveLength(SAMPLE_MISSING_OWNERS);
  });
});
