/**
 * Pipeline benchmark: a 100k-row synthetic CSV through import, a full run against the
 * zero-latency sandbox, and report + CSV writing, on the embedded SQLite store.
 * Prints one JSON object. Targets (2-core machine): import >= 50,000 rows/s,
 * run >= 2,000 leads/s, peak RSS <= 400 MB, report+CSV <= 5 s.
 *
 *   npm run bench                     # 100,000 rows
 *   BENCH_ROWS=20000 npm run bench    # smaller
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { importCsv } from '../src/runs/import/import-csv.js';
import { readLeadBatches } from '../src/runs/import/lead-batches.js';
import { readCsvRows } from '../src/runs/import/read-csv.js';
import { createRunForList } from '../src/runs/create-run.js';
import { executeRun } from '../src/runs/run-worker.js';
import { writeRunArtifacts } from '../src/runs/outputs.js';
import { openRuntime } from '../src/runs/runtime.js';
import { writeSyntheticCsv } from './synthetic-csv.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'leadtrace-bench-'));
let peakRss = process.memoryUsage().rss;
/** Peak RSS of the phase under way, and of each finished phase (MB): where the peak comes from. */
let phasePeak = peakRss;
const peakByPhase: Record<string, number> = {};
const sample = () => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  phasePeak = Math.max(phasePeak, rss);
};
const endPhase = (name: string) => {
  sample();
  peakByPhase[name] = Math.round(phasePeak / 1024 / 1024);
  phasePeak = process.memoryUsage().rss;
};
const sampler = setInterval(sample, 50);

try {
  const csvPath = join(dir, 'leads.csv');
  writeSyntheticCsv(csvPath, ROWS);
  const config = loadConfig({
    SQLITE_DB_PATH: join(dir, 'bench.db'),
    RUN_REPORTS_DIR: join(dir, 'run_reports'),
    SANDBOX_RPS: '100000',
    SANDBOX_LATENCY_MS: '0',
    SKIP_TRACE_DAILY_BUDGET_USD: '1000000',
    LOG_LEVEL: 'silent',
  });
  const rt = await openRuntime(config);
  endPhase('setup');

  const importCpu0 = process.cpuUsage();
  const importElu0 = performance.eventLoopUtilization();
  let t = performance.now();
  const imported = await importCsv({
    db: rt.store.db,
    accountId: rt.accountId,
    clock: rt.clock,
    path: csvPath,
    listName: 'bench',
    rejectedPath: join(dir, 'rejected.csv'),
  });
  const importS = (performance.now() - t) / 1000;
  const importCpu = process.cpuUsage(importCpu0);
  const importElu = performance.eventLoopUtilization(importElu0);
  endPhase('import');

  t = performance.now();
  const created = await createRunForList(rt.store.db, {
    accountId: rt.accountId,
    listId: imported.listId,
    sourceLabel: 'bench',
    clock: rt.clock,
    policy: { force: false, retry_sanitized: true, include_dnc: false },
  });
  const createS = (performance.now() - t) / 1000;
  endPhase('create_run');

  const runCpu0 = process.cpuUsage();
  t = performance.now();
  const outcome = await executeRun(rt.workerDeps(), created.runId);
  const runS = (performance.now() - t) / 1000;
  const runCpu = process.cpuUsage(runCpu0);
  endPhase('run');

  t = performance.now();
  const artifacts = await writeRunArtifacts(rt.store.db, {
    accountId: rt.accountId,
    runId: created.runId,
    reportsDir: config.RUN_REPORTS_DIR,
    clock: rt.clock,
    cipher: rt.cipher,
    dailyCapMicros: rt.dailyCapMicros,
  });
  const outputsS = (performance.now() - t) / 1000;
  endPhase('report_csv');
  await rt.close();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  // After everything above, so that it neither warms up the timed import nor adds to RSS.
  const phases = await importPhases(csvPath);

  const result = {
    benchmark: 'pipeline',
    rows: ROWS,
    leads_created: imported.created,
    duplicates: imported.duplicates,
    rejected: imported.rejected,
    import_s: round(importS),
    import_rows_per_s: Math.round(ROWS / importS),
    import_phases: {
      /** The data row from which a parser thread parsed (null: the importing thread did all). */
      parser_thread_from_row: imported.parserThreadFrom,
      /** CPU of every thread of the process during the import. */
      cpu_s: round((importCpu.user + importCpu.system) / 1e6),
      /** Main thread (which writes the database) not idle: running, or blocked in I/O. */
      main_thread_busy_s: round(importElu.active / 1000),
      ...phases,
    },
    create_run_s: round(createS),
    run_s: round(runS),
    run_leads_per_s: Math.round(outcome.counters.total / runS),
    /** CPU of every thread during the run (the sandbox included): steadier than wall time on a shared machine. */
    run_cpu_s: round((runCpu.user + runCpu.system) / 1e6),
    run_status: outcome.status,
    provider_calls: artifacts.report.totals.provider_calls,
    report_csv_s: round(outputsS),
    peak_rss_mb: Math.round(peakRss / 1024 / 1024),
    /** Peak RSS while each phase ran (setup: CSV generation and opening the runtime). */
    peak_rss_by_phase_mb: peakByPhase,
    targets: {
      import_rows_per_s: 50_000,
      run_leads_per_s: 2_000,
      peak_rss_mb: 400,
      report_csv_s: 5,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The parsing phases of the import on their own, one thread, warm: reading CSV rows, and
 * rows to store values (header mapping, rowToLead, address keys, input-row JSON). The rest
 * of import_s is the database, less what a parser thread overlapped.
 */
async function importPhases(path: string): Promise<{ csv_read_s: number; csv_read_and_map_s: number }> {
  let t = performance.now();
  for await (const item of readCsvRows(path)) void item;
  const readS = (performance.now() - t) / 1000;
  t = performance.now();
  for await (const item of readLeadBatches(path, { source: 'csv', batchSize: 1000 })) void item;
  const mapS = (performance.now() - t) / 1000;
  return { csv_read_s: round(readS), csv_read_and_map_s: round(mapS) };
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
