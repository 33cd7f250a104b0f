/**
 * Import benchmark: the import phase of pipeline.bench.ts on its own — a synthetic CSV
 * (default 100k rows) into a fresh embedded SQLite store — repeated in fresh processes.
 * Prints every run and the medians as JSON. Target (2-core machine): >= 50,000 rows/s.
 *
 *   node --import tsx bench/import.bench.ts
 *   BENCH_ROWS=20000 BENCH_REPEAT=3 node --import tsx bench/import.bench.ts
 *   BENCH_PARALLEL=false …   # never parse on a second thread (true: always; unset: the default)
 *   BENCH_SHAPE=wide …       # a ~50-column export (bench/synthetic-csv.ts) instead of 8 columns
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { importCsv } from '../src/runs/import/import-csv.js';
import { openRuntime } from '../src/runs/runtime.js';
import { IS_CHILD, peakRssMb, repeatInChildren, round3, trackMemory } from './repeat.js';
import { writeSyntheticCsv } from './synthetic-csv.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SHAPE = process.env.BENCH_SHAPE === 'wide' ? 'wide' : 'narrow';
const PARALLEL = process.env.BENCH_PARALLEL ? process.env.BENCH_PARALLEL === 'true' : undefined;

if (IS_CHILD) await importOnce();
else repeatInChildren(import.meta.url);

async function importOnce(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leadtrace-bench-import-'));
  try {
    const csvPath = join(dir, 'leads.csv');
    writeSyntheticCsv(csvPath, ROWS, SHAPE);
    const config = loadConfig({ SQLITE_DB_PATH: join(dir, 'bench.db'), LOG_LEVEL: 'silent' });
    const rt = await openRuntime(config, { needProvider: false });
    const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const memory = trackMemory();
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: csvPath,
      listName: 'bench',
      rejectedPath: join(dir, 'rejected.csv'),
      ...(PARALLEL === undefined ? {} : { parallel: PARALLEL }),
    });
    const importS = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const memoryPeaks = memory();
    await rt.close();
    if (imported.created !== ROWS) throw new Error(`created ${imported.created} of ${ROWS}`);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'import',
        rows: ROWS,
        shape: SHAPE,
        import_s: round3(importS),
        import_rows_per_s: Math.round(ROWS / importS),
        cpu_s: round3((cpu.user + cpu.system) / 1e6),
        /** The data row from which a parser thread parsed (null: the importing thread did all). */
        parser_thread_from_row: imported.parserThreadFrom,
        rss_before_import_mb: rssBefore,
        peak_rss_mb: peakRssMb(),
        ...memoryPeaks,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
