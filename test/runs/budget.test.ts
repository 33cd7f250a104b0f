/**
 * Issue 3 / seed 002 budget acceptance, through real runs on SQLite against the sandbox:
 * a reservation that would cross a cap soft-pauses the run before any money is spent;
 * `override` resumes past it for that run only; spend never exceeds the cap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { createRunForList, type RunPolicy } from '../../src/runs/create-run.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import { getRun } from '../../src/store/repos/runs.js';
import { spendOfDay } from '../../src/store/repos/spend.js';
import { utcDay } from '../../src/domain/clock.js';

const TWO = [
  'Property Address,City,State,Zip',
  '11 Main St,Springfield,IL,62704',
  '22 Oak Ave,Springfield,IL,62704',
].join('\n');

describe('budget guard', () => {
  let dir: string;
  let rt: Runtime;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-budget-'));
    writeFileSync(join(dir, 'two.csv'), `${TWO}\n`);
  });
  afterEach(async () => {
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, policy: Partial<RunPolicy> = {}) {
    rt = await openRuntime(
      loadConfig({
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        SANDBOX_HIT_RATE: '1',
        BATCHDATA_COST_PER_HIT_USD: '0.25',
        SKIP_TRACE_BATCH_SIZE: '1',
        SKIP_TRACE_CONCURRENCY: '1',
        SANITIZED_RETRY_ENABLED: 'false',
        ...env,
      }),
    );
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: join(dir, 'two.csv'),
      listName: 'two',
      rejectedPath: join(dir, 'rejected.csv'),
    });
    const { runId } = await createRunForList(rt.store.db, {
      accountId: rt.accountId,
      listId: imported.listId,
      sourceLabel: 'two',
      clock: rt.clock,
      policy: { force: false, retry_sanitized: false, include_dnc: false, ...policy },
    });
    return runId;
  }

  const spent = async () => (await spendOfDay(rt.store.db, rt.accountId, utcDay(rt.clock.now()))).spentMicros;

  it('$0.10 daily cap with $0.25 calls: pauses before spending, override resumes', async () => {
    const runId = await start({ SKIP_TRACE_DAILY_BUDGET_USD: '0.10' });
    const paused = await executeRun(rt.workerDeps(), runId);
    expect(paused).toMatchObject({ status: 'paused', reason: 'daily_budget' });
    expect(paused.counters).toMatchObject({ done: 0, queued: 2, failed: 0 });
    expect(await spent()).toBe(0);
    expect(rt.sandbox!.billing.requestCount()).toBe(0);
    expect((await getRun(rt.store.db, rt.accountId, runId))!.soft_paused).toBe(1);

    // A new attempt while still over the cap is refused again.
    const again = await executeRun(rt.workerDeps(), runId);
    expect(again.reason).toBe('daily_budget');

    const resumed = await executeRun(rt.workerDeps(), runId, { overrideBudget: true });
    expect(resumed).toMatchObject({ status: 'completed', reason: null });
    expect(resumed.counters).toMatchObject({ done: 2, queued: 0 });
    expect(await spent()).toBe(500_000);
    expect((await getRun(rt.store.db, rt.accountId, runId))!.soft_paused).toBe(0);
  });

  it('$0.30 daily cap with two $0.25 calls: soft pause after the first, never above the cap', async () => {
    const runId = await start({ SKIP_TRACE_DAILY_BUDGET_USD: '0.30' });
    const paused = await executeRun(rt.workerDeps(), runId);
    expect(paused).toMatchObject({ status: 'paused', reason: 'daily_budget' });
    expect(paused.counters).toMatchObject({ done: 1, queued: 1 });
    expect(await spent()).toBe(250_000);
    expect(rt.sandbox!.billing.billedCount()).toBe(1);
    const resumed = await executeRun(rt.workerDeps(), runId, { overrideBudget: true });
    expect(resumed.counters).toMatchObject({ done: 2, queued: 0 });
    expect(await spent()).toBe(500_000);
  });

  it('a run cap (max_spend_usd) pauses with reason run_budget', async () => {
    const runId = await start({}, { max_spend_usd: 0.3 });
    const paused = await executeRun(rt.workerDeps(), runId);
    expect(paused).toMatchObject({ status: 'paused', reason: 'run_budget' });
    expect(paused.counters).toMatchObject({ done: 1, queued: 1 });
    const run = (await getRun(rt.store.db, rt.accountId, runId))!;
    expect(run.spent_micros).toBe(250_000);
    expect(run.reserved_micros).toBe(0);
  });
});
