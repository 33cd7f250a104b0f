/**
 * `leadtrace pull`: property-search acquisition (runs/pull.ts). Thin: flags → PullRequest,
 * the result → one summary. Exit codes: 0 done (max records reached included); 1 bad input or
 * a vendor error (the summary of what was stored is printed first); 2 stopped by the vendor's
 * daily credit cap or the daily budget: run the same pull again later to continue.
 */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { formatUsd, microsToUsd } from '../../domain/money.js';
import {
  parseFilterAssignment,
  SearchQueryError,
  type FilterValue,
} from '../../domain/acquisition/search-query.js';
import { PULL_MODES, pullDepsOf, runPull, type PullMode, type PullResult } from '../../runs/pull.js';
import { printJson, withRuntime } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
      throw new UserError(`${flag} must be a positive integer; got "${value}"`, 'invalid_option');
    }
    return Number(value);
  };
}

function filtersOf(assignments: string[]): Record<string, FilterValue> {
  const filters: Record<string, FilterValue> = {};
  for (const text of assignments) {
    try {
      const [key, value] = parseFilterAssignment(text);
      filters[key] = value;
    } catch (error) {
      if (error instanceof SearchQueryError) throw new UserError(error.message, 'invalid_query');
      throw error;
    }
  }
  return filters;
}

/** The summary: the documented keys first, then the detail. */
function summaryJson(r: PullResult) {
  return {
    mode: r.mode,
    total: r.total,
    pages_fetched: r.pagesFetched,
    new_leads: r.newLeads,
    known: r.known,
    stopped_reason: r.stoppedReason,
    list_id: r.listId,
    cost_usd: microsToUsd(r.costMicros),
    updated_leads: r.updatedLeads,
    records_billed: r.recordsBilled,
    pull_id: r.pullId,
    queries: r.queries.map((q) => ({
      query_sig: q.querySig,
      zips: q.query.zips,
      total: q.total,
      pages_fetched: q.pagesFetched,
      new_leads: q.newLeads,
      updated_leads: q.updatedLeads,
      known: q.known,
      records_billed: q.recordsBilled,
      cost_usd: microsToUsd(q.costMicros),
      stopped_reason: q.stoppedReason,
    })),
  };
}

const PAUSED: ReadonlySet<string> = new Set(['quota_exhausted', 'daily_budget', 'run_budget']);

export function registerPullCommand(program: Command): void {
  program
    .command('pull')
    .description('pull properties from the property-search vendor into leads (count and ids are free)')
    .option('--zip <zips>', 'ZIP codes, comma-separated (repeatable); one vendor search per ZIP', collect, [])
    .option('--city <city>', 'city')
    .option('--state <state>', 'state (code or name)')
    .option(
      '--filter <key=value>',
      'vendor search filter, e.g. pre_foreclosure=true (repeatable)',
      collect,
      [],
    )
    .option('--sort <field[:asc|desc]>', 'vendor sort field')
    .option('--mode <mode>', `${PULL_MODES.join(' | ')}`, 'ids')
    .option('--list <name>', 'add the leads to this list (id or name; a new name is created)')
    .option(
      '--max-records <n>',
      'full: most records fetched (billed); ids: most new leads',
      positiveInt('--max-records'),
    )
    .option('--page-size <n>', 'full: records per request, 1-250 (default 250)', positiveInt('--page-size'))
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      const result = await withRuntime(
        async (rt) => {
          return runPull(pullDepsOf(rt), {
            query: {
              zips: opts.zip as string[],
              city: opts.city ?? null,
              state: opts.state ?? null,
              filters: filtersOf(opts.filter as string[]),
              sort: opts.sort ?? null,
            },
            mode: opts.mode as PullMode,
            list: opts.list ?? null,
            maxRecords: opts.maxRecords ?? null,
            pageSize: opts.pageSize ?? null,
          });
        },
        { needProvider: true, quiet: Boolean(opts.json) },
      );

      if (opts.json) printJson(summaryJson(result));
      else {
        process.stdout.write(
          [
            `${result.mode}: ${result.total} properties match (${result.pagesFetched} vendor request${result.pagesFetched === 1 ? '' : 's'})`,
            ...(result.mode === 'count'
              ? []
              : [
                  `leads: ${result.newLeads} new, ${result.updatedLeads} updated, ${result.known} already known`,
                  `list: ${result.listId ?? '(none: nothing to add)'}`,
                ]),
            `cost: ${formatUsd(result.costMicros)} (${result.recordsBilled} records billed)`,
            `stopped: ${result.stoppedReason}`,
          ].join('\n') + '\n',
        );
      }
      if (result.error) throw result.error;
      if (PAUSED.has(result.stoppedReason)) {
        process.stderr.write(
          `stopped early (${result.stoppedReason}); everything fetched is stored: run the same pull again later to continue\n`,
        );
        process.exitCode = 2;
      }
    });
}
