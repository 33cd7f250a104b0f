/** `leadtrace resume <run_id>`: process only the run's queued and failed items. */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { countRunItems, getRun } from '../../store/repos/runs.js';
import { finish, runWithProgress } from './run.js';
import { withRuntime } from '../context.js';

export function registerResumeCommand(program: Command): void {
  program
    .command('resume')
    .description('continue a run: process its queued and failed items (and any a crash left in flight)')
    .argument('<run_id>', 'the run to resume')
    .option('--override-budget', 'continue past the daily budget for this run only', false)
    .option('--json', 'print a machine-readable summary at the end', false)
    .action(async (runId: string, opts) => {
      process.exitCode = await withRuntime(async (rt) => {
        const run = await getRun(rt.store.db, rt.accountId, runId);
        if (!run) throw new UserError(`no run ${runId} (see leadtrace status)`, 'run_not_found');
        const counters = await countRunItems(rt.store.db, runId);
        const outcome = await runWithProgress(
          rt,
          runId,
          counters.total,
          counters.done,
          true,
          opts.overrideBudget,
        );
        return finish(rt, outcome, opts.json);
      });
    });
}
