/**
 * getOrSkiptrace (seed 002 A1) over both store dialects, against the real sandbox over
 * HTTP: identical input → one provider call; TTL expiry → exactly one refresh; concurrent
 * misses on one key share one call; the unique index forbids a second billed row.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBatchDataProvider } from '../../src/providers/batchdata/adapter.js';
import { startSandbox, type Sandbox } from '../../src/providers/sandbox/server.js';
import { SkipTraceService, type SkipTraceRequest } from '../../src/pipeline/skiptrace-service.js';
import { createBudgetGuard } from '../../src/guards/budget.js';
import { createTokenBucket } from '../../src/guards/token-bucket.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { MS_PER_DAY } from '../../src/domain/clock.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();

function request(n: number, leadId = `lead-${n}`): SkipTraceRequest {
  return {
    leadId,
    idempotencyKey: `key-${n}`.padEnd(64, '0'),
    attemptReason: 'primary',
    input: {
      street: `${100 + n} MAIN ST`,
      city: 'SPRINGFIELD',
      state: 'IL',
      zip: '62704',
      firstName: 'JANE',
      lastName: 'DOE',
    },
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`SkipTraceService on ${dialect}`, () => {
    let sandbox: Sandbox;
    let store: TestStore;
    let clock: ManualClock;

    beforeAll(async () => {
      sandbox = await startSandbox({ hitRate: 1 });
    });
    afterAll(async () => {
      await sandbox.close();
    });
    beforeEach(async () => {
      store = await openTestStore(dialect);
      clock = new ManualClock();
    });
    afterEach(async () => {
      await store.dispose();
    });

    const makeService = (capUsdMicros = 200_000_000) =>
      new SkipTraceService({
        db: store.db,
        provider: createBatchDataProvider({
          baseUrl: sandbox.url,
          apiKey: 'k',
          authStyle: 'bearer',
          now: () => clock.now(),
        }),
        cipher: testCipher(),
        clock,
        accountId: LOCAL_ACCOUNT_ID,
        cacheTtlDays: 7,
        negativeCacheTtlDays: 3,
        rateLimiter: createTokenBucket({ ratePerSec: 1000, burst: 100, clock: { now: () => Date.now() } }),
        budget: createBudgetGuard({
          db: store.db,
          accountId: LOCAL_ACCOUNT_ID,
          clock,
          dailyCapMicros: capUsdMicros,
        }),
      });

    const callRows = () => store.db.selectFrom('provider_calls').selectAll().execute();

    it('answers two identical inputs with one provider call; the second comes from cache', async () => {
      const service = makeService();
      const before = sandbox.billing.requestCount();
      const first = await service.getOrSkiptrace(request(1));
      const second = await service.getOrSkiptrace(request(1));
      expect(first.ok && first.answer.cached).toBe(false);
      expect(second.ok && second.answer.cached).toBe(true);
      expect(second.ok && second.answer.costMicros).toBe(0);
      expect(sandbox.billing.requestCount() - before).toBe(1);
      const rows = await callRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('ok');
      expect(rows[0]!.cost_micros).toBe(70_000);
      expect(rows[0]!.payload_hash).toMatch(/^[0-9a-f]{64}$/);
      // L2 alone (a new process has an empty L1) still answers from cache.
      const fresh = makeService();
      const third = await fresh.getOrSkiptrace(request(1));
      expect(third.ok && third.answer.cached).toBe(true);
      expect(await callRows()).toHaveLength(1);
    });

    it('re-fetches an expired entry exactly once, as the next generation', async () => {
      const service = makeService();
      await service.getOrSkiptrace(request(2));
      clock.advance(7 * MS_PER_DAY + 1);
      const refreshed = await makeService().getOrSkiptrace(request(2));
      const again = await makeService().getOrSkiptrace(request(2));
      expect(refreshed.ok && refreshed.answer.cached).toBe(false);
      expect(again.ok && again.answer.cached).toBe(true);
      const rows = (await callRows()).sort((a, b) => a.generation - b.generation);
      expect(rows.map((r) => r.generation)).toEqual([0, 1]);
    });

    it('makes one call for concurrent misses on one key', async () => {
      const service = makeService();
      const before = sandbox.billing.requestCount();
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => service.getOrSkiptrace(request(3))));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results.filter((r) => r.ok && !r.answer.cached)).toHaveLength(1);
      expect(sandbox.billing.requestCount() - before).toBe(1);
      expect(await callRows()).toHaveLength(1);
    });

    it('sends up to 100 inputs per vendor request and records one row per key', async () => {
      const service = makeService();
      const before = sandbox.billing.requestCount();
      const reqs = Array.from({ length: 150 }, (_, i) => request(1000 + i));
      await store.db
        .insertInto('runs')
        .values({
          run_id: 'run-x',
          account_id: LOCAL_ACCOUNT_ID,
          list_id: null,
          source_label: 't',
          policy_json: '{}',
          status: 'running',
          total: 150,
          queued: 150,
          in_flight: 0,
          done: 0,
          failed: 0,
          cached_hits: 0,
          spent_micros: 0,
          reserved_micros: 0,
          soft_paused: 0,
          reason: null,
          created_at: '2026-11-25T12:00:00.000Z',
          started_at: null,
          finished_at: null,
        })
        .execute();
      const results = await service.getMany(reqs, { runId: 'run-x', runCapMicros: null, override: false });
      expect(
        results
          .filter((r) => !r.ok)
          .map((r) => (r.ok ? '' : String(r.error)))
          .join('; '),
      ).toBe('');
      expect(results.filter((r) => r.ok)).toHaveLength(150);
      expect(sandbox.billing.requestCount() - before).toBe(2);
      const rows = await callRows();
      expect(rows).toHaveLength(150);
      expect(new Set(rows.map((r) => r.http_request_id)).size).toBe(2);
      expect(rows.every((r) => r.run_id === 'run-x')).toBe(true);
      const run = await store.db
        .selectFrom('runs')
        .selectAll()
        .where('run_id', '=', 'run-x')
        .executeTakeFirstOrThrow();
      expect(run.reserved_micros).toBe(0);
      expect(run.spent_micros).toBe(rows.reduce((sum, r) => sum + r.cost_micros, 0));
      expect(await store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);
    });

    it('refuses a second billed row for the same key and generation (unique index)', async () => {
      await makeService().getOrSkiptrace(request(4));
      const [row] = await callRows();
      await expect(
        store.db
          .insertInto('provider_calls')
          .values({ ...row!, id: 'another' })
          .execute(),
      ).rejects.toThrow();
    });

    it('never stores phones or emails in clear text', async () => {
      await makeService().getOrSkiptrace(request(5));
      const cache = await store.db.selectFrom('skiptrace_cache').selectAll().execute();
      const calls = await callRows();
      const text = JSON.stringify([cache, calls]);
      expect(text).not.toMatch(/555\d{4}/);
      expect(text).not.toMatch(/@example\.(com|org|net)/);
    });
  });
}
