/**
 * Issue acceptance, "never lose work / never pay twice" under kill -9: a 2,000-lead run
 * through the real CLI (`node bin/leadtrace.js`) against the BatchData sandbox started in
 * this process, SIGKILLed at 20 seeded-random moments and resumed each time, then resumed
 * to completion. Afterwards the database (read-only), the report and the sandbox's own
 * billing log must agree: every item done once, every lead exported once, every billed
 * vendor item recorded in provider_calls and in spend, no reservation left behind.
 *
 * A kill lands a seeded 150–1,500 ms after the child starts working on the run, or as soon
 * as it has finished a seeded 25–60 more items, whichever comes first: the second rule
 * keeps all 20 kills inside the run on a fast machine (the final resume finds work left).
 *
 * Run:  npx vitest run test/crash                 (about 1–2 minutes)
 * Replay another kill sequence:  CRASH_SEED=7 npx vitest run test/crash
 * Keep the temp dir (database, reports) for a post-mortem:  CRASH_KEEP=1 npx vitest run test/crash
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/providers/sandbox/prng.js';
import { startSandbox, type Sandbox } from '../../src/providers/sandbox/server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

const LEADS = 2000;
const KILLS = 20;
const SEED = Number(process.env.CRASH_SEED ?? 20261125);
/** Kill delay, counted from the moment the child starts working on the run (see `cli`). */
const KILL_MIN_MS = 150;
const KILL_MAX_MS = 1500;
/**
 * A child is also killed as soon as it has finished this many items (seeded, per kill), so
 * that on a fast machine the run still outlives all 20 kills: at most ~20 x (60 + one
 * chunk per worker) of the 2,000 items get done before the final resume.
 */
const KILL_MIN_DONE = 25;
const KILL_MAX_DONE = 60;
/** How often the database is polled for the number of items done while a child works. */
const POLL_MS = 10;
/** No child may live longer than this (a hang fails the test instead of eating the budget). */
const CHILD_LIMIT_MS = 90_000;
/** The sandbox's default BatchData price ($0.07 per matched property). */
const COST_PER_HIT_MICROS = 70_000;

const STREETS = ['Main St', 'Oak Ave', 'Pine Rd', 'Cedar Ln', 'Elm Dr', 'Maple Ct', 'Birch Way', 'Lake Blvd'];
const PLACES = [
  ['Springfield', 'IL', '62704'],
  ['Austin', 'TX', '78701'],
  ['Columbus', 'OH', '43215'],
  ['Denver', 'CO', '80202'],
] as const;

/** 2,000 distinct addresses; every 8th has a unit (half of those miss → sanitized retry). */
function leadsCsv(): string {
  const lines = ['Property Address,Unit,City,State,Zip,Owner First Name,Owner Last Name'];
  for (let i = 0; i < LEADS; i++) {
    const [city, state, zip] = PLACES[i % PLACES.length]!;
    const street = STREETS[Math.floor(i / PLACES.length) % STREETS.length]!;
    // House numbers are unique per row, so a unit-less retry never collides with another lead.
    const unit = i % 8 === 5 ? `Apt ${(i % 9) + 1}` : '';
    lines.push(`${1000 + i} ${street},${unit},${city},${state},${zip},Pat${i},Rivera`);
  }
  return `${lines.join('\n')}\n`;
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The run id the child announced ("run <id>: N leads"), if it got that far. */
  runId: string | null;
  /** What made the test kill it: its delay ran out, or it had done its share of items. */
  killedBy: 'delay' | 'progress' | null;
}

/** When to kill a child: whichever comes first, counted from its "run <id>" line. */
interface KillPlan {
  afterMs: number;
  afterDone: number;
}

