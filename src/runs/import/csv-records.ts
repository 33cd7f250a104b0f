/**
 * A CSV record parser for the common case, several times faster than csv-parse: it scans
 * decoded text with indexOf and charCodeAt and returns whole batches of records.
 *
 * It gives exactly what csv-parse gives with read-csv.ts's options (`bom`,
 * `relax_column_count`, `relax_quotes`, `skip_empty_lines`) on what it accepts, and accepts
 * only what that takes no more than this: `,` between fields; the record delimiter
 * discovered as csv-parse discovers it (the first CRLF, LF or CR outside quotes; any other
 * CR or LF outside quotes is text); a field either unquoted (a quote inside it is text) or
 * quoted from its first character with `""` for a quote and the closing quote followed by a
 * delimiter, a record delimiter or the end. Anything else — a quote closed mid-field, a
 * quote never closed, a record longer than MAX_PENDING — throws NotSimpleCsv, and the
 * reader hands the file to csv-parse, whose rules (and error messages, with line numbers)
 * then apply. test/runs/import/csv-records.test.ts compares both on random input.
 */

/** The input needs csv-parse: the caller re-reads it there. */
export class NotSimpleCsv extends Error {
  override readonly name = 'NotSimpleCsv';
}

/** Text of one unfinished record kept between chunks before giving up on the fast path. */
export const MAX_PENDING = 1024 * 1024;

const COMMA = 0x2c;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

type RecordDelimiter = '\r\n' | '\n' | '\r';

export class CsvRecordParser {
  private delimiter: RecordDelimiter | null = null;
  /** The start of a record not finished by the text so far. */
  private pending = '';

  /**
   * Parses the next piece of decoded text (`last`: nothing follows) and returns the records
   * it completes, in order. Throws NotSimpleCsv.
   */
  push(chunk: string, last: boolean): string[][] {
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    const records: string[][] = [];
    const end = text.length;
    let start = 0; // of the record being parsed
    let i = 0;
    let record: string[] = [];
    let quotedField = false;
    // One iteration per field.
    for (;;) {
      let value: string;
      let next: number; // index after the field's value (and closing quote)
      quotedField = i < end && text.charCodeAt(i) === QUOTE;
      if (quotedField) {
        value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0 || (q + 1 === end && !last)) {
            if (last) throw new NotSimpleCsv('a quote is not closed');
            return this.keep(text, start, records);
          }
          if (q + 1 < end && text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          next = q + 1;
          break;
        }
      } else {
        let j = i;
        for (; j < end; j++) {
          const c = text.charCodeAt(j);
          if (c === COMMA) break;
          if (c === CR || c === LF) {
            const length = this.recordDelimiterAt(text, j, last);
            if (length < 0) return this.keep(text, start, records);
            if (length > 0) break;
          }
        }
        if (j === end && !last) return this.keep(text, start, records);
        value = text.slice(i, j);
        next = j;
      }
      // What follows the field: a comma, a record delimiter or the end.
      if (next < end && text.charCodeAt(next) === COMMA) {
        record.push(value);
        i = next + 1;
        continue;
      }
      let delimiterLength = 0;
      if (next < end) {
        delimiterLength = this.recordDelimiterAt(text, next, last);
        if (delimiterLength < 0) return this.keep(text, start, records);
        if (delimiterLength === 0) throw new NotSimpleCsv('a closing quote is followed by text');
      } else if (!last) {
        return this.keep(text, start, records);
      }
      // A record ends here: skip_empty_lines drops one with a single unquoted empty field.
      if (record.length > 0 || value.length > 0 || quotedField) {
        record.push(value);
        records.push(record);
      }
      record = [];
      i = next + delimiterLength;
      start = i;
      if (i >= end) {
        this.pending = '';
        return records;
      }
    }
  }

  /**
   * The length of the record delimiter at `at` (0: none there — the CR or LF is text), or
   * -1 when the text ends before that can be told. Discovers the delimiter on first sight.
   */
  private recordDelimiterAt(text: string, at: number, last: boolean): number {
    const c = text.charCodeAt(at);
    if (c !== CR && c !== LF) return 0;
    if (this.delimiter === null) {
      if (c === LF) this.delimiter = '\n';
      else if (at + 1 < text.length) this.delimiter = text.charCodeAt(at + 1) === LF ? '\r\n' : '\r';
      else if (last) this.delimiter = '\r';
      else return -1;
    }
    switch (this.delimiter) {
      case '\n':
        return c === LF ? 1 : 0;
      case '\r':
        return c === CR ? 1 : 0;
      case '\r\n':
        if (c !== CR) return 0;
        if (at + 1 < text.length) return text.charCodeAt(at + 1) === LF ? 2 : 0;
        return last ? 0 : -1;
    }
  }

  private keep(text: string, start: number, records: string[][]): string[][] {
    this.pending = text.slice(start);
    if (this.pending.length > MAX_PENDING) throw new NotSimpleCsv('a record is longer than MAX_PENDING');
    return records;
  }
}
