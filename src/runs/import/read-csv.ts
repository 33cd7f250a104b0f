/**
 * Streams a CSV file as a header followed by numbered data rows, with back-pressure: the
 * file is read only as fast as the consumer takes rows.
 *
 * Before parsing, the first 64 KiB are inspected so that a wrong file fails with a specific
 * ImportError instead of thousands of row rejections: missing file, directory, spreadsheet,
 * PDF, archive, JSON, XML, binary. The encoding is chosen from the same sample: UTF-8 when
 * it decodes strictly (a UTF-8 or UTF-16LE BOM is honored), otherwise Latin-1 — read as
 * Windows-1252 (what WHATWG means by "latin1"), so the curly quotes and dashes Excel writes on
 * Windows come out as text, not as C1 control characters.
 *
 * Parsing follows csv-parse's rules (CSV_PARSE_OPTIONS); most files are parsed by the faster
 * csv-records.ts, which hands anything unusual back to csv-parse itself.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, addAbortSignal, pipeline, type Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { CsvError, parse } from 'csv-parse';
import { CsvRecordParser, NotSimpleCsv } from './csv-records.js';
import { ImportError } from './errors.js';

export type CsvItem = { headers: string[] } | { rowNumber: number; cells: string[] };

/** A header, then data rows in batches (numbered from `firstRowNumber` on, one by one). */
export type CsvBatch = { headers: string[] } | { firstRowNumber: number; rows: string[][] };

export interface ReadCsvOptions {
  signal?: AbortSignal;
  /** Bytes read per chunk (default 64 KiB); tests use small ones to cut records anywhere. */
  chunkBytes?: number;
}

/** Bytes inspected for type and encoding detection. */
export const SNIFF_BYTES = 64 * 1024;

type SourceEncoding = 'utf8' | 'utf16le' | 'latin1';

/** csv-parse's options: the rules of both parsers (csv-records.ts). */
const CSV_PARSE_OPTIONS = {
  bom: true,
  relax_column_count: true,
  // A stray quote inside an unquoted cell (12" PIPE) is kept as text rather than failing the file.
  relax_quotes: true,
  skip_empty_lines: true,
} as const;

/**
 * Yields `{headers}` once, then `{rowNumber, cells}` per data row. Row numbers count data
 * records from 1 — the header is not counted and a quoted newline does not start a new row;
 * blank lines are skipped and not counted. Cells are returned exactly as parsed (untrimmed);
 * rows may be shorter or longer than the header.
 */
export async function* readCsvRows(path: string, opts: ReadCsvOptions = {}): AsyncGenerator<CsvItem> {
  for await (const batch of readCsvRowBatches(path, opts)) {
    if ('headers' in batch) {
      yield batch;
      continue;
    }
    for (let i = 0; i < batch.rows.length; i++) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      yield { rowNumber: batch.firstRowNumber + i, cells: batch.rows[i]! };
    }
  }
}

/**
 * readCsvRows in batches — the rows of each chunk read — for consumers that take many rows
 * per step: the same header, rows, numbers and failures.
 */
export async function* readCsvRowBatches(path: string, opts: ReadCsvOptions = {}): AsyncGenerator<CsvBatch> {
  let rowNumber = 0;
  let headerSeen = false;
  for await (let records of readCsvRecords(path, opts)) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    if (!headerSeen) {
      if (records.length === 0) continue;
      checkHeader(path, records[0]!);
      headerSeen = true;
      yield { headers: records[0]! };
      records = records.slice(1);
    }
    if (records.length === 0) continue;
    yield { firstRowNumber: rowNumber + 1, rows: records };
    rowNumber += records.length;
  }
  if (!headerSeen) throw new ImportError('no_header', `no header row: ${path} (the file is empty)`, { path });
}

