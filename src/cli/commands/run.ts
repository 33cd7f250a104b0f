/** `leadtrace run <csv>`: import into a new list, trace every lead, write report + CSV. */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { formatUsd, microsToUsd, usdToMicros } from '../../domain/money.js';
import { utcDay } from '../../domain/clock.js';
import { UserError } from '../../domain/errors.js';
import { quoteRun, waterfallExtraWorstCase } from '../../runs/quote.js';
import { spendOfDay } from '../../store/repos/spend.js';
import { parseMapOption } from '../../domain/csv/header-mapping.js';
import { importCsv } from '../../runs/import/import-csv.js';
import { createRunForList, newRunId } from '../../runs/create-run.js';
import { executeRun, type RunOutcome } from '../../runs/run-worker.js';
import { writeRunArtifacts } from '../../runs/outputs.js';
import type { Runtime } from '../../runs/runtime.js';
import { availableProviders, buildWaterfall } from '../../runs/run-policy.js';
import type { WaterfallPolicy } from '../../pipeline/waterfall-policy.js';
import { attachProgress, interruptSignal } from '../progress.js';
import { printJson, withRuntime } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('import a CSV of property leads into a new list and skip-trace every lead')
    .argument('<csv>', 'the CSV file (PropStream, BatchLeads, REISift, DealMachine or generic export)')
    .option('--list-name <name>', 'name of the new list (default: the file name)')
    .option('--map <column=field>', 'map a CSV column to a lead field (repeatable)', collect, [])
    .option('--include-dnc', 'let DNC/TCPA numbers into Phone1–3 of enriched.csv', false)
    .option('--force', 'ignore cached answers and call the vendor again (bills again)', false)
    .option('--no-sanitized-retry', 'do not retry unit addresses without the unit')
    .option('--max-spend <usd>', "this run's own spending cap in USD (the daily budget still applies)")
    .option(
      '--confirm-over <usd>',
      'ask before a run whose worst case exceeds this (default: the remaining daily budget)',
    )
    .option('-y, --yes', 'do not ask for confirmation (needed for large runs without a terminal)', false)
    .option('--json', 'print a machine-readable summary at the end', false)
    .option(
      '--policy <file>',
      'waterfall policy JSON (default: LEADTRACE_POLICY_FILE, else the built-in default)',
    )
    .option('--property-detail <providers>', 'property-detail providers in order, "auto" or "none"')
    .option(
      '--skip-trace <providers>',
      'skip-trace providers in order, e.g. "batchdata,reiskip", "auto" or "none"',
    )
    .option('--business <providers>', 'business-people providers for LLC/corporate/trust owners, or "none"')
    .option('--verify-phones <providers>', 'phone verification providers in order, or "none"')
    .option('--verify-emails <providers>', 'email verification providers in order, or "none"')
    .option('--every-provider', 'call every provider of every stage (no gap-only fallback)')
    .option(
      '--cooldown-days <days>',
      'days before a provider may be paid again for the same lead (default 14)',
    )
    .option(
      '--auto-stop <usd>',
      'with an "auto" skip-trace order: stop paying for a lead when one more contactable lead is expected to cost more than this (default 0.50; "none" never stops)',
    )
    .action(async (csv: string, opts) => {
      const overrides = Object.fromEntries((opts.map as string[]).map(parseMapOption));
      const maxSpend =
        opts.maxSpend === undefined ? null : microsToUsd(parseUsdOption('--max-spend', opts.maxSpend));
      const confirmOver =
        opts.confirmOver === undefined ? null : parseUsdOption('--confirm-over', opts.confirmOver);
      const code = await withRuntime(async (rt) => {
        const waterfall = waterfallOf(rt, opts);
        const runId = newRunId(rt.clock.now());
        const dir = join(rt.config.RUN_REPORTS_DIR, runId);
        const imported = await importCsv({
          db: rt.store.db,
          accountId: rt.accountId,
          clock: rt.clock,
          path: csv,
          listName: opts.listName ?? basename(csv),
          overrides,
          rejectedPath: join(dir, 'rejected.csv'),
        });
        process.stderr.write(
          `imported ${imported.rows} rows: ${imported.created} new leads, ${imported.duplicates} duplicates, ${imported.rejected} rejected` +
            (imported.rejectedPath ? ` (see ${imported.rejectedPath})` : '') +
            '\n',
        );
        const created = await createRunForList(rt.store.db, {
          accountId: rt.accountId,
          listId: imported.listId,
          sourceLabel: basename(csv),
          clock: rt.clock,
          runId,
          policy: {
            force: opts.force,
            retry_sanitized: opts.sanitizedRetry !== false,
            include_dnc: opts.includeDnc,
            max_spend_usd: maxSpend,
            waterfall,
          },
        });
        const quote = await quoteRun(rt.store.db, {
          accountId: rt.accountId,
          runId,
          provider: rt.provider.id,
          cost: rt.provider.cost,
          clock: rt.clock,
          sanitizedRetry: rt.config.SANITIZED_RETRY_ENABLED && opts.sanitizedRetry !== false,
        });
        // The rest of the waterfall (other providers, verification) at its worst: every
        // provider for every lead. Property detail counts only for leads without a street.
        const deps = rt.workerDeps();
        const extra = waterfallExtraWorstCase(
          { ...waterfall, detail_when: 'never' },
          deps.services ?? new Map(),
          quote.uncached,
          rt.provider.id,
        );
        quote.worstCaseMicros += extra;
        process.stderr.write(
          `quote: ${quote.leads} leads to trace: ${quote.cached} cached (free), ${quote.uncached} need the vendor; ` +
            `expected ${formatUsd(quote.expectedMicros)} (hit rate ${quote.hitRate}, ${quote.hitRateSource}), ` +
            `worst case ${formatUsd(quote.worstCaseMicros)}\n`,
        );
        const today = await spendOfDay(rt.store.db, rt.accountId, utcDay(rt.clock.now()));
        const threshold =
          confirmOver ?? Math.max(0, rt.dailyCapMicros - today.spentMicros - today.reservedMicros);
        if (quote.worstCaseMicros > threshold && !opts.yes) {
          const ok = await confirm(
            `worst case ${formatUsd(quote.worstCaseMicros)} is over ${formatUsd(threshold)}; start run ${runId}? [y/N] `,
          );
          if (!ok) {
            throw new UserError(
              `run ${runId} not started: worst case ${formatUsd(quote.worstCaseMicros)} is over ${formatUsd(threshold)}; ` +
                `confirm with --yes, or start it later with: leadtrace resume ${runId}`,
              'needs_confirmation',
            );
          }
        }
        const outcome = await runWithProgress(rt, runId, created.total, created.skipped, false);
        return finish(rt, outcome, opts.json, { import: imported });
      });
      process.exitCode = code;
    });
}

