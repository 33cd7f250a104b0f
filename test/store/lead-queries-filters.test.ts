/**
 * Lead queries over both dialects: every filter selects exactly the leads it names, the
 * campaign-ready selection agrees with domain/quality/campaign-ready.ts (predicate and
 * order), and cursor pages walk each order without a gap or a repeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { compareCampaignReady, isCampaignReady } from '../../src/domain/quality/campaign-ready.js';
import { LOCAL_ACCOUNT_ID, ensureAccount } from '../../src/store/repos/accounts.js';
import {
  contactHints,
  MAX_PAGE_SIZE,
  queryLeads,
  type LeadFilters,
  type LeadSort,
} from '../../src/store/repos/lead-queries.js';
import { tagLead } from '../../src/store/repos/lifecycle.js';
import { addListMembers, createList } from '../../src/store/repos/lists.js';
import type { LeadsTable } from '../../src/store/schema.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const T0 = '2026-11-25T12:00:00.000Z';

/** Twelve leads; ids sort in this order (l01 < l02 < …). */
const LEADS: Partial<LeadsTable>[] = [
  {
    id: 'l01',
    state: 'TX',
    estimated_value: 600_000,
    estimated_equity: 400_000,
    high_equity: 1,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 80,
    quality_status: 'contactable',
    first_seen_at: '2026-11-01T00:00:00.000Z',
  },
  {
    id: 'l02',
    state: 'TX',
    estimated_value: 250_000,
    estimated_equity: 50_000,
    enrichment_status: 'partial',
    skip_traced_at: T0,
    quality_score: 80,
    quality_status: 'contactable',
    first_seen_at: '2026-10-01T00:00:00.000Z',
  },
  {
    id: 'l03',
    state: 'FL',
    estimated_value: 900_000,
    estimated_equity: 900_000,
    high_equity: 1,
    free_clear: 1,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 60,
    quality_status: 'contactable',
    status: 'contacted',
  },
  {
    id: 'l04',
    state: 'FL',
    estimated_value: 700_000,
    estimated_equity: null,
    high_equity: 1,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 95,
    quality_status: 'contactable',
    status: 'lost',
  },
  {
    id: 'l05',
    state: 'CA',
    owner_type: 'llc',
    estimated_value: 1_200_000,
    estimated_equity: 300_000,
    tax_lien: 1,
    vacant: 1,
    quality_score: 50,
    quality_status: 'enriched',
  },
  {
    id: 'l06',
    state: 'CA',
    owner_type: 'corporate',
    estimated_value: 150_000,
    estimated_equity: -20_000,
    pre_foreclosure: 1,
  },
  {
    id: 'l07',
    state: 'TX',
    owner_type: 'trust',
    estimated_value: 500_000,
    estimated_equity: 400_000,
    high_equity: 1,
    enrichment_status: 'failed',
    quality_score: 30,
    quality_status: 'do_not_contact',
  },
  {
    id: 'l08',
    state: 'NY',
    owner_type: 'individual',
    estimated_value: null,
    equity_percent: 75,
    quality_score: 59,
    quality_status: 'contactable',
  },
  {
    id: 'l09',
    state: 'NY',
    estimated_value: 100_000,
    estimated_equity: 400_000,
    equity_percent: 40,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 80,
    quality_status: 'contactable',
    status: 'qualified',
    first_seen_at: '2026-11-01T00:00:00.000Z',
  },
  {
    id: 'l10',
    state: 'TX',
    estimated_value: 800_000,
    estimated_equity: 0,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 100,
    quality_status: 'contactable',
    status: 'closed',
  },
  {
    id: 'l11',
    state: 'TX',
    estimated_value: 550_000,
    estimated_equity: 250_000,
    high_equity: 1,
    enrichment_status: 'completed',
    skip_traced_at: T0,
    quality_score: 70,
    quality_status: 'contactable',
  },
  { id: 'l12', state: 'FL', owner_type: 'llc', quality_score: null },
];

