/**
 * The fast CSV parser (csv-records.ts) against csv-parse, the parser it stands in for: on
 * seeded random files full of quotes, commas, blank lines and every line ending, read in
 * chunks small enough to cut records anywhere, readCsvRows gives csv-parse's records — or
 * fails with csv-parse's own error — whichever parser ends up reading the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvRecordParser, MAX_PENDING, NotSimpleCsv } from '../../../src/runs/import/csv-records.js';
import { ImportError } from '../../../src/runs/import/errors.js';
import { readCsvRows } from '../../../src/runs/import/read-csv.js';

const OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true };
const PIECES = ['a', 'b', 'é', ' ', ',', ',', '"', '""', '\n', '\r\n', '\r', '\n\n', '"x,\ny"'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadtrace-csv-records-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A header starting with a letter (so the file passes the type sniff), then random text. */
function randomCsv(random: () => number): string {
  const endings = ['\n', '\r\n', '\r'];
  let text = `Head,Er${endings[Math.floor(random() * 3)]}`;
  const pieces = Math.floor(random() * 120);
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)];
  return text;
}

/** The fast parser's records for `text` fed in random pieces, or null if it hands back. */
function fastRecords(text: string, random: () => number): string[][] | null {
  const parser = new CsvRecordParser();
  const records: string[][] = [];
  try {
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(random() * 8);
      records.push(...parser.push(text.slice(at, at + size), false));
      at += size;
    }
    records.push(...parser.push('', true));
    return records;
  } catch (err) {
    if (err instanceof NotSimpleCsv) return null;
    throw err;
  }
}

/**
 * A well-formed file (what the fast parser should take itself): quoted fields with quotes,
 * commas and line breaks, unquoted ones with stray quotes and the other line endings,
 * blank lines and empty fields.
 */
function structuredCsv(random: () => number): string {
  const ending = ['\n', '\r\n', '\r'][Math.floor(random() * 3)]!;
  const unquoted = ['a', 'b c', '12" pipe', 'é', '', ' ', ending === '\n' ? 'x\ry' : 'x\ny'];
  const quoted = ['"a,b"', '"say ""hi"""', '"line\nbreak"', '"cr\r\nlf"', '""', '","'];
  const records = ['Head,Er'];
  const count = Math.floor(random() * 30);
  for (let r = 0; r < count; r++) {
    if (random() < 0.1) {
      records.push('');
      continue;
    }
    const cells = [];
    const fields = 1 + Math.floor(random() * 5);
    for (let f = 0; f < fields; f++) {
      const pool = random() < 0.3 ? quoted : unquoted;
      cells.push(pool[Math.floor(random() * pool.length)]!);
    }
    records.push(cells.join(','));
  }
  return records.join(ending) + (random() < 0.5 ? ending : '');
}

type Outcome = { records: string[][] } | { error: string };

function expected(text: string): Outcome {
  try {
    return { records: parse(Buffer.from(text), OPTIONS) as string[][] };
  } catch (err) {
    return { error: `${(err as { code: string }).code}: ${(err as Error).message}` };
  }
}

async function actual(path: string, chunkBytes: number): Promise<Outcome> {
  const records: string[][] = [];
  try {
    for await (const item of readCsvRows(path, { chunkBytes })) {
      records.push('headers' in item ? item.headers : item.cells);
    }
    return { records };
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    const cause = (err as ImportError).cause as { code: string; message: string };
    return { error: `${cause.code}: ${cause.message}` };
  }
}

describe('fast CSV parser', () => {
  it('reads random files as csv-parse does, whatever the chunk size', async () => {
    const random = prng(20261125);
    let errors = 0;
    let parsedFast = 0;
    for (let n = 0; n < 400; n++) {
      // Half chaos (mostly csv-parse's), half well-formed files (mostly the fast parser's).
      const text = n % 2 === 0 ? randomCsv(random) : structuredCsv(random);
      const path = join(dir, `random-${n}.csv`);
      writeFileSync(path, text);
      const want = expected(text);
      if ('error' in want) errors++;
      // The fast parser alone, fed in random pieces: csv-parse's records, or it hands back.
      const fast = fastRecords(text, random);
      if (fast !== null) {
        parsedFast++;
        expect({ n, text, records: fast }).toEqual({ n, text, ...want });
      }
      for (const chunkBytes of [3, 64 * 1024]) {
        expect({ n, chunkBytes, text, ...(await actual(path, chunkBytes)) }).toEqual({
          n,
          chunkBytes,
          text,
          ...want,
        });
      }
    }
    // Both kinds of file occur, and more than half are parsed by the fast parser alone.
    expect(errors).toBeGreaterThan(10);
    expect(errors).toBeLessThan(200);
    expect(parsedFast).toBeGreaterThan(200);
  });

  it('parses the common shapes itself and hands the rest back', () => {
    const parse = (text: string) => new CsvRecordParser().push(text, true);
    expect(parse('a,"b ""c""",\r\n\r\n"",x\r\ny')).toEqual([['a', 'b "c"', ''], ['', 'x'], ['y']]);
    expect(parse('a\nb\rc\n')).toEqual([['a'], ['b\rc']]);
    expect(() => parse('"a"b\n')).toThrow(NotSimpleCsv);
    expect(() => parse('"a\n')).toThrow(NotSimpleCsv);
    const parser = new CsvRecordParser();
    expect(() => parser.push(`"${'x'.repeat(MAX_PENDING)}`, false)).toThrow(NotSimpleCsv);
  });

  it('reads a file csv-parse has to finish: invalid UTF-8 after the sniffed part, a huge record', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},row ${i}`).join('\n');
    const invalid = join(dir, 'invalid-utf8.csv');
    const bytes = Buffer.concat([Buffer.from(`\uFEFFA,B\n${rows}\n`), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]);
    writeFileSync(invalid, bytes);
    expect(await actual(invalid, 4096)).toEqual({ records: parse(bytes, OPTIONS) as string[][] });
    const huge = join(dir, 'huge-record.csv');
    const text = `A,B\n1,"${'y'.repeat(MAX_PENDING + 10)}"\n2,z\n`;
    writeFileSync(huge, text);
    expect(await actual(huge, 64 * 1024)).toEqual({ records: parse(text, OPTIONS) as string[][] });
  });
});
