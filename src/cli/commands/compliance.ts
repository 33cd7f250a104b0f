/**
 * `leadtrace compliance status | rescrub`: how many phones have a compliance check that
 * still counts (31 days), and re-checking the expired ones through the DNC/TCPA providers.
 * Exit codes of rescrub: 0 done, 2 stopped early with the work so far kept (budget, breaker,
 * Ctrl-C: run it again to continue), 1 failed.
 */
import type { Command } from 'commander';
import { isoNow } from '../../domain/clock.js';
import { UserError } from '../../domain/errors.js';
import { formatUsd, microsToUsd } from '../../domain/money.js';
import { rescrubCompliance, type RescrubSummary } from '../../runs/compliance-rescrub.js';
import { listContextOf, resolveList } from '../../runs/lists.js';
import type { Runtime } from '../../runs/runtime.js';
import { complianceCounts } from '../../store/repos/compliance.js';
import { printJson, withRuntime } from '../context.js';
import { interruptSignal } from '../progress.js';

export function registerComplianceCommand(program: Command): void {
  const compliance = program
    .command('compliance')
    .description('phone compliance (DNC, TCPA, litigator): state and 31-day re-scrub');
  compliance
    .command('status')
    .description('count phones by compliance state: fresh, expired, never checked, flagged, suppressed')
    .option('--list <id|name>', 'only phones of leads on this list')
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { list?: string; json: boolean }) => {
      await withRuntime(
        async (rt) => {
          const listId = await listIdOf(rt, opts.list);
          const asOf = isoNow(rt.clock);
          const c = await complianceCounts(rt.store.db, { accountId: rt.accountId, nowIso: asOf, listId });
          if (opts.json) return printJson({ as_of: asOf, list_id: listId, ...c });
          process.stdout.write(
            `phones ${c.phones} (${c.numbers} numbers) as of ${asOf}\n` +
              `  fresh ${c.fresh} | expired ${c.expired} | never checked ${c.never_checked}\n` +
              `  dnc ${c.dnc} | tcpa ${c.tcpa} | litigator ${c.litigator} | suppressed ${c.suppressed}\n` +
              `  to re-scrub: ${c.to_rescrub} numbers` +
              (c.to_rescrub > 0 ? ' (leadtrace compliance rescrub)' : '') +
              `\n  next expiry: ${c.next_expiry ?? 'none'}\n`,
          );
        },
        { needProvider: false },
      );
    });
  compliance
    .command('rescrub')
    .description('re-check expired and never-checked phones through the DNC/TCPA providers')
    .option('--list <id|name>', 'only phones of leads on this list')
    .option('--limit <n>', 'at most this many numbers')
    .option(
      '--providers <ids>',
      'providers in order, comma-separated (default batchdata-phone-dnc,batchdata-phone-tcpa)',
    )
    .option('--json', 'machine-readable summary', false)
    .action(async (opts: { list?: string; limit?: string; providers?: string; json: boolean }) => {
      const limit = opts.limit === undefined ? null : parseLimit(opts.limit);
      const providers = opts.providers
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const code = await withRuntime(async (rt) => {
        const listId = await listIdOf(rt, opts.list);
        const interrupt = interruptSignal();
        let summary: RescrubSummary;
        try {
          summary = await rescrubCompliance(rt.workerDeps(), {
            listId,
            limit,
            providers: providers ?? null,
            signal: interrupt.signal,
            onPage: (s) =>
              process.stderr.write(
                `rescrub: ${s.numbers} numbers taken, ${s.fresh} fresh, ${formatUsd(spent(s))}\n`,
              ),
          });
        } finally {
          interrupt.dispose();
        }
        return report(summary, opts.json);
      });
      process.exitCode = code;
    });
}

async function listIdOf(rt: Runtime, ref: string | undefined): Promise<string | null> {
  return ref === undefined ? null : (await resolveList(listContextOf(rt), ref)).id;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UserError(`bad --limit "${value}": expected a whole number of at least 1`, 'bad_option');
  return n;
}

const spent = (s: RescrubSummary) => Object.values(s.vendor).reduce((sum, t) => sum + t.cost_micros, 0);

/** Prints the summary; returns the exit code. */
function report(s: RescrubSummary, json: boolean): number {
  if (json) {
    printJson({ ...s, cost_usd: microsToUsd(s.cost_micros) });
  } else {
    const flag = (f: keyof RescrubSummary['flags']) => `${f} +${s.flags[f].raised} -${s.flags[f].cleared}`;
    process.stdout.write(
      [
        `rescrub ${s.status}${s.reason ? ` (${s.reason})` : ''}: ${s.numbers} numbers, ${s.fresh} now fresh, ${s.incomplete} still expired`,
        ...Object.entries(s.vendor).map(
          ([id, t]) =>
            `  ${id}: ${t.called} checked, ${t.cached} from cache, ${t.failed} failed, ${formatUsd(t.cost_micros)}`,
        ),
        `  flags: ${flag('dnc')} | ${flag('tcpa')} | ${flag('litigator')}`,
        `  spent ${formatUsd(s.cost_micros)}; ${s.contact_points_updated} phone rows written`,
      ].join('\n') + '\n',
    );
  }
  if (s.status === 'failed') {
    process.stderr.write(`error: rescrub stopped: ${s.reason}\n`);
    return 1;
  }
  if (s.status === 'paused') {
    process.stderr.write(
      `rescrub paused (${s.reason}); what was checked is kept: run it again to continue\n`,
    );
    return 2;
  }
  return 0;
}
