/**
 * `leadtrace lists | leads | queries` as a user runs them (real child processes on one
 * SQLite store): build two stacked lists from CSVs, page through leads, move one through
 * its lifecycle, save and run a query, delete a list; failures are one line, exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/leadtrace.js');

describe('leadtrace lists, leads and queries', () => {
  let dir: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        DATABASE_URL: '',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = (...args: string[]) => {
    const r = cli(...args, '--json');
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  /** The last stderr line of a failed command (exit 1). */
  const failure = (...args: string[]) => {
    const r = cli(...args);
    expect(r.status, r.stdout).toBe(1);
    return r.stderr.trim().split('\n').at(-1);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-lists-cli-'));
    writeFileSync(
      join(dir, 'a.csv'),
      [
        'Property Address,City,State,Zip,Owner First Name,Owner Last Name',
        '101 Main Street,Springfield,IL,62704,Ann,Lee',
        '202 Oak Ave,Springfield,IL,62704,Bo,Kim',
        '303 Pine Rd,Chicago,IL,60614,Cy,Diaz',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'b.csv'),
      [
        'Property Address,City,State,Zip,Owner First Name,Owner Last Name',
        '101 MAIN ST,Springfield,IL,62704,Ann,Lee',
        '303 Pine Road,Chicago,IL,60614,Cy,Diaz',
        '909 Park Pl,Tampa,FL,33602,Ira,Kent',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds stacked lists, pages leads, runs the lifecycle, saves a query and deletes a list', () => {
    const a = json(
      'lists',
      'create',
      'Springfield',
      '--description',
      'absentee owners',
      '--filters',
      '{"state":"IL"}',
    );
    expect(a).toMatchObject({
      name: 'Springfield',
      description: 'absentee owners',
      filters: { state: 'IL' },
    });
    expect(failure('lists', 'create', 'Springfield')).toBe(
      `error: a list named "Springfield" already exists (${a.id})`,
    );
    expect(failure('lists', 'create', 'X', '--filters', '[1]')).toBe(
      'error: bad --filters: expected a JSON object',
    );
    expect(json('lists', 'import', 'Springfield', join(dir, 'a.csv'))).toMatchObject({
      list_id: a.id,
      rows: 3,
      created: 3,
      added_to_list: 3,
    });
    json('lists', 'create', 'Mixed');
    expect(json('lists', 'import', 'Mixed', join(dir, 'b.csv'))).toMatchObject({
      rows: 3,
      created: 1,
      duplicates: 2,
      added_to_list: 3,
    });

    const lists = json('lists', 'ls');
    expect(lists.map((l: { name: string; stats: object }) => [l.name, l.stats])).toEqual([
      [
        'Springfield',
        expect.objectContaining({ total: 3, queued: 3, enriched: 0, contacted: 0, stacked: 2 }),
      ],
      ['Mixed', expect.objectContaining({ total: 3, queued: 3, with_phone: 0, with_email: 0, stacked: 2 })],
    ]);
    const shown = cli('lists', 'show', 'Mixed');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(
      '3 leads | 0 enriched | 3 queued | 0 contacted | 0 with a phone | 0 with an email | 2 also on other lists',
    );

    const stacked = json('leads', '--min-stack', '2');
    expect(stacked.total_matching).toBe(2);
    expect(stacked.leads.map((l: { address_line1: string }) => l.address_line1)).toEqual([
      '101 MAIN ST',
      '303 PINE RD',
    ]);

    const first = json('leads', '--limit', '3');
    expect(first).toMatchObject({ total_matching: 4, count: 3 });
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = json('leads', '--limit', '3', '--cursor', first.next_cursor);
    expect(second).toMatchObject({ count: 1, next_cursor: null });
    expect(second.leads[0].address_line1).toBe('909 PARK PL');
    expect(failure('leads', '--limit', '501')).toBe(
      'error: limit 501 is over the maximum page of 500: page with the cursor instead',
    );
    expect(failure('leads', '--state', 'IL', '--cursor', first.next_cursor)).toBe(
      'error: bad cursor: it continues a different selection (use the same filters as the first page)',
    );

    const lead = stacked.leads[0].id as string;
    expect(cli('leads', 'activity', lead, 'call', '--outcome', 'voicemail').stdout).toMatch(
      /^logged call on lead \S+ at \S+; status -> contacted\n$/,
    );
    expect(json('leads', 'status', lead, 'qualified')).toEqual({
      lead_id: lead,
      from: 'contacted',
      to: 'qualified',
      changed: true,
    });
    expect(failure('leads', 'status', lead, 'new')).toBe(
      `error: lead ${lead} is qualified: it cannot become new (from qualified: closed, lost)`,
    );
    expect(cli('leads', 'tag', lead, 'hot', 'Probate').stdout).toBe(`lead ${lead}: 2 tags added\n`);
    expect(cli('leads', 'untag', lead, 'probate').stdout).toBe(`lead ${lead}: 1 tag removed\n`);
    const detail = json('leads', 'show', lead);
    expect(detail.lead.status).toBe('qualified');
    expect(detail.tags).toEqual(['hot']);
    expect(detail.lists.map((l: { name: string }) => l.name)).toEqual(['Springfield', 'Mixed']);
    expect(detail.activities.map((x: { kind: string; outcome: string }) => [x.kind, x.outcome])).toEqual([
      ['status', 'contacted->qualified'],
      ['status', 'new->contacted'],
      ['call', 'voicemail'],
    ]);

    expect(cli('queries', 'save', 'stacked-il', '--min-stack', '2', '--state', 'il').stdout).toBe(
      'saved query "stacked-il": {"state":["IL"],"minStack":2}\n',
    );
    expect(json('queries', 'ls').map((q: { name: string }) => q.name)).toEqual([
      'sms-ready',
      'high-value',
      'stacked-il',
    ]);
    expect(
      json('leads', '--query', 'stacked-il', '--status', 'new').leads.map((l: { id: string }) => l.id),
    ).toEqual([stacked.leads[1].id]);
    expect(json('leads', '--query', 'sms-ready').total_matching).toBe(0);
    expect(failure('leads', '--query', 'nope')).toBe(
      'error: no saved query "nope" (see leadtrace queries ls)',
    );
    expect(failure('leads', '--distress', 'haunted')).toMatch(/^error: bad filters: distress\.0: /);

    expect(failure('lists', 'delete', 'Springfield')).toBe(
      'error: deleting a list removes its leads that are on no other list; confirm with --yes',
    );
    expect(json('lists', 'delete', 'Springfield', '--yes')).toEqual({
      list_id: a.id,
      memberships: 3,
      leads_deleted: 1,
    });
    const left = json('leads');
    expect(
      left.leads.map((l: { address_line1: string; stack_count: number }) => [l.address_line1, l.stack_count]),
    ).toEqual([
      ['101 MAIN ST', 1],
      ['303 PINE RD', 1],
      ['909 PARK PL', 1],
    ]);
    expect(failure('lists', 'show', 'Springfield')).toBe(
      'error: no list "Springfield" (see leadtrace lists ls)',
    );
  }, 300_000);
});
