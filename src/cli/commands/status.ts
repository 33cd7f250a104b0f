/** `leadtrace status [run_id]`: a run's counters (the latest run when no id is given). */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { microsToUsd } from '../../domain/money.js';
import { runDir } from '../../runs/outputs.js';
import { runCallTotals } from '../../store/repos/provider-calls.js';
import { countRunItems, getRun, latestRun } from '../../store/repos/runs.js';
import { printJson, withRuntime } from '../context.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("print a run's progress counters")
    .argument('[run_id]', 'the run (default: the latest)')
    .option('--json', 'machine-readable output', false)
    .action(async (runId: string | undefined, opts) => {
      await withRuntime(
        async (rt) => {
          const run = runId
            ? await getRun(rt.store.db, rt.accountId, runId)
            : await latestRun(rt.store.db, rt.accountId);
          if (!run)
            throw new UserError(
              runId ? `no run ${runId}` : 'no runs yet: start one with leadtrace run <csv>',
              'run_not_found',
            );
          const counters = await countRunItems(rt.store.db, run.run_id);
          const calls = await runCallTotals(rt.store.db, run.run_id);
          const status = {
            run_id: run.run_id,
            status: run.status,
            reason: run.reason,
            soft_paused: run.soft_paused === 1,
            ...counters,
            provider_calls: calls.calls,
            cost_usd: microsToUsd(calls.costMicros),
            started_at: run.started_at,
            finished_at: run.finished_at,
            outputs: runDir(rt.config.RUN_REPORTS_DIR, run.run_id),
          };
          if (opts.json) return printJson(status);
          process.stdout.write(
            `run ${status.run_id}: ${status.status}${status.reason ? ` (${status.reason})` : ''}\n` +
              `  total ${status.total} | queued ${status.queued} | in flight ${status.in_flight} | done ${status.done} | failed ${status.failed} | cached ${status.cached_hits}\n` +
              `  provider calls ${status.provider_calls} | spent $${status.cost_usd.toFixed(2)}\n` +
              `  outputs: ${status.outputs}\n`,
          );
        },
        { needProvider: false },
      );
    });
}
