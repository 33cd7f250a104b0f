/**
 * Processing a list (seed 004 process API): a 2,000-lead list through property detail and
 * skip-trace, bounded by the limit and the daily cap, continued with startFrom (the previous
 * call's resumeFrom) and resumable after an interruption — every lead processed once, every
 * vendor answer paid once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_WATERFALL } from '../../src/pipeline/waterfall-policy.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { processList } from '../../src/runs/process-list.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, PG_URL, dropSchema, postgresAvailable } from '../helpers/stores.js';

const N = 2_000;
const pgOk = await postgresAvailable();
const START = Date.parse('2026-11-25T09:00:00.000Z');

function csv(n: number): string {
  const lines = ['Property Address,City,State,Zip,Owner First Name,Owner Last Name'];
  for (let i = 0; i < n; i++) lines.push(`${1000 + i} Main St,Phoenix,AZ,85004,Ann${i % 7},Lee`);
  return `${lines.join('\n')}\n`;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`lists process on ${dialect}`, () => {
    let dir: string;
    let rt: Runtime;
    let clock: ManualClock;
    let listId: string;
    const schema = `t_proc_${process.pid}_${Date.now().toString(36)}`;
    let testNo = 0;
    afterAll(async () => {
      if (dialect === 'postgres') for (let i = 1; i <= testNo; i++) await dropSchema(`${schema}_${i}`);
    });
    beforeEach(async () => {
      testNo++;
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-proc-'));
      writeFileSync(join(dir, 'leads.csv'), csv(N));
      clock = new ManualClock(START);
      rt = await openRuntime(
        loadConfig({
          ...(dialect === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: `${schema}_${testNo}` } : {}),
          SQLITE_DB_PATH: join(dir, 'lt.db'),
          RUN_REPORTS_DIR: join(dir, 'reports'),
          SANDBOX_RPS: '100000',
          SKIP_TRACE_DAILY_BUDGET_USD: '100000',
          LOG_LEVEL: 'silent',
        }),
        { clock },
      );
      const imported = await importCsv({
        db: rt.store.db,
        accountId: rt.accountId,
        clock,
        path: join(dir, 'leads.csv'),
        listName: 'phoenix',
        rejectedPath: join(dir, 'rejected.csv'),
      });
      expect(imported.created).toBe(N);
      listId = imported.listId;
    });
    afterEach(async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const statuses = async () =>
      Object.fromEntries(
        (
          await rt.store.db
            .selectFrom('leads')
            .select(['enrichment_status', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('enrichment_status')
            .execute()
        ).map((r) => [r.enrichment_status, Number(r.n)]),
      );
    const calls = async (provider: string) =>
      Number(
        (
          await rt.store.db
            .selectFrom('provider_calls')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('provider', '=', provider)
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('respects the daily cap, continues with startFrom the next day, and pays each lead once', async () => {
      const first = await processList(rt, { list: 'phoenix', dailyCap: 1_500, waterfall: DEFAULT_WATERFALL });
      expect(first.outcome?.status).toBe('completed');
      expect(first.cappedBy).toBe('daily_cap');
      expect(first.stats.processed).toBe(1_500);
      expect(first.stats.remaining).toBe(500);
      expect(first.resumeFrom).not.toBeNull();
      expect((await statuses()).pending).toBe(500);
      // Property detail ran for every processed lead: facts filled.
      const withFacts = await rt.store.db
        .selectFrom('leads')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('enrichment_status', '!=', 'pending')
        .where('property_type', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(Number(withFacts.n)).toBeGreaterThan(1_200);

      // Same day: the cap is used up; nothing is selected, nothing is paid.
      const again = await processList(rt, {
        list: listId,
        dailyCap: 1_500,
        startFrom: first.resumeFrom,
        waterfall: DEFAULT_WATERFALL,
      });
      expect(again.runId).toBeNull();
      expect(again.cappedBy).toBe('daily_cap');
      expect(again.stats.remaining).toBe(500);

      clock.advance(24 * 3_600_000);
      const next = await processList(rt, {
        list: listId,
        dailyCap: 1_500,
        startFrom: first.resumeFrom,
        waterfall: DEFAULT_WATERFALL,
      });
      expect(next.stats.processed).toBe(500);
      expect(next.stats.remaining).toBe(0);
      expect(next.resumeFrom).toBeNull();
      expect(next.cappedBy).toBeNull();
      expect((await statuses()).pending ?? 0).toBe(0);
      expect(await calls('realestateapi-property-detail')).toBe(N);
      expect(await calls('batchdata')).toBe(N);
    });

    it('respects --limit and skipTrace off (property detail only, leads end partial)', async () => {
      const r = await processList(rt, {
        list: listId,
        limit: 300,
        skipTrace: false,
        waterfall: DEFAULT_WATERFALL,
      });
      expect(r.cappedBy).toBe('limit');
      expect(r.stats.processed).toBe(300);
      expect(r.stats.withPhones).toBe(0);
      expect(await calls('batchdata')).toBe(0);
      expect(await calls('realestateapi-property-detail')).toBe(300);
      const s = await statuses();
      expect(s.pending).toBe(N - 300);
      expect((s.partial ?? 0) + (s.failed ?? 0)).toBe(300);
    });

    it('an interrupted process run resumes where it stopped without paying twice', async () => {
      const ac = new AbortController();
      let finished = 0;
      rt.events.on('items:finished', (e) => {
        finished += e.done + e.failed;
        if (finished >= 400) ac.abort();
      });
      const r = await processList(rt, {
        list: listId,
        limit: 1_000,
        waterfall: DEFAULT_WATERFALL,
        signal: ac.signal,
      });
      expect(r.outcome?.status).toBe('paused');
      expect(r.stats.processed).toBeLessThan(1_000);
      const resumed = await executeRun(rt.workerDeps(), r.runId!);
      expect(resumed.status).toBe('completed');
      expect(resumed.counters.done + resumed.counters.failed).toBe(1_000);
      expect((await statuses()).pending).toBe(N - 1_000);
      expect(await calls('batchdata')).toBe(1_000);
      expect(await calls('realestateapi-property-detail')).toBe(1_000);
    });
  });
}
