/**
 * The original columns an import keeps per membership (migration 013): the header once per
 * import in input_headers, each membership its cells as a JSON array lined up with it. Read
 * back they are what the header → cell objects were — duplicate and blank headers made
 * unique, short rows padded with '', extra cells as "column N", "__proto__" an ordinary key —
 * and memberships in the older object form still read as before. Over SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../../src/runs/import/import-csv.js';
import { systemClock } from '../../../src/domain/clock.js';
import { LOCAL_ACCOUNT_ID } from '../../../src/store/repos/accounts.js';
import {
  InputColumnsReader,
  inputHeaderKeys,
  inputRowObject,
  listInputColumns,
} from '../../../src/store/repos/list-inputs.js';
import { addListMembers, copyListMembers, createList, deleteList } from '../../../src/store/repos/lists.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../../helpers/stores.js';

const CSV = [
  'Property Address,City,Notes,Notes,,__proto__',
  '1 Elm St,Austin,a,b,c,d',
  '2 Elm St,Austin', // short: the missing cells read as ''
  '3 Elm St,Austin,a,b,c,d,extra', // long: the 7th cell is "column 7"
].join('\n');
const KEYS = ['Property Address', 'City', 'Notes', 'Notes (2)', 'column 5', '__proto__'];

const pgOk = await postgresAvailable();
const NOW = '2026-12-07T00:00:00.000Z';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`import input rows on ${dialect}`, () => {
    let store: TestStore;
    let dir: string;
    let listId: string;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-input-rows-'));
      writeFileSync(join(dir, 'odd.csv'), `${CSV}\n`);
      const imported = await importCsv({
        db: store.db,
        accountId: LOCAL_ACCOUNT_ID,
        clock: systemClock,
        path: join(dir, 'odd.csv'),
        listName: 'odd',
        rejectedPath: join(dir, 'rejected.csv'),
      });
      expect(imported.created).toBe(3);
      listId = imported.listId;
    });
    afterAll(async () => {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const members = (list: string) =>
      store.db
        .selectFrom('list_members')
        .select(['row_number', 'input_row_json', 'input_header_id'])
        .where('list_id', '=', list)
        .orderBy('row_number')
        .execute();

    it('stores the header once and each row as its cells', async () => {
      const rows = await members(listId);
      expect(rows.map((r) => r.input_row_json)).toEqual([
        '["1 Elm St","Austin","a","b","c","d"]',
        '["2 Elm St","Austin"]',
        '["3 Elm St","Austin","a","b","c","d","extra"]',
      ]);
      const ids = new Set(rows.map((r) => r.input_header_id));
      expect(ids.size).toBe(1);
      const headers = await store.db.selectFrom('input_headers').selectAll().execute();
      expect(headers).toHaveLength(1);
      expect(JSON.parse(headers[0]!.columns_json)).toEqual(KEYS);
      expect(ids.has(Number(headers[0]!.id))).toBe(true);
      expect(await listInputColumns(store.db, listId)).toEqual(KEYS);
    });

    it('reads each row back as header → cell', async () => {
      const rows = await members(listId);
      const keys = await inputHeaderKeys(store.db, [rows[0]!.input_header_id!]);
      const read = rows.map((r) =>
        Object.entries(inputRowObject(r.input_row_json, keys.get(r.input_header_id!))!),
      );
      expect(read).toEqual([
        [
          ['Property Address', '1 Elm St'],
          ['City', 'Austin'],
          ['Notes', 'a'],
          ['Notes (2)', 'b'],
          ['column 5', 'c'],
          ['__proto__', 'd'],
        ],
        [
          ['Property Address', '2 Elm St'],
          ['City', 'Austin'],
          ['Notes', ''],
          ['Notes (2)', ''],
          ['column 5', ''],
          ['__proto__', ''],
        ],
        [
          ['Property Address', '3 Elm St'],
          ['City', 'Austin'],
          ['Notes', 'a'],
          ['Notes (2)', 'b'],
          ['column 5', 'c'],
          ['__proto__', 'd'],
          ['column 7', 'extra'],
        ],
      ]);
      expect(() => inputRowObject('["x"]', undefined)).toThrow(/needs its header/);
      expect(inputRowObject(null, KEYS)).toBeUndefined();
    });

    it("reads each row's cells in a list's column order, as the export writes them", async () => {
      const rows = await members(listId);
      const keys = await inputHeaderKeys(store.db, [rows[0]!.input_header_id!]);
      const reader = new InputColumnsReader([
        'City',
        'column 7',
        '__proto__',
        'Missing',
        'Notes (2)',
        'constructor',
      ]);
      expect(rows.map((r) => reader.cells(r.input_row_json, keys.get(r.input_header_id!)))).toEqual([
        ['Austin', '', 'd', '', 'b', ''],
        ['Austin', '', '', '', '', ''],
        ['Austin', 'extra', 'd', '', 'b', ''],
      ]);
      expect(reader.cells('{"City":"Waco","Zip":"1"}', undefined)).toEqual(['Waco', '', '', '', '', '']);
      expect(reader.cells(null, undefined)).toBeUndefined();
      expect(() => reader.cells('["x"]', undefined)).toThrow(/needs its header/);
    });

    it('reads a membership in the object form as it was stored', async () => {
      await createList(store.db, { id: 'legacy', accountId: LOCAL_ACCOUNT_ID, name: 'legacy' }, NOW);
      const lead = (await store.db.selectFrom('leads').select('id').orderBy('id').executeTakeFirstOrThrow())
        .id;
      await addListMembers(
        store.db,
        'legacy',
        [{ leadId: lead, rowNumber: 1, inputRow: { Street: '1 Elm St', Z: '1' } }],
        NOW,
      );
      const [row] = await members('legacy');
      expect(row!.input_header_id).toBeNull();
      expect(inputRowObject(row!.input_row_json, undefined)).toEqual({ Street: '1 Elm St', Z: '1' });
      // A list with no recorded columns gathers them from its rows, either form.
      expect(await listInputColumns(store.db, 'legacy')).toEqual(['Street', 'Z']);
      await copyListMembers(store.db, listId, 'legacy');
      expect(await listInputColumns(store.db, 'legacy')).toEqual(['Street', 'Z', ...KEYS, 'column 7']);
    });

    it('keeps a header while a copied membership refers to it, and deletes it after', async () => {
      await createList(store.db, { id: 'copy', accountId: LOCAL_ACCOUNT_ID, name: 'copy' }, NOW);
      expect(await copyListMembers(store.db, listId, 'copy')).toBe(3);
      expect((await members('copy')).map((r) => [r.input_row_json, r.input_header_id])).toEqual(
        (await members(listId)).map((r) => [r.input_row_json, r.input_header_id]),
      );
      const headerCount = async () =>
        (await store.db.selectFrom('input_headers').select('id').execute()).length;
      await deleteList(store.db, listId, { lockLeads: false });
      expect(await headerCount()).toBe(1); // 'copy' and 'legacy' still refer to it
      await deleteList(store.db, 'copy', { lockLeads: false });
      expect(await headerCount()).toBe(1);
      await deleteList(store.db, 'legacy', { lockLeads: false });
      expect(await headerCount()).toBe(0);
    });
  });
}
