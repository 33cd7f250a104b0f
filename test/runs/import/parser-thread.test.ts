/**
 * The parser thread yields what parsing on the importing thread yields — the same leads and
 * rejections in the same order, the same ImportErrors — whether it takes over or dies
 * half-way (parsing then resumes here). Only the batch parsed here when the thread takes
 * over is cut short, at the row the thread started from. Runs a real worker thread, which
 * loads the TypeScript sources through tsx under vitest too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError } from 'csv-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/runs/import/errors.js';
import {
  readLeadBatches,
  type HeaderItem,
  type LeadBatch,
  type LeadBatchOptions,
} from '../../../src/runs/import/lead-batches.js';
import { parallelLeadBatches } from '../../../src/runs/import/parser-thread.js';
import { trickyCsv } from './tricky-csv.js';

let dir: string;
let csv: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadtrace-parser-'));
  csv = join(dir, 'tricky.csv');
  writeFileSync(csv, trickyCsv(2000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options: LeadBatchOptions = { source: 'csv', batchSize: 40 };

async function collect<T>(items: AsyncIterable<T>, perItem?: () => Promise<void>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    await perItem?.();
  }
  return out;
}

async function failure(items: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await collect(items);
  } catch (err) {
    return err;
  }
  throw new Error('expected the reader to fail');
}

/** The header, then every lead and rejection in order, and the rows of the last batch. */
function flat(items: (HeaderItem | LeadBatch)[]) {
  const batches = items.filter((i): i is LeadBatch => !('headers' in i));
  return {
    header: items[0],
    leads: batches.flatMap((b) => b.leads),
    rejections: batches.flatMap((b) => b.rejections),
    rows: batches.at(-1)?.rows,
    /** Only the final batch says it is the last. */
    lastAtEnd: batches.findIndex((b) => b.last) === batches.length - 1,
  };
}

/** Batch sizes: full (40) everywhere but the cut one, which ends at `cutAt`, and the last. */
function expectCutAt(items: (HeaderItem | LeadBatch)[], cutAt: number) {
  const batches = items.filter((i): i is LeadBatch => !('headers' in i));
  const short = batches.slice(0, -1).filter((b) => b.leads.length !== options.batchSize);
  expect(short.map((b) => b.rows)).toEqual([cutAt]);
}

describe('parallelLeadBatches', () => {
  it('yields the same header, leads and rejections when the thread takes over', async () => {
    const local = await collect(readLeadBatches(csv, options));
    let handOff = -1;
    const parallel = await collect(
      parallelLeadBatches(csv, options, { awaitThread: true, onHandOff: (rows) => (handOff = rows) }),
    );
    // Ready after the first batch, the thread starts four batches further on.
    const firstRows = (local[1] as LeadBatch).rows;
    expect(handOff).toBe(firstRows + 4 * options.batchSize);
    expectCutAt(parallel, handOff);
    expect(flat(parallel)).toEqual(flat(local));
    expect(local.length).toBeGreaterThan(20);
  });

  it('yields the same through the tsx boot, used when the bundle cannot be built', async () => {
    const local = await collect(readLeadBatches(csv, options));
    const entry = new URL('../../../src/runs/import/parser-worker-boot.mjs', import.meta.url);
    let handOff = -1;
    const parallel = await collect(
      parallelLeadBatches(csv, options, { awaitThread: true, entry, onHandOff: (rows) => (handOff = rows) }),
    );
    expect(handOff).toBeGreaterThan(0);
    expect(flat(parallel)).toEqual(flat(local));
  });

  it('resumes on this thread when the parser thread dies', async () => {
    const local = await collect(readLeadBatches(csv, options));
    const entry = new URL('./crashing-parser-boot.mjs', import.meta.url);
    const parallel = await collect(parallelLeadBatches(csv, options, { awaitThread: true, entry }));
    expect(flat(parallel)).toEqual(flat(local));
  });

  it('fails with the ImportError the file gives on this thread', async () => {
    const path = join(dir, 'unclosed.csv');
    writeFileSync(path, `${trickyCsv(1500)}"9 Unclosed St,Austin,TX,78701\n`);
    const here = await failure(readLeadBatches(path, options));
    const there = await failure(parallelLeadBatches(path, options, { awaitThread: true }));
    expect(here).toBeInstanceOf(ImportError);
    expect(there).toBeInstanceOf(ImportError);
    const [a, b] = [here as ImportError, there as ImportError];
    expect(b.code).toBe('malformed_csv');
    expect(b.message).toBe(a.message);
    expect(b.details).toEqual({ ...a.details, cause: expect.any(CsvError) });
    expect(Object.keys(b.details)).toEqual(Object.keys(a.details));
    expect((b.cause as CsvError).code).toBe((a.cause as CsvError).code);
    expect(b.cause).toBeInstanceOf(CsvError);
  });

  it('honors an abort signal while the thread parses', async () => {
    const controller = new AbortController();
    let handOff = -1;
    let fromThread = 0;
    const err = await failure(
      (async function* () {
        const items = parallelLeadBatches(
          csv,
          { ...options, signal: controller.signal },
          { awaitThread: true, onHandOff: (rows) => (handOff = rows) },
        );
        for await (const item of items) {
          // The second batch the thread parsed: abort there.
          if (!('headers' in item) && handOff >= 0 && item.rows > handOff && ++fromThread === 2) {
            controller.abort();
          }
          yield item;
        }
      })(),
    );
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(handOff).toBeGreaterThan(0);
    expect(fromThread).toBe(2);
  });
});
