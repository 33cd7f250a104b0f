/**
 * The CLI as a user runs it (a real child process): the main job on the sample, the
 * free second run, and one readable error line with a non-zero exit for bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

describe('leadtrace CLI', () => {
  let dir: string;
  const env = () => ({
    ...process.env,
    SQLITE_DB_PATH: join(dir, 'lt.db'),
    RUN_REPORTS_DIR: join(dir, 'reports'),
    BATCHDATA_API_KEY: '',
  });
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
      timeout: 120_000,
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the sample, then runs it again for free', () => {
    const quote = cli('estimate', 'samples/leads.csv', '--json');
    expect(quote.status, quote.stderr).toBe(0);
    expect(JSON.parse(quote.stdout)).toMatchObject({
      rows: 609,
      rejected: 6,
      new_leads: 578,
      cached: 0,
      need_vendor: 578,
    });
    const first = cli('run', 'samples/leads.csv', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('using the built-in vendor sandbox');
    const summary = JSON.parse(first.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.totals.provider_calls).toBeGreaterThan(0);
    expect(existsSync(summary.report_path)).toBe(true);
    expect(existsSync(summary.csv_path)).toBe(true);
    const report = JSON.parse(readFileSync(summary.report_path, 'utf8'));
    expect(Object.keys(report)).toEqual([
      'run_id',
      'source_label',
      'started_at',
      'finished_at',
      'duration_s',
      'totals',
      'hit_rate',
      'cache_hit_ratio',
      'budgets',
      'errors',
      'samples',
      'sanitized_retries',
    ]);
    expect(report.sanitized_retries.attempted).toBeGreaterThan(0);
    expect(report.sanitized_retries.won).toBeGreaterThan(0);
    expect(report.sanitized_retries.won).toBeLessThanOrEqual(report.sanitized_retries.attempted);

    const second = cli('run', 'samples/leads.csv', '--json');
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.totals.provider_calls).toBe(0);
    expect(again.totals.cost_usd).toBe(0);
    expect(again.cache_hit_ratio).toBe(1);

    const after = JSON.parse(cli('estimate', 'samples/leads.csv', '--json').stdout);
    expect(after).toMatchObject({
      new_leads: 0,
      already_known: 578,
      cached: 578,
      need_vendor: 0,
      expected_usd: 0,
      worst_case_usd: 0,
    });

    const status = cli('status', again.run_id, '--json');
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      run_id: again.run_id,
      status: 'completed',
      queued: 0,
      failed: 0,
    });
  });

  it('asks before a run whose worst case is over the remaining budget; without a terminal it needs --yes', () => {
    const path = join(dir, 'quote.csv');
    writeFileSync(
      path,
      ['Property Address,City,State,Zip', '1 Quote St,Austin,TX,78701', '2 Quote St,Austin,TX,78701'].join(
        '\n',
      ),
    );
    const r = spawnSync(process.execPath, [BIN, 'run', path, '--confirm-over', '0.10'], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^quote: 2 leads to trace: 0 cached \(free\), 2 need the vendor; /m);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^error: run run_\S+ not started: worst case \$0\.14 is over \$0\.10; confirm with --yes, or start it later with: leadtrace resume run_\S+$/,
    );
    const ok = spawnSync(process.execPath, [BIN, 'run', path, '--confirm-over', '0.10', '--yes', '--json'], {
      cwd: ROOT,
      env: env(),
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('fails with one readable line for a missing file', () => {
    const r = cli('run', join(dir, 'nope.csv'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`error: file not found: ${join(dir, 'nope.csv')}`);
  });

  it('fails with one readable line for a file that is not CSV', () => {
    const path = join(dir, 'image.csv');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0x00, 0xff]));
    const r = cli('run', path);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: not a CSV file: /);
  });

  it('fails with one readable line for a CSV without an address column', () => {
    const path = join(dir, 'noaddr.csv');
    writeFileSync(path, 'Name,Color\nAnn,red\n');
    const r = cli('run', path);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: no address column in .*noaddr\.csv/);
  });

  it('rejects bad rows into rejected.csv and keeps the good ones', () => {
    const path = join(dir, 'mixed.csv');
    writeFileSync(
      path,
      [
        'Property Address,City,State,Zip',
        '12 Oak St,Austin,TX,78701',
        '14 Oak St,Austin,ZZ,78701',
        '16 Oak St,Austin,TX,ABCDE',
        '18 Oak St,Austin,TX,78701',
      ].join('\n'),
    );
    const r = cli('run', path, '--json');
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.import).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    const rejected = readFileSync(summary.import.rejected_path, 'utf8').trim().split('\n');
    expect(rejected[0]).toBe('row,field,reason');
    expect(rejected[1]).toMatch(/^2,state,/);
    expect(rejected[2]).toMatch(/^3,zip,/);
  });

  it('fails on a bad configuration value, naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, 'status'], {
      cwd: ROOT,
      env: { ...env(), SKIP_TRACE_RPS: 'fast' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: invalid SKIP_TRACE_RPS="fast": /);
  });

  it('normalizes JSON lines', () => {
    const path = join(dir, 'in.jsonl');
    writeFileSync(
      path,
      '{"street":"123 n. main street apt 4","city":"springfield","state":"Illinois","zip":"62704-1234"}\n{"nothing":1}\n',
    );
    const r = cli('normalize', path);
    expect(r.status).toBe(1);
    const [line] = r.stdout.trim().split('\n');
    const out = JSON.parse(line!);
    expect(out).toMatchObject({
      line1: '123 N MAIN ST',
      line2: 'APT 4',
      city: 'SPRINGFIELD',
      state: 'IL',
      zip5: '62704',
      zip4: '1234',
    });
    expect(out.input_signature).toMatch(/^[0-9a-f]{64}$/);
    expect(out.sanitized_signature).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stderr).toMatch(/^line 2: /m);
  });
});

describe('leadtrace providers parse', () => {
  const parse = (file: string) =>
    spawnSync(
      process.execPath,
      [BIN, 'providers', 'parse', 'batchdata', join(ROOT, 'test/fixtures/batchdata', file)],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
  it('prints what the parser reads from a saved body', () => {
    const r = parse('v3-hit.json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.matched).toBe(true);
    expect(out.billable_units).toBe(1);
    expect(Object.keys(out.persons[0])).toEqual(['name', 'phones', 'emails']);
    expect(Object.keys(out.persons[0].phones[0])).toEqual([
      'e164',
      'type',
      'dnc',
      'tcpa',
      'litigator',
      'score',
      'carrier',
    ]);
  });
  it('exits 3 with the reason on an unknown shape', () => {
    const r = parse('drift.json');
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toMatch(/^error: unrecognized response shape: /);
  });
});
