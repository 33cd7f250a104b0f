/**
 * Seed 002 integration list, through the real pieces (SQLite store, sandbox over HTTP):
 * 10 leads → 10 provider calls → correct report totals; the same 10 again → 0 new
 * provider calls and cache hits recorded; resume processes only queued and failed items.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { createRunForList } from '../../src/runs/create-run.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { writeRunArtifacts } from '../../src/runs/outputs.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import { countRunItems } from '../../src/store/repos/runs.js';
import { DIALECTS, PG_URL, dropSchema, postgresAvailable } from '../helpers/stores.js';

const TEN = [
  'Property Address,City,State,Zip,Owner First Name,Owner Last Name',
  '101 Main St,Springfield,IL,62704,Ann,Lee',
  '202 Oak Ave,Springfield,IL,62704,Bo,Kim',
  '303 Pine Rd,Chicago,IL,60614,Cy,Diaz',
  '404 Elm Dr,Chicago,IL,60614,Di,Fox',
  '505 Cedar Ln,Austin,TX,78701,Ed,Gray',
  '606 Maple Ct,Austin,TX,78701,Flo,Hart',
  '707 Lake Blvd,Denver,CO,80202,Gus,Ivy',
  '808 Hill Way,Denver,CO,80202,Hal,Jude',
  '909 Park Pl,Tampa,FL,33602,Ira,Kent',
  '1010 Birch St,Tampa,FL,33602,Jo,Lamb',
].join('\n');

const pgOk = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`run lifecycle on ${dialect} with the sandbox`, () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-run-'));
      writeFileSync(join(dir, 'ten.csv'), `${TEN}\n`);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const schema = `t_run_${process.pid}_${Date.now().toString(36)}`;
    afterAll(async () => {
      if (dialect === 'postgres') await dropSchema(schema);
    });
    let testNo = 0;
    beforeEach(() => {
      testNo++;
    });
    const open = (extra: Record<string, string> = {}) =>
      openRuntime(
        loadConfig({
          ...(dialect === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: `${schema}_${testNo}` } : {}),
          SQLITE_DB_PATH: join(dir, 'lt.db'),
          RUN_REPORTS_DIR: join(dir, 'reports'),
          SANDBOX_HIT_RATE: '1',
          ...extra,
        }),
      );

    async function runFile(rt: Runtime, name: string) {
      const imported = await importCsv({
        db: rt.store.db,
        accountId: rt.accountId,
        clock: rt.clock,
        path: join(dir, 'ten.csv'),
        listName: name,
        rejectedPath: join(dir, `${name}-rejected.csv`),
      });
      const created = await createRunForList(rt.store.db, {
        accountId: rt.accountId,
        listId: imported.listId,
        sourceLabel: name,
        clock: rt.clock,
        policy: { force: false, retry_sanitized: true, include_dnc: false },
      });
      const outcome = await executeRun(rt.workerDeps(), created.runId);
      const artifacts = await writeRunArtifacts(rt.store.db, {
        accountId: rt.accountId,
        runId: created.runId,
        reportsDir: rt.config.RUN_REPORTS_DIR,
        clock: rt.clock,
        cipher: rt.cipher,
        dailyCapMicros: rt.dailyCapMicros,
      });
      return { imported, outcome, artifacts };
    }

    it('10 leads → 10 provider calls; the same 10 again → 0 calls, all cache hits', async () => {
      const rt1 = await open();
      const first = await runFile(rt1, 'first');
      const billed = rt1.sandbox!.billing.billedCount();
      await rt1.close();

      expect(first.imported.created).toBe(10);
      expect(first.outcome.status).toBe('completed');
      const t1 = first.artifacts.report.totals;
      expect(t1).toEqual({
        total: 10,
        done: 10,
        failed: 0,
        cached_hits: 0,
        provider_calls: 10,
        cost_usd: (billed * 70_000) / 1_000_000,
      });
      expect(first.artifacts.report.cache_hit_ratio).toBe(0);

      // A new process (empty L1) over the same database: everything from the L2 cache.
      const rt2 = await open();
      const second = await runFile(rt2, 'second');
      expect(rt2.sandbox!.billing.requestCount()).toBe(0);
      await rt2.close();
      expect(second.imported.created).toBe(0);
      expect(second.imported.duplicates).toBe(10);
      expect(second.artifacts.report.totals).toEqual({
        total: 10,
        done: 10,
        failed: 0,
        cached_hits: 10,
        provider_calls: 0,
        cost_usd: 0,
      });
      expect(second.artifacts.report.cache_hit_ratio).toBe(1);
      const [header, ...rows] = parse(readFileSync(second.artifacts.csvPath), { bom: true }) as string[][];
      expect(header!.join(',')).toBe(
        'LeadID,Address,Owner,Phone1,Phone2,Phone3,Email1,Email2,Email3,Phone1_source,Email1_source,Cached,Property Address,City,State,Zip,Owner First Name,Owner Last Name,TimeZone',
      );
      expect(rows).toHaveLength(10);
      expect(rows.every((r) => r[11] === 'true')).toBe(true);
      expect(rows[0]!.slice(1, 3)).toEqual(['101 MAIN ST, SPRINGFIELD, IL 62704', 'ANN LEE']);
      expect(rows[0]!.slice(12)).toEqual([
        '101 Main St',
        'Springfield',
        'IL',
        '62704',
        'Ann',
        'Lee',
        'America/Chicago',
      ]);
      for (const r of rows) {
        for (const phone of r.slice(3, 6).filter(Boolean)) expect(phone).toMatch(/^\+1\d{3}55501\d{2}$/);
      }
    });

    it('resume processes only queued and failed items', async () => {
      const rt = await open();
      const { outcome } = await runFile(rt, 'r');
      // Pretend two items failed and one never ran.
      const items = await rt.store.db
        .selectFrom('run_items')
        .select(['id'])
        .where('run_id', '=', outcome.runId)
        .orderBy('id')
        .execute();
      await rt.store.db
        .updateTable('run_items')
        .set({ status: 'failed', last_error: 'server_error: boom' })
        .where('id', 'in', [items[0]!.id, items[1]!.id])
        .execute();
      await rt.store.db
        .updateTable('run_items')
        .set({ status: 'queued' })
        .where('id', '=', items[2]!.id)
        .execute();
      const untouched = await rt.store.db
        .selectFrom('run_items')
        .select(['id', 'updated_at'])
        .where(
          'id',
          'in',
          items.slice(3).map((i) => i.id),
        )
        .execute();
      const resumed = await executeRun(rt.workerDeps(), outcome.runId, { includeFailed: true });
      expect(resumed.counters).toEqual({
        total: 10,
        queued: 0,
        in_flight: 0,
        done: 10,
        failed: 0,
        cached_hits: 3,
      });
      const after = await rt.store.db
        .selectFrom('run_items')
        .select(['id', 'updated_at'])
        .where(
          'id',
          'in',
          items.slice(3).map((i) => i.id),
        )
        .execute();
      expect(after).toEqual(untouched);
      expect(await countRunItems(rt.store.db, outcome.runId)).toMatchObject({ done: 10 });
      await rt.close();
    });
  });
}