export async function runWithProgress(
  rt: Runtime,
  runId: string,
  total: number,
  alreadyDone: number,
  includeFailed: boolean,
  overrideBudget = false,
): Promise<RunOutcome> {
  process.stderr.write(`run ${runId}: ${total} leads\n`);
  const interrupt = interruptSignal();
  const detach = attachProgress(rt.events, total, alreadyDone);
  try {
    return await executeRun(rt.workerDeps(), runId, {
      signal: interrupt.signal,
      includeFailed,
      overrideBudget,
    });
  } finally {
    detach();
    interrupt.dispose();
  }
}

/** Writes artifacts, prints the summary, returns the exit code. */
export async function finish(
  rt: Runtime,
  outcome: RunOutcome,
  json: boolean,
  extra: {
    import?: {
      rows: number;
      created: number;
      duplicates: number;
      rejected: number;
      rejectedPath: string | null;
    };
  } = {},
): Promise<number> {
  const artifacts = await writeRunArtifacts(rt.store.db, {
    accountId: rt.accountId,
    runId: outcome.runId,
    reportsDir: rt.config.RUN_REPORTS_DIR,
    clock: rt.clock,
    cipher: rt.cipher,
    dailyCapMicros: rt.dailyCapMicros,
  });
  const t = artifacts.report.totals;
  if (json) {
    printJson({
      run_id: outcome.runId,
      status: outcome.status,
      reason: outcome.reason,
      totals: t,
      cache_hit_ratio: artifacts.report.cache_hit_ratio,
      hit_rate: artifacts.report.hit_rate,
      ...(extra.import
        ? {
            import: {
              rows: extra.import.rows,
              created: extra.import.created,
              duplicates: extra.import.duplicates,
              rejected: extra.import.rejected,
              rejected_path: extra.import.rejectedPath,
            },
          }
        : {}),
      report_path: artifacts.reportPath,
      csv_path: artifacts.csvPath,
    });
  } else {
    process.stdout.write(
      [
        `run ${outcome.runId} ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`,
        `  leads: ${t.total} total, ${t.done} done, ${t.failed} failed, ${t.cached_hits} from cache`,
        `  vendor: ${t.provider_calls} provider calls, ${formatUsd(Math.round(t.cost_usd * 1_000_000))} spent`,
        `  found: ${artifacts.report.hit_rate.phone_any_pct}% with a phone, ${artifacts.report.hit_rate.email_any_pct}% with an email`,
        `  report: ${artifacts.reportPath}`,
        `  csv:    ${artifacts.csvPath}`,
        ...(outcome.status !== 'completed' || t.failed > 0
          ? [`  resume: leadtrace resume ${outcome.runId}`]
          : []),
      ].join('\n') + '\n',
    );
  }
  if (outcome.status === 'failed') {
    process.stderr.write(`error: run ${outcome.runId} stopped: ${outcome.reason}\n`);
    return 1;
  }
  if (outcome.status === 'paused') {
    process.stderr.write(
      `run ${outcome.runId} paused (${outcome.reason}); continue with: leadtrace resume ${outcome.runId}\n`,
    );
    return 2;
  }
  return 0;
}

