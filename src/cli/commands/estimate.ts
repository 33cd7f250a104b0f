/** `leadtrace estimate <csv|list_id>`: the cost quote of a file or a stored list, writing nothing. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { formatUsd } from '../../domain/money.js';
import { parseMapOption } from '../../domain/csv/header-mapping.js';
import { estimateCsv, estimateList } from '../../runs/estimate.js';
import { getList } from '../../store/repos/lists.js';
import { printJson, withRuntime } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerEstimateCommand(program: Command): void {
  program
    .command('estimate')
    .description('quote what a CSV or a stored list would cost to trace (nothing is written)')
    .argument('<source>', 'a CSV file, or the id of a stored list')
    .option('--map <column=field>', 'map a CSV column to a lead field (repeatable)', collect, [])
    .option('--json', 'machine-readable output', false)
    .action(async (source: string, opts) => {
      await withRuntime(
        async (rt) => {
          const ctx = {
            db: rt.store.db,
            accountId: rt.accountId,
            clock: rt.clock,
            provider: rt.provider.id,
            cost: rt.provider.cost,
            sanitizedRetry: rt.config.SANITIZED_RETRY_ENABLED,
          };
          let estimate;
          if (existsSync(source)) {
            estimate = await estimateCsv({
              ...ctx,
              path: source,
              overrides: Object.fromEntries((opts.map as string[]).map(parseMapOption)),
            });
          } else if (await getList(rt.store.db, rt.accountId, source)) {
            estimate = await estimateList({ ...ctx, listId: source });
          } else {
            throw new UserError(`file not found and no list with id ${source}`, 'not_found');
          }
          const q = estimate.quote;
          if (opts.json) {
            return printJson({
              rows: estimate.rows,
              rejected: estimate.rejected,
              duplicates_in_file: estimate.duplicatesInFile,
              already_known: estimate.alreadyKnown,
              new_leads: estimate.newLeads,
              untraceable: estimate.untraceable,
              to_trace: q.leads,
              cached: q.cached,
              need_vendor: q.uncached,
              with_unit: q.withUnit,
              hit_rate: q.hitRate,
              hit_rate_source: q.hitRateSource,
              expected_usd: q.expectedMicros / 1_000_000,
              worst_case_usd: q.worstCaseMicros / 1_000_000,
            });
          }
          process.stdout.write(
            [
              `rows: ${estimate.rows} (${estimate.rejected} rejected, ${estimate.duplicatesInFile} duplicates in the file)`,
              `leads: ${estimate.newLeads} new, ${estimate.alreadyKnown} already stored, ${estimate.untraceable} without a street address`,
              `trace: ${q.leads} leads, ${q.cached} cached (free), ${q.uncached} need the vendor (${q.withUnit} may need a second, unit-less call)`,
              `spend: expected ${formatUsd(q.expectedMicros)} (hit rate ${q.hitRate}, ${q.hitRateSource}), worst case ${formatUsd(q.worstCaseMicros)}`,
            ].join('\n') + '\n',
          );
        },
        { needProvider: true, quiet: true },
      );
    });
}
