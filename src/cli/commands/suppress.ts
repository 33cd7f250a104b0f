/**
 * `leadtrace suppress add <value…> | import <csv> | remove <value> | count`: the account's
 * opt-out list. Suppressed phones and emails are left out of every export. Values are
 * stored only as blind-index hashes.
 */
import type { Command } from 'commander';
import { isoNow } from '../../domain/clock.js';
import {
  parseSuppressionRow,
  suppressionKey,
  suppressionKindOf,
  isSuppressionHeaderRow,
} from '../../domain/compliance/suppression.js';
import { UserError } from '../../domain/errors.js';
import { readCsvRows } from '../../runs/import/read-csv.js';
import { addSuppressions, countSuppressions, removeSuppression } from '../../store/repos/suppressions.js';
import { printJson, withRuntime } from '../context.js';

export function registerSuppressCommand(program: Command): void {
  const suppress = program
    .command('suppress')
    .description('the opt-out list: numbers and emails never exported');
  suppress
    .command('add')
    .description('suppress phones or emails')
    .argument('<values...>', 'phone numbers or email addresses')
    .option('--reason <text>', 'why (kept with the entry)')
    .action(async (values: string[], opts: { reason?: string }) => {
      await withRuntime(
        async (rt) => {
          const rows = values.map((value, i) => {
            const kind = suppressionKindOf(value);
            const key = suppressionKey(kind, value);
            if (key.key === null)
              throw new UserError(`value ${i + 1}: not a valid ${kind} (${key.reason})`, 'bad_value');
            return { kind, valueHash: rt.cipher.blindIndex(kind, key.key), reason: opts.reason ?? null };
          });
          const added = await addSuppressions(rt.store.db, rt.accountId, rows, isoNow(rt.clock));
          process.stdout.write(`suppressed ${added} new of ${rows.length}\n`);
        },
        { needProvider: false },
      );
    });
  suppress
    .command('import')
    .description('suppress every value of a CSV (value[,reason]; a header row is skipped)')
    .argument('<csv>', 'the file')
    .action(async (file: string) => {
      await withRuntime(
        async (rt) => {
          const rows: { kind: 'phone' | 'email'; valueHash: string; reason: string | null }[] = [];
          const errors: string[] = [];
          for await (const event of readCsvRows(file)) {
            const cells = 'headers' in event ? event.headers : event.cells;
            if ('headers' in event && isSuppressionHeaderRow(cells)) continue;
            const parsed = parseSuppressionRow(cells);
            const where = 'headers' in event ? 'row 0' : `row ${event.rowNumber}`;
            if ('error' in parsed) {
              if (parsed.error !== 'empty_row') errors.push(`${where}: ${parsed.error}`);
              continue;
            }
            rows.push({
              kind: parsed.kind,
              valueHash: rt.cipher.blindIndex(parsed.kind, parsed.value),
              reason: parsed.reason,
            });
          }
          const added = await addSuppressions(rt.store.db, rt.accountId, rows, isoNow(rt.clock));
          process.stdout.write(
            `suppressed ${added} new of ${rows.length} valid rows; ${errors.length} rejected\n`,
          );
          for (const e of errors.slice(0, 20)) process.stderr.write(`${e}\n`);
          if (errors.length > 0) process.exitCode = 1;
        },
        { needProvider: false },
      );
    });
  suppress
    .command('remove')
    .description('take a value off the list')
    .argument('<value>', 'phone or email')
    .action(async (value: string) => {
      await withRuntime(
        async (rt) => {
          const kind = suppressionKindOf(value);
          const key = suppressionKey(kind, value);
          if (key.key === null) throw new UserError(`not a valid ${kind} (${key.reason})`, 'bad_value');
          const removed = await removeSuppression(
            rt.store.db,
            rt.accountId,
            kind,
            rt.cipher.blindIndex(kind, key.key),
          );
          if (!removed) throw new UserError(`that ${kind} is not on the suppression list`, 'not_found');
          process.stdout.write(`removed\n`);
        },
        { needProvider: false },
      );
    });
  suppress
    .command('count')
    .description('how many phones and emails are suppressed')
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(
        async (rt) => {
          const counts = await countSuppressions(rt.store.db, rt.accountId);
          if (opts.json) return printJson(counts);
          process.stdout.write(`phones ${counts.phone ?? 0}, emails ${counts.email ?? 0}\n`);
        },
        { needProvider: false },
      );
    });
}
