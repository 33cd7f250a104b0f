import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/runs/import/errors.js';
import { SNIFF_BYTES, readCsvRows, type CsvItem } from '../../../src/runs/import/read-csv.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadtrace-read-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function readAll(path: string): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of readCsvRows(path)) items.push(item);
  return items;
}

async function importError(path: string): Promise<ImportError> {
  try {
    await readAll(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('readCsvRows', () => {
  it('yields the header, then rows numbered from 1', async () => {
    const path = await fileWith('plain.csv', 'Address,City\n1 Main St,Springfield\n2 Oak Ave,Columbus\n');
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'City'] },
      { rowNumber: 1, cells: ['1 Main St', 'Springfield'] },
      { rowNumber: 2, cells: ['2 Oak Ave', 'Columbus'] },
    ]);
  });

  it('strips a UTF-8 BOM from the first header', async () => {
    const path = await fileWith(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Address,Zip\n1 Main St,62701\n')]),
    );
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'Zip'] },
      { rowNumber: 1, cells: ['1 Main St', '62701'] },
    ]);
  });

  it('keeps quoted newlines and commas inside one row and numbers rows by record', async () => {
    const path = await fileWith(
      'quoted.csv',
      'Address,Owner,Notes\n"1 Main St\nApt 4","SMITH, JOHN","said ""call later"""\n2 Oak Ave,JONES,\n"3 Elm\n\nRd",LEE,x\n4 Pine Ct,KIM,y\n',
    );
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'Owner', 'Notes'] },
      { rowNumber: 1, cells: ['1 Main St\nApt 4', 'SMITH, JOHN', 'said "call later"'] },
      { rowNumber: 2, cells: ['2 Oak Ave', 'JONES', ''] },
      { rowNumber: 3, cells: ['3 Elm\n\nRd', 'LEE', 'x'] },
      { rowNumber: 4, cells: ['4 Pine Ct', 'KIM', 'y'] },
    ]);
  });

  it('reads CRLF line endings, also inside quotes', async () => {
    const path = await fileWith(
      'crlf.csv',
      'Address,City\r\n1 Main St,Springfield\r\n"2 Oak\r\nAve",Columbus\r\n',
    );
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'City'] },
      { rowNumber: 1, cells: ['1 Main St', 'Springfield'] },
      { rowNumber: 2, cells: ['2 Oak\r\nAve', 'Columbus'] },
    ]);
  });

  it('skips blank lines without counting them', async () => {
    const path = await fileWith('blank.csv', '\nAddress\n\n1 Main St\n\n\n2 Oak Ave\n');
    expect(await readAll(path)).toEqual([
      { headers: ['Address'] },
      { rowNumber: 1, cells: ['1 Main St'] },
      { rowNumber: 2, cells: ['2 Oak Ave'] },
    ]);
  });

  it('allows rows shorter or longer than the header', async () => {
    const path = await fileWith('ragged.csv', 'A,B,C\n1\n1,2,3,4\n');
    expect(await readAll(path)).toEqual([
      { headers: ['A', 'B', 'C'] },
      { rowNumber: 1, cells: ['1'] },
      { rowNumber: 2, cells: ['1', '2', '3', '4'] },
    ]);
  });

  it('keeps a stray quote inside an unquoted cell', async () => {
    const path = await fileWith('stray-quote.csv', 'Address,Notes\n1 Main St,12" pipe\n');
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'Notes'] },
      { rowNumber: 1, cells: ['1 Main St', '12" pipe'] },
    ]);
  });

  it('decodes a Latin-1 file', async () => {
    const path = await fileWith(
      'latin1.csv',
      Buffer.from('First,Last\nJOSÉ,Peñalosa\nZOË,Nuñez\n', 'latin1'),
    );
    expect(await readAll(path)).toEqual([
      { headers: ['First', 'Last'] },
      { rowNumber: 1, cells: ['JOSÉ', 'Peñalosa'] },
      { rowNumber: 2, cells: ['ZOË', 'Nuñez'] },
    ]);
  });

  it('decodes Windows-1252 curly quotes in a Latin-1 file as text', async () => {
    const bytes = Buffer.concat([Buffer.from('Last\nO'), Buffer.from([0x92]), Buffer.from('BRIEN\n')]);
    const path = await fileWith('cp1252.csv', bytes);
    expect(await readAll(path)).toEqual([{ headers: ['Last'] }, { rowNumber: 1, cells: ['O\u2019BRIEN'] }]);
  });

  it('reads UTF-8 whose multi-byte character straddles the 64 KiB sample boundary', async () => {
    // "É" is 2 bytes; place its first byte as the last byte of the sample.
    const header = 'Name\n';
    const filler = 'a'.repeat(SNIFF_BYTES - header.length - 1 - 1) + '\n';
    const content = header + filler + 'JOSÉ\n';
    expect(Buffer.byteLength(header + filler + 'JOS')).toBe(SNIFF_BYTES - 1 + 3);
    const path = await fileWith('boundary.csv', content);
    const items = await readAll(path);
    expect(items).toHaveLength(3);
    expect(items[2]).toEqual({ rowNumber: 2, cells: ['JOSÉ'] });
  });

  it('decodes a UTF-16LE file with a BOM', async () => {
    const path = await fileWith(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Address,Owner\n1 Main St,JOSÉ\n', 'utf16le')]),
    );
    expect(await readAll(path)).toEqual([
      { headers: ['Address', 'Owner'] },
      { rowNumber: 1, cells: ['1 Main St', 'JOSÉ'] },
    ]);
  });

  it('stops reading when the consumer stops', async () => {
    const path = await fileWith(
      'many.csv',
      'A\n' + Array.from({ length: 10_000 }, (_, i) => `${i}\n`).join(''),
    );
    let last = 0;
    for await (const item of readCsvRows(path)) {
      if ('rowNumber' in item) last = item.rowNumber;
      if (last === 5) break;
    }
    expect(last).toBe(5);
  });

  it('honors an abort signal', async () => {
    const path = await fileWith(
      'abort.csv',
      'A\n' + Array.from({ length: 10_000 }, (_, i) => `${i}\n`).join(''),
    );
    const controller = new AbortController();
    const rows: number[] = [];
    await expect(async () => {
      for await (const item of readCsvRows(path, { signal: controller.signal })) {
        if ('rowNumber' in item) rows.push(item.rowNumber);
        if (rows.length === 3) controller.abort();
      }
    }).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(rows.length).toBeLessThan(10_000);
  });
});

