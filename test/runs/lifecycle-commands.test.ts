/**
 * The lifecycle and query commands below the CLI: filter validation, presets, saved
 * queries merged with flags, readable refusals for bad moves, activities and lead ids.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEAD_QUERY_PRESETS, parseLeadFilters, parseTagNames } from '../../src/runs/lead-filters.js';
import { findLeads, resolveFilters, resolveLead, showLead } from '../../src/runs/leads.js';
import {
  changeLeadStatus,
  deleteNamedQuery,
  listNamedQueries,
  recordActivity,
  saveNamedQuery,
  tagLeadByRef,
} from '../../src/runs/lifecycle.js';
import { addLeadsToList, createNamedList, type ListContext } from '../../src/runs/lists.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../helpers/stores.js';
import { ManualClock } from '../helpers/clock.js';

const pgOk = await postgresAvailable();
const T0 = '2026-11-25T12:00:00.000Z';

describe('lead filters', () => {
  it('normalizes case and repeats, drops false flags, and keeps the rest as given', () => {
    expect(
      parseLeadFilters({
        state: ['tx', ' fl', 'TX'],
        tags: ['Hot', 'hot'],
        status: ['new', 'new'],
        hasPhone: false,
        enrichedOnly: true,
        minValue: 100,
      }),
    ).toEqual({ state: ['TX', 'FL'], tags: ['hot'], status: ['new'], enrichedOnly: true, minValue: 100 });
  });

  it('refuses unknown fields, bad values and empty ranges with one readable line', () => {
    expect(() => parseLeadFilters({ color: 'red' })).toThrow(/^bad filters: Unrecognized key: "color"$/);
    expect(() => parseLeadFilters({ state: ['Texas'] })).toThrow(
      'bad filters: state.0: a two-letter state code',
    );
    expect(() => parseLeadFilters({ minValue: 10, maxValue: 5 })).toThrow(
      'bad filters: minValue 10 is over maxValue 5',
    );
    expect(() => parseLeadFilters({ minStack: 0 }, 'saved query "x"')).toThrow(
      /^bad saved query "x": minStack: /,
    );
    expect(() => parseTagNames(['ok', 'no spaces'])).toThrow('bad tag "no spaces"');
    expect(parseTagNames(['Hot', 'hot', 'call-back'])).toEqual(['hot', 'call-back']);
  });

  it('has presets that are valid filters (seed 004 SMS-ready and high-value)', () => {
    for (const preset of Object.values(LEAD_QUERY_PRESETS)) {
      expect(parseLeadFilters(preset.filters)).toEqual(preset.filters);
    }
    expect(LEAD_QUERY_PRESETS['sms-ready']!.filters).toEqual({
      enrichedOnly: true,
      hasPhone: true,
      status: ['new'],
    });
    expect(LEAD_QUERY_PRESETS['high-value']!.filters).toEqual({
      enrichedOnly: true,
      hasPhone: true,
      minValue: 500_000,
      distress: ['high_equity'],
      sort: 'equity_desc',
    });
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`lifecycle commands on ${dialect}`, () => {
    let store: TestStore;
    let ctx: ListContext;
    const addLead = async (id: string, extra: Record<string, unknown> = {}) => {
      await store.db
        .insertInto('leads')
        .values({
          id,
          account_id: LOCAL_ACCOUNT_ID,
          source: 'csv',
          status: 'new',
          enrichment_status: 'pending',
          first_seen_at: T0,
          last_seen_at: T0,
          ...extra,
        })
        .execute();
    };
    beforeEach(async () => {
      store = await openTestStore(dialect);
      ctx = { db: store.db, dialect: store.dialect, accountId: LOCAL_ACCOUNT_ID, clock: new ManualClock() };
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('merges a saved query with flags (flags win) and resolves a list by name', async () => {
      await addLead('0190aaaa-0000-7000-8000-000000000001', { state: 'TX', enrichment_status: 'completed' });
      await addLead('0190aaaa-0000-7000-8000-000000000002', { state: 'FL', enrichment_status: 'completed' });
      await addLead('0190aaaa-0000-7000-8000-000000000003', { state: 'TX' });
      const list = await createNamedList(ctx, { name: 'Texas' });
      await addLeadsToList(ctx, 'Texas', [
        '0190aaaa-0000-7000-8000-000000000001',
        '0190aaaa-0000-7000-8000-000000000002',
      ]);

      expect(await saveNamedQuery(ctx, 'tx-enriched', { state: ['TX'], enrichedOnly: true }, false)).toBe(
        'created',
      );
      const merged = await resolveFilters(ctx, { state: ['FL'], list: 'Texas' }, 'tx-enriched');
      expect(merged).toEqual({ state: ['FL'], enrichedOnly: true, listId: list.id });
      const page = await findLeads(ctx, merged, {});
      expect(page.leads.map((l) => l.id)).toEqual(['0190aaaa-0000-7000-8000-000000000002']);

      await expect(saveNamedQuery(ctx, 'tx-enriched', { state: ['FL'] }, false)).rejects.toThrow(
        'a query named "tx-enriched" exists: use --replace to overwrite it',
      );
      expect(await saveNamedQuery(ctx, 'tx-enriched', { state: ['FL'] }, true)).toBe('replaced');
      await expect(saveNamedQuery(ctx, 'sms-ready', { state: ['FL'] }, true)).rejects.toThrow(
        '"sms-ready" is a built-in query: choose another name',
      );
      await expect(saveNamedQuery(ctx, 'bad name', { state: ['FL'] }, false)).rejects.toThrow(
        /^bad query name "bad name"/,
      );
      await expect(saveNamedQuery(ctx, 'empty', { hasPhone: false }, false)).rejects.toThrow(
        'no filters given: nothing to save',
      );
      expect((await listNamedQueries(ctx)).map((q) => [q.name, q.builtin])).toEqual([
        ['sms-ready', true],
        ['high-value', true],
        ['tx-enriched', false],
      ]);
      expect(await resolveFilters(ctx, { list: 'Texas' }, 'sms-ready')).toEqual({
        enrichedOnly: true,
        hasPhone: true,
        status: ['new'],
        listId: list.id,
      });
      await expect(resolveFilters(ctx, {}, 'nope')).rejects.toThrow(
        'no saved query "nope" (see leadtrace queries ls)',
      );
      await deleteNamedQuery(ctx, 'tx-enriched');
      await expect(deleteNamedQuery(ctx, 'high-value')).rejects.toThrow(
        '"high-value" is a built-in query and cannot be deleted',
      );
    });

    it('refuses bad moves, kinds and times in one readable line', async () => {
      await addLead('lead-1', { status: 'closed' });
      await expect(changeLeadStatus(ctx, 'lead-1', 'contacted')).rejects.toThrow(
        'lead lead-1 is closed: it cannot become contacted (closed is final)',
      );
      await expect(changeLeadStatus(ctx, 'lead-1', 'won')).rejects.toThrow(
        'bad status "won": expected one of new, contacted, qualified, lost, closed',
      );
      expect(await changeLeadStatus(ctx, 'lead-1', 'closed')).toEqual({
        leadId: 'lead-1',
        from: 'closed',
        to: 'closed',
        changed: false,
      });
      await expect(recordActivity(ctx, 'lead-1', { kind: 'fax' })).rejects.toThrow(
        'bad activity "fax": expected one of call, sms, email, note',
      );
      await expect(recordActivity(ctx, 'lead-1', { kind: 'call', occurredAt: 'yesterday' })).rejects.toThrow(
        'bad time "yesterday": expected e.g. 2026-11-25T14:30:00Z',
      );
      const r = await recordActivity(ctx, 'lead-1', {
        kind: 'call',
        outcome: ' answered ',
        notes: 'wants an offer',
        occurredAt: '2026-11-24T09:30:00-05:00',
      });
      expect(r.activity).toMatchObject({
        kind: 'call',
        outcome: 'answered',
        notes: 'wants an offer',
        occurred_at: '2026-11-24T14:30:00.000Z',
        created_at: T0,
      });
      expect(r.statusChangedTo).toBeNull();
      await expect(recordActivity(ctx, 'nope', { kind: 'note' })).rejects.toThrow('no lead nope');
    });

    it('finds a lead by a unique id prefix and shows it whole', async () => {
      await addLead('0190aaaa-1111-7000-8000-000000000001', { address_line1: '1 A ST' });
      await addLead('0190aaaa-1111-7000-8000-000000000002', { address_line1: '2 A ST' });
      await addLead('0190bbbb-1111-7000-8000-000000000003', { address_line1: '3 A ST' });
      expect((await resolveLead(ctx, '0190bbbb')).id).toBe('0190bbbb-1111-7000-8000-000000000003');
      await expect(resolveLead(ctx, '0190aaaa')).rejects.toThrow(
        'lead id "0190aaaa" is ambiguous: give more of it',
      );
      await expect(resolveLead(ctx, '0190')).rejects.toThrow('no lead 0190');
      await expect(resolveLead(ctx, '0190aaa%')).rejects.toThrow('no lead 0190aaa%');
      await createNamedList(ctx, { name: 'L' });
      await addLeadsToList(ctx, 'L', ['0190bbbb-1111-7000-8000-000000000003']);
      await tagLeadByRef(ctx, '0190bbbb', ['Hot']);
      await recordActivity(ctx, '0190bbbb', { kind: 'sms' });
      const d = await showLead(ctx, '0190bbbb-1111');
      expect(d.lead.status).toBe('contacted');
      expect(d.lists.map((l) => l.name)).toEqual(['L']);
      expect(d.tags).toEqual(['hot']);
      expect(d.activities.map((a) => a.kind)).toEqual(['status', 'sms']);
      await expect(
        addLeadsToList(ctx, 'L', ['0190bbbb-1111-7000-8000-000000000003', 'x1', 'x2']),
      ).rejects.toThrow('2 unknown lead ids: x1, x2; nothing added');
      expect(
        await addLeadsToList(ctx, 'L', [
          '0190aaaa-1111-7000-8000-000000000001',
          '0190bbbb-1111-7000-8000-000000000003',
        ]),
      ).toMatchObject({
        added: 1,
        alreadyOn: 1,
      });
    });
  });
}