describe('crash and resume (SIGKILL x20 during a 2,000-lead run)', () => {
  let dir: string;
  let sandbox: Sandbox;
  const random = mulberry32(SEED);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-crash-'));
    writeFileSync(join(dir, 'leads.csv'), leadsCsv());
    sandbox = await startSandbox({ hitRate: 0.8, latencyMs: 5 });
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir && !process.env.CRASH_KEEP) rmSync(dir, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    SQLITE_DB_PATH: join(dir, 'lt.db'),
    RUN_REPORTS_DIR: join(dir, 'reports'),
    BATCHDATA_API_KEY: 'crash-test',
    BATCHDATA_BASE_URL: sandbox.url,
    SKIP_TRACE_RPS: '1000',
    SKIP_TRACE_CONCURRENCY: '4',
    SKIP_TRACE_BATCH_SIZE: '25',
    // Interrupted calls are charged at worst case: keep the daily cap out of the way.
    SKIP_TRACE_DAILY_BUDGET_USD: '100000',
    LOG_LEVEL: 'warn',
  });

  const dbPath = () => join(dir, 'lt.db');

  /** Items done in the run (0 before the database or the run exists). */
  function doneCount(db: Database.Database, runId: string): number {
    const row = db
      .prepare("SELECT count(*) AS n FROM run_items WHERE run_id = ? AND status = 'done'")
      .get(runId) as { n: number };
    return row.n;
  }

  /**
   * Spawns the CLI. With a kill plan, SIGKILLs it `afterMs` after it announced the run
   * ("run <id>: N leads" on stderr, printed just before the worker starts), or as soon as
   * it has finished `afterDone` more items (polled read-only), whichever comes first. So
   * every kill lands while the run is being worked on: recovery, vendor calls in flight,
   * commits, the report. Resolves on 'exit', once the child has been reaped: its pid is
   * then really gone, which is how the next process tells its reservations are orphaned.
   */
  function cli(args: string[], plan: KillPlan | null): Promise<ChildResult> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env() });
      let stdout = '';
      let stderr = '';
      let runId: string | null = null;
      let killedBy: ChildResult['killedBy'] = null;
      let killTimer: NodeJS.Timeout | undefined;
      let poller: NodeJS.Timeout | undefined;
      let reader: Database.Database | null = null;
      const kill = (why: 'delay' | 'progress') => {
        if (killedBy !== null || child.exitCode !== null) return;
        killedBy = why;
        child.kill('SIGKILL');
      };
      const limit = setTimeout(() => {
        kill('delay');
        fail(new Error(`leadtrace ${args.join(' ')} still running after ${CHILD_LIMIT_MS} ms`));
      }, CHILD_LIMIT_MS);
      const startKilling = (id: string, p: KillPlan) => {
        killTimer = setTimeout(() => kill('delay'), p.afterMs);
        let baseline: number | null = null;
        poller = setInterval(() => {
          try {
            reader ??= new Database(dbPath(), { readonly: true, fileMustExist: true, timeout: 50 });
            const n = doneCount(reader, id);
            baseline ??= n;
            if (n - baseline >= p.afterDone) kill('progress');
          } catch {
            // Busy or mid-checkpoint: the next tick reads again.
          }
        }, POLL_MS);
      };
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (runId !== null) return;
        const m = /^run (run_\S+): \d+ leads$/m.exec(stderr);
        if (!m) return;
        runId = m[1]!;
        if (plan) startKilling(runId, plan);
      });
      child.on('error', fail);
      child.on('exit', (code, signal) => {
        clearTimeout(limit);
        clearTimeout(killTimer);
        clearInterval(poller);
        (reader as Database.Database | null)?.close();
        done({ code, signal, stdout, stderr, runId, killedBy });
      });
    });
  }

  const killPlan = (): KillPlan => ({
    afterMs: Math.round(KILL_MIN_MS + random() * (KILL_MAX_MS - KILL_MIN_MS)),
    afterDone: Math.round(KILL_MIN_DONE + random() * (KILL_MAX_DONE - KILL_MIN_DONE)),
  });

  it('ends with every item done once, every lead exported once, every billed call recorded', async () => {
    const log: string[] = [];
    const t0 = Date.now();
    // Kill 1: the fresh run, once it has imported the list and created the run.
    const firstPlan = killPlan();
    const first = await cli(['run', join(dir, 'leads.csv'), '--json', '--yes'], firstPlan);
    expect(first.runId, first.stderr).not.toBeNull();
    const imported = /imported (\d+) rows: (\d+) new leads, (\d+) duplicates, (\d+) rejected/.exec(
      first.stderr,
    );
    expect(imported, first.stderr).not.toBeNull();
    const runId = first.runId!;
    /** Items not yet done, read between two children (nobody is writing then). */
    const pending = () => {
      const db = new Database(dbPath(), { readonly: true, fileMustExist: true });
      try {
        const row = db
          .prepare("SELECT count(*) AS n FROM run_items WHERE run_id = ? AND status <> 'done'")
          .get(runId) as { n: number };
        return row.n;
      } finally {
        db.close();
      }
    };
    let kills = 0;
    let killsWithWorkLeft = 0;
    let selfFinished = 0;
    const account = (r: ChildResult, label: string, plan: KillPlan) => {
      const left = pending();
      if (r.signal === 'SIGKILL') {
        kills++;
        if (left > 0) killsWithWorkLeft++;
      } else {
        // The child beat its kill: it must have stopped cleanly.
        expect(r.code, `${label}: ${r.stderr}`).toBe(0);
        selfFinished++;
      }
      log.push(
        `${label} (${plan.afterMs} ms or +${plan.afterDone} done): ` +
          `${r.signal ?? `exit ${r.code}`} by ${r.killedBy ?? 'itself'}, ${left} left, t=${Date.now() - t0} ms`,
      );
    };
    account(first, 'run', firstPlan);

    // Kills 2..20 on resumes; a resume that finished on its own is not a kill.
    for (let attempt = 0; kills < KILLS && attempt < KILLS * 3; attempt++) {
      const plan = killPlan();
      const r = await cli(['resume', runId, '--json'], plan);
      expect(r.runId, r.stderr).toBe(runId);
      account(r, `resume ${attempt + 1}`, plan);
    }
    console.log(log.join('\n'));
    expect(kills, log.join('\n')).toBe(KILLS);
    // Every kill interrupted a run that still had work: none was spent on a finished run.
    expect(killsWithWorkLeft, log.join('\n')).toBe(KILLS);

    const last = await cli(['resume', runId, '--json'], null);
    expect(last.code, last.stderr).toBe(0);
    const summary = JSON.parse(last.stdout) as {
      status: string;
      totals: { total: number; done: number; failed: number };
      report_path: string;
      csv_path: string;
    };
    expect(summary.status).toBe('completed');

    // ---- the database, read-only ------------------------------------------------------
    const db = new Database(join(dir, 'lt.db'), { readonly: true, fileMustExist: true });
    try {
      const q = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
      const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;

      // One list, one run: no kill ever landed before the run existed.
      expect(one<{ n: number }>('SELECT count(*) AS n FROM runs').n).toBe(1);
      const run = one<{ list_id: string; status: string }>(
        'SELECT list_id, status FROM runs WHERE run_id = ?',
        runId,
      );
      expect(run.status).toBe('completed');
      const members = q<{ lead_id: string }>(
        'SELECT lead_id FROM list_members WHERE list_id = ?',
        run.list_id,
      );
      const created = Number(imported![2]);
      const expected = members.length;
      expect(expected).toBe(created); // fresh database: every distinct row is a new lead
      expect(expected).toBe(LEADS - Number(imported![3]) - Number(imported![4]));

      // Every item done, exactly one item per lead, nothing left queued/in flight/failed.
      const byStatus = q<{ status: string; n: number }>(
        'SELECT status, count(*) AS n FROM run_items WHERE run_id = ? GROUP BY status',
        runId,
      );
      expect(byStatus).toEqual([{ status: 'done', n: expected }]);
      const perLead = q<{ lead_id: string; n: number }>(
        'SELECT lead_id, count(*) AS n FROM run_items WHERE run_id = ? GROUP BY lead_id',
        runId,
      );
      expect(perLead.length).toBe(expected);
      expect(perLead.filter((r) => r.n !== 1)).toEqual([]);
      const itemLeads = new Set(perLead.map((r) => r.lead_id));
      expect(members.filter((m) => !itemLeads.has(m.lead_id))).toEqual([]);
      // A traced item points at the provider call whose answer it carries.
      const dangling = one<{ n: number }>(
        `SELECT count(*) AS n FROM run_items i
          WHERE i.run_id = ? AND i.stage = 'skip-trace' AND (i.provider_call_id IS NULL
             OR NOT EXISTS (SELECT 1 FROM provider_calls c
                             WHERE c.id = i.provider_call_id AND c.status IN ('ok', 'no_match')))`,
        runId,
      );
      expect(dangling.n).toBe(0);

      // ---- the report and enriched.csv ----------------------------------------------------
      const report = JSON.parse(readFileSync(summary.report_path, 'utf8')) as {
        totals: { total: number; done: number; failed: number };
      };
      expect(report.totals).toMatchObject({ total: expected, done: expected, failed: 0 });
      expect(summary.totals).toMatchObject({ total: expected, done: expected, failed: 0 });
      const rows = parse(readFileSync(summary.csv_path, 'utf8'), { bom: true, columns: true }) as {
        LeadID: string;
      }[];
      expect(rows.length).toBe(expected);
      const exported = new Map<string, number>();
      for (const r of rows) exported.set(r.LeadID, (exported.get(r.LeadID) ?? 0) + 1);
      expect([...exported.values()].filter((n) => n !== 1)).toEqual([]);
      expect(members.filter((m) => exported.get(m.lead_id) !== 1)).toEqual([]);

      // ---- the sandbox's billing log against provider_calls and spend ----------------------
      const entries = sandbox.billing.entries();
      const billed = sandbox.billing.billedCount();
      const billedPerKey = new Map<string, number>();
      for (const e of entries) {
        expect(e.requestId).not.toBeNull();
        billedPerKey.set(e.requestId!, (billedPerKey.get(e.requestId!) ?? 0) + 1);
      }
      const calls = q<{
        idempotency_key: string;
        generation: number;
        attempts: number;
        status: string;
        error_code: string | null;
        cost_micros: number;
      }>('SELECT idempotency_key, generation, attempts, status, error_code, cost_micros FROM provider_calls');
      const callsByKey = new Map<string, typeof calls>();
      for (const c of calls)
        callsByKey.set(c.idempotency_key, [...(callsByKey.get(c.idempotency_key) ?? []), c]);
      const interrupted = calls.filter((c) => c.error_code === 'interrupted').length;
      const retaken = calls.filter((c) => c.attempts > 1).length;
      // Each HTTP send of a key is preceded by taking its row (insert, or retake: attempts+1),
      // so the sends beyond the first are the attempts beyond the first.
      const extraAttempts = calls.reduce((s, c) => s + c.attempts - 1, 0);
      const spend = one<{ spent: number; reserved: number }>(
        'SELECT coalesce(sum(spent_micros), 0) AS spent, coalesce(sum(reserved_micros), 0) AS reserved FROM spend_days',
      );
      const callCost = calls.reduce((s, c) => s + c.cost_micros, 0);
      const runSpent = one<{ spent: number }>(
        'SELECT spent_micros AS spent FROM runs WHERE run_id = ?',
        runId,
      );
      const unrecorded = [...billedPerKey.keys()].filter((k) => !callsByKey.has(k));
      const overBilled: string[] = [];
      const underCharged: string[] = [];
      for (const [key, times] of billedPerKey) {
        const rowsOfKey = callsByKey.get(key) ?? [];
        const attempts = rowsOfKey.reduce((s, c) => s + c.attempts, 0);
        if (times > attempts) overBilled.push(`${key}: billed ${times}, attempts ${attempts}`);
        const cost = rowsOfKey.reduce((s, c) => s + c.cost_micros, 0);
        if (cost < times * COST_PER_HIT_MICROS) underCharged.push(`${key}: billed ${times}, cost ${cost}`);
      }
      console.log(
        JSON.stringify({
          seed: SEED,
          kills,
          resumes_that_finished_before_their_kill: selfFinished,
          items: expected,
          sandbox_billed: billed,
          sandbox_requests: sandbox.billing.requestCount(),
          distinct_billed_keys: billedPerKey.size,
          keys_billed_more_than_once: [...billedPerKey.values()].filter((n) => n > 1).length,
          provider_call_rows: calls.length,
          interrupted_rows: interrupted,
          rows_with_attempts_gt_1: retaken,
          extra_attempts: extraAttempts,
          max_generation: Math.max(...calls.map((c) => c.generation)),
          billed_usd: (billed * COST_PER_HIT_MICROS) / 1e6,
          spend_days_spent_usd: spend.spent / 1e6,
          provider_calls_cost_usd: callCost / 1e6,
          run_spent_usd: runSpent.spent / 1e6,
          keys_under_charged_in_provider_calls: underCharged.length,
        }),
      );

      // Every billed item has its provider call, no key was sent more often than its row
      // was taken, and the billed count is within unique keys + calls in flight at kills.
      expect(unrecorded, 'billed by the sandbox, absent from provider_calls').toEqual([]);
      expect(overBilled, 'a key billed more often than it was sent').toEqual([]);
      expect(billed).toBeLessThanOrEqual(billedPerKey.size + interrupted + extraAttempts);
      // Spend covers every billed item; nothing is left reserved.
      expect(spend.spent).toBeGreaterThanOrEqual(billed * COST_PER_HIT_MICROS);
      expect(spend.reserved).toBe(0);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM budget_reservations').n).toBe(0);
      expect(one<{ n: number }>("SELECT count(*) AS n FROM provider_calls WHERE status = 'intent'").n).toBe(
        0,
      );
      // The call records carry what was billed: per key, and in total equal to the ledger.
      expect(underCharged, 'a billed item missing from its provider call cost').toEqual([]);
      expect(callCost, 'sum(provider_calls.cost_micros) vs sum(spend_days.spent_micros)').toBe(spend.spent);
      expect(runSpent.spent, 'runs.spent_micros vs sum(spend_days.spent_micros)').toBe(spend.spent);
    } finally {
      db.close();
    }
  }, 240_000);
});
