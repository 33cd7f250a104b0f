/**
 * The SQLite fast path of the lead upsert (prepared statements on Store.sqlite, one per set
 * of present columns) writes exactly what the Kysely path writes: same outcomes, same rows,
 * same memberships — with duplicates inside a batch, across batches and of stored leads,
 * and with more column shapes than the statement cache holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src/domain/csv/header-mapping.js';
import { rowToLead } from '../../src/domain/csv/row-to-lead.js';
import type { LeadDraft } from '../../src/domain/lead.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { LeadKeyIndex, upsertLeadBatch, type UpsertOutcome } from '../../src/store/repos/leads.js';
import { addListMembers, createList } from '../../src/store/repos/lists.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';

const HEADERS = [
  'Property Address',
  'City',
  'State',
  'Zip',
  'Owner First Name',
  'Owner Last Name',
  'APN',
  'FIPS',
  'MAK',
  'Record ID',
  'Bedrooms',
  'Bathrooms',
  'Sqft',
  'Year Built',
  'Vacant',
  'Mailing Address',
  'Mailing City',
  'Mailing State',
  'Mailing Zip',
];
const { mapping } = mapHeaders(HEADERS);

/** Rows with a varying set of empty cells (hundreds of column shapes) and repeated keys. */
function drafts(from: number, count: number): LeadDraft[] {
  const out: LeadDraft[] = [];
  for (let i = from; i < from + count; i++) {
    const blank = (bit: number) => ((i * 2654435761) >>> bit) % 3 === 0;
    const cells = [
      `${100 + (i % 150)} Elm St`,
      'Denver',
      'CO',
      '80202',
      blank(1) ? '' : 'Dana',
      blank(2) ? '' : `Ng${i % 7}`,
      blank(3) ? '' : `77-${i % 90}`,
      blank(4) ? '' : '08031',
      blank(5) ? '' : `M${i % 60}`,
      blank(6) ? '' : `R${i % 80}`,
      blank(7) ? '' : String(i % 5),
      blank(8) ? '' : '2.5',
      blank(9) ? '' : String(900 + i),
      blank(10) ? '' : '1961',
      blank(11) ? '' : i % 2 ? 'Y' : 'N',
      blank(12) ? '' : `PO Box ${i}`,
      blank(12) ? '' : 'Denver',
      blank(12) ? '' : 'CO',
      blank(12) ? '' : '80201',
    ];
    const outcome = rowToLead(cells, HEADERS, mapping, i + 1, 'csv');
    if (!outcome.ok) throw new Error(`row ${i}: ${outcome.rejection.reason}`);
    out.push(outcome.draft);
  }
  return out;
}

interface Written {
  outcomes: UpsertOutcome[][];
  leads: unknown[];
  members: unknown[];
}

/** Upserts three batches (the second and third meet the first's leads) and lists them. */
async function write(store: TestStore, raw: boolean): Promise<Written> {
  let n = 0;
  const newId = () => `lead-${String(++n).padStart(5, '0')}`;
  const index = new LeadKeyIndex();
  const sqlite = raw ? store.sqlite : undefined;
  if (raw) expect(sqlite).toBeDefined();
  await createList(
    store.db,
    { id: 'list-1', accountId: LOCAL_ACCOUNT_ID, name: 'l' },
    '2026-11-25T00:00:00.000Z',
  );
  const outcomes: UpsertOutcome[][] = [];
  for (const [b, batch] of [drafts(0, 200), drafts(150, 200), drafts(400, 100)].entries()) {
    const nowIso = `2026-11-25T0${b}:00:00.000Z`;
    await store.db.transaction().execute(async (trx) => {
      const out = await upsertLeadBatch(trx, LOCAL_ACCOUNT_ID, batch, nowIso, newId, index, sqlite);
      outcomes.push(out);
      const members = out.map((o, i) => ({
        leadId: o.leadId,
        rowNumber: o.rowNumber,
        inputRow: batch[i]!.inputRow,
      }));
      await addListMembers(trx, 'list-1', members, nowIso, sqlite);
    });
  }
  return {
    outcomes,
    leads: await store.db.selectFrom('leads').selectAll().orderBy('id').execute(),
    members: await store.db.selectFrom('list_members').selectAll().orderBy('lead_id').execute(),
  };
}

