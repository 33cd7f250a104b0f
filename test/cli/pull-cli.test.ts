/**
 * `leadtrace pull` as a user runs it (a real child process, the built-in sandbox): count,
 * a paid full pull, the free re-run, an ids pull of the same search, and one readable error
 * line with a non-zero exit for bad input and for a vendor failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

describe('leadtrace pull (CLI)', () => {
  let dir: string;
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    SQLITE_DB_PATH: join(dir, 'lt.db'),
    RUN_REPORTS_DIR: join(dir, 'reports'),
    BATCHDATA_API_KEY: '',
    REALESTATEAPI_API_KEY: '',
    REALESTATEAPI_BASE_URL: '',
    REALESTATEAPI_COST_PER_CREDIT_USD: '0.01',
    ...extra,
  });
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, 'pull', ...args], {
      cwd: ROOT,
      env: env(extra),
      encoding: 'utf8',
      timeout: 120_000,
    });
  const json = (args: string[]) => {
    const r = cli([...args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-pull-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts for free, pulls in full once, and the same pull again costs nothing', () => {
    const count = json(['--zip', '85001', '--mode', 'count']);
    const total = count.total as number;
    expect(total).toBeGreaterThan(200);
    expect(count).toMatchObject({
      mode: 'count',
      pages_fetched: 1,
      new_leads: 0,
      known: 0,
      stopped_reason: 'count_only',
      list_id: null,
      cost_usd: 0,
    });
    // The documented keys come first, in this order.
    expect(Object.keys(count).slice(0, 8)).toEqual([
      'mode',
      'total',
      'pages_fetched',
      'new_leads',
      'known',
      'stopped_reason',
      'list_id',
      'cost_usd',
    ]);

    const full = json(['--zip', '85001', '--mode', 'full', '--page-size', '200', '--list', 'phoenix']);
    expect(full).toMatchObject({
      mode: 'full',
      total,
      pages_fetched: 1 + Math.ceil(total / 200),
      new_leads: total,
      known: 0,
      stopped_reason: 'complete',
      cost_usd: total / 100,
      records_billed: total,
    });
    expect(full.list_id).toMatch(/^[0-9a-f-]{36}$/);

    const again = json(['--zip', '85001', '--mode', 'full']);
    expect(again).toMatchObject({
      total,
      pages_fetched: 1,
      new_leads: 0,
      known: total,
      stopped_reason: 'complete',
      list_id: null,
      cost_usd: 0,
    });

    // Same search, other spelling, ids mode: every id is known.
    const ids = json(['--zip', '85001-0000', '--mode', 'ids', '--list', 'phoenix']);
    expect(ids).toMatchObject({ pages_fetched: 1, new_leads: 0, known: total, cost_usd: 0 });
    expect(ids.queries[0].query_sig).toBe(full.queries[0].query_sig);
  }, 120_000);

  it('prints a short summary without --json', () => {
    const r = cli(['--zip', '85002', '--mode', 'ids']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ids: \d+ properties match \(1 vendor request\)$/);
    expect(lines[1]).toMatch(/^leads: \d+ new, 0 updated, 0 already known$/);
    expect(lines[2]).toMatch(/^list: [0-9a-f-]{36}$/);
    expect(lines[3]).toBe('cost: $0.00 (0 records billed)');
    expect(lines[4]).toBe('stopped: complete');
  });

  it.each([
    [[], 'error: a search needs a ZIP, a city or a state'],
    [
      ['--zip', '85001', '--filter', 'size=5'],
      'error: "size" is not a filter: use --zip/--city/--state/--sort, paging is the pull\'s own',
    ],
    [['--zip', '85001', '--filter', 'vacant'], 'error: filter must be key=value; got "vacant"'],
    [['--zip', 'abc'], 'error: not a ZIP code: "abc"'],
    [['--state', 'Atlantis'], 'error: unknown state: "Atlantis"'],
    [['--zip', '85001', '--mode', 'all'], 'error: --mode must be one of count, ids, full; got "all"'],
    [
      ['--zip', '85001', '--max-records', 'ten'],
      'error: --max-records must be a positive integer; got "ten"',
    ],
    [
      ['--zip', '85001', '--mode', 'full', '--page-size', '500'],
      'error: --page-size must be an integer from 1 to 250',
    ],
  ])('refuses %j with one line and exit 1', (args, line) => {
    const r = cli(args);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(line);
  });

  it('a vendor failure prints what was stored, then one error line, exit 1', () => {
    const r = cli(['--zip', '85001', '--mode', 'full', '--json'], {
      REALESTATEAPI_API_KEY: 'real-looking-key',
      REALESTATEAPI_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      pages_fetched: 1,
      new_leads: 0,
      stopped_reason: 'vendor_error',
      cost_usd: 0,
    });
    const last = r.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^error: vendor error \(network\): /);
    expect(last).not.toContain('real-looking-key');
  });
});
