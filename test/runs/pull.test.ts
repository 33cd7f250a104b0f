/**
 * `runPull` through the real pieces: a store on each dialect, the RealEstateAPI adapter
 * talking HTTP to the sandbox, the budget guard. Page counts and billing are read from the
 * sandbox's own request and billing log, so "fetches only the pages needed" and "costs $0"
 * are what the vendor saw, not what leadtrace says about itself.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { querySignature } from '../../src/domain/acquisition/query-signature.js';
import { UserError } from '../../src/domain/errors.js';
import { createBudgetGuard } from '../../src/guards/budget.js';
import { createRealEstateApiPropertySearch } from '../../src/providers/realestateapi/adapter.js';
import { startSandbox, type Sandbox } from '../../src/providers/sandbox/server.js';
import { unknownRuns } from '../../src/runs/pull-known.js';
import { runPull, type PullDeps, type PullRequest } from '../../src/runs/pull.js';
import { getBookmark, sourceEventsOf } from '../../src/store/repos/acquisition.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { createList, listLeadIds } from '../../src/store/repos/lists.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();

describe('unknownRuns', () => {
  it('gives the [from, to) ranges of positions whose id is not known', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(unknownRuns(ids, new Set())).toEqual([[0, 6]]);
    expect(unknownRuns(ids, new Set(ids))).toEqual([]);
    expect(unknownRuns(ids, new Set(['a', 'c', 'd']))).toEqual([
      [1, 2],
      [4, 6],
    ]);
    expect(unknownRuns([], new Set())).toEqual([]);
  });
});
const CREDIT = 10_000; // $0.01 per record
const SOURCE = 'realestateapi';
const ZIP = '85001';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`leadtrace pull on ${dialect}`, () => {
    let sandbox: Sandbox;
    let store: TestStore;
    let clock: ManualClock;

    beforeAll(async () => {
      sandbox = await startSandbox({ seed: 1 });
    });
    afterAll(async () => {
      await sandbox.close();
    });
    beforeEach(async () => {
      sandbox.setOptions({ newListings: 0, realEstateApiCreditsAfter: null, apiKey: null });
      store = await openTestStore(dialect);
      clock = new ManualClock();
    });
    afterEach(async () => {
      await store.dispose();
    });

    const deps = (over: { dailyCapMicros?: number; apiKey?: string } = {}): PullDeps => ({
      db: store.db,
      cipher: testCipher(),
      clock,
      accountId: LOCAL_ACCOUNT_ID,
      provider: createRealEstateApiPropertySearch({
        baseUrl: sandbox.url,
        apiKey: over.apiKey ?? 'test-key',
        costPerCreditMicros: CREDIT,
        now: () => clock.now(),
      }),
      source: SOURCE,
      budget: createBudgetGuard({
        db: store.db,
        accountId: LOCAL_ACCOUNT_ID,
        clock,
        dailyCapMicros: over.dailyCapMicros ?? 1_000_000_000,
      }),
    });
    const pull = (request: Partial<PullRequest>, d = deps()) =>
      runPull(d, { query: { zips: [ZIP] }, mode: 'full', pageSize: 100, ...request });

    /** What the vendor saw during `fn`: requests and billed records. */
    async function vendor<T>(fn: () => Promise<T>) {
      const requests = sandbox.billing.requestCount();
      const billed = sandbox.billing.billedCount();
      const result = await fn();
      return {
        result,
        requests: sandbox.billing.requestCount() - requests,
        billed: sandbox.billing.billedCount() - billed,
      };
    }
    const leadCount = async () =>
      Number(
        (
          await store.db
            .selectFrom('leads')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const spend = async () => {
      const row = await store.db.selectFrom('spend_days').selectAll().executeTakeFirst();
      return { spent: Number(row?.spent_micros ?? 0), reserved: Number(row?.reserved_micros ?? 0) };
    };
    const scope = { accountId: LOCAL_ACCOUNT_ID, source: SOURCE, querySig: querySignature({ zips: [ZIP] }) };
    const countTotal = async () => (await pull({ mode: 'count' })).total;

    it('the same full pull twice: the second sends one free request, stores nothing, costs $0', async () => {
      const total = await countTotal();
      expect(total).toBeGreaterThan(300);
      const pages = Math.ceil(total / 100);

      const first = await vendor(() => pull({}));
      expect(first.requests).toBe(1 + pages); // the free ids probe + the full pages
      expect(first.billed).toBe(total);
      expect(first.result).toMatchObject({
        mode: 'full',
        total,
        pagesFetched: 1 + pages,
        newLeads: total,
        updatedLeads: 0,
        known: 0,
        recordsBilled: total,
        costMicros: total * CREDIT,
        stoppedReason: 'complete',
        error: null,
      });
      expect(await leadCount()).toBe(total);
      expect(await spend()).toEqual({ spent: total * CREDIT, reserved: 0 });
      const calls = await store.db.selectFrom('provider_calls').selectAll().orderBy('created_at').execute();
      // count + probe + pages, every one completed; only full pages cost.
      expect(calls.map((c) => [c.attempt_reason, c.status])).toEqual([
        ['pull:count', 'ok'],
        ['pull:ids', 'ok'],
        ...Array.from({ length: pages }, () => ['pull:full', 'ok']),
      ]);
      expect(calls.reduce((s, c) => s + Number(c.cost_micros), 0)).toBe(total * CREDIT);
      expect(calls.reduce((s, c) => s + c.billable_units, 0)).toBe(total);

      const events = await sourceEventsOf(store.db, scope);
      expect(events.map((e) => [e.mode, e.page_number, e.result_index])).toEqual(
        Array.from({ length: pages }, (_, i) => ['full', i + 1, i * 100]),
      );
      expect(events.flatMap((e) => JSON.parse(e.seen_vendor_ids) as string[])).toHaveLength(total);
      const bookmark = await getBookmark(store.db, scope);
      expect(bookmark).toMatchObject({
        last_page_fetched: pages,
        last_seen_vendor_id: events.at(-1)!.last_id,
        last_pull_id: first.result.pullId,
        result_total: total,
        resume_index: null,
      });
      expect(await listLeadIds(store.db, first.result.listId!)).toHaveLength(total);

      clock.advance(60_000);
      const second = await vendor(() => pull({}));
      expect(second.requests).toBe(1);
      expect(second.billed).toBe(0);
      expect(second.result).toMatchObject({
        total,
        pagesFetched: 1,
        newLeads: 0,
        updatedLeads: 0,
        known: total,
        recordsBilled: 0,
        costMicros: 0,
        stoppedReason: 'complete',
        listId: null,
      });
      expect(await leadCount()).toBe(total);
      expect(await spend()).toEqual({ spent: total * CREDIT, reserved: 0 });
      expect(await sourceEventsOf(store.db, scope)).toHaveLength(pages);
    });

    it('with new listings the second pull adds exactly the new ones and pays only for them', async () => {
      const total = await countTotal();
      await pull({});
      const before = new Set(
        (await store.db.selectFrom('leads').select('vendor_record_id').execute()).map(
          (r) => r.vendor_record_id,
        ),
      );

      sandbox.setOptions({ newListings: 7 });
      clock.advance(60_000);
      const second = await vendor(() => pull({}));
      expect(second.requests).toBe(2); // probe + one page of exactly the 7 new records
      expect(second.billed).toBe(7);
      expect(second.result).toMatchObject({
        total: total + 7,
        newLeads: 7,
        known: total,
        recordsBilled: 7,
        costMicros: 7 * CREDIT,
        stoppedReason: 'complete',
      });
      const added = (
        await store.db.selectFrom('leads').select(['vendor_record_id', 'address_line1']).execute()
      ).filter((r) => !before.has(r.vendor_record_id));
      expect(added).toHaveLength(7);
      expect(added.every((r) => r.address_line1 !== null)).toBe(true);
      const newList = await listLeadIds(store.db, second.result.listId!);
      expect(newList).toHaveLength(7);
      const events = await sourceEventsOf(store.db, scope);
      expect(events.at(-1)).toMatchObject({ mode: 'full', page_number: 1, result_index: 0, new_leads: 7 });

      const third = await vendor(() => pull({}));
      expect([third.requests, third.billed, third.result.newLeads]).toEqual([1, 0, 0]);
    });

    it('an ids pull stores bare vendor ids for free; a full pull then fills the same leads, never duplicates', async () => {
      const ids = await vendor(() => pull({ mode: 'ids', list: 'arizona ids' }));
      const total = ids.result.total;
      expect([ids.requests, ids.billed]).toEqual([1, 0]);
      expect(ids.result).toMatchObject({ newLeads: total, costMicros: 0, stoppedReason: 'complete' });
      const bare = await store.db.selectFrom('leads').selectAll().execute();
      expect(bare).toHaveLength(total);
      for (const lead of bare) {
        expect(lead).toMatchObject({
          source: SOURCE,
          property_id: lead.vendor_record_id,
          address_line1: null,
          owner_full: null,
          enrichment_status: 'pending',
        });
      }
      const list = await store.db
        .selectFrom('lists')
        .selectAll()
        .where('id', '=', ids.result.listId!)
        .executeTakeFirstOrThrow();
      expect(list.name).toBe('arizona ids');
      expect(JSON.parse(list.filters_json!)).toEqual({
        source: SOURCE,
        mode: 'ids',
        query: { zips: [ZIP], city: null, state: null, filters: {}, sort: null },
      });
      // Slices of 1,000 ids: one page event for this result set.
      expect((await sourceEventsOf(store.db, scope)).map((e) => [e.mode, e.new_leads])).toEqual([
        ['ids', total],
      ]);

      const full = await vendor(() => pull({}));
      expect(full.billed).toBe(total);
      expect(full.result).toMatchObject({
        newLeads: 0,
        updatedLeads: total,
        known: 0,
        stoppedReason: 'complete',
      });
      const filled = await store.db.selectFrom('leads').selectAll().execute();
      expect(filled).toHaveLength(total);
      expect(new Set(filled.map((l) => l.id))).toEqual(new Set(bare.map((l) => l.id)));
      expect(filled.every((l) => l.address_line1 !== null && l.zip5 === ZIP && l.address_key !== null)).toBe(
        true,
      );

      // Both ways round: ids after full knows every id.
      const again = await vendor(() => pull({ mode: 'ids' }));
      expect([again.requests, again.billed]).toEqual([1, 0]);
      expect(again.result).toMatchObject({ newLeads: 0, known: total, listId: null });
      expect(await leadCount()).toBe(total);
    });

    it('maps full records to lead columns: address, owner, mailing address, facts, distress flags', async () => {
      await pull({ maxRecords: 40 });
      const leads = await store.db.selectFrom('leads').selectAll().execute();
      expect(leads).toHaveLength(40);
      for (const l of leads) {
        expect(l.address_line1).toMatch(/^\d+ [A-Z -]+$/);
        expect([l.state, l.zip5, l.fips?.length]).toEqual(['AZ', ZIP, 5]);
        expect(l.owner_full).not.toBeNull();
        expect(l.mailing_line1).not.toBeNull();
        expect(l.estimated_value).toBeGreaterThan(0);
        expect([0, 1]).toContain(l.pre_foreclosure);
        expect([0, 1]).toContain(l.high_equity);
        expect(l.absentee_owner).toBe(l.owner_occupied === 1 ? 0 : 1);
      }
      const entities = leads.filter((l) => l.owner_type !== 'individual');
      expect(entities.every((l) => l.owner_company === l.owner_full && l.owner_first === null)).toBe(true);
    });

    it('--max-records stops the pull; the next pull fetches only the rest (never a record twice)', async () => {
      const total = await countTotal();
      const first = await vendor(() => pull({ maxRecords: 150 }));
      expect([first.requests, first.billed]).toEqual([3, 150]); // probe, 100, 50
      expect(first.result).toMatchObject({ newLeads: 150, stoppedReason: 'max_records' });
      const rest = await vendor(() => pull({}));
      expect(rest.billed).toBe(total - 150);
      expect(rest.requests).toBe(1 + Math.ceil((total - 150) / 100));
      expect(rest.result).toMatchObject({ newLeads: total - 150, known: 150, stoppedReason: 'complete' });
      expect(await leadCount()).toBe(total);
    });

    it('the vendor daily credit cap (429) stops the pull; what was stored stays, the re-run continues', async () => {
      const total = await countTotal();
      sandbox.setOptions({ realEstateApiCreditsAfter: 150 });
      const capped = await vendor(() => pull({}));
      // Pages of 100 go out while fewer than 150 credits are spent: two pass, the third is refused.
      expect([capped.requests, capped.billed]).toEqual([4, 200]);
      expect(capped.result).toMatchObject({
        pagesFetched: 4,
        newLeads: 200,
        recordsBilled: 200,
        costMicros: 200 * CREDIT,
        stoppedReason: 'quota_exhausted',
        error: null,
      });
      expect(await leadCount()).toBe(200);
      expect(await spend()).toEqual({ spent: 200 * CREDIT, reserved: 0 });
      const failed = await store.db
        .selectFrom('provider_calls')
        .selectAll()
        .where('status', '=', 'error')
        .executeTakeFirstOrThrow();
      expect(failed).toMatchObject({
        error_code: 'quota_exhausted',
        status_code: 429,
        cost_micros: 0,
        billable_units: 0,
        lead_id: '',
      });

      sandbox.setOptions({ realEstateApiCreditsAfter: null });
      const rest = await vendor(() => pull({}));
      expect(rest.billed).toBe(total - 200);
      expect(rest.result).toMatchObject({ newLeads: total - 200, known: 200, stoppedReason: 'complete' });
    });

    it('the daily budget holds: a page whose worst case would cross the cap is not requested', async () => {
      const capped = await vendor(() => pull({}, deps({ dailyCapMicros: 250 * CREDIT })));
      // probe + two pages of 100; the third page's reservation (100 records) would cross $2.50.
      expect([capped.requests, capped.billed]).toEqual([3, 200]);
      expect(capped.result).toMatchObject({ pagesFetched: 3, newLeads: 200, stoppedReason: 'daily_budget' });
      expect(await spend()).toEqual({ spent: 200 * CREDIT, reserved: 0 });
      expect(await store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);
    });

    it('a vendor error stops the pull with a clear ProviderError and stores nothing', async () => {
      sandbox.setOptions({ apiKey: 'the-right-key' });
      const r = await vendor(() => pull({}, deps({ apiKey: 'wrong-key' })));
      expect(r.requests).toBe(1);
      expect(r.result.stoppedReason).toBe('vendor_error');
      expect(r.result.error?.code).toBe('auth');
      expect(r.result.error?.message).toBe('RealEstateAPI answered HTTP 403 (Forbidden: Invalid API key.)');
      expect(await leadCount()).toBe(0);
      expect(await getBookmark(store.db, scope)).toMatchObject({ last_page_fetched: 0, resume_index: null });
    });

    it('past the free ids window (10,000) pages are walked: resume from the bookmark, stop when known', async () => {
      // 85001 has a few hundred properties; 9,800 new listings push the result set past one ids_only answer.
      sandbox.setOptions({ newListings: 9_800 });
      const total = await countTotal();
      expect(total).toBeGreaterThan(10_000 + 100);
      const beyond = total - 10_000;

      // Cut short 100 records past the window: the bookmark remembers where the walk stood.
      const first = await vendor(() => pull({ pageSize: 250, maxRecords: 10_100 }));
      expect([first.requests, first.billed]).toEqual([1 + 40 + 1, 10_100]);
      expect(first.result.stoppedReason).toBe('max_records');
      expect(await getBookmark(store.db, scope)).toMatchObject({ resume_index: 10_100, result_total: total });

      // Five new listings meanwhile: the probe finds them at the top of the window; the walk
      // resumes at 10,100 moved by those 5, so it neither skips nor pays again a record.
      sandbox.setOptions({ newListings: 9_805 });
      clock.advance(60_000);
      const rest = await vendor(() => pull({ pageSize: 250 }));
      expect([rest.requests, rest.billed]).toEqual([
        1 + 1 + Math.ceil((beyond - 100) / 250),
        5 + beyond - 100,
      ]);
      expect(rest.result).toMatchObject({
        newLeads: 5 + beyond - 100,
        known: 9_995,
        stoppedReason: 'complete',
      });
      expect(await getBookmark(store.db, scope)).toMatchObject({
        resume_index: null,
        result_total: total + 5,
      });
      expect(await leadCount()).toBe(total + 5);

      // Five more: fetched from the window; its last id is known, so no walk (stop-when-known).
      sandbox.setOptions({ newListings: 9_810 });
      clock.advance(60_000);
      const fresh = await vendor(() => pull({ pageSize: 250 }));
      expect([fresh.requests, fresh.billed]).toEqual([2, 5]);
      expect(fresh.result).toMatchObject({ newLeads: 5, stoppedReason: 'caught_up' });
      expect(await leadCount()).toBe(total + 10);
    }, 120_000);

    it('several ZIPs are several searches, each with its own signature and bookmark', async () => {
      const r = await vendor(() => runPull(deps(), { query: { zips: ['85002,85001'] }, mode: 'ids' }));
      expect(r.requests).toBe(2);
      expect(r.result.queries.map((q) => [q.query.zips, q.querySig])).toEqual([
        [['85001'], querySignature({ zips: ['85001'] })],
        [['85002'], querySignature({ zips: ['85002'] })],
      ]);
      expect(r.result.total).toBe(r.result.queries[0]!.total + r.result.queries[1]!.total);
      expect(r.result.newLeads).toBe(r.result.total);
      expect(await listLeadIds(store.db, r.result.listId!)).toHaveLength(r.result.total);
      expect(
        await store.db.selectFrom('source_bookmarks').select('query_sig').orderBy('query_sig').execute(),
      ).toHaveLength(2);
    });

    it('a cap reached exactly by the first ZIP leaves the next ZIP unasked', async () => {
      const t1 = (await runPull(deps(), { query: { zips: ['85001'] }, mode: 'count' })).total;
      const r = await vendor(() =>
        runPull(deps(), { query: { zips: ['85001', '85002'] }, mode: 'ids', maxRecords: t1 }),
      );
      expect(r.requests).toBe(1);
      expect(r.result).toMatchObject({ newLeads: t1, stoppedReason: 'max_records' });
      expect(r.result.queries.map((q) => q.stoppedReason)).toEqual(['complete']);
    });

    it('--max-records in ids mode caps the new leads; the next ids pull stores the rest', async () => {
      const first = await pull({ mode: 'ids', maxRecords: 1_500 });
      const total = first.total;
      expect(first).toMatchObject({ newLeads: Math.min(1_500, total) });
      const second = await pull({ mode: 'ids' });
      expect(second.newLeads).toBe(Math.max(0, total - 1_500));
      expect(await leadCount()).toBe(total);
    });

    it('--list: an existing list by name or id is used, an ambiguous name is refused before any request', async () => {
      await createList(
        store.db,
        { id: 'list-a', accountId: LOCAL_ACCOUNT_ID, name: 'mine' },
        '2026-11-25T00:00:00.000Z',
      );
      const byName = await pull({ mode: 'ids', list: 'mine', maxRecords: 5 });
      expect(byName.listId).toBe('list-a');
      const byId = await pull({ mode: 'ids', list: 'list-a', maxRecords: 5 });
      expect(byId.listId).toBe('list-a');
      expect(await listLeadIds(store.db, 'list-a')).toHaveLength(10);

      await createList(
        store.db,
        { id: 'list-b', accountId: LOCAL_ACCOUNT_ID, name: 'mine' },
        '2026-11-25T00:00:00.000Z',
      );
      const before = sandbox.billing.requestCount();
      await expect(pull({ mode: 'ids', list: 'mine' })).rejects.toThrow(
        new UserError('2 lists are named "mine": pass the list id instead', 'ambiguous_list'),
      );
      expect(sandbox.billing.requestCount()).toBe(before);
    });

    it.each([
      [{ pageSize: 251 }, '--page-size must be an integer from 1 to 250'],
      [{ maxRecords: 0 }, '--max-records must be a positive integer'],
      [{ mode: 'all' as never }, '--mode must be one of count, ids, full; got "all"'],
      [{ query: { zips: ['85001'], filters: { ids_only: true } } }, '"ids_only" is not a filter'],
      [{ query: {} }, 'a search needs a ZIP, a city or a state'],
    ])('refuses %j before any request', async (request, message) => {
      const before = sandbox.billing.requestCount();
      await expect(pull(request)).rejects.toThrow(message);
      expect(sandbox.billing.requestCount()).toBe(before);
    });
  });
}
