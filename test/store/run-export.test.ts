/**
 * What the run export reads (store/repos/run-export.ts), on both dialects and on SQLite
 * through both paths (raw prepared statements on Store.sqlite, and Kysely): items in item
 * order across keyset pages whatever the lead ids' order, the lead's columns or null for a
 * lead that is gone, the input row of the run's own list only, and per lead its contacts
 * in first-seen order with the suppression flag, decrypted only when `value` is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { addListMembers, createList } from '../../src/store/repos/lists.js';
import { insertRun, insertRunItems } from '../../src/store/repos/runs.js';
import { addSuppressions } from '../../src/store/repos/suppressions.js';
import { runExportContacts, runExportItems } from '../../src/store/repos/run-export.js';
import type { Database } from '../../src/store/schema.js';
import type { PiiCipher } from '../../src/domain/pii/cipher.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const NOW = '2026-11-25T10:00:00.000Z';
const RUN = 'run_export_test';

/** Item i (ids item-00 … item-11) is lead `lead-${11 - i}`: lead ids sort the other way. */
const ITEMS = Array.from({ length: 12 }, (_, i) => ({
  id: `item-${String(i).padStart(2, '0')}`,
  leadId: `lead-${String(11 - i).padStart(2, '0')}`,
}));
/** lead-05 was erased after the run was made: its item stays, its lead row does not. */
const GONE = 'lead-05';

async function seed(db: Kysely<Database>, cipher: PiiCipher): Promise<void> {
  for (const { leadId } of ITEMS) {
    if (leadId === GONE) continue;
    await db
      .insertInto('leads')
      .values({
        id: leadId,
        account_id: LOCAL_ACCOUNT_ID,
        source: 'csv',
        address_line1: `${leadId.slice(5)} ELM ST`,
        city: 'AUSTIN',
        state: 'TX',
        zip5: '78701',
        owner_full: `OWNER ${leadId}`,
        status: 'new',
        enrichment_status: 'done',
        first_seen_at: NOW,
        last_seen_at: NOW,
      })
      .execute();
  }
  await createList(db, { id: 'list-run', accountId: LOCAL_ACCOUNT_ID, name: 'run list' }, NOW);
  await createList(db, { id: 'list-other', accountId: LOCAL_ACCOUNT_ID, name: 'other' }, NOW);
  const present = ITEMS.filter((i) => i.leadId !== GONE);
  await addListMembers(
    db,
    'list-run',
    present
      .filter((_, n) => n !== 3)
      .map((i) => ({ leadId: i.leadId, rowNumber: 1, inputRow: { Source: `run ${i.leadId}` } })),
    NOW,
  );
  await addListMembers(
    db,
    'list-other',
    present.map((i) => ({ leadId: i.leadId, rowNumber: 1, inputRow: { Source: `other ${i.leadId}` } })),
    NOW,
  );
  await insertRun(db, {
    run_id: RUN,
    account_id: LOCAL_ACCOUNT_ID,
    list_id: 'list-run',
    source_label: 'test',
    policy_json: '{}',
    status: 'completed',
    total: ITEMS.length,
    queued: 0,
    in_flight: 0,
    done: ITEMS.length,
    failed: 0,
    cached_hits: 0,
    spent_micros: 0,
    reserved_micros: 0,
    soft_paused: 0,
    reason: null,
    created_at: NOW,
    started_at: NOW,
    finished_at: NOW,
  });
  await insertRunItems(
    db,
    ITEMS.map((i, n) => ({
      id: i.id,
      run_id: RUN,
      lead_id: i.leadId,
      status: n === 7 ? ('failed' as const) : ('done' as const),
      stage: 'skip-trace',
      attempt: 1,
      idem_key: `idem-${i.id}`,
      cached: n % 2,
      last_error: n === 7 ? 'provider_error: boom' : null,
      updated_at: NOW,
    })),
  );
  // lead-10 (item-01): three contacts whose first_seen_at order differs from insert order.
  const contact = (id: string, leadId: string, kind: 'phone' | 'email', value: string, seen: string) => ({
    id,
    account_id: LOCAL_ACCOUNT_ID,
    lead_id: leadId,
    kind,
    value_enc: cipher.encrypt(value),
    value_hash: cipher.blindIndex(kind, value),
    value_hint: '…',
    type: 'mobile',
    is_primary: id === 'c2' ? 1 : 0,
    confidence: 80,
    verified: 0,
    dnc: id === 'c3' ? 1 : 0,
    tcpa: 0,
    litigator: 0,
    source_provider: 'batchdata',
    first_seen_at: seen,
    last_seen_at: seen,
  });
  await db
    .insertInto('contact_points')
    .values([
      contact('c1', 'lead-10', 'phone', '+13125550101', '2026-11-25T10:00:02.000Z'),
      contact('c2', 'lead-10', 'phone', '+13125550102', '2026-11-25T10:00:01.000Z'),
      contact('c3', 'lead-10', 'email', 'a@example.com', '2026-11-25T10:00:03.000Z'),
      contact('c4', 'lead-00', 'phone', '+13125550104', NOW),
      // lead-03 is item-08, on the next page when pages are 4 items.
      contact('c5', 'lead-03', 'email', 'b@example.com', NOW),
    ])
    .execute();
  await addSuppressions(
    db,
    LOCAL_ACCOUNT_ID,
    [{ kind: 'phone', valueHash: cipher.blindIndex('phone', '+13125550101'), reason: 'STOP' }],
    NOW,
  );
}

