/**
 * Outputs benchmark: report.json + enriched.csv (writeRunArtifacts) of a finished run, on
 * its own, repeated in fresh processes. The run is prepared once — a synthetic CSV (default
 * 100k rows) imported and run against the zero-latency sandbox, as in pipeline.bench.ts —
 * and kept in BENCH_DIR for later invocations. Prints every run and the medians as JSON.
 * Target (2-core machine): report + CSV <= 5 s.
 *
 *   node --import tsx bench/outputs.bench.ts
 *   BENCH_ROWS=20000 BENCH_REPEAT=3 node --import tsx bench/outputs.bench.ts
 *   BENCH_DIR=/tmp/x …   # where the prepared run lives (default: tmpdir, per row count)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/config/config.js';
import { createRunForList } from '../src/runs/create-run.js';
import { importCsv } from '../src/runs/import/import-csv.js';
import { writeRunArtifacts } from '../src/runs/outputs.js';
import { executeRun } from '../src/runs/run-worker.js';
import { openRuntime } from '../src/runs/runtime.js';
import { IS_CHILD, peakRssMb, repeatInChildren, round3, trackMemory } from './repeat.js';
import { writeSyntheticCsv } from './synthetic-csv.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), `leadtrace-bench-outputs-${ROWS}`);
const PREPARED = join(DIR, 'prepared.json');

function configOf(): Config {
  return loadConfig({
    SQLITE_DB_PATH: join(DIR, 'bench.db'),
    RUN_REPORTS_DIR: join(DIR, 'run_reports'),
    SANDBOX_RPS: '100000',
    SANDBOX_LATENCY_MS: '0',
    SKIP_TRACE_DAILY_BUDGET_USD: '1000000',
    LOG_LEVEL: 'silent',
  });
}

if (IS_CHILD) await outputsOnce();
else {
  if (!existsSync(PREPARED)) await prepare();
  repeatInChildren(import.meta.url);
}

/** Imports and runs the synthetic list once; records the run id. */
async function prepare(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const csvPath = join(DIR, 'leads.csv');
  writeSyntheticCsv(csvPath, ROWS);
  const rt = await openRuntime(configOf());
  try {
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: csvPath,
      listName: 'bench',
      rejectedPath: join(DIR, 'rejected.csv'),
    });
    const created = await createRunForList(rt.store.db, {
      accountId: rt.accountId,
      listId: imported.listId,
      sourceLabel: 'bench',
      clock: rt.clock,
      policy: { force: false, retry_sanitized: true, include_dnc: false },
    });
    const outcome = await executeRun(rt.workerDeps(), created.runId);
    if (outcome.status !== 'completed') throw new Error(`bench run ${outcome.status}`);
    writeFileSync(PREPARED, `${JSON.stringify({ runId: created.runId })}\n`);
  } finally {
    await rt.close();
  }
}

async function outputsOnce(): Promise<void> {
  const { runId } = JSON.parse(readFileSync(PREPARED, 'utf8')) as { runId: string };
  const config = configOf();
  const rt = await openRuntime(config, { needProvider: false });
  const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const memory = trackMemory();
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const artifacts = await writeRunArtifacts(rt.store.db, {
    accountId: rt.accountId,
    runId,
    reportsDir: config.RUN_REPORTS_DIR,
    clock: rt.clock,
    cipher: rt.cipher,
    dailyCapMicros: rt.dailyCapMicros,
  });
  const outputsS = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const memoryPeaks = memory();
  await rt.close();
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'outputs',
      rows: ROWS,
      report_csv_s: round3(outputsS),
      cpu_s: round3((cpu.user + cpu.system) / 1e6),
      csv_mb: round3(statSync(artifacts.csvPath).size / 1024 / 1024),
      leads_total: artifacts.report.totals.total,
      rss_before_outputs_mb: rssBefore,
      peak_rss_mb: peakRssMb(),
      ...memoryPeaks,
    })}\n`,
  );
}
