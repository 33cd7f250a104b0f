/**
 * `leadtrace providers scorecard` as a user runs it (a real child process over a real SQLite
 * file): [] on an empty store, then exact rows in JSON and as a table after calls are
 * recorded, and one readable error line for bad options.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { insertCallIntents } from '../../src/store/repos/provider-calls.js';
import { testCipher } from '../helpers/stores.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');
const AT = '2026-11-20T10:00:00.000Z';

describe('leadtrace providers scorecard', () => {
  let dir: string;
  const dbPath = () => join(dir, 'lt.db');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'providers', 'scorecard', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQLITE_DB_PATH: dbPath(),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        DATABASE_URL: '',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-scorecard-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Two TX leads traced by `alpha` (one hit, contactable through its phone), one IL miss by `beta`. */
  async function recordCalls(): Promise<void> {
    const store = await openStore({ sqlitePath: dbPath() });
    const cipher = testCipher();
    try {
      const lead = (id: string, state: string, quality: string | null) => ({
        id,
        account_id: LOCAL_ACCOUNT_ID,
        source: 'csv',
        state,
        owner_type: 'individual',
        quality_status: quality,
        status: 'new',
        enrichment_status: 'completed',
        first_seen_at: AT,
        last_seen_at: AT,
      });
      await store.db
        .insertInto('leads')
        .values([lead('L1', 'TX', 'contactable'), lead('L2', 'TX', null), lead('L3', 'IL', 'enriched')])
        .execute();
      const phone = '+13125550142';
      await store.db
        .insertInto('contact_points')
        .values({
          id: 'cp1',
          account_id: LOCAL_ACCOUNT_ID,
          lead_id: 'L1',
          kind: 'phone',
          value_enc: cipher.encrypt(phone),
          value_hash: cipher.blindIndex('phone', phone),
          value_hint: '0142',
          type: 'mobile',
          is_primary: 1,
          verified: 1,
          dnc: 0,
          tcpa: 0,
          litigator: 0,
          source_provider: 'alpha',
          first_seen_at: AT,
          last_seen_at: AT,
        })
        .execute();
      const call = (
        id: string,
        provider: string,
        leadId: string,
        status: 'ok' | 'no_match',
        cost: number,
      ) => ({
        id,
        account_id: LOCAL_ACCOUNT_ID,
        provider,
        idempotency_key: `key-${leadId}`,
        generation: 0,
        lead_id: leadId,
        attempt_reason: 'primary',
        attempts: 1,
        request_json: '{}',
        status,
        billable_units: status === 'ok' ? 1 : 0,
        cost_micros: cost,
        created_at: AT,
      });
      await insertCallIntents(store.db, [
        call('c1', 'alpha', 'L1', 'ok', 70_000),
        call('c2', 'alpha', 'L2', 'no_match', 0),
        call('c3', 'beta', 'L3', 'no_match', 2_500),
      ]);
    } finally {
      await store.close();
    }
  }

  it('prints [] on an empty store, then one row per provider (and segment)', async () => {
    const empty = cli('--json');
    expect(empty.status, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect(cli().stdout).toBe('no provider calls yet\n');

    await recordCalls();
    const overall = cli('--json');
    expect(overall.status, overall.stderr).toBe(0);
    expect(JSON.parse(overall.stdout)).toEqual([
      {
        provider: 'alpha',
        by: null,
        segment: null,
        calls: 2,
        hits: 1,
        hit_rate: 0.5,
        errors: 0,
        error_rate: 0,
        leads: 2,
        contactable_leads: 1,
        cost_usd: 0.07,
        cost_per_hit_usd: 0.07,
        cost_per_contactable_usd: 0.07,
      },
      {
        provider: 'beta',
        by: null,
        segment: null,
        calls: 1,
        hits: 0,
        hit_rate: 0,
        errors: 0,
        error_rate: 0,
        leads: 1,
        contactable_leads: 0,
        cost_usd: 0.0025,
        cost_per_hit_usd: null,
        cost_per_contactable_usd: null,
      },
    ]);

    const byState = cli('--by', 'state', '--json');
    expect(byState.status, byState.stderr).toBe(0);
    expect(
      JSON.parse(byState.stdout).map((r: Record<string, unknown>) => [
        r.provider,
        r.segment,
        r.calls,
        r.hits,
      ]),
    ).toEqual([
      ['alpha', 'TX', 2, 1],
      ['beta', 'IL', 1, 0],
    ]);

    expect(cli('--since', '2026-11-21', '--json').stdout.trim()).toBe('[]');

    const table = cli('--by', 'state');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toBe(
      [
        'provider  state  calls  hits  hit rate     cost  per hit  per contactable  errors  contactable',
        'alpha     TX         2     1     50.0%    $0.07    $0.07            $0.07    0.0%            1',
        'beta      IL         1     0      0.0%  $0.0025        -                -    0.0%            0',
        '',
      ].join('\n'),
    );
  });

  it('rejects a bad --by or --since with one readable line', () => {
    const by = cli('--by', 'zip');
    expect(by.status).toBe(1);
    expect(by.stderr).toBe('error: --by must be one of state, owner_type, got "zip"\n');
    const since = cli('--since', 'last week');
    expect(since.status).toBe(1);
    expect(since.stderr).toBe('error: --since is not an ISO-8601 time: "last week"\n');
  });
});