/** The run's waterfall policy from --policy / LEADTRACE_POLICY_FILE and the stage flags. */
export function waterfallOf(rt: Runtime, opts: Record<string, unknown>): WaterfallPolicy {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let cooldown: number | undefined;
  if (opts.cooldownDays !== undefined) {
    cooldown = Number(opts.cooldownDays);
    if (!Number.isInteger(cooldown) || cooldown < 0)
      throw new UserError(
        `bad --cooldown-days "${String(opts.cooldownDays)}": expected a whole number of days`,
        'bad_option',
      );
  }
  let autoStop: number | null | undefined;
  if (opts.autoStop !== undefined) {
    autoStop = opts.autoStop === 'none' ? null : Number(opts.autoStop);
    if (autoStop !== null && (!Number.isFinite(autoStop) || autoStop <= 0))
      throw new UserError(
        `bad --auto-stop "${String(opts.autoStop)}": expected a dollar amount like 0.50, or "none"`,
        'bad_option',
      );
  }
  return buildWaterfall(availableProviders(rt.providers, [[rt.provider.id, 'skip-trace']]), {
    policyFile: str(opts.policy),
    property_detail: str(opts.propertyDetail),
    skip_trace: str(opts.skipTrace),
    business: str(opts.business),
    verify_phone: str(opts.verifyPhones),
    verify_email: str(opts.verifyEmails),
    gap_only: opts.everyProvider === true ? false : undefined,
    cooldown_days: cooldown,
    auto_stop_usd: autoStop,
  });
}

function parseUsdOption(flag: string, value: string): number {
  try {
    return usdToMicros(value);
  } catch {
    throw new UserError(`bad ${flag} "${value}": expected a dollar amount like 25 or 12.50`, 'bad_option');
  }
}

/** Asks on a terminal; without one there is nobody to ask, so the answer is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
