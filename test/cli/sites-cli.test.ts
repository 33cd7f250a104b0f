/**
 * `leadtrace sites …` as a user runs it (a real child process, the built-in sandbox for
 * Hunter): add, import, link, enrich with filters, contacts masked and revealed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

describe('leadtrace sites', () => {
  let dir: string;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'sites', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        DATABASE_URL: '',
        HUNTER_API_KEY: '',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-sites-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function insertLead(id: string, ownerType: string, company: string | null): Promise<void> {
    const store = await openStore({ sqlitePath: join(dir, 'lt.db') });
    try {
      await store.db
        .insertInto('leads')
        .values({
          id,
          account_id: LOCAL_ACCOUNT_ID,
          source: 'test',
          owner_type: ownerType,
          owner_company: company,
          status: 'new',
          enrichment_status: 'pending',
          first_seen_at: '2026-11-25T00:00:00.000Z',
          last_seen_at: '2026-11-25T00:00:00.000Z',
        })
        .execute();
    } finally {
      await store.close();
    }
  }

  it('adds, imports, links, enriches and shows contacts', async () => {
    const add = cli('add', 'https://www.Alpha.example.com/', '--name', 'Alpha Holdings LLC');
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toBe('added alpha.example.com (Alpha Holdings LLC)\n');

    writeFileSync(join(dir, 'sites.csv'), 'domain,name\nbravo.example.com,Bravo Inc\nnope,Nope\n');
    const imported = cli('import', join(dir, 'sites.csv'));
    expect(imported.status).toBe(1);
    expect(imported.stdout).toBe('2 rows: 1 new, 0 already known, 1 rejected; linked 0 leads\n');
    expect(imported.stderr).toBe('row 2: not a domain name: "nope"\n');

    await insertLead('lead-bravo', 'corporate', 'BRAVO, INC.');
    await insertLead('lead-person', 'individual', null);
    const auto = cli('link', '--auto');
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stdout).toBe('linked 1 leads\n');
    const refused = cli('link', 'lead-person', 'alpha.example.com');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'error: lead lead-person is owned by individual; only llc or corporate-owned leads link to a company site\n',
    );

    const bad = cli('enrich', '--all-pending', '--seniority', 'boss');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error: unknown seniority boss \(use junior, senior, executive\)\n$/);

    const enrich = cli(
      'enrich',
      '--domains',
      'alpha.example.com,bravo.example.com',
      '--type',
      'personal',
      '--limit',
      '5',
      '--json',
    );
    expect(enrich.status, enrich.stderr).toBe(0);
    const summary = JSON.parse(enrich.stdout);
    expect(summary).toMatchObject({
      status: 'completed',
      total: 2,
      failed: 0,
      contacts_updated: 0,
      provider_calls: 2,
      error: null,
    });
    expect(summary.done).toBe(2);
    expect(enrich.stderr).toMatch(/\[1\/2\] alpha\.example\.com enriched: \d+ new, 0 updated\n/);
    expect(enrich.stderr).toMatch(/\[2\/2\] bravo\.example\.com enriched: \d+ new, 0 updated\n/);

    const ls = cli('ls', '--json');
    expect(ls.status, ls.stderr).toBe(0);
    const sites = JSON.parse(ls.stdout) as { domain: string; enrichment_status: string; contacts: number }[];
    expect(sites.map((s) => [s.domain, s.enrichment_status])).toEqual([
      ['alpha.example.com', 'enriched'],
      ['bravo.example.com', 'enriched'],
    ]);
    expect(sites.reduce((n, s) => n + s.contacts, 0)).toBe(summary.contacts_added);

    const masked = JSON.parse(cli('contacts', 'alpha.example.com', '--json').stdout);
    const revealed = JSON.parse(cli('contacts', 'alpha.example.com', '--json', '--reveal').stdout);
    expect(masked.contacts).toHaveLength(sites[0]!.contacts);
    for (const c of masked.contacts) {
      expect(c.email).toBe('…@alpha.example.com');
      expect(c.type).toBe('personal');
    }
    for (const c of revealed.contacts) expect(c.email).toMatch(/^[a-z0-9.]+@alpha\.example\.com$/);

    // Enriching the same sites again refreshes, never duplicates.
    const again = JSON.parse(
      cli(
        'enrich',
        '--domains',
        'alpha.example.com,bravo.example.com',
        '--type',
        'personal',
        '--limit',
        '5',
        '--json',
      ).stdout,
    );
    expect(again).toMatchObject({ contacts_added: 0, contacts_updated: summary.contacts_added });
  }, 180_000); // a dozen processes, each starting tsx: slow on a shared machine

  it('the next enrich finds a job whose process died, fails it and hands its site to --retry-errors', async () => {
    expect(cli('add', 'charlie.example.com').status).toBe(0);
    // What a process killed mid-search leaves: its job running, its site enriching.
    const store = await openStore({ sqlitePath: join(dir, 'lt.db') });
    try {
      const site = await store.db
        .selectFrom('sites')
        .select('id')
        .where('domain', '=', 'charlie.example.com')
        .executeTakeFirstOrThrow();
      await store.db
        .insertInto('jobs')
        .values({
          id: 'job-dead',
          account_id: LOCAL_ACCOUNT_ID,
          type: 'enrichment',
          config_json: JSON.stringify({ site_ids: [site.id], filters: {} }),
          status: 'running',
          progress_json: JSON.stringify({
            total: 1,
            done: 0,
            failed: 0,
            contacts_added: 0,
            contacts_updated: 0,
          }),
          error: null,
          created_at: '2026-11-25T00:00:00.000Z',
          started_at: '2026-11-25T00:00:00.000Z',
          finished_at: null,
          owner: `${hostname()}:2147483646:1`,
          lease_expires_at: '2999-01-01T00:00:00.000Z',
        })
        .execute();
      await store.db
        .updateTable('sites')
        .set({ enrichment_status: 'enriching' })
        .where('id', '=', site.id)
        .execute();
    } finally {
      await store.close();
    }
    const retry = cli('enrich', '--retry-errors', '--json');
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stderr).toContain(
      'job job-dead was interrupted (its process ended): marked failed, 1 site(s) set to error for --retry-errors\n',
    );
    expect(JSON.parse(retry.stdout)).toMatchObject({ status: 'completed', total: 1, done: 1, failed: 0 });
  }, 60_000);
});