/**
 * Every record of the file (the header first) in batches, with back-pressure: the file is
 * read only as fast as the consumer takes batches. UTF-8 and Latin-1 files go through the
 * fast parser (csv-records.ts); UTF-16, and any file it hands back, through csv-parse —
 * from the start again, skipping the records already yielded.
 */
async function* readCsvRecords(path: string, opts: ReadCsvOptions): AsyncGenerator<string[][]> {
  const encoding = await inspectFile(path);
  opts.signal?.throwIfAborted();
  let yielded = 0;
  try {
    if (encoding !== 'utf16le') {
      const input = createReadStream(path, { highWaterMark: opts.chunkBytes ?? SNIFF_BYTES });
      if (opts.signal) addAbortSignal(opts.signal, input);
      const parser = new CsvRecordParser();
      const utf8 = encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true }) : null;
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          const records = parser.push(utf8 ? decodeUtf8(utf8, chunk, true) : latin1Text(chunk), false);
          if (records.length > 0) {
            yielded += records.length;
            yield records;
          }
        }
        const records = parser.push(utf8 ? decodeUtf8(utf8, undefined, false) : '', true);
        if (records.length > 0) yield records;
        return;
      } catch (err) {
        if (!(err instanceof NotSimpleCsv)) throw err;
      } finally {
        input.destroy();
      }
    }
    let skip = yielded;
    for await (const record of csvParseRecords(path, encoding, opts)) {
      if (skip > 0) skip--;
      else yield [record];
    }
  } catch (err) {
    throw toImportError(err, path);
  }
}

/** What an aborted stream throws (node's AbortError), so an abort fails alike wherever it lands. */
function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason });
  Object.defineProperty(err, 'name', { value: 'AbortError', configurable: true });
  return Object.assign(err, { code: 'ABORT_ERR' });
}

/** Invalid UTF-8 is left to csv-parse, which decodes it its own way (U+FFFD per field). */
function decodeUtf8(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch (err) {
    throw new NotSimpleCsv('invalid UTF-8', { cause: err });
  }
}

/** The file's records through csv-parse. */
async function* csvParseRecords(
  path: string,
  encoding: SourceEncoding,
  opts: ReadCsvOptions,
): AsyncGenerator<string[]> {
  const parser = parse(CSV_PARSE_OPTIONS);
  const input = createReadStream(path, { highWaterMark: opts.chunkBytes ?? SNIFF_BYTES });
  // Errors reach us through the parser's iterator; pipeline destroys every stage on failure
  // and when the consumer stops early.
  const noop = (): void => {};
  const output: Readable =
    encoding === 'latin1' ? pipeline(input, latin1ToUtf8(), parser, noop) : pipeline(input, parser, noop);
  if (opts.signal) addAbortSignal(opts.signal, output);
  yield* output as AsyncIterable<string[]>;
}

/** Checks the path and the first 64 KiB; returns the encoding to decode the file with. */
async function inspectFile(path: string): Promise<SourceEncoding> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw notCsv(path, 'it is a directory');
    size = info.size;
  } catch (err) {
    throw toImportError(err, path);
  }
  if (size === 0) throw new ImportError('no_header', `no header row: ${path} (the file is empty)`, { path });

  const sample = Buffer.alloc(Math.min(size, SNIFF_BYTES));
  let length: number;
  try {
    const handle = await open(path, 'r');
    try {
      ({ bytesRead: length } = await handle.read(sample, 0, sample.length, 0));
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw toImportError(err, path);
  }
  const bytes = sample.subarray(0, length);

  if (startsWith(bytes, [0xff, 0xfe])) return 'utf16le';
  // A UTF-8 BOM is a declaration; a stray invalid byte later becomes U+FFFD, not mojibake.
  const declaredUtf8 = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  if (startsWith(bytes, [0xfe, 0xff])) throw notCsv(path, 'UTF-16BE text; save it as UTF-8 CSV');
  const magic = binaryKind(bytes);
  if (magic) throw notCsv(path, magic);
  if (bytes.includes(0)) throw notCsv(path, 'binary content: NUL bytes in the first 64 KiB');
  const document = documentKind(bytes);
  if (document) throw notCsv(path, document);

  // `stream: true` holds back a multi-byte sequence cut at the end of the sample instead of
  // calling it invalid; a sequence cut by the end of the file is invalid.
  if (declaredUtf8) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: length < size });
    return 'utf8';
  } catch {
    return 'latin1';
  }
}

