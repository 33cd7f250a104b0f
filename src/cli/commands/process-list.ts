/**
 * `leadtrace lists process <list>`: enrich a list's pending leads (seed 004 process API),
 * bounded by --limit (default 2,000) and the daily processing cap (default 5,000), starting
 * after --start-from. Exit codes as `run`: 0 done, 2 paused, 1 failed.
 */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { microsToUsd, usdToMicros } from '../../domain/money.js';
import { PROCESS_DEFAULT_DAILY_CAP, PROCESS_DEFAULT_LIMIT, processList } from '../../runs/process-list.js';
import { interruptSignal, attachProgress } from '../progress.js';
import { printJson, withRuntime } from '../context.js';
import { waterfallOf } from './run.js';

const int = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`bad ${flag} "${v}": expected a whole number of at least 1`, 'bad_option');
  return n;
};

export function addProcess(lists: Command): void {
  lists
    .command('process')
    .description("enrich a list's pending leads: property detail, then the skip-trace waterfall")
    .argument('<list>', 'list id or name')
    .option('--limit <n>', `most leads this call (default ${PROCESS_DEFAULT_LIMIT})`, int('--limit'))
    .option(
      '--daily-cap <n>',
      `most leads processed per UTC day, all lists (default ${PROCESS_DEFAULT_DAILY_CAP})`,
      int('--daily-cap'),
    )
    .option('--no-skip-trace', 'property detail only (no phone/email lookup)')
    .option('--start-from <lead_id>', "continue after this lead (the previous call's resumeFrom)")
    .option('--max-spend <usd>', "this run's own spending cap in USD")
    .option('--policy <file>', 'waterfall policy JSON')
    .option('--property-detail <providers>', 'property-detail providers in order, "auto" or "none"')
    .option('--skip-trace-providers <providers>', 'skip-trace providers in order, or "auto"')
    .option('--business <providers>', 'business-people providers for LLC/corporate/trust owners, or "none"')
    .option('--verify-phones <providers>', 'phone verification providers in order, or "none"')
    .option('--verify-emails <providers>', 'email verification providers in order, or "none"')
    .option(
      '--auto-stop <usd>',
      'with an "auto" skip-trace order: most expected $ per added contactable lead, or "none"',
    )
    .option('--json', 'machine-readable output', false)
    .action(async (list: string, opts) => {
      let maxSpend: number | null = null;
      if (opts.maxSpend !== undefined) {
        try {
          maxSpend = microsToUsd(usdToMicros(opts.maxSpend));
        } catch {
          throw new UserError(`bad --max-spend "${opts.maxSpend}": expected a dollar amount`, 'bad_option');
        }
      }
      const code = await withRuntime(async (rt) => {
        const waterfall = waterfallOf(rt, { ...opts, skipTrace: opts.skipTraceProviders });
        const interrupt = interruptSignal();
        const detach = attachProgress(rt.events, opts.limit ?? PROCESS_DEFAULT_LIMIT, 0);
        let result;
        try {
          result = await processList(rt, {
            list,
            limit: opts.limit,
            dailyCap: opts.dailyCap,
            skipTrace: opts.skipTrace !== false,
            startFrom: opts.startFrom ?? null,
            waterfall,
            maxSpendUsd: maxSpend,
            signal: interrupt.signal,
          });
        } finally {
          detach();
          interrupt.dispose();
        }
        const out = {
          list_id: result.listId,
          run_id: result.runId,
          status: result.outcome?.status ?? 'nothing_to_do',
          reason: result.outcome?.reason ?? (result.cappedBy === 'daily_cap' ? 'daily_cap' : null),
          stats: result.stats,
          resume_from: result.resumeFrom,
          capped_by: result.cappedBy,
        };
        if (opts.json) printJson(out);
        else
          process.stdout.write(
            `list ${result.listId}: ${out.status}${out.reason ? ` (${out.reason})` : ''}\n` +
              `  processed ${out.stats.processed} | successful ${out.stats.successful} | failed ${out.stats.failed} | with phones ${out.stats.withPhones} | pending ${out.stats.remaining}\n` +
              (result.resumeFrom
                ? `  next: leadtrace lists process ${list} --start-from ${result.resumeFrom}\n`
                : '') +
              (result.runId && out.status === 'paused' ? `  resume: leadtrace resume ${result.runId}\n` : ''),
          );
        if (out.status === 'failed') return 1;
        if (out.status === 'paused' || (out.status === 'nothing_to_do' && result.cappedBy === 'daily_cap'))
          return 2;
        return 0;
      });
      process.exitCode = code;
    });
}
