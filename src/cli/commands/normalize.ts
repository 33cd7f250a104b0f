/**
 * `leadtrace normalize [file]`: addresses in (CSV, or JSON lines with {"street","city",
 * "state","zip"} or {"address"}), JSON lines out with the parsed parts, address_key,
 * input_signature and sanitized_signature. Bad lines are reported on stderr with their
 * line number; good lines are still written; the exit code is 1 if any line was bad.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { normalizeRecord } from '../../domain/address/normalize-record.js';
import { mapHeaders } from '../../domain/csv/header-mapping.js';
import { UserError } from '../../domain/errors.js';
import { readCsvRows } from '../../runs/import/read-csv.js';

export function registerNormalizeCommand(program: Command): void {
  program
    .command('normalize')
    .description('normalize addresses (CSV or JSON lines) to JSON lines with keys and signatures')
    .argument('[file]', 'input file; - or none reads JSON lines from stdin')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .action(async (file: string | undefined, opts: { format?: string }) => {
      const format = opts.format ?? (file && /\.csv$/i.test(file) ? 'csv' : 'jsonl');
      if (format !== 'csv' && format !== 'jsonl')
        throw new UserError(`unknown --format "${format}": use csv or jsonl`, 'bad_option');
      const bad = format === 'csv' ? await normalizeCsv(file!) : await normalizeJsonLines(file);
      if (bad > 0) {
        process.stderr.write(`error: ${bad} input line(s) could not be normalized (see above)\n`);
        process.exitCode = 1;
      }
    });
}

function emit(input: Record<string, unknown>, where: string): boolean {
  const result = normalizeRecord(input);
  if (result.ok) {
    process.stdout.write(`${JSON.stringify(result.output)}\n`);
    return true;
  }
  process.stderr.write(`${where}: ${result.error}\n`);
  return false;
}

async function normalizeJsonLines(file: string | undefined): Promise<number> {
  const input = !file || file === '-' ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bad = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      process.stderr.write(`line ${lineNo}: not JSON\n`);
      bad++;
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      process.stderr.write(`line ${lineNo}: expected a JSON object\n`);
      bad++;
      continue;
    }
    if (!emit(parsed as Record<string, unknown>, `line ${lineNo}`)) bad++;
  }
  return bad;
}

async function normalizeCsv(file: string): Promise<number> {
  let columns: Map<number, string> | null = null;
  let bad = 0;
  for await (const event of readCsvRows(file)) {
    if ('headers' in event) {
      const { mapping } = mapHeaders(event.headers);
      columns = new Map(
        [...mapping].filter(([, f]) =>
          ['street', 'line2', 'city', 'state', 'zip', 'fullAddress'].includes(f),
        ),
      );
      continue;
    }
    const record: Record<string, unknown> = {};
    for (const [i, field] of columns ?? []) {
      const cell = event.cells[i];
      if (cell) record[field === 'fullAddress' ? 'address' : field] = cell;
    }
    if (!emit(record, `row ${event.rowNumber}`)) bad++;
  }
  return bad;
}