function binaryKind(bytes: Buffer): string | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    return 'a ZIP archive or Excel .xlsx workbook; export it as CSV';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'an Excel .xls workbook; export it as CSV';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'a gzip archive; decompress it first';
  return null;
}

/** JSON or XML/HTML recognized from the first non-blank character (after a UTF-8 BOM). */
function documentKind(bytes: Buffer): string | null {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && isBlank(bytes[i] as number)) i++;
  const first = bytes[i];
  if (first === 0x7b) return 'looks like JSON'; // {
  if (first === 0x3c) return 'looks like XML or HTML'; // <
  if (first === 0x5b) {
    // [ — a JSON array starts with a value; a CSV header "[Owner]" does not.
    let j = i + 1;
    while (j < bytes.length && isBlank(bytes[j] as number)) j++;
    const next = bytes[j];
    if (next === undefined || next === 0x7b || next === 0x5b || next === 0x22 || next === 0x5d)
      return 'looks like JSON';
  }
  return null;
}

function checkHeader(path: string, headers: string[]): void {
  if (headers.every((h) => h.trim() === '')) {
    throw new ImportError('no_header', `no header row: ${path} (the first row has no column names)`, {
      path,
    });
  }
  // One "column" full of control characters is a binary file that slipped past the sniff.
  // eslint-disable-next-line no-control-regex
  if (headers.length === 1 && /[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(headers[0] as string)) {
    throw notCsv(path, 'binary content in the header row');
  }
}

/**
 * Windows-1252 bytes → UTF-8 bytes. Single-byte, so chunk boundaries need no care. Node 20's
 * TextDecoder('windows-1252') decodes 0x80–0x9F as C1 controls (plain ISO-8859-1), so those 32
 * bytes are mapped here from the WHATWG table.
 */
function latin1ToUtf8(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.from(latin1Text(chunk), 'utf8'));
    },
  });
}

/** Windows-1252 bytes as text. */
function latin1Text(chunk: Buffer): string {
  const text = chunk.toString('latin1');
  return C1_RANGE.test(text)
    ? text.replace(C1_GLOBAL, (ch) => CP1252_C1[ch.charCodeAt(0) - 0x80] ?? ch)
    : text;
}

const C1_RANGE = /[\u0080-\u009f]/;
const C1_GLOBAL = /[\u0080-\u009f]/g;
/** Windows-1252 0x80–0x9F; the five unassigned bytes keep their C1 code point, as WHATWG does. */
const CP1252_C1 = [
  '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
  '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
  '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
  '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
]; // prettier-ignore

function toImportError(err: unknown, path: string): unknown {
  if (err instanceof ImportError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof CsvError) {
    const line = typeof err['lines'] === 'number' ? err['lines'] : undefined;
    return new ImportError(
      'malformed_csv',
      `malformed CSV: ${path}${line ? ` line ${line}` : ''}: ${err.message}`,
      {
        path,
        ...(line ? { line } : {}),
        cause: err,
      },
    );
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ImportError('file_not_found', `file not found: ${path}`, { path, cause: err });
  }
  if (code === 'EISDIR') return notCsv(path, 'it is a directory', err);
  const why = err instanceof Error ? err.message : String(err);
  return new ImportError('read_failed', `cannot read ${path}: ${why}`, { path, cause: err });
}

function notCsv(path: string, why: string, cause?: unknown): ImportError {
  return new ImportError('not_csv', `not a CSV file: ${path} (${why})`, { path, cause });
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
