/** `leadtrace dlq list | drain`: the dead-letter queue of items that exhausted retries. */
import type { Command } from 'commander';
import { toIso } from '../../domain/clock.js';
import { drainDlq } from '../../runs/dlq-drain.js';
import { dlqPayload, listDlq } from '../../store/repos/dlq.js';
import { printJson, withRuntime } from '../context.js';

export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('the dead-letter queue: items that exhausted their retries');
  dlq
    .command('list')
    .description('list entries (oldest retry time first)')
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(
        async (rt) => {
          const rows = await listDlq(rt.store.db, rt.accountId);
          const now = toIso(rt.clock.now());
          const entries = rows.map((r) => ({
            id: r.id,
            stage: r.stage,
            ...dlqPayload(r),
            error: r.error,
            attempts: r.attempts,
            retry_after: r.retry_after,
            due: r.retry_after === null || r.retry_after <= now,
            created_at: r.created_at,
          }));
          if (opts.json) return printJson(entries);
          if (entries.length === 0) return void process.stdout.write('dead-letter queue is empty\n');
          for (const e of entries) {
            process.stdout.write(
              `${e.id}  ${e.stage}  run ${e.run_id}  lead ${e.lead_id}  attempts ${e.attempts}  ${e.due ? 'due' : `retry after ${e.retry_after}`}  ${e.error}\n`,
            );
          }
          process.stdout.write(`${entries.length} entries, ${entries.filter((e) => e.due).length} due\n`);
        },
        { needProvider: false },
      );
    });
  dlq
    .command('drain')
    .description('retry the entries that are due (with backoff: a failure goes back with a longer wait)')
    .option('--all', 'retry every entry now, due or not', false)
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(async (rt) => {
        const result = await drainDlq(rt.workerDeps(), { all: opts.all });
        const summary = {
          drained: result.drained,
          recovered: result.recovered,
          still_failing: result.stillFailing,
          runs: result.runs.map((r) => ({ run_id: r.runId, status: r.status, reason: r.reason })),
        };
        if (opts.json) return printJson(summary);
        process.stdout.write(
          `drained ${summary.drained} entries: ${summary.recovered} recovered, ${summary.still_failing} still failing\n`,
        );
      });
    });
}
