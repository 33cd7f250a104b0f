/**
 * The lead lifecycle in the store, over both dialects: the whole status transition matrix,
 * status moves recorded as activities, outreach making a new lead contacted, tags unique
 * per lead and scoped per account, saved queries unique per account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, ensureAccount } from '../../src/store/repos/accounts.js';
import {
  LEAD_STATUSES,
  deleteSavedQuery,
  getSavedQuery,
  leadActivities,
  listSavedQueries,
  logActivity,
  moveLeadStatus,
  saveQuery,
  tagLead,
  tagsOfLeads,
  untagLead,
  type LeadStatus,
} from '../../src/store/repos/lifecycle.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const T0 = '2026-11-25T12:00:00.000Z';

/** The allowed moves, written out independently of LEAD_TRANSITIONS. */
const ALLOWED = new Set([
  'new>contacted',
  'new>lost',
  'contacted>qualified',
  'contacted>lost',
  'qualified>closed',
  'qualified>lost',
  'lost>contacted',
]);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`lifecycle store on ${dialect}`, () => {
    let store: TestStore;
    let n = 0;
    const newId = () => `id-${String(++n).padStart(4, '0')}`;
    const addLead = async (id: string, status: string, accountId = LOCAL_ACCOUNT_ID) => {
      await store.db
        .insertInto('leads')
        .values({
          id,
          account_id: accountId,
          source: 'csv',
          status,
          enrichment_status: 'pending',
          first_seen_at: T0,
          last_seen_at: T0,
        })
        .execute();
    };
    const statusOf = async (id: string) =>
      (await store.db.selectFrom('leads').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status;

    beforeEach(async () => {
      store = await openTestStore(dialect);
      n = 0;
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('allows exactly the documented status moves', async () => {
      for (const from of LEAD_STATUSES) {
        for (const to of LEAD_STATUSES) {
          const id = `lead-${from}-${to}`;
          await addLead(id, from);
          const move = await moveLeadStatus(store.db, {
            accountId: LOCAL_ACCOUNT_ID,
            leadId: id,
            to,
            nowIso: T0,
            newId,
          });
          if (from === to) {
            expect(move).toEqual({ outcome: 'unchanged', status: to });
            expect(await statusOf(id)).toBe(from);
          } else if (ALLOWED.has(`${from}>${to}`)) {
            expect(move).toEqual({ outcome: 'moved', from, to });
            expect(await statusOf(id)).toBe(to);
            const [activity] = await leadActivities(store.db, id);
            expect(activity).toMatchObject({ kind: 'status', outcome: `${from}->${to}`, occurred_at: T0 });
          } else {
            expect(move).toMatchObject({ outcome: 'refused', from, to });
            expect(await statusOf(id)).toBe(from);
            expect(await leadActivities(store.db, id)).toEqual([]);
          }
        }
      }
      const moved = await store.db
        .selectFrom('activities')
        .select('id')
        .where('kind', '=', 'status')
        .execute();
      expect(moved).toHaveLength(ALLOWED.size);
    });

    it("never moves another account's lead", async () => {
      await ensureAccount(store.db, 'other', 'Other', T0);
      await addLead('theirs', 'new', 'other');
      const move = await moveLeadStatus(store.db, {
        accountId: LOCAL_ACCOUNT_ID,
        leadId: 'theirs',
        to: 'contacted' as LeadStatus,
        nowIso: T0,
        newId,
      });
      expect(move).toEqual({ outcome: 'not_found' });
      expect(await statusOf('theirs')).toBe('new');
    });

    it('an outreach on a new lead makes it contacted; a note does not; later outreach leaves the status', async () => {
      await addLead('a', 'new');
      await addLead('b', 'new');
      await addLead('c', 'qualified');
      const log = (leadId: string, kind: 'call' | 'sms' | 'email' | 'note', at: string) =>
        logActivity(store.db, {
          accountId: LOCAL_ACCOUNT_ID,
          leadId,
          kind,
          occurredAt: at,
          outcome: kind === 'call' ? 'voicemail' : null,
          notes: 'n',
          nowIso: T0,
          newId,
        });
      const note = await log('a', 'note', '2026-11-24T09:00:00.000Z');
      expect(note.statusMove).toBeNull();
      expect(await statusOf('a')).toBe('new');
      const call = await log('a', 'call', '2026-11-24T10:00:00.000Z');
      expect(call.statusMove).toEqual({ outcome: 'moved', from: 'new', to: 'contacted' });
      expect(await statusOf('a')).toBe('contacted');
      expect((await log('b', 'sms', T0)).statusMove).toEqual({
        outcome: 'moved',
        from: 'new',
        to: 'contacted',
      });
      expect((await log('c', 'email', T0)).statusMove).toBeNull();
      expect(await statusOf('c')).toBe('qualified');
      // Latest first: the status move (logged now) above the call and the note of yesterday.
      expect((await leadActivities(store.db, 'a')).map((a) => [a.kind, a.outcome, a.occurred_at])).toEqual([
        ['status', 'new->contacted', T0],
        ['call', 'voicemail', '2026-11-24T10:00:00.000Z'],
        ['note', null, '2026-11-24T09:00:00.000Z'],
      ]);
    });

    it('tags once per lead, per account names, and untags', async () => {
      await ensureAccount(store.db, 'other', 'Other', T0);
      await addLead('a', 'new');
      await addLead('b', 'new');
      await addLead('x', 'new', 'other');
      const tag = (leadId: string, names: string[], accountId = LOCAL_ACCOUNT_ID) =>
        tagLead(store.db, { accountId, leadId, names, nowIso: T0, newId });
      expect(await tag('a', ['hot', 'probate'])).toBe(2);
      expect(await tag('a', ['hot'])).toBe(0);
      expect(await tag('b', ['hot'])).toBe(1);
      expect(await tag('x', ['hot'], 'other')).toBe(1);
      const tags = await store.db
        .selectFrom('tags')
        .select(['account_id', 'name'])
        .orderBy('account_id')
        .orderBy('name')
        .execute();
      expect(tags).toEqual([
        { account_id: LOCAL_ACCOUNT_ID, name: 'hot' },
        { account_id: LOCAL_ACCOUNT_ID, name: 'probate' },
        { account_id: 'other', name: 'hot' },
      ]);
      // The unique (lead_id, tag_id) index holds under a direct duplicate insert.
      const link = await store.db
        .selectFrom('lead_tags')
        .selectAll()
        .where('lead_id', '=', 'a')
        .executeTakeFirstOrThrow();
      await expect(store.db.insertInto('lead_tags').values(link).execute()).rejects.toThrow();
      expect(
        await untagLead(store.db, { accountId: LOCAL_ACCOUNT_ID, leadId: 'a', names: ['hot', 'nope'] }),
      ).toBe(1);
      // Another account's tag of the same name is not this account's to remove.
      expect(await untagLead(store.db, { accountId: LOCAL_ACCOUNT_ID, leadId: 'x', names: ['hot'] })).toBe(0);
      expect(await tagsOfLeads(store.db, ['a', 'b', 'x'])).toEqual(
        new Map([
          ['a', ['probate']],
          ['b', ['hot']],
          ['x', ['hot']],
        ]),
      );
    });

    it('saves queries by name per account: create, refuse, replace, delete', async () => {
      await ensureAccount(store.db, 'other', 'Other', T0);
      const save = (name: string, json: string, replace: boolean, accountId = LOCAL_ACCOUNT_ID) =>
        saveQuery(store.db, { accountId, name, filtersJson: json, replace, nowIso: T0, id: newId() });
      expect(await save('tx', '{"state":["TX"]}', false)).toBe('created');
      expect(await save('tx', '{"state":["FL"]}', false)).toBe('exists');
      expect(await save('tx', '{"state":["TX"]}', false, 'other')).toBe('created');
      expect((await getSavedQuery(store.db, LOCAL_ACCOUNT_ID, 'tx'))!.filters_json).toBe('{"state":["TX"]}');
      expect(await save('tx', '{"state":["FL"]}', true)).toBe('replaced');
      expect((await getSavedQuery(store.db, LOCAL_ACCOUNT_ID, 'tx'))!.filters_json).toBe('{"state":["FL"]}');
      expect((await getSavedQuery(store.db, 'other', 'tx'))!.filters_json).toBe('{"state":["TX"]}');
      await save('a-first', '{}', false);
      expect((await listSavedQueries(store.db, LOCAL_ACCOUNT_ID)).map((q) => q.name)).toEqual([
        'a-first',
        'tx',
      ]);
      expect(await deleteSavedQuery(store.db, LOCAL_ACCOUNT_ID, 'tx')).toBe(true);
      expect(await deleteSavedQuery(store.db, LOCAL_ACCOUNT_ID, 'tx')).toBe(false);
      expect(await getSavedQuery(store.db, 'other', 'tx')).toBeDefined();
    });
  });
}