describe('lead upsert on SQLite', () => {
  let stores: TestStore[] = [];
  const open = async () => {
    const store = await openTestStore('sqlite');
    stores.push(store);
    return store;
  };
  beforeEach(() => {
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.dispose();
  });

  it('writes through prepared statements exactly what Kysely writes', async () => {
    const viaKysely = await write(await open(), false);
    const viaStatements = await write(await open(), true);
    expect(viaStatements).toEqual(viaKysely);
    // The fixture means something: duplicates of all kinds, and merged fields.
    const all = viaKysely.outcomes.flat();
    expect(new Set(all.filter((o) => o.duplicate).map((o) => o.duplicate!.by))).toEqual(
      new Set(['vendor_record_id', 'apn', 'mak', 'address_key']),
    );
    expect(all.filter((o) => o.created).length).toBe(viaKysely.leads.length);
  });

  it('runs the raw statements inside the Kysely transaction (rolled back with it)', async () => {
    const store = await open();
    await createList(store.db, { id: 'list-1', accountId: LOCAL_ACCOUNT_ID, name: 'l' }, 'now');
    let n = 0;
    const failed = await store.db
      .transaction()
      .execute(async (trx) => {
        const out = await upsertLeadBatch(
          trx,
          LOCAL_ACCOUNT_ID,
          drafts(0, 20),
          'now',
          () => `l${++n}`,
          undefined,
          store.sqlite,
        );
        await addListMembers(
          trx,
          'list-1',
          out.map((o) => ({ leadId: o.leadId, rowNumber: o.rowNumber, inputRow: null })),
          'now',
          store.sqlite,
        );
        // Visible to the transaction's own Kysely queries: the same connection.
        expect((await trx.selectFrom('leads').select('id').execute()).length).toBe(n);
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    expect(failed).toBe('roll back');
    expect(n).toBeGreaterThan(0);
    expect(await store.db.selectFrom('leads').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('list_members').select('lead_id').execute()).toEqual([]);
  });

  it('refuses the raw connection outside a transaction', async () => {
    const store = await open();
    await expect(
      upsertLeadBatch(
        store.db,
        LOCAL_ACCOUNT_ID,
        drafts(0, 2),
        'now',
        () => 'x',
        new LeadKeyIndex(),
        store.sqlite,
      ),
    ).rejects.toThrow(/inside the caller's transaction/);
    await expect(addListMembers(store.db, 'list-1', [], 'now', store.sqlite)).rejects.toThrow(
      /inside the caller's transaction/,
    );
  });

  it('a row with an APN and no FIPS matches the stored lead with that APN and the lowest id, on both paths', async () => {
    const row = (street: string, apn: string, fips: string) => {
      const cells = [
        street,
        'Denver',
        'CO',
        '80202',
        '',
        '',
        apn,
        fips,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ];
      const outcome = rowToLead(cells, HEADERS, mapping, 1, 'csv');
      if (!outcome.ok) throw new Error(outcome.rejection.reason);
      return outcome.draft;
    };
    for (const raw of [false, true]) {
      const store = await open();
      const sqlite = raw ? store.sqlite : undefined;
      const upsert = (batch: LeadDraft[], id: string) =>
        store.db
          .transaction()
          .execute((trx) =>
            upsertLeadBatch(trx, LOCAL_ACCOUNT_ID, batch, 'now', () => id, undefined, sqlite),
          );
      // Two parcels with one APN in two counties. lead-1 is stored second but has the lower id;
      // ids are time-ordered in use, so the lower id is the older lead.
      await upsert([row('1 Oak St', '12-345', '08031')], 'lead-2');
      await upsert([row('9 Elm St', '12-345', '08005')], 'lead-1');
      const [out] = await upsert([row('', '12-345', '')], 'lead-3');
      expect(out).toMatchObject({
        leadId: 'lead-1',
        created: false,
        duplicate: { leadId: 'lead-1', by: 'apn' },
      });
    }
  });

  it('keeps the first membership of a lead on both paths', async () => {
    const results = [];
    for (const raw of [false, true]) {
      const store = await open();
      const sqlite = raw ? store.sqlite : undefined;
      await createList(store.db, { id: 'list-1', accountId: LOCAL_ACCOUNT_ID, name: 'l' }, 'now');
      await store.db.transaction().execute(async (trx) => {
        await upsertLeadBatch(trx, LOCAL_ACCOUNT_ID, drafts(0, 1), 'now', () => 'lead-1', undefined, sqlite);
        const member = (rowNumber: number) => ({
          leadId: 'lead-1',
          rowNumber,
          inputRow: { row: String(rowNumber) },
        });
        await addListMembers(trx, 'list-1', [member(1), member(2)], 'now', sqlite);
        await addListMembers(
          trx,
          'list-1',
          [{ ...member(3), inputRow: null, inputRowJson: '{"row":"3"}' }],
          'later',
          sqlite,
        );
      });
      results.push(await store.db.selectFrom('list_members').selectAll().execute());
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toEqual([
      {
        list_id: 'list-1',
        lead_id: 'lead-1',
        added_at: 'now',
        row_number: 1,
        input_row_json: '{"row":"1"}',
        input_header_id: null,
      },
    ]);
  });
});