describe('readCsvRows — files that are not importable', () => {
  it('reports a missing file', async () => {
    const path = join(dir, 'nope.csv');
    const err = await importError(path);
    expect(err.code).toBe('file_not_found');
    expect(err.message).toBe(`file not found: ${path}`);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('reports a directory', async () => {
    const err = await importError(dir);
    expect(err.code).toBe('not_csv');
    expect(err.message).toBe(`not a CSV file: ${dir} (it is a directory)`);
  });

  it('reports a binary file', async () => {
    const path = await fileWith(
      'image.bin',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    );
    const err = await importError(path);
    expect(err.code).toBe('not_csv');
    expect(err.message).toBe(`not a CSV file: ${path} (binary content: NUL bytes in the first 64 KiB)`);
  });

  it('reports an Excel workbook', async () => {
    const path = await fileWith('leads.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    const err = await importError(path);
    expect(err.code).toBe('not_csv');
    expect(err.message).toBe(
      `not a CSV file: ${path} (a ZIP archive or Excel .xlsx workbook; export it as CSV)`,
    );
  });

  it('reports JSON and XML documents', async () => {
    const json = await fileWith('leads.json', '  {"address": "1 Main St", "city": "Springfield"}\n');
    expect((await importError(json)).message).toBe(`not a CSV file: ${json} (looks like JSON)`);
    const array = await fileWith('leads-array.json', '[\n  {"a": 1}\n]\n');
    expect((await importError(array)).message).toBe(`not a CSV file: ${array} (looks like JSON)`);
    const xml = await fileWith('leads.xml', '<?xml version="1.0"?>\n<leads></leads>\n');
    expect((await importError(xml)).message).toBe(`not a CSV file: ${xml} (looks like XML or HTML)`);
  });

  it('accepts a header that merely starts with "["', async () => {
    const path = await fileWith('bracket.csv', '[Owner],Address\nA,1 Main St\n');
    expect((await readAll(path))[0]).toEqual({ headers: ['[Owner]', 'Address'] });
  });

  it('reports a binary header that slipped past the NUL check', async () => {
    const path = await fileWith('control.csv', Buffer.from([0x01, 0x02, 0x03, 0x41, 0x0a, 0x42, 0x0a]));
    const err = await importError(path);
    expect(err.code).toBe('not_csv');
    expect(err.message).toBe(`not a CSV file: ${path} (binary content in the header row)`);
  });

  it('reports an empty file', async () => {
    const path = await fileWith('empty.csv', '');
    const err = await importError(path);
    expect(err.code).toBe('no_header');
    expect(err.message).toBe(`no header row: ${path} (the file is empty)`);
  });

  it('reports a file of blank lines or a BOM only', async () => {
    const blank = await fileWith('blank-only.csv', '\n\r\n\n');
    expect((await importError(blank)).code).toBe('no_header');
    const bom = await fileWith('bom-only.csv', Buffer.from([0xef, 0xbb, 0xbf]));
    expect((await importError(bom)).code).toBe('no_header');
  });

  it('reports a header row without names', async () => {
    const path = await fileWith('no-names.csv', ',,\n1,2,3\n');
    const err = await importError(path);
    expect(err.code).toBe('no_header');
    expect(err.message).toBe(`no header row: ${path} (the first row has no column names)`);
  });

  it('reports an unclosed quote with its line', async () => {
    const path = await fileWith('unclosed.csv', 'A,B\n1,2\n"3,4\n5,6\n');
    const err = await importError(path);
    expect(err.code).toBe('malformed_csv');
    expect(err.message).toMatch(
      new RegExp(
        `^malformed CSV: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line \\d+: Quote Not Closed`,
      ),
    );
    expect(err.cause).toBeInstanceOf(Error);
  });
});
