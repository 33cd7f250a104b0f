/**
 * Rate-limit benchmark: does the token bucket hold SKIP_TRACE_RPS against real HTTP?
 *
 * 16 concurrent callers loop for 20 s: take a token from the token bucket (real clock,
 * real timers), stamp the send time, POST one skip-trace input through the BatchData
 * adapter to the in-process sandbox (127.0.0.1, latency 0). Prints one JSON object:
 * the achieved rate and the most sends found in any sliding 1 s window. `ok` holds when
 * achieved ≥ 0.97·R and no 1 s window carries more than R + burst sends; the process
 * exits 1 otherwise.
 *
 *   node --import tsx bench/rate-limit.bench.ts                 # R = 20
 *   BENCH_RPS=4 node --import tsx bench/rate-limit.bench.ts     # R = 4 (SKIP_TRACE_RPS)
 *
 * Bounded: every pending acquire is aborted at the 20 s deadline, calls still in flight
 * are awaited (zero latency, so they end at once), and the sandbox is closed.
 */
import { systemClock } from '../src/domain/clock.js';
import { createTokenBucket } from '../src/guards/token-bucket.js';
import { createBatchDataProvider } from '../src/providers/batchdata/adapter.js';
import type { SkipTraceInput } from '../src/providers/contract.js';
import { startSandbox } from '../src/providers/sandbox/server.js';

const RPS = Number(process.env.BENCH_RPS ?? 20);
const BURST = 1;
const DURATION_S = 20;
const CONCURRENCY = 16;

if (!(RPS > 0) || !Number.isFinite(RPS)) throw new Error(`BENCH_RPS must be a positive number, got ${RPS}`);

const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Pine Rd', 'Elm Ct', 'Lake Way', 'Hill Blvd'];

function input(n: number): SkipTraceInput {
  return {
    requestId: `bench-${n}`,
    street: `${100 + n} ${STREETS[n % STREETS.length]}`,
    city: 'SPRINGFIELD',
    state: 'IL',
    zip: '62704',
    firstName: 'Jordan',
    lastName: 'Example',
  };
}

/** Most timestamps (ms, any order) inside any half-open window [t, t + windowMs). */
function maxInAnyWindow(timestamps: readonly number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const sandbox = await startSandbox({ latencyMs: 0 });
try {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(sandbox.url)) {
    throw new Error(`refusing to benchmark against ${sandbox.url}: loopback only`);
  }
  const provider = createBatchDataProvider({
    baseUrl: sandbox.url,
    apiKey: 'bench-token',
    authStyle: 'bearer',
    timeoutMs: 5_000,
  });
  const bucket = createTokenBucket({ ratePerSec: RPS, burst: BURST, clock: systemClock });

  const sends: number[] = [];
  let callErrors = 0;
  let next = 0;
  const stop = new AbortController();
  const startedAt = performance.now();
  const deadline = startedAt + DURATION_S * 1000;
  const timer = setTimeout(() => stop.abort(new Error('bench deadline')), DURATION_S * 1000);

  const caller = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        await bucket.acquire(stop.signal);
      } catch {
        return; // aborted at the deadline
      }
      const sentAt = performance.now();
      if (sentAt >= deadline) return;
      sends.push(sentAt);
      try {
        await provider.skipTrace([input(next++)]);
      } catch {
        callErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  clearTimeout(timer);

  const calls = sends.length;
  const achieved = calls / DURATION_S;
  const maxWindow = maxInAnyWindow(sends, 1000);
  const result = {
    benchmark: 'rate-limit',
    rps_target: RPS,
    burst: BURST,
    concurrency: CONCURRENCY,
    duration_s: DURATION_S,
    calls,
    call_errors: callErrors,
    achieved_rps: Math.round(achieved * 1000) / 1000,
    max_calls_in_any_1s_window: maxWindow,
    ok: achieved >= 0.97 * RPS && maxWindow <= RPS + BURST,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (!result.ok) process.exitCode = 1;
} finally {
  await sandbox.close();
}
