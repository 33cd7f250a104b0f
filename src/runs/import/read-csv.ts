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
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, addAbortSignal, pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ImportError } from './errors.js';

export type CsvItem = { headers: string[] } | { rowNumber: number; cells: string[] };

export interface ReadCsvOptions {
  signal?: AbortSignal;
}

/** Bytes inspected for type and encoding detection. */
export const SNIFF_BYTES = 64 * 1024;

type SourceEncoding = 'utf8' | 'utf16le' | 'latin1';

/**
 * Yields `{headers}` once, then `{rowNumber, cells}` per data row. Row numbers count data
 * records from 1 — the header is not counted and a quoted newline does not start a new row;
 * blank lines are skipped and not counted. Cells are returned exactly as parsed (untrimmed);
 * rows may be shorter or longer than the header.
 */
export async function* readCsvRows(path: string, opts: ReadCsvOptions = {}): AsyncGenerator<CsvItem> {
  const encoding = await inspectFile(path);
  opts.signal?.throwIfAborted();

  const parser = parse({
    bom: true,
    relax_column_count: true,
    // A stray quote inside an unquoted cell (12" PIPE) is kept as text rather than failing the file.
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const input = createReadStream(path, { highWaterMark: SNIFF_BYTES });
  // Errors reach us through the parser's iterator; pipeline destroys every stage on failure
  // and when the consumer stops early.
  const noop = (): void => {};
  const output: Readable =
    encoding === 'latin1' ? pipeline(input, latin1ToUtf8(), parser, noop) : pipeline(input, parser, noop);
  if (opts.signal) addAbortSignal(opts.signal, output);

  let rowNumber = 0;
  let headerSeen = false;
  try {
    for await (const record of output as AsyncIterable<string[]>) {
      if (!headerSeen) {
        checkHeader(path, record);
        headerSeen = true;
        yield { headers: record };
        continue;
      }
      rowNumber++;
      yield { rowNumber, cells: record };
    }
  } catch (err) {
    throw toImportError(err, path);
  }
  if (!headerSeen) throw new ImportError('no_header', `no header row: ${path} (the file is empty)`, { path });
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
      const text = chunk.toString('latin1');
      const fixed = C1_RANGE.test(text)
        ? text.replace(C1_GLOBAL, (ch) => CP1252_C1[ch.charCodeAt(0) - 0x80] ?? ch)
        : text;
      callback(null, Buffer.from(fixed, 'utf8'));
    },
  });
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
