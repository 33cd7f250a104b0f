/**
 * `leadtrace compliance status | rescrub` as a user runs them (real child processes, one
 * SQLite store, the sandbox): fresh after a run; expired checks (moved into the past in the
 * database: a child process cannot be given a fake clock) are re-checked once; a budget
 * stop exits 2 with the work kept; bad options fail with one line, exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

describe('leadtrace compliance', () => {
  let dir: string;
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        DATABASE_URL: '',
        BATCHDATA_API_KEY: '',
        SANDBOX_HIT_RATE: '1',
        ...env,
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = (args: string[], env: Record<string, string> = {}, status = 0) => {
    const r = cli([...args, '--json'], env);
    expect(r.status, r.stderr).toBe(status);
    return JSON.parse(r.stdout);
  };
  const lastErrorLine = (args: string[]) => {
    const r = cli(args);
    expect(r.status, r.stdout).toBe(1);
    return r.stderr.trim().split('\n').at(-1);
  };
  /** Moves every phone's compliance expiry into the past (what 32 days would do). */
  const expireAll = () => {
    const db = new Database(join(dir, 'lt.db'));
    try {
      return db
        .prepare(
          `update contact_points set compliance_expires_at = '2000-01-01T00:00:00.000Z' where kind = 'phone'`,
        )
        .run().changes;
    } finally {
      db.close();
    }
  };
  const spentToday = () => {
    const db = new Database(join(dir, 'lt.db'), { readonly: true });
    try {
      return (db.prepare('select sum(spent_micros) as s from spend_days').get() as { s: number }).s;
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-compliance-cli-'));
    writeFileSync(
      join(dir, 'leads.csv'),
      [
        'Property Address,City,State,Zip,Owner First Name,Owner Last Name',
        '101 Main St,Springfield,IL,62704,Ann,Lee',
        '202 Oak Ave,Springfield,IL,62704,Bo,Kim',
        '303 Pine Rd,Chicago,IL,60614,Cy,Diaz',
        '404 Elm Dr,Chicago,IL,60614,Di,Fox',
        '505 Cedar Ln,Austin,TX,78701,Ed,Gray',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('status after a run, re-scrub of expired phones, budget stop exit 2, free second re-scrub', () => {
    expect(json(['run', join(dir, 'leads.csv'), '--list-name', 'five']).status).toBe('completed');
    const fresh = json(['compliance', 'status']);
    expect(fresh.phones).toBeGreaterThan(0);
    expect(fresh).toMatchObject({ fresh: fresh.phones, expired: 0, never_checked: 0, to_rescrub: 0 });

    expect(expireAll()).toBe(fresh.phones);
    const expired = json(['compliance', 'status', '--list', 'five']);
    expect(expired).toMatchObject({ fresh: 0, expired: fresh.phones, to_rescrub: fresh.numbers });

    // No room left in today's budget: stops before paying anything, exit 2.
    const cap = (spentToday() / 1_000_000).toFixed(6);
    const stopped = cli(['compliance', 'rescrub', '--json'], { SKIP_TRACE_DAILY_BUDGET_USD: cap });
    expect(stopped.status, stopped.stderr).toBe(2);
    expect(JSON.parse(stopped.stdout)).toMatchObject({
      status: 'paused',
      reason: 'daily_budget',
      fresh: 0,
      cost_usd: 0,
    });
    expect(stopped.stderr.trim().split('\n').at(-1)).toBe(
      'rescrub paused (daily_budget); what was checked is kept: run it again to continue',
    );

    const done = json(['compliance', 'rescrub', '--list', 'five']);
    expect(done).toMatchObject({
      status: 'completed',
      providers: ['batchdata-phone-dnc', 'batchdata-phone-tcpa'],
      numbers: fresh.numbers,
      fresh: fresh.numbers,
      incomplete: 0,
      cost_usd: (fresh.numbers * 4_000) / 1_000_000,
    });
    const text = cli(['compliance', 'status']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`fresh ${fresh.phones} | expired 0 | never checked 0`);
    expect(text.stdout).toContain('to re-scrub: 0 numbers\n');

    const again = cli(['compliance', 'rescrub']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('rescrub completed: 0 numbers, 0 now fresh, 0 still expired');
    expect(again.stdout).toContain('spent $0.00');
  });

  it('fails with one readable line on bad options', () => {
    expect(lastErrorLine(['compliance', 'rescrub', '--limit', '0'])).toBe(
      'error: bad --limit "0": expected a whole number of at least 1',
    );
    expect(lastErrorLine(['compliance', 'status', '--list', 'nope'])).toBe(
      'error: no list "nope" (see leadtrace lists ls)',
    );
    expect(lastErrorLine(['compliance', 'rescrub', '--providers', 'twilio-lookup'])).toBe(
      'error: provider "twilio-lookup" does not check DNC/TCPA lists (use one of: batchdata-phone-verification, batchdata-phone-dnc, batchdata-phone-tcpa)',
    );
  });
});
