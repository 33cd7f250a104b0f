/**
 * Messages between an import and its parser thread (parser-worker.ts), and how batches and
 * errors cross the thread boundary.
 *
 * A batch travels as strings, not as a structured clone of objects: the importing thread is
 * the busy one (it writes the database), and JSON.parse of one string costs it a fraction of
 * deserializing a thousand objects with fifty fields each.
 */
import { CsvError, type CsvErrorCode } from 'csv-parse';
import type { RowRejection } from '../../domain/lead.js';
import { ImportError, type ImportErrorCode } from './errors.js';
import type { CsvLead, LeadBatch } from './lead-batches.js';

/** What the parser thread is started with. */
export interface ParserWorkerData {
  path: string;
  overrides?: Record<string, string> | undefined;
  source: string;
  batchSize: number;
  /** Batches the thread may post before the first is acknowledged. */
  ahead: number;
}

export type ToParser =
  /** Parse, skipping the first `skipRows` data rows (imported already). */
  | { type: 'start'; skipRows: number }
  /** One posted batch was taken: one more may be posted. */
  | { type: 'ack' };

export type FromParser =
  /** Modules loaded: waiting for `start`. */
  { type: 'ready' } | ({ type: 'batch' } & EncodedBatch) | { type: 'error'; error: SerializedError };

export interface EncodedBatch {
  rows: number;
  last: boolean;
  rejections: RowRejection[];
  rowNumbers: number[];
  /**
   * JSON array of one lead's values, holding every column that has one value throughout the
   * batch (null in most columns, "csv", "new", …); the columns that vary hold null here.
   */
  shared: string;
  /** The columns (value indices) that vary within the batch, in order. */
  varying: number[];
  /** JSON array of every lead's values of the `varying` columns, in batch order. */
  values: string;
  /**
   * The leads' inputRowJson joined by U+0001, which JSON.stringify always escapes, so it
   * never occurs inside one.
   */
  inputRows: string;
}

const SEPARATOR = '\u0001';

/**
 * Only the columns that vary within a batch travel per lead: of a lead's ~54 values most are
 * null or the same for the whole batch, and copying the JSON between threads, then parsing
 * it, costs both busy threads in proportion to its size (~480 bytes a lead before, ~170 in
 * the benchmark's file).
 */
export function encodeBatch(batch: LeadBatch): EncodedBatch {
  const n = batch.leads.length;
  const rowNumbers = new Array<number>(n);
  const inputRows = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const lead = batch.leads[i]!;
    rowNumbers[i] = lead.rowNumber;
    inputRows[i] = lead.inputRowJson;
  }
  const first = n > 0 ? batch.leads[0]!.values : [];
  const shared = first.slice();
  const varying: number[] = [];
  for (let c = 0; c < first.length; c++) {
    const v = first[c];
    for (let i = 1; i < n; i++) {
      if (batch.leads[i]!.values[c] !== v) {
        varying.push(c);
        shared[c] = null;
        break;
      }
    }
  }
  const values = new Array<CsvLead['values']>(n);
  for (let i = 0; i < n; i++) {
    const all = batch.leads[i]!.values;
    const row = new Array<CsvLead['values'][number]>(varying.length);
    for (let j = 0; j < varying.length; j++) row[j] = all[varying[j]!]!;
    values[i] = row;
  }
  return {
    rows: batch.rows,
    last: batch.last,
    rejections: batch.rejections,
    rowNumbers,
    shared: JSON.stringify(shared),
    varying,
    values: JSON.stringify(values),
    inputRows: inputRows.join(SEPARATOR),
  };
}

export function decodeBatch(m: EncodedBatch): LeadBatch {
  const shared = JSON.parse(m.shared) as CsvLead['values'];
  const values = JSON.parse(m.values) as CsvLead['values'][];
  const inputRows = m.rowNumbers.length > 0 ? m.inputRows.split(SEPARATOR) : [];
  const varying = m.varying;
  const leads: CsvLead[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const row = values[i]!;
    const all = shared.slice();
    for (let j = 0; j < varying.length; j++) all[varying[j]!] = row[j]!;
    leads[i] = { rowNumber: m.rowNumbers[i]!, values: all, inputRowJson: inputRows[i]! };
  }
  return { rows: m.rows, leads, rejections: m.rejections, last: m.last };
}

/** An error as data. `importError` is set for ImportErrors, which the import rethrows as such. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  importError?: {
    code: ImportErrorCode;
    path?: string | undefined;
    line?: number | undefined;
    /** Which keys `details` had, so the rebuilt error has the same shape. */
    keys: string[];
    cause?: SerializedCause | undefined;
  };
}

interface SerializedCause {
  /** csv-parse's CsvError (whose `name` is plain "Error"). */
  csv: boolean;
  name: string;
  message: string;
  /** Own enumerable fields with JSON values (code, errno, syscall, lines, …). */
  fields: Record<string, unknown>;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof ImportError) {
    const d = err.details;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      importError: {
        code: err.code,
        path: d.path,
        line: d.line,
        keys: Object.keys(d),
        cause: d.cause === undefined ? undefined : serializeCause(d.cause),
      },
    };
  }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

function serializeCause(cause: unknown): SerializedCause {
  if (!(cause instanceof Error)) return { csv: false, name: 'Error', message: String(cause), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cause)) {
    try {
      fields[key] = JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      // not data: left out
    }
  }
  return { csv: cause instanceof CsvError, name: cause.name, message: cause.message, fields };
}

/** The ImportError a parser thread threw, rebuilt with the same code, message and details. */
export function rebuildImportError(s: SerializedError): ImportError | null {
  const ie = s.importError;
  if (!ie) return null;
  const details: { path?: string; line?: number; cause?: unknown } = {};
  for (const key of ie.keys) {
    if (key === 'path' && ie.path !== undefined) details.path = ie.path;
    else if (key === 'line' && ie.line !== undefined) details.line = ie.line;
    else if (key === 'cause') details.cause = ie.cause ? rebuildCause(ie.cause) : undefined;
  }
  const err = new ImportError(ie.code, s.message, details);
  if (s.stack) err.stack = s.stack;
  return err;
}

function rebuildCause(c: SerializedCause): Error {
  if (c.csv) {
    const { code, ...context } = c.fields;
    return new CsvError(code as CsvErrorCode, c.message, undefined, context);
  }
  const err = new Error(c.message);
  if (c.name !== 'Error') Object.defineProperty(err, 'name', { value: c.name, configurable: true });
  Object.assign(err, c.fields);
  return err;
}
