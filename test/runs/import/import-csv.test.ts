/**
 * importCsv end to end on a real store: every outcome (created, duplicate by each key,
 * rejected), the rows and memberships it leaves, and that none of that depends on the
 * dialect, the batch and commit sizes, the SQLite prepared-statement path or the parser
 * thread. The expected counts were taken from the import before it was made fast.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, type ImportOptions } from '../../../src/runs/import/import-csv.js';
import { ImportError } from '../../../src/runs/import/errors.js';
import { LOCAL_ACCOUNT_ID } from '../../../src/store/repos/accounts.js';
import { ManualClock } from '../../helpers/clock.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../../helpers/stores.js';
import { trickyCsv } from './tricky-csv.js';

const pgOk = await postgresAvailable();

let dir: string;
let csv: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leadtrace-import-'));
  csv = join(dir, 'tricky.csv');
  writeFileSync(csv, trickyCsv(3000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What two imports of the file (into two lists) leave behind, ids replaced by creating row. */
async function importTwice(store: TestStore, options: Partial<ImportOptions> = {}) {
  const clock = new ManualClock();
  const run = (listName: string) =>
    importCsv({
      db: store.db,
      accountId: LOCAL_ACCOUNT_ID,
      clock,
      path: csv,
      listName,
      rejectedPath: join(dir, `${listName}-${Math.random().toString(36).slice(2)}.csv`),
      ...options,
    });
  const first = await run('first');
  const second = await run('second');
  const byRow = new Map<string, string>();
  const members = async (listId: string) => {
    const rows = await store.db
      .selectFrom('list_members')
      .selectAll()
      .where('list_id', '=', listId)
      .orderBy('row_number')
      .execute();
    for (const m of rows) if (!byRow.has(m.lead_id)) byRow.set(m.lead_id, `row ${m.row_number}`);
    return rows.map((m) => ({ lead: byRow.get(m.lead_id), row: m.row_number, input: m.input_row_json }));
  };
  const firstMembers = await members(first.listId);
  const secondMembers = await members(second.listId);
  const leads = (await store.db.selectFrom('leads').selectAll().execute())
    .map(({ id, first_seen_at: _f, last_seen_at: _l, ...rest }) => ({ ...rest, id: byRow.get(id) }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const summary = (s: typeof first) => ({
    ...s,
    listId: undefined,
    parserThreadFrom: undefined,
    rejectedPath: s.rejectedPath ? readFileSync(s.rejectedPath, 'utf8') : null,
    leadIds: s.leadIds.map((id) => byRow.get(id)),
  });
  return { first: summary(first), second: summary(second), firstMembers, secondMembers, leads };
}

type Snapshot = Awaited<ReturnType<typeof importTwice>>;

async function withStore<T>(dialect: (typeof DIALECTS)[number], f: (s: TestStore) => Promise<T>) {
  const store = await openTestStore(dialect);
  try {
    return await f(store);
  } finally {
    await store.dispose();
  }
}

describe('importCsv outcomes', () => {
  let sqlite: Snapshot;
  beforeAll(async () => {
    sqlite = await withStore('sqlite', (s) => importTwice(s));
  });

  it('counts every outcome as before', () => {
    expect(sqlite.first).toMatchObject({
      rows: 3031,
      created: 2011,
      duplicates: 370,
      duplicatesBy: { vendor_record_id: 71, apn: 187, mak: 91, address_key: 21 },
      rejected: 650,
      unmapped: ['Notes', 'Notes'],
    });
    expect(sqlite.second).toMatchObject({ rows: 3031, created: 0, duplicates: 2381, rejected: 650 });
    expect(sqlite.leads).toHaveLength(2011);
    expect(sqlite.firstMembers).toHaveLength(2011);
    expect(sqlite.first.rejectedPath?.split('\n')[0]).toBe('row,field,reason');
  });

  it.skipIf(!pgOk)('leaves the same leads, memberships and rejections on PostgreSQL', async () => {
    const postgres = await withStore('postgres', (s) => importTwice(s));
    expect(postgres).toEqual(sqlite);
  });

  it('does not depend on batch or commit size', async () => {
    const small = await withStore('sqlite', (s) => importTwice(s, { batchSize: 7, commitRows: 1 }));
    expect(small).toEqual(sqlite);
    const large = await withStore('sqlite', (s) => importTwice(s, { batchSize: 5000, commitRows: 50_000 }));
    expect(large).toEqual(sqlite);
  });

  it('writes the same rows through Kysely as through prepared statements', async () => {
    // A Kysely instance that openStore did not return has no raw connection: the generic path.
    const viaKysely = await withStore('sqlite', (s) => importTwice({ ...s, db: s.db.withoutPlugins() }));
    expect(viaKysely).toEqual(sqlite);
  });

  it('does not depend on where the file is parsed', async () => {
    const parallel = await withStore('sqlite', (s) => importTwice(s, { parallel: true, batchSize: 50 }));
    expect(parallel).toEqual(sqlite);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`importCsv failures on ${dialect}`, () => {
    it('commits the whole batches read before a malformed row', async () => {
      const rows = Array.from({ length: 57 }, (_, i) => `${i + 1} Oak Ave,Austin,TX,78701`);
      const path = join(dir, `malformed-${dialect}.csv`);
      writeFileSync(path, ['Address,City,State,Zip', ...rows, '"58 Oak Ave,Austin,TX,78701'].join('\n'));
      await withStore(dialect, async (store) => {
        const err = await importCsv({
          db: store.db,
          accountId: LOCAL_ACCOUNT_ID,
          clock: new ManualClock(),
          path,
          listName: 'bad',
          rejectedPath: join(dir, 'bad-rejected.csv'),
          batchSize: 10,
          commitRows: 20,
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ImportError);
        expect((err as ImportError).code).toBe('malformed_csv');
        // Whole batches only. Which ones were read before the error is timing on PostgreSQL
        // (records the parser buffered when it failed are dropped); on SQLite all five are.
        const stored = (await store.db.selectFrom('leads').select('id').execute()).length;
        expect(stored % 10).toBe(0);
        if (dialect === 'sqlite') expect(stored).toBe(50);
      });
    });

    it('rolls back only the open transaction when storing fails, and leaves the store usable', async () => {
      const rows = Array.from({ length: 57 }, (_, i) => `${i + 1} Oak Ave,Austin,TX,78701`);
      const path = join(dir, `store-fails-${dialect}.csv`);
      writeFileSync(path, ['Address,City,State,Zip', ...rows].join('\n'));
      await withStore(dialect, async (store) => {
        // The store refuses row 35's lead: batches of 10, commits every 20 rows, so rows
        // 1-20 are committed and rows 21-40 are in the transaction that fails.
        if (dialect === 'sqlite') {
          await sql`create trigger boom before insert on leads when new.address_line1 = '35 OAK AVE'
            begin select raise(abort, 'boom'); end`.execute(store.db);
        } else {
          await sql`create function boom() returns trigger language plpgsql as $$
            begin if new.address_line1 = '35 OAK AVE' then raise exception 'boom'; end if; return new; end $$`.execute(
            store.db,
          );
          await sql`create trigger boom before insert on leads for each row execute function boom()`.execute(
            store.db,
          );
        }
        const options = {
          db: store.db,
          accountId: LOCAL_ACCOUNT_ID,
          clock: new ManualClock(),
          path,
          rejectedPath: join(dir, 'store-fails-rejected.csv'),
          batchSize: 10,
          commitRows: 20,
        };
        const err = await importCsv({ ...options, listName: 'first' }).catch((e: unknown) => e);
        expect((err as Error).message).toContain('boom');
        const leads = await store.db.selectFrom('leads').select('address_line1').execute();
        expect(leads.map((l) => l.address_line1).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => `${i + 1} OAK AVE`).sort(),
        );
        const lists = await store.db.selectFrom('lists').select(['id', 'name']).execute();
        expect(lists.map((l) => l.name)).toEqual(['first']);
        const members = await store.db.selectFrom('list_members').select('lead_id').execute();
        expect(members).toHaveLength(20);
        // No transaction was left open: the next import commits and finds the 20 as duplicates.
        await sql`drop trigger boom${sql.raw(dialect === 'postgres' ? ' on leads' : '')}`.execute(store.db);
        const second = await importCsv({ ...options, listName: 'second' });
        expect([second.created, second.duplicates]).toEqual([37, 20]);
      });
    });
  });
}
