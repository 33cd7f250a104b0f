/**
 * Issue 3 guardrails through real runs (SQLite + the sandbox over HTTP, its fault modes):
 * retries with backoff, the circuit breaker, drift failing closed, auth stopping the run,
 * the DLQ and its drain. Sleeping is injected (instant) so the tests are fast and exact.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { createRunForList } from '../../src/runs/create-run.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { drainDlq } from '../../src/runs/dlq-drain.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import type { SandboxOptions } from '../../src/providers/sandbox/options.js';
import { listDlq } from '../../src/store/repos/dlq.js';

const rows = (n: number) =>
  [
    'Property Address,City,State,Zip',
    ...Array.from({ length: n }, (_, i) => `${i + 1} Main St,Springfield,IL,62704`),
  ].join('\n');

describe('guardrails', () => {
  let dir: string;
  let rt: Runtime;
  const waits: number[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-guard-'));
    waits.length = 0;
  });
  afterEach(async () => {
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(n: number, sandbox: SandboxOptions, env: Record<string, string> = {}) {
    writeFileSync(join(dir, 'in.csv'), `${rows(n)}\n`);
    rt = await openRuntime(
      loadConfig({
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        SKIP_TRACE_BATCH_SIZE: '1',
        SKIP_TRACE_CONCURRENCY: '1',
        SANITIZED_RETRY_ENABLED: 'false',
        SANDBOX_RPS: '10000',
        CIRCUIT_MIN_SAMPLES: '5',
        CIRCUIT_BREAKER_ERROR_RATE: '0.5',
        PROVIDER_TIMEOUT_MS: '500',
        ...env,
      }),
      {
        sandbox: { hitRate: 1, ...sandbox },
        sleep: async (ms) => {
          waits.push(ms);
        },
        random: () => 0.5,
      },
    );
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: join(dir, 'in.csv'),
      listName: 'in',
      rejectedPath: join(dir, 'rejected.csv'),
    });
    const { runId } = await createRunForList(rt.store.db, {
      accountId: rt.accountId,
      listId: imported.listId,
      sourceLabel: 'in',
      clock: rt.clock,
      policy: { force: false, retry_sanitized: false, include_dnc: false },
    });
    return runId;
  }

  it('retries transient 5xx with 2 s / 4 s backoff and recovers', async () => {
    // Requests 2, 4, 6… fail once each.
    const runId = await start(3, { burst5xx: { everyNth: 2, length: 1 } });
    const out = await executeRun(rt.workerDeps(), runId);
    expect(out.status).toBe('completed');
    expect(out.counters).toMatchObject({ done: 3, failed: 0 });
    expect(waits.filter((w) => w === 2000).length).toBeGreaterThan(0);
    expect(await listDlq(rt.store.db, rt.accountId)).toEqual([]);
  });

  it('opens the breaker on an error spike: the first item exhausts into the DLQ, the rest stay queued', async () => {
    const runId = await start(10, { errorRate: 1 });
    const out = await executeRun(rt.workerDeps(), runId);
    // Item 1: 3 failed attempts (exhausted → DLQ); item 2: 2 failures → 5 of 5 → open.
    expect(out).toMatchObject({ status: 'paused', reason: 'circuit_open' });
    expect(out.counters).toMatchObject({ total: 10, done: 0, failed: 1, queued: 9 });
    expect(rt.sandbox!.billing.requestCount()).toBe(5);
    expect(rt.breaker.state).toBe('open');
    expect(waits.slice(0, 3)).toEqual([2000, 4000, 2000]);
    const dlq = await listDlq(rt.store.db, rt.accountId);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ stage: 'enrich', attempts: 3, run_id: runId });
    expect(dlq[0]!.error).toMatch(/^batchdata: server_error: /);
  });

  it('drift fails closed: an error with a redacted sample, nothing written to contacts', async () => {
    const runId = await start(2, { driftRate: 1 }, { CIRCUIT_MIN_SAMPLES: '30' });
    const out = await executeRun(rt.workerDeps(), runId);
    expect(out.counters).toMatchObject({ done: 0, failed: 2 });
    const calls = await rt.store.db.selectFrom('provider_calls').selectAll().execute();
    expect(calls.map((c) => c.error_code)).toEqual(['unrecognized_response', 'unrecognized_response']);
    expect(calls.every((c) => c.response_enc !== null && c.cost_micros === 0)).toBe(true);
    expect(rt.cipher.decrypt(calls[0]!.response_enc!)).toContain('records');
    expect(await rt.store.db.selectFrom('contact_points').selectAll().execute()).toEqual([]);
    expect(await rt.store.db.selectFrom('skiptrace_cache').selectAll().execute()).toEqual([]);
  });

  it('stops the run once on an auth failure instead of failing every lead', async () => {
    const runId = await start(5, { apiKey: 'the-real-key' });
    const out = await executeRun(rt.workerDeps(), runId);
    expect(out.status).toBe('failed');
    expect(out.reason).toMatch(/^auth: /);
    expect(out.counters).toMatchObject({ done: 0, failed: 0, queued: 5 });
    expect(rt.sandbox!.billing.requestCount()).toBe(1);
  });

  it('drains the DLQ once the vendor is back', async () => {
    const runId = await start(10, { errorRate: 1 });
    await executeRun(rt.workerDeps(), runId);
    rt.sandbox!.setOptions({ errorRate: 0 });
    // The breaker's next probe is a minute away on the real clock: use a fresh service.
    const fresh = await openRuntime(rt.config, { sleep: async () => {} });
    try {
      // The sandbox of `fresh` is its own; point it at the same database and drain everything.
      const result = await drainDlq(fresh.workerDeps(), { all: true });
      expect(result).toMatchObject({ drained: 1, recovered: 1, stillFailing: 0 });
      expect(await listDlq(fresh.store.db, fresh.accountId)).toEqual([]);
      expect(result.runs[0]).toMatchObject({ runId, status: 'completed' });
      expect(result.runs[0]!.counters).toMatchObject({ done: 10, failed: 0, queued: 0 });
    } finally {
      await fresh.close();
    }
  });
});
