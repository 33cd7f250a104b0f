/**
 * The 31-day compliance re-scrub through the real pieces (SQLite and PostgreSQL, the sandbox
 * over HTTP, a manual clock): after a run every phone is fresh; 32 days later every one is
 * expired; a re-scrub re-checks exactly those numbers (one DNC and one TCPA check each,
 * recorded and billed once), writes the vendor's answers (clearing a flag the registry no
 * longer lists) and a fresh expiry; a second re-scrub the same day does nothing for $0; a
 * cached answer younger than 31 days is reused, an older one is bought again at a new
 * generation; --list and --limit bound the work; the daily budget stops it with the work
 * done kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { MS_PER_DAY, toIso, utcDay } from '../../src/domain/clock.js';
import { UserError } from '../../src/domain/errors.js';
import { resolveSandboxOptions, type SandboxOptions } from '../../src/providers/sandbox/options.js';
import { describePhoneLine, nanpDigits } from '../../src/providers/sandbox/phone-lines.js';
import { rescrubCompliance, RESCRUB_ATTEMPT_REASON } from '../../src/runs/compliance-rescrub.js';
import { createRunForList } from '../../src/runs/create-run.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { openRuntime, sandboxOptionsFromConfig, type Runtime } from '../../src/runs/runtime.js';
import { complianceCounts } from '../../src/store/repos/compliance.js';
import { spendOfDay } from '../../src/store/repos/spend.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, PG_URL, dropSchema, postgresAvailable } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const START = Date.parse('2026-11-25T09:00:00.000Z');
const DNC = 'batchdata-phone-dnc';
const TCPA = 'batchdata-phone-tcpa';
const SANDBOX: SandboxOptions = { hitRate: 1, dncRate: 0.3, tcpaRate: 0.2, maxPhones: 3, litigatorRate: 0 };

const ROWS = Array.from({ length: 20 }, (_, i) => `${100 + i} Cedar Ln,Austin,TX,78701,Al${i},Ray`);
const csv = (rows: string[]) =>
  `${['Property Address,City,State,Zip,Owner First Name,Owner Last Name', ...rows].join('\n')}\n`;

interface PhoneRow {
  value: string;
  value_hash: string;
  lead_id: string;
  dnc: number;
  tcpa: number;
  litigator: number;
  compliance_source: string | null;
  compliance_checked_at: string | null;
  compliance_expires_at: string | null;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`compliance rescrub on ${dialect}`, () => {
    let dir: string;
    let rt: Runtime;
    let clock: ManualClock;
    let allList: string;
    let someList: string;
    const schema = `t_rescrub_${process.pid}_${Date.now().toString(36)}`;
    let testNo = 0;
    afterAll(async () => {
      if (dialect === 'postgres') await dropSchema(schema);
    });

    const open = (env: Record<string, string> = {}) =>
      openRuntime(
        loadConfig({
          ...(dialect === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: `${schema}_${testNo}` } : {}),
          SQLITE_DB_PATH: join(dir, 'lt.db'),
          RUN_REPORTS_DIR: join(dir, 'reports'),
          SANDBOX_RPS: '100000',
          LOG_LEVEL: 'silent',
          ...env,
        }),
        { clock, sandbox: SANDBOX, sleep: async () => {} },
      );

    /** Imports 20 leads as "all" and the first 5 again as "some" (stacked), then traces "all". */
    async function seed(env: Record<string, string> = {}) {
      testNo++;
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-rescrub-'));
      writeFileSync(join(dir, 'all.csv'), csv(ROWS));
      writeFileSync(join(dir, 'some.csv'), csv(ROWS.slice(0, 5)));
      clock = new ManualClock(START);
      rt = await open(env);
      const imp = async (name: string) =>
        importCsv({
          db: rt.store.db,
          accountId: rt.accountId,
          clock,
          path: join(dir, `${name}.csv`),
          listName: name,
          rejectedPath: join(dir, `${name}-rejected.csv`),
        });
      const all = await imp('all');
      const some = await imp('some');
      expect(all.created).toBe(20);
      expect(some.duplicates).toBe(5);
      allList = all.listId;
      someList = some.listId;
      const { runId } = await createRunForList(rt.store.db, {
        accountId: rt.accountId,
        listId: allList,
        sourceLabel: 'all',
        clock,
        policy: { force: false, retry_sanitized: true, include_dnc: false },
      });
      expect((await executeRun(rt.workerDeps(), runId)).status).toBe('completed');
    }

    afterEach(async () => {
      await rt?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const phones = async (): Promise<PhoneRow[]> => {
      const rows = await rt.store.db
        .selectFrom('contact_points')
        .select([
          'value_enc',
          'value_hash',
          'lead_id',
          'dnc',
          'tcpa',
          'litigator',
          'compliance_source',
          'compliance_checked_at',
          'compliance_expires_at',
        ])
        .where('kind', '=', 'phone')
        .orderBy('id')
        .execute();
      return rows.map(({ value_enc, ...r }) => ({ ...r, value: rt.cipher.decrypt(value_enc) }));
    };
    const numbersOf = (rows: PhoneRow[]) => [...new Set(rows.map((r) => r.value))].sort();
    const digitsOf = (e164: string) => nanpDigits(e164)!;
    /** What the sandbox's DNC and TCPA endpoints say about a number. */
    const truth = (e164: string) => {
      const line = describePhoneLine(
        e164,
        resolveSandboxOptions({ ...sandboxOptionsFromConfig(rt.config), ...SANDBOX }),
      );
      return { dnc: !line.notFound && line.dnc, tcpa: !line.notFound && line.tcpa };
    };
    const counts = (listId: string | null = null) =>
      complianceCounts(rt.store.db, { accountId: rt.accountId, nowIso: toIso(clock.now()), listId });
    const rescrubCalls = (generation?: number) => {
      let q = rt.store.db
        .selectFrom('provider_calls')
        .select(['provider', 'idempotency_key', 'generation', 'status', 'cost_micros', 'run_id'])
        .where('attempt_reason', '=', RESCRUB_ATTEMPT_REASON);
      if (generation !== undefined) q = q.where('generation', '=', generation);
      return q.execute();
    };
    const billedSince = (n: number) =>
      rt
        .sandbox!.billing.entries()
        .slice(n)
        .map((e) => e.key)
        .sort();

    it('32 days after a run: re-checks exactly the expired numbers once, writes fresh answers; again the same day is free', async () => {
      await seed();
      const before = await phones();
      const numbers = numbersOf(before);
      expect(numbers.length).toBeGreaterThan(20);
      expect(numbers.length).toBeLessThan(100); // one vendor request per provider
      const startIso = toIso(START);
      expect(before.every((r) => r.compliance_checked_at === startIso)).toBe(true);
      expect(await counts()).toMatchObject({
        phones: before.length,
        numbers: numbers.length,
        fresh: before.length,
        expired: 0,
        never_checked: 0,
        to_rescrub: 0,
        next_expiry: toIso(START + 31 * MS_PER_DAY),
      });

      // Nothing is due on the day of the run: no request at all.
      const requests0 = rt.sandbox!.billing.requestCount();
      const none = await rescrubCompliance(rt.workerDeps());
      expect(none).toMatchObject({ status: 'completed', numbers: 0, fresh: 0, cost_micros: 0 });
      expect(rt.sandbox!.billing.requestCount()).toBe(requests0);

      clock.advance(32 * MS_PER_DAY);
      const nowIso = toIso(clock.now());
      expect(await counts()).toMatchObject({
        fresh: 0,
        expired: before.length,
        never_checked: 0,
        to_rescrub: numbers.length,
        next_expiry: null,
      });

      // One number listed DNC by the skip-trace is off the registry now: the re-scrub clears it.
      const clearMe = numbers.find((n) => !truth(n).dnc)!;
      await rt.store.db
        .updateTable('contact_points')
        .set({ dnc: 1 })
        .where('value_hash', '=', rt.cipher.blindIndex('phone', clearMe))
        .execute();
      const stored = await phones();
      const oldFlag = (n: string, f: 'dnc' | 'tcpa') => stored.some((r) => r.value === n && r[f] === 1);
      const changes = (f: 'dnc' | 'tcpa') => ({
        raised: numbers.filter((n) => truth(n)[f] && !oldFlag(n, f)).length,
        cleared: numbers.filter((n) => !truth(n)[f] && oldFlag(n, f)).length,
      });
      expect(changes('dnc').cleared).toBeGreaterThanOrEqual(1);

      const requests1 = rt.sandbox!.billing.requestCount();
      const billed1 = rt.sandbox!.billing.entries().length;
      const summary = await rescrubCompliance(rt.workerDeps());
      expect(summary).toEqual({
        status: 'completed',
        reason: null,
        list_id: null,
        providers: [DNC, TCPA],
        numbers: numbers.length,
        fresh: numbers.length,
        incomplete: 0,
        contact_points_updated: before.length,
        flags: { dnc: changes('dnc'), tcpa: changes('tcpa'), litigator: { raised: 0, cleared: 0 } },
        vendor: {
          [DNC]: { called: numbers.length, cached: 0, failed: 0, cost_micros: numbers.length * 2_000 },
          [TCPA]: { called: numbers.length, cached: 0, failed: 0, cost_micros: numbers.length * 2_000 },
        },
        cost_micros: numbers.length * 4_000,
      });
      // Exactly one request per provider, billing exactly the expired numbers once each.
      expect(rt.sandbox!.billing.requestCount() - requests1).toBe(2);
      expect(billedSince(billed1)).toEqual(
        [...numbers.map((n) => `dnc|${digitsOf(n)}`), ...numbers.map((n) => `tcpa|${digitsOf(n)}`)].sort(),
      );
      const calls = await rescrubCalls();
      expect(calls).toHaveLength(2 * numbers.length);
      for (const provider of [DNC, TCPA]) {
        const mine = calls.filter((c) => c.provider === provider);
        expect(mine.map((c) => c.idempotency_key).sort()).toEqual(
          numbers.map((n) => rt.cipher.blindIndex('phone', n)).sort(),
        );
        expect(mine.every((c) => c.status === 'ok' && c.generation === 0 && c.run_id === null)).toBe(true);
        expect(mine.reduce((s, c) => s + Number(c.cost_micros), 0)).toBe(numbers.length * 2_000);
      }
      const spend = await spendOfDay(rt.store.db, rt.accountId, utcDay(clock.now()));
      expect(spend.spentMicros).toBe(numbers.length * 4_000);

      // Every row: the vendor's flags, the source, checked now, expiring in 31 days.
      const after = await phones();
      expect(after).toHaveLength(before.length);
      for (const r of after) {
        const t = truth(r.value);
        expect({ dnc: r.dnc, tcpa: r.tcpa }).toEqual({ dnc: t.dnc ? 1 : 0, tcpa: t.tcpa ? 1 : 0 });
        expect(r.compliance_source).toBe(`${DNC},${TCPA}`);
        expect(r.compliance_checked_at).toBe(nowIso);
        expect(r.compliance_expires_at).toBe(toIso(clock.now() + 31 * MS_PER_DAY));
      }
      expect(await counts()).toMatchObject({
        fresh: before.length,
        expired: 0,
        to_rescrub: 0,
        dnc: after.filter((r) => r.dnc === 1).length,
        next_expiry: toIso(clock.now() + 31 * MS_PER_DAY),
      });

      // The same day again: nothing due, nothing asked, nothing paid.
      clock.advance(3_600_000);
      const requests2 = rt.sandbox!.billing.requestCount();
      const again = await rescrubCompliance(rt.workerDeps());
      expect(again).toMatchObject({ status: 'completed', numbers: 0, fresh: 0, cost_micros: 0 });
      expect(rt.sandbox!.billing.requestCount()).toBe(requests2);
      expect(await rescrubCalls()).toHaveLength(2 * numbers.length);
    });

    it('reuses a cached answer younger than 31 days (dated by its call) and re-buys an older one at a new generation', async () => {
      await seed({ CACHE_TTL_DAYS: '90' });
      clock.advance(32 * MS_PER_DAY);
      const checkedIso = toIso(clock.now());
      const first = await rescrubCompliance(rt.workerDeps());
      const n = first.numbers;
      expect(first).toMatchObject({ fresh: n, cost_micros: n * 4_000 });

      // Five days on, one number's rows lose their check (say, stored again for a new lead).
      clock.advance(5 * MS_PER_DAY);
      const [one] = numbersOf(await phones());
      const hash = rt.cipher.blindIndex('phone', one!);
      await rt.store.db
        .updateTable('contact_points')
        .set({ compliance_checked_at: null, compliance_expires_at: null, compliance_source: null })
        .where('value_hash', '=', hash)
        .execute();
      expect((await counts()).to_rescrub).toBe(1);
      const requests = rt.sandbox!.billing.requestCount();
      const cached = await rescrubCompliance(rt.workerDeps());
      expect(cached).toMatchObject({
        numbers: 1,
        fresh: 1,
        cost_micros: 0,
        vendor: {
          [DNC]: { called: 0, cached: 1, failed: 0, cost_micros: 0 },
          [TCPA]: { called: 0, cached: 1, failed: 0, cost_micros: 0 },
        },
      });
      expect(rt.sandbox!.billing.requestCount()).toBe(requests);
      // The answer is five days old: so is the check, and it expires 31 days after it.
      const rows = (await phones()).filter((r) => r.value_hash === hash);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.compliance_checked_at).toBe(checkedIso);
        expect(r.compliance_expires_at).toBe(toIso(Date.parse(checkedIso) + 31 * MS_PER_DAY));
      }

      // 32 more days: the cached answers (live for 90 days) are 37 days old and do not count.
      clock.advance(32 * MS_PER_DAY);
      const requests2 = rt.sandbox!.billing.requestCount();
      const rebuy = await rescrubCompliance(rt.workerDeps());
      expect(rebuy).toMatchObject({
        numbers: n,
        fresh: n,
        cost_micros: n * 4_000,
        vendor: { [DNC]: { called: n, cached: 0 }, [TCPA]: { called: n, cached: 0 } },
      });
      expect(rt.sandbox!.billing.requestCount() - requests2).toBe(2);
      expect(await rescrubCalls(1)).toHaveLength(2 * n);
      expect(await rescrubCalls()).toHaveLength(4 * n);
      expect((await phones()).every((r) => r.compliance_checked_at === toIso(clock.now()))).toBe(true);
    });

    it('--list and --limit bound the numbers taken; --providers picks the checks', async () => {
      await seed();
      clock.advance(32 * MS_PER_DAY);
      const all = await phones();
      const someLeads = new Set(
        (
          await rt.store.db
            .selectFrom('list_members')
            .select('lead_id')
            .where('list_id', '=', someList)
            .execute()
        ).map((r) => r.lead_id),
      );
      const someNumbers = numbersOf(all.filter((r) => someLeads.has(r.lead_id)));
      expect(someNumbers.length).toBeGreaterThan(3);
      expect((await counts(someList)).to_rescrub).toBe(someNumbers.length);

      const limited = await rescrubCompliance(rt.workerDeps(), {
        listId: someList,
        limit: 3,
        providers: [DNC],
      });
      expect(limited).toMatchObject({
        status: 'completed',
        list_id: someList,
        providers: [DNC],
        numbers: 3,
        fresh: 3,
      });
      expect(limited.vendor).toEqual({ [DNC]: { called: 3, cached: 0, failed: 0, cost_micros: 6_000 } });
      const freshNow = numbersOf(
        (await phones()).filter((r) => r.compliance_expires_at! > toIso(clock.now())),
      );
      expect(freshNow).toHaveLength(3);
      expect(freshNow.every((n) => someNumbers.includes(n))).toBe(true);
      // DNC alone: tcpa keeps its stored value, the source says who checked.
      const rows = (await phones()).filter((r) => freshNow.includes(r.value));
      expect(rows.every((r) => r.compliance_source === DNC)).toBe(true);
      for (const r of rows)
        expect(r.tcpa).toBe(all.find((a) => a.value_hash === r.value_hash && a.lead_id === r.lead_id)!.tcpa);

      const rest = await rescrubCompliance(rt.workerDeps(), { listId: someList });
      expect(rest).toMatchObject({ numbers: someNumbers.length - 3, fresh: someNumbers.length - 3 });
      expect((await counts(someList)).to_rescrub).toBe(0);
      expect((await counts(allList)).to_rescrub).toBe(numbersOf(all).length - someNumbers.length);

      await expect(rescrubCompliance(rt.workerDeps(), { providers: ['twilio-lookup'] })).rejects.toThrow(
        new UserError(
          `provider "twilio-lookup" does not check DNC/TCPA lists (use one of: batchdata-phone-verification, ${DNC}, ${TCPA})`,
          'bad_option',
        ),
      );
      await expect(rescrubCompliance(rt.workerDeps(), { providers: ['nope'] })).rejects.toThrow(
        /unknown or unavailable provider "nope"/,
      );
    });

    it('stops at the daily budget with the work done kept, and never spends past it', async () => {
      await seed();
      await rt.close();
      clock.advance(32 * MS_PER_DAY);
      // $0.05 a day: one page of 10 numbers costs 10 × ($0.002 + $0.002) = $0.04.
      rt = await open({ SKIP_TRACE_DAILY_BUDGET_USD: '0.05' });
      const n = numbersOf(await phones()).length;
      const requests = rt.sandbox!.billing.requestCount();
      const paused = await rescrubCompliance(rt.workerDeps(), { pageSize: 10 });
      expect(paused).toMatchObject({
        status: 'paused',
        reason: 'daily_budget',
        numbers: 20,
        fresh: 10,
        incomplete: 10,
        cost_micros: 40_000,
      });
      expect(rt.sandbox!.billing.requestCount() - requests).toBe(2);
      expect(await rescrubCalls()).toHaveLength(20);
      const day = await spendOfDay(rt.store.db, rt.accountId, utcDay(clock.now()));
      expect(day).toMatchObject({ spentMicros: 40_000, reservedMicros: 0 });
      expect((await counts()).to_rescrub).toBe(n - 10);

      // Again the same day: refused at once, nothing paid.
      const again = await rescrubCompliance(rt.workerDeps(), { pageSize: 10 });
      expect(again).toMatchObject({ status: 'paused', reason: 'daily_budget', fresh: 0, cost_micros: 0 });
      expect(rt.sandbox!.billing.requestCount() - requests).toBe(2);

      // The next day continues where it stopped.
      clock.advance(MS_PER_DAY);
      const next = await rescrubCompliance(rt.workerDeps(), { pageSize: 10 });
      expect(next).toMatchObject({ fresh: 10, cost_micros: 40_000 });
      expect((await counts()).to_rescrub).toBe(n - 20);
    });
  });
}
