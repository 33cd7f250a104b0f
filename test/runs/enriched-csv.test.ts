/**
 * enriched.csv lines are written without csv-stringify's stream (outputs.ts): csvLine must
 * give the bytes csv-stringify gives for the same string cells — with
 * `quote_record_delimiter: true`: a cell holding a bare LF or CR is quoted. (With an explicit
 * `record_delimiter`, csv-stringify's default left such a cell unquoted, which broke the row
 * in spreadsheets and dialers; input columns can carry multi-line cells.)
 */
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/runs/enriched-csv.js';

const OPTIONS = { record_delimiter: '\r\n', quote_record_delimiter: true };

const CELLS = [
  '',
  'plain',
  'a,b',
  'say "hi"',
  '"',
  '""',
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\nend',
  ' padded ',
  "'=SUM(A1)",
  '+13125550142',
  'Café – “quoted” ✓',
  '\t',
  ';|',
];

describe('csvLine', () => {
  it('writes what csv-stringify writes, cell by cell and for whole records', () => {
    for (const cell of CELLS) {
      expect(csvLine([cell])).toBe(stringify([[cell]], OPTIONS));
    }
    const record = [...CELLS].reverse();
    expect(csvLine(CELLS) + csvLine(record)).toBe(stringify([CELLS, record], OPTIONS));
  });

  it('quotes exactly the cells that hold a quote, comma, CR or LF', () => {
    expect(csvLine(['a', 'b,c', 'd"e', 'f\ng', 'h\ri', ''])).toBe('a,"b,c","d""e","f\ng","h\ri",\r\n');
  });
});
