/**
 * Runs a benchmark several times, each in a fresh process (so peak RSS and JIT warm-up are
 * those of one real invocation), and prints every run's figures and their medians as JSON.
 * The machine is shared: medians of several runs, not one run, are the figures to quote.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** True inside the per-run child process. */
export const IS_CHILD = process.env.BENCH_CHILD === '1';

/**
 * In the parent: runs `script` (this module's file URL) `BENCH_REPEAT` times (default 5)
 * as children and prints `{runs, median}`; numeric fields get medians, others are taken
 * from the first run.
 */
export function repeatInChildren(scriptUrl: string, defaultRepeat = 5): void {
  const repeat = Number(process.env.BENCH_REPEAT ?? defaultRepeat);
  const runs: Record<string, unknown>[] = [];
  for (let i = 0; i < repeat; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(scriptUrl)], {
      env: { ...process.env, BENCH_CHILD: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    runs.push(JSON.parse(out) as Record<string, unknown>);
  }
  process.stdout.write(`${JSON.stringify({ runs, median: medians(runs) }, null, 2)}\n`);
}

function medians(runs: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs.map((r) => r[key]);
    if (values.every((v): v is number => typeof v === 'number')) {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      out[key] = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
    } else out[key] = values[0];
  }
  return out;
}

/** Peak resident set of this process so far (the kernel's high-water mark), in MB. */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
}

export function round3(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/**
 * Samples memory every 20 ms until stopped: peaks of RSS, V8 heap (total reserved and used)
 * and external memory (Buffers, SQLite is not in it), in MB, to tell what an RSS peak is made of.
 */
export function trackMemory(): () => Record<string, number> {
  const peak = { rss: 0, heap_total: 0, heap_used: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap_total = Math.max(peak.heap_total, m.heapTotal);
    peak.heap_used = Math.max(peak.heap_used, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    return {
      sampled_peak_rss_mb: mb(peak.rss),
      peak_heap_total_mb: mb(peak.heap_total),
      peak_heap_used_mb: mb(peak.heap_used),
      peak_external_mb: mb(peak.external),
    };
  };
}