const row = (l: Partial<LeadsTable>): Insertable<LeadsTable> => ({
  account_id: LOCAL_ACCOUNT_ID,
  source: 'csv',
  status: 'new',
  enrichment_status: 'pending',
  first_seen_at: T0,
  last_seen_at: T0,
  ...l,
  id: l.id!,
  address_line1: `${l.id} MAIN ST`,
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`lead queries on ${dialect}`, () => {
    let store: TestStore;
    let ids: (f: LeadFilters) => Promise<string[]>;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      const db = store.db;
      await db.insertInto('leads').values(LEADS.map(row)).execute();
      // Another account's lead never shows up.
      await ensureAccount(db, 'other', 'Other', T0);
      await db
        .insertInto('leads')
        .values({ ...row({ id: 'l00', state: 'TX' }), account_id: 'other' })
        .execute();
      for (const [id, names] of [
        ['A', ['l01', 'l02', 'l03', 'l05', 'l11']],
        ['B', ['l01', 'l03', 'l06', 'l09']],
        ['C', ['l01', 'l06']],
      ] as const) {
        await createList(db, { id: `list-${id}`, accountId: LOCAL_ACCOUNT_ID, name: id }, T0);
        await addListMembers(
          db,
          `list-${id}`,
          names.map((leadId) => ({ leadId, rowNumber: null, inputRow: null })),
          T0,
        );
      }
      const contact = (
        id: string,
        leadId: string,
        kind: 'phone' | 'email',
        hint: string,
        primary: number,
      ) => ({
        id,
        account_id: LOCAL_ACCOUNT_ID,
        lead_id: leadId,
        kind,
        value_enc: 'x',
        value_hash: id,
        value_hint: hint,
        type: 'mobile',
        is_primary: primary,
        verified: 1,
        dnc: 0,
        tcpa: 0,
        litigator: 0,
        source_provider: 'batchdata',
        first_seen_at: T0,
        last_seen_at: T0,
      });
      await db
        .insertInto('contact_points')
        .values([
          contact('c1', 'l01', 'phone', '…0101', 0),
          contact('c2', 'l01', 'phone', '…0102', 1),
          contact('c3', 'l01', 'email', '…@example.com', 1),
          contact('c4', 'l03', 'phone', '…0103', 1),
          contact('c5', 'l09', 'email', '…@example.org', 1),
          contact('c6', 'l11', 'phone', '…0111', 1),
          contact('c7', 'l04', 'phone', '…0104', 1),
        ])
        .execute();
      // l05 (llc) already has its business contact; l12 (llc) and l06, l07 do not.
      await db
        .insertInto('persons')
        .values({
          id: 'p1',
          lead_id: 'l05',
          role: 'business_contact',
          first: 'A',
          middle: null,
          last: 'B',
          full: 'A B',
          source_provider: 'apollo',
          created_at: T0,
        })
        .execute();
      let n = 0;
      const newId = () => `t${++n}`;
      await tagLead(db, {
        accountId: LOCAL_ACCOUNT_ID,
        leadId: 'l02',
        names: ['hot', 'probate'],
        nowIso: T0,
        newId,
      });
      await tagLead(db, { accountId: LOCAL_ACCOUNT_ID, leadId: 'l03', names: ['hot'], nowIso: T0, newId });
      ids = async (f) =>
        (await queryLeads(db, LOCAL_ACCOUNT_ID, f, { limit: MAX_PAGE_SIZE })).leads.map((l) => l.id);
    });
    afterAll(async () => {
      await store.dispose();
    });

    it('selects exactly what each filter names', async () => {
      expect(await ids({})).toEqual(LEADS.map((l) => l.id));
      expect(await ids({ listId: 'list-B' })).toEqual(['l01', 'l03', 'l06', 'l09']);
      expect(await ids({ needsSkipTrace: true })).toEqual(['l05', 'l06', 'l07', 'l08', 'l12']);
      expect(await ids({ needsBusiness: true })).toEqual(['l06', 'l07', 'l12']);
      expect(await ids({ enrichedOnly: true })).toEqual(['l01', 'l02', 'l03', 'l04', 'l09', 'l10', 'l11']);
      expect(await ids({ status: ['contacted', 'qualified'] })).toEqual(['l03', 'l09']);
      expect(await ids({ state: ['FL', 'NY'] })).toEqual(['l03', 'l04', 'l08', 'l09', 'l12']);
      expect(await ids({ qualityStatus: ['enriched', 'do_not_contact'] })).toEqual(['l05', 'l07']);
      expect(await ids({ minValue: 500_000, maxValue: 800_000 })).toEqual([
        'l01',
        'l04',
        'l07',
        'l10',
        'l11',
      ]);
      expect(await ids({ minEquity: 0, maxEquity: 300_000 })).toEqual(['l02', 'l05', 'l10', 'l11']);
      expect(await ids({ minEquityPercent: 50 })).toEqual(['l08']);
      expect(await ids({ distress: ['high_equity'] })).toEqual(['l01', 'l03', 'l04', 'l07', 'l11']);
      expect(await ids({ distress: ['tax_lien', 'vacant'] })).toEqual(['l05']);
      expect(await ids({ distress: ['high_equity', 'free_clear'] })).toEqual(['l03']);
      expect(await ids({ minStack: 2 })).toEqual(['l01', 'l03', 'l06']);
      expect(await ids({ minStack: 3 })).toEqual(['l01']);
      expect(await ids({ hasPhone: true })).toEqual(['l01', 'l03', 'l04', 'l11']);
      expect(await ids({ hasEmail: true })).toEqual(['l01', 'l09']);
      expect(await ids({ tags: ['hot'] })).toEqual(['l02', 'l03']);
      expect(await ids({ tags: ['hot', 'probate'] })).toEqual(['l02']);
      // Filters combine with AND.
      expect(await ids({ listId: 'list-A', state: ['TX'], hasPhone: true })).toEqual(['l01', 'l11']);
    });

    it('reports stack count and contact counts per lead, and masked hints primary first', async () => {
      const page = await queryLeads(store.db, LOCAL_ACCOUNT_ID, { listId: 'list-C' });
      expect(page.leads.map((l) => [l.id, l.stack_count, l.phone_count, l.email_count])).toEqual([
        ['l01', 3, 2, 1],
        ['l06', 2, 0, 0],
      ]);
      const hints = await contactHints(store.db, ['l01', 'l06']);
      expect(hints.get('l01')).toEqual({ phones: ['…0102', '…0101'], emails: ['…@example.com'] });
      expect(hints.has('l06')).toBe(false);
    });

    it('campaign-ready agrees with the domain predicate and ordering', async () => {
      const all = await store.db
        .selectFrom('leads')
        .selectAll()
        .where('account_id', '=', LOCAL_ACCOUNT_ID)
        .execute();
      const expected = all
        .filter(isCampaignReady)
        .sort(compareCampaignReady)
        .map((l) => l.id);
      // Score desc; l02 and l09 tie with l01 at 80 and are ordered by first seen, then id.
      expect(expected).toEqual(['l02', 'l01', 'l09', 'l11', 'l03']);
      expect(await ids({ campaignReady: true })).toEqual(expected);
      expect(await ids({ campaignReady: true, state: ['TX'] })).toEqual(['l02', 'l01', 'l11']);
    });

    it('sorts by equity (unknown last) for the high-value selection', async () => {
      expect(await ids({ sort: 'equity_desc', state: ['FL', 'TX'] })).toEqual([
        'l03',
        'l01',
        'l07',
        'l11',
        'l02',
        'l10',
        'l04',
        'l12',
      ]);
    });

    it('walks every order page by page without a gap or a repeat', async () => {
      const cases: [LeadSort, LeadFilters][] = [
        ['id', {}],
        ['campaign', { campaignReady: true }],
        ['equity_desc', { sort: 'equity_desc' }],
        ['campaign', { sort: 'campaign', qualityStatus: ['contactable'] }],
      ];
      for (const [, filters] of cases) {
        const whole = await ids(filters);
        for (const limit of [1, 2, 5]) {
          const walked: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page = await queryLeads(store.db, LOCAL_ACCOUNT_ID, filters, { limit, cursor });
            expect(page.totalMatching).toBe(whole.length);
            expect(page.leads.length).toBeLessThanOrEqual(limit);
            walked.push(...page.leads.map((l) => l.id));
            cursor = page.nextCursor;
            pages++;
          } while (cursor);
          expect(walked).toEqual(whole);
          expect(pages).toBe(Math.max(1, Math.ceil(whole.length / limit)));
        }
      }
    });

    it('refuses a page over 500, a bad limit, a foreign cursor and garbage', async () => {
      const q = (f: LeadFilters, page: { limit?: number; cursor?: string }) =>
        queryLeads(store.db, LOCAL_ACCOUNT_ID, f, page);
      await expect(q({}, { limit: 501 })).rejects.toThrow(
        'limit 501 is over the maximum page of 500: page with the cursor instead',
      );
      await expect(q({}, { limit: 0 })).rejects.toThrow('bad limit 0: expected a whole number from 1 to 500');
      expect((await q({}, {})).leads).toHaveLength(12);
      const first = await q({ state: ['TX'] }, { limit: 1 });
      expect(first.nextCursor).not.toBeNull();
      await expect(q({ state: ['FL'] }, { limit: 1, cursor: first.nextCursor! })).rejects.toThrow(
        'bad cursor: it continues a different selection (use the same filters as the first page)',
      );
      await expect(q({}, { cursor: 'not-a-cursor' })).rejects.toThrow(
        'bad cursor: not a cursor this command printed',
      );
    });
  });
}
