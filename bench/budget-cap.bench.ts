/**
 * Budget-cap benchmark (issue acceptance "with 16 workers and a cap, spend never exceeds
 * the cap across 50 runs"): 50 runs, each on a fresh SQLite database and its own built-in
 * sandbox (loopback, every lead a $0.07 hit), 16 concurrent one-lead vendor requests, so
 * up to 16 budget reservations race for the last dollars of a $5.00 daily cap (71 hits'
 * worth) that binds mid-run. While a run works, spend_days is sampled for the peak of
 * spent + reserved; afterwards the ledger, provider_calls and the sandbox's billing log are
 * compared. Prints one JSON object; exits 1 when any run spent more than the cap.
 *
 *   node --import tsx bench/budget-cap.bench.ts
 *   BENCH_CAP_RUNS=10 node --import tsx bench/budget-cap.bench.ts    # fewer runs
 */
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { usdToMicros } from '../src/domain/money.js';
import { importCsv } from '../src/runs/import/import-csv.js';
import { createRunForList } from '../src/runs/create-run.js';
import { executeRun } from '../src/runs/run-worker.js';
import { openRuntime } from '../src/runs/runtime.js';

const RUNS = Number(process.env.BENCH_CAP_RUNS ?? 50);
const LEADS = 200;
const CAP_USD = '5.00';
const COST_PER_HIT_USD = '0.07';
/** One run may take this long; past it the run is aborted and the benchmark fails. */
const RUN_LIMIT_MS = 60_000;
/** How often spend_days is sampled while a run works. */
const SAMPLE_EVERY_MS = 2;

const capMicros = usdToMicros(CAP_USD);
const hitMicros = usdToMicros(COST_PER_HIT_USD);

function leadsCsv(path: string): void {
  const lines = ['Property Address,City,State,Zip,Owner First Name,Owner Last Name'];
  // Distinct house numbers and no units: every lead is one billed hit, no sanitized retry.
  for (let i = 0; i < LEADS; i++) lines.push(`${i + 1} Budget Way,Springfield,IL,62704,Kim${i},Ortiz`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface RunFigures {
  status: string;
  reason: string | null;
  done: number;
  /** Highest spent_micros of any day (normally the run lies within one UTC day). */
  spentMicros: number;
  /** Peak of spent + reserved seen while the run worked, and at its end. */
  peakSpentPlusReservedMicros: number;
  reservedAtEndMicros: number;
  callCostMicros: number;
  billedItems: number;
  seconds: number;
}

async function oneRun(index: number): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtrace-capbench-'));
  try {
    const csvPath = join(dir, 'leads.csv');
    leadsCsv(csvPath);
    const rt = await openRuntime(
      loadConfig({
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        SKIP_TRACE_CONCURRENCY: '16',
        SKIP_TRACE_BATCH_SIZE: '1',
        SANDBOX_RPS: '100000',
        SANDBOX_HIT_RATE: '1',
        SANDBOX_SEED: String(index + 1),
        BATCHDATA_COST_PER_HIT_USD: COST_PER_HIT_USD,
        SKIP_TRACE_DAILY_BUDGET_USD: CAP_USD,
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      const imported = await importCsv({
        db: rt.store.db,
        accountId: rt.accountId,
        clock: rt.clock,
        path: csvPath,
        listName: 'cap',
        rejectedPath: join(dir, 'rejected.csv'),
      });
      const { runId } = await createRunForList(rt.store.db, {
        accountId: rt.accountId,
        listId: imported.listId,
        sourceLabel: 'cap',
        clock: rt.clock,
        policy: { force: false, retry_sanitized: false, include_dnc: false },
      });

      const spendRows = () =>
        rt.store.db.selectFrom('spend_days').select(['spent_micros', 'reserved_micros']).execute();
      let peak = 0;
      let sampling = false;
      const sampler = setInterval(() => {
        if (sampling) return;
        sampling = true;
        spendRows()
          .then((rows) => {
            for (const r of rows) peak = Math.max(peak, Number(r.spent_micros) + Number(r.reserved_micros));
          })
          .finally(() => (sampling = false));
      }, SAMPLE_EVERY_MS);
      // Every in-flight request listens on the signal: 16 workers need more than Node's 10.
      const signal = AbortSignal.timeout(RUN_LIMIT_MS);
      setMaxListeners(256, signal);
      const started = performance.now();
      let outcome;
      try {
        outcome = await executeRun(rt.workerDeps(), runId, { signal });
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;

      const rows = await spendRows();
      for (const r of rows) peak = Math.max(peak, Number(r.spent_micros) + Number(r.reserved_micros));
      const calls = await rt.store.db
        .selectFrom('provider_calls')
        .select((eb) => eb.fn.sum<number>('cost_micros').as('cost'))
        .executeTakeFirst();
      return {
        status: outcome.status,
        reason: outcome.reason,
        done: outcome.counters.done,
        spentMicros: Math.max(0, ...rows.map((r) => Number(r.spent_micros))),
        peakSpentPlusReservedMicros: peak,
        reservedAtEndMicros: rows.reduce((s, r) => s + Number(r.reserved_micros), 0),
        callCostMicros: Number(calls?.cost ?? 0),
        billedItems: rt.sandbox!.billing.billedCount(),
        seconds,
      };
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
const figures: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) figures.push(await oneRun(i));

const usd = (micros: number) => Math.round(micros) / 1_000_000;
const overCap = figures.filter((f) => f.spentMicros > capMicros).length;
const overCapWithReservations = figures.filter((f) => f.peakSpentPlusReservedMicros > capMicros).length;
// The cap must have bound in every run, else the benchmark proved nothing.
const capBound = figures.filter((f) => f.status === 'paused' && f.reason === 'daily_budget').length;
// The ledger, the call records and the vendor's own bill agree in every run.
const ledgerMismatches = figures.filter(
  (f) => f.callCostMicros !== f.spentMicros || f.billedItems * hitMicros !== f.spentMicros,
).length;
const leftReserved = figures.filter((f) => f.reservedAtEndMicros !== 0).length;
const ok =
  overCap === 0 &&
  overCapWithReservations === 0 &&
  capBound === RUNS &&
  ledgerMismatches === 0 &&
  leftReserved === 0;

process.stdout.write(
  `${JSON.stringify(
    {
      runs: RUNS,
      leads_per_run: LEADS,
      concurrency: 16,
      batch_size: 1,
      cost_per_hit_usd: Number(COST_PER_HIT_USD),
      cap_usd: Number(CAP_USD),
      max_spent_usd: usd(Math.max(...figures.map((f) => f.spentMicros))),
      min_spent_usd: usd(Math.min(...figures.map((f) => f.spentMicros))),
      max_spent_plus_reserved_usd: usd(Math.max(...figures.map((f) => f.peakSpentPlusReservedMicros))),
      max_billed_items: Math.max(...figures.map((f) => f.billedItems)),
      max_done: Math.max(...figures.map((f) => f.done)),
      runs_over_cap: overCap,
      runs_over_cap_counting_reservations: overCapWithReservations,
      runs_paused_by_cap: capBound,
      runs_with_ledger_mismatch: ledgerMismatches,
      runs_with_reservations_left: leftReserved,
      mean_run_s: Math.round((figures.reduce((s, f) => s + f.seconds, 0) / RUNS) * 1000) / 1000,
      total_s: Math.round((performance.now() - started) / 10) / 100,
      ok,
    },
    null,
    2,
  )}\n`,
);
// Over the cap is the failure this exists for; any other broken invariant fails it too.
if (!ok) process.exitCode = 1;