async function readAll(db: Kysely<Database>, cipher: PiiCipher, pageSize: number) {
  const pages: { items: string[]; contacts: string[] }[] = [];
  const items = [];
  const contacts = [];
  let after: string | null = null;
  for (;;) {
    const page = await runExportItems(db, {
      runId: RUN,
      listId: 'list-run',
      afterId: after,
      limit: pageSize,
    });
    if (page.length === 0) break;
    const lastId = page[page.length - 1]!.itemId;
    const pageContacts = await runExportContacts(db, cipher, {
      accountId: LOCAL_ACCOUNT_ID,
      runId: RUN,
      afterId: after,
      lastId,
    });
    pages.push({ items: page.map((i) => i.itemId), contacts: pageContacts.map((c) => c.leadId) });
    items.push(...page);
    contacts.push(...pageContacts);
    after = lastId;
  }
  return { pages, items, contacts };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`run export reads on ${dialect}`, () => {
    let store: TestStore;
    const cipher = testCipher();
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await seed(store.db, cipher);
    });
    afterAll(async () => store?.dispose());

    it('pages through the items in item order with their leads and the run list input rows', async () => {
      const { pages, items } = await readAll(store.db, cipher, 5);
      expect(pages.map((p) => p.items.length)).toEqual([5, 5, 2]);
      expect(items.map((i) => i.itemId)).toEqual(ITEMS.map((i) => i.id));
      expect(items.map((i) => i.leadId)).toEqual(ITEMS.map((i) => i.leadId));
      expect(items[0]).toEqual({
        itemId: 'item-00',
        leadId: 'lead-11',
        status: 'done',
        stage: 'skip-trace',
        cached: 0,
        lastError: null,
        inputRowJson: '{"Source":"run lead-11"}',
        inputHeaderId: null,
        lead: {
          id: 'lead-11',
          address_line1: '11 ELM ST',
          address_line2: null,
          city: 'AUSTIN',
          state: 'TX',
          zip5: '78701',
          zip4: null,
          owner_first: null,
          owner_middle: null,
          owner_last: null,
          owner_full: 'OWNER lead-11',
          owner_company: null,
          owner_type: null,
        },
      });
      expect(items[7]).toMatchObject({ status: 'failed', cached: 1, lastError: 'provider_error: boom' });
      // The erased lead keeps its item; the fourth present lead is on the other list only.
      const gone = items.find((i) => i.leadId === GONE)!;
      expect([gone.lead, gone.inputRowJson]).toEqual([null, null]);
      expect(items[3]!.inputRowJson).toBeNull();
      expect(items.filter((i) => i.inputRowJson?.includes('other'))).toEqual([]);
    });

    it('reads each page its contacts, in first-seen order, flagged when suppressed', async () => {
      const { pages, contacts } = await readAll(store.db, cipher, 4);
      expect(pages.map((p) => p.contacts)).toEqual([
        ['lead-10', 'lead-10', 'lead-10'],
        [],
        ['lead-00', 'lead-03'].sort(),
      ]);
      const ofLead10 = contacts.filter((c) => c.leadId === 'lead-10');
      expect(
        ofLead10.map((c) => [c.kind, c.value, c.isPrimary, c.dnc, c.suppressed, c.sourceProvider]),
      ).toEqual([
        ['phone', '+13125550102', true, false, false, 'batchdata'],
        ['phone', '+13125550101', false, false, true, 'batchdata'],
        ['email', 'a@example.com', false, true, false, 'batchdata'],
      ]);
    });

    it('decrypts a value only when it is read', async () => {
      let decrypted = 0;
      const counting: PiiCipher = {
        ...cipher,
        decrypt: (stored) => {
          decrypted++;
          return cipher.decrypt(stored);
        },
      };
      const { contacts } = await readAll(store.db, counting, 100);
      expect(decrypted).toBe(0);
      expect(contacts[0]!.value).toBe(contacts[0]!.value);
      expect(decrypted).toBe(1);
    });

    it.runIf(dialect === 'sqlite')('reads the same through Kysely as through raw statements', async () => {
      // A Kysely instance that openStore did not return has no raw connection: the generic path.
      const plain = store.db.withoutPlugins();
      const strip = (r: Awaited<ReturnType<typeof readAll>>) => ({
        pages: r.pages,
        items: r.items,
        contacts: r.contacts.map((c) => ({ ...c, value: c.value })),
      });
      expect(strip(await readAll(plain, cipher, 5))).toEqual(strip(await readAll(store.db, cipher, 5)));
      // Inside a transaction the raw path stands aside (it would read around the mutex).
      const inTrx = await store.db.transaction().execute((trx) => readAll(trx, cipher, 5));
      expect(strip(inTrx)).toEqual(strip(await readAll(store.db, cipher, 5)));
    });
  });
}
