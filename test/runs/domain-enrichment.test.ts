/**
 * Domain-enrichment jobs through the real pieces: the Hunter adapter over loopback HTTP to
 * the sandbox, the budget guard, provider_calls and the sites repositories on SQLite and
 * PostgreSQL. Only the clock and sleeping are fake (sleeping advances the clock).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBudgetGuard } from '../../src/guards/budget.js';
import { createTokenBucket } from '../../src/guards/token-bucket.js';
import type { DomainSearchProvider } from '../../src/providers/contract.js';
import { createHunterDomainSearch } from '../../src/providers/hunter/domain-search.js';
import { startSandbox, type Sandbox } from '../../src/providers/sandbox/server.js';
import { hostname } from 'node:os';
import { PROCESS_OWNER } from '../../src/guards/budget.js';
import {
  createEnrichmentJob,
  JOB_LEASE_MS,
  recoverInterruptedJobs,
  runEnrichmentJob,
  type EnrichmentDeps,
  type EnrichmentProgress,
  type SiteProgressEvent,
} from '../../src/runs/domain-enrichment.js';
import type { EnrichmentFilters } from '../../src/runs/enrichment-filters.js';
import { addSite, selectSitesForEnrichment } from '../../src/runs/sites.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { getJob, transitionJob } from '../../src/store/repos/jobs.js';
import {
  countLinkedLeads,
  listSites,
  setSiteStatus,
  upsertSiteContacts,
} from '../../src/store/repos/sites.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';
import { sandboxBaseline } from '../providers/vendor-fixtures.js';

const pgOk = await postgresAvailable();
const DOMAINS = [
  'alpha.example.com',
  'bravo.example.com',
  'charlie.example.com',
  'delta.example.com',
  'echo.example.com',
];
const CREDIT = 25_000;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline());
});
afterAll(async () => {
  await sandbox.close();
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`domain enrichment on ${dialect}`, () => {
    let store: TestStore;
    let clock: ManualClock;
    const cipher = testCipher();
    /** Every URL the adapter fetched, in order. */
    let urls: URL[];
    /** Called before each real fetch (tests use it to abort at an exact request). */
    let beforeFetch: (url: URL) => void;
    /** Waits asked for by the job (quota pause, backoff); rate-limiter waits are separate. */
    let sleeps: number[];
    let onSleep: (ms: number) => void;
    let provider: DomainSearchProvider;

    beforeEach(async () => {
      sandbox.setOptions({ ...sandboxBaseline(), hunterEmptyDomainRate: 0, hunterQuotaAfter: null });
      store = await openTestStore(dialect);
      clock = new ManualClock();
      urls = [];
      sleeps = [];
      beforeFetch = () => {};
      onSleep = () => {};
      provider = createHunterDomainSearch({
        baseUrl: sandbox.url,
        apiKey: 'hunter-test-key',
        now: () => clock.now(),
        fetch: (input, init) => {
          const url = new URL(String(input));
          urls.push(url);
          beforeFetch(url);
          return fetch(input, init);
        },
      });
    });
    afterEach(async () => {
      await store.dispose();
    });

    const deps = (over: Partial<EnrichmentDeps> = {}): EnrichmentDeps => ({
      db: store.db,
      cipher,
      clock,
      accountId: LOCAL_ACCOUNT_ID,
      provider,
      budget: createBudgetGuard({
        db: store.db,
        accountId: LOCAL_ACCOUNT_ID,
        clock,
        dailyCapMicros: 100_000_000,
      }),
      rateLimiter: createTokenBucket({
        ratePerSec: provider.rateLimit.requestsPerSecond,
        clock,
        sleep: async (ms) => clock.advance(ms),
      }),
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
        onSleep(ms);
      },
      random: () => 0.5,
      ...over,
    });

    const sitesCtx = () => ({ db: store.db, accountId: LOCAL_ACCOUNT_ID, clock });
    async function addSites(domains = DOMAINS): Promise<string[]> {
      const ids: string[] = [];
      for (const domain of domains) ids.push((await addSite(sitesCtx(), { domain })).site.id);
      return ids;
    }

    /** What the sandbox holds for a domain under these filters (asked directly, unrecorded). */
    async function expected(domain: string, filters: EnrichmentFilters = {}) {
      const direct = createHunterDomainSearch({ baseUrl: sandbox.url, apiKey: 'k' });
      return direct.domainSearch(domain, {
        ...(filters.limit ? { limit: filters.limit } : {}),
        ...(filters.type ? { type: filters.type } : {}),
      });
    }

    const statuses = async () =>
      Object.fromEntries(
        (await listSites(store.db, LOCAL_ACCOUNT_ID)).map((s) => [s.domain, s.enrichment_status]),
      );
    const calls = () =>
      store.db.selectFrom('provider_calls').selectAll().orderBy('created_at').orderBy('id').execute();
    const contactCount = async () =>
      Number(
        (
          await store.db
            .selectFrom('site_contacts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      );

    it('enriches site by site, writing progress after each one, every call recorded and settled', async () => {
      const siteIds = await addSites();
      const answers = await Promise.all(DOMAINS.map((d) => expected(d)));
      const billedBefore = sandbox.billing.billedCount();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });

      const seen: {
        event: SiteProgressEvent;
        stored: EnrichmentProgress;
        statuses: Record<string, string>;
      }[] = [];
      const outcome = await runEnrichmentJob(deps(), jobId, {
        onProgress: async (event) => {
          const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
          seen.push({ event, stored: JSON.parse(job!.progress_json), statuses: await statuses() });
        },
      });

      let added = 0;
      seen.forEach(({ event, stored, statuses: st }, i) => {
        added += answers[i]!.contacts.length;
        const progress = { total: 5, done: i + 1, failed: 0, contacts_added: added, contacts_updated: 0 };
        expect(event).toMatchObject({ outcome: 'enriched', added: answers[i]!.contacts.length, updated: 0 });
        expect(event.site.domain).toBe(DOMAINS[i]);
        expect(event.progress).toEqual(progress);
        expect(stored).toEqual(progress);
        expect(Object.values(st)).toEqual(DOMAINS.map((d, k) => (k <= i ? 'enriched' : 'pending')));
      });
      expect(seen).toHaveLength(5);

      const credits = answers.reduce((n, a) => n + a.billableUnits, 0);
      expect(sandbox.billing.billedCount() - billedBefore).toBe(credits);
      expect(outcome).toEqual({
        jobId,
        status: 'completed',
        progress: { total: 5, done: 5, failed: 0, contacts_added: added, contacts_updated: 0 },
        error: null,
        providerCalls: 5,
        costMicros: credits * CREDIT,
        linkedLeads: 0,
      });
      const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
      expect(job).toMatchObject({ status: 'completed', type: 'enrichment', error: null });
      expect(job!.started_at).not.toBeNull();
      expect(job!.finished_at).not.toBeNull();

      const rows = await calls();
      expect(rows.map((r) => [r.run_id, r.lead_id, r.status, r.status_code, r.attempts])).toEqual(
        DOMAINS.map(() => [jobId, '', 'ok', 200, 1]),
      );
      expect(rows.map((r) => Number(r.cost_micros))).toEqual(answers.map((a) => a.billableUnits * CREDIT));
      expect(rows.map((r) => JSON.parse(r.request_json).domain)).toEqual(DOMAINS);
      const spend = await store.db.selectFrom('spend_days').selectAll().execute();
      expect(spend.map((s) => [Number(s.spent_micros), Number(s.reserved_micros)])).toEqual([
        [credits * CREDIT, 0],
      ]);
      expect(await store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);

      // Contacts: encrypted, blind-indexed, hinted; one row per address; names as found.
      expect(await contactCount()).toBe(added);
      const first = answers[0]!.contacts[0]!;
      const row = await store.db
        .selectFrom('site_contacts')
        .selectAll()
        .where('email_hash', '=', cipher.blindIndex('email', first.email))
        .executeTakeFirstOrThrow();
      expect(cipher.decrypt(row.email_enc)).toBe(first.email);
      expect(row.email_enc).not.toContain(first.email.split('@')[0]);
      expect(row).toMatchObject({
        site_id: siteIds[0],
        email_hint: `…@${first.email.split('@')[1]}`,
        first_name: first.first,
        last_name: first.last,
        position: first.position,
        type: first.type,
        confidence: first.confidence,
        enrichment_source: 'hunter-domain-search',
        enrichment_job_id: jobId,
      });
      // Sites without a name take Hunter's organization name.
      expect((await listSites(store.db, LOCAL_ACCOUNT_ID)).map((s) => [s.name, s.pipeline_stage])).toEqual(
        DOMAINS.map((d) => [answers[DOMAINS.indexOf(d)]!.organization, 'enrichment']),
      );
    });

    it('cancel after site 2: exactly 2 enriched, the rest untouched, job cancelled', async () => {
      const siteIds = await addSites();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const controller = new AbortController();
      const requestsBefore = sandbox.billing.requestCount();
      const outcome = await runEnrichmentJob(deps(), jobId, {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.progress.done === 2) controller.abort();
        },
      });
      expect(outcome.status).toBe('cancelled');
      expect(outcome.progress).toMatchObject({ total: 5, done: 2, failed: 0 });
      expect(outcome.providerCalls).toBe(2);
      expect(sandbox.billing.requestCount() - requestsBefore).toBe(2);
      expect(await statuses()).toEqual({
        'alpha.example.com': 'enriched',
        'bravo.example.com': 'enriched',
        'charlie.example.com': 'pending',
        'delta.example.com': 'pending',
        'echo.example.com': 'pending',
      });
      const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
      expect(job).toMatchObject({ status: 'cancelled', error: null });
      expect(JSON.parse(job!.progress_json)).toEqual(outcome.progress);
    });

    it('cancel while a request is in flight: that site gets its status back, its call is recorded unbilled', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 3));
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const controller = new AbortController();
      beforeFetch = (url) => {
        if (url.searchParams.get('domain') === 'bravo.example.com') controller.abort();
      };
      const outcome = await runEnrichmentJob(deps(), jobId, { signal: controller.signal });
      expect(outcome.status).toBe('cancelled');
      expect(outcome.progress).toMatchObject({ done: 1, failed: 0 });
      expect(await statuses()).toEqual({
        'alpha.example.com': 'enriched',
        'bravo.example.com': 'pending',
        'charlie.example.com': 'pending',
      });
      const rows = await calls();
      expect(
        rows.map((r) => [JSON.parse(r.request_json).domain, r.status, r.error_code, Number(r.cost_micros)]),
      ).toEqual([
        ['alpha.example.com', 'ok', null, rows[0]!.cost_micros],
        ['bravo.example.com', 'error', 'cancelled', 0],
      ]);
      const spend = await store.db.selectFrom('spend_days').selectAll().executeTakeFirstOrThrow();
      expect(Number(spend.reserved_micros)).toBe(0);
      expect(Number(spend.spent_micros)).toBe(Number(rows[0]!.cost_micros));
    });

    it('quota exhausted: pauses 30 s, retries once, then marks the remaining sites error and fails the job', async () => {
      const siteIds = await addSites();
      // Two credits left: sites 1 and 2 (≤ 10 emails each, 1 credit) use them up.
      sandbox.setOptions({ hunterQuotaAfter: 2 });
      const requestsBefore = sandbox.billing.requestCount();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const startedAt = clock.now();
      const outcome = await runEnrichmentJob(deps(), jobId);

      expect(sleeps).toEqual([30_000]);
      expect(clock.now() - startedAt).toBeGreaterThanOrEqual(30_000);
      expect(sandbox.billing.requestCount() - requestsBefore).toBe(4); // 2 ok, 429, the retry's 429
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatch(
        /^quota exhausted \(still after a 30 s pause and one retry\): Hunter answered HTTP 429/,
      );
      expect(outcome.progress).toMatchObject({ total: 5, done: 2, failed: 3, contacts_updated: 0 });
      const sites = await listSites(store.db, LOCAL_ACCOUNT_ID);
      expect(
        sites.map((s) => [s.domain, s.enrichment_status, s.enrichment_error?.slice(0, 15) ?? null]),
      ).toEqual([
        ['alpha.example.com', 'enriched', null],
        ['bravo.example.com', 'enriched', null],
        ['charlie.example.com', 'error', 'quota exhausted'],
        ['delta.example.com', 'error', 'quota exhausted'],
        ['echo.example.com', 'error', 'quota exhausted'],
      ]);
      const rows = await calls();
      expect(
        rows.map((r) => [r.status, r.status_code, r.error_code, r.attempts, Number(r.cost_micros)]),
      ).toEqual([
        ['ok', 200, null, 1, CREDIT],
        ['ok', 200, null, 1, CREDIT],
        ['error', 429, 'quota_exhausted', 2, 0],
      ]);
      const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
      expect(job).toMatchObject({ status: 'failed', error: outcome.error });
      expect(JSON.parse(job!.progress_json)).toEqual(outcome.progress);
    });

    it('quota back after the pause: the one retry succeeds and the job completes', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 3));
      sandbox.setOptions({ hunterQuotaAfter: 1 });
      onSleep = () => sandbox.setOptions({ hunterQuotaAfter: null }); // the plan renewed
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const outcome = await runEnrichmentJob(deps(), jobId);
      expect(sleeps).toEqual([30_000]);
      expect(outcome).toMatchObject({ status: 'completed', error: null, providerCalls: 3 });
      expect(outcome.progress).toMatchObject({ done: 3, failed: 0 });
      expect((await calls()).map((r) => [r.status, r.attempts])).toEqual([
        ['ok', 1],
        ['ok', 2],
        ['ok', 1],
      ]);
    });

    it('re-enrichment adds and refreshes, never duplicates or deletes', async () => {
      const domains = DOMAINS.slice(0, 3);
      const siteIds = await addSites(domains);
      const five = await Promise.all(domains.map((d) => expected(d, { limit: 5 })));
      const twenty = await Promise.all(domains.map((d) => expected(d, { limit: 20 })));
      const generic = await Promise.all(domains.map((d) => expected(d, { type: 'generic' })));
      const sum = (xs: { contacts: unknown[] }[]) => xs.reduce((n, x) => n + x.contacts.length, 0);
      const run = async (filters: EnrichmentFilters) => {
        const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters });
        return (await runEnrichmentJob(deps(), jobId)).progress;
      };

      expect(await run({ limit: 5 })).toEqual({
        total: 3,
        done: 3,
        failed: 0,
        contacts_added: sum(five),
        contacts_updated: 0,
      });
      expect(await run({ limit: 5 })).toMatchObject({ contacts_added: 0, contacts_updated: sum(five) });
      expect(await contactCount()).toBe(sum(five));
      // A wider page: the first five of each domain are refreshed, the rest are new.
      expect(await run({ limit: 20 })).toMatchObject({
        contacts_added: sum(twenty) - sum(five),
        contacts_updated: sum(five),
      });
      expect(await contactCount()).toBe(sum(twenty));
      // A narrower filter deletes nothing.
      const genericKnown = generic.reduce(
        (n, g, i) =>
          n + g.contacts.filter((c) => twenty[i]!.contacts.some((t) => t.email === c.email)).length,
        0,
      );
      expect(await run({ type: 'generic' })).toMatchObject({
        contacts_added: sum(generic) - genericKnown,
        contacts_updated: genericKnown,
      });
      expect(await contactCount()).toBe(sum(twenty) + sum(generic) - genericKnown);
      // One key per (domain, filters); a repeated search is the next generation of its key.
      const rows = await calls();
      expect(rows).toHaveLength(12);
      const fiveKeys = rows.slice(0, 3).map((r) => r.idempotency_key);
      expect(rows.slice(3, 6).map((r) => [r.idempotency_key, r.generation])).toEqual(
        fiveKeys.map((k) => [k, 1]),
      );
      expect(rows.slice(6, 9).every((r) => r.generation === 0 && !fiveKeys.includes(r.idempotency_key))).toBe(
        true,
      );
    });

    it('a refresh keeps what the new answer lacks', async () => {
      const [siteId] = await addSites(['alpha.example.com']);
      const hash = cipher.blindIndex('email', 'ann@alpha.example.com');
      const row = (over: Record<string, unknown>) => ({
        id: `c-${Math.random()}`,
        account_id: LOCAL_ACCOUNT_ID,
        site_id: siteId!,
        email_enc: cipher.encrypt('ann@alpha.example.com'),
        email_hash: hash,
        email_hint: '…@alpha.example.com',
        first_name: 'Ann',
        last_name: null,
        position: 'CEO',
        seniority: 'executive',
        department: null,
        type: 'personal' as const,
        confidence: 90,
        linkedin_url: null,
        twitter: null,
        phone_enc: null,
        verification_status: 'valid',
        verification_date: '2026-01-01',
        enrichment_source: 'hunter-domain-search',
        enrichment_job_id: null,
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-01T00:00:00.000Z',
        ...over,
      });
      await upsertSiteContacts(store.db, [row({})]);
      await upsertSiteContacts(store.db, [
        row({
          position: null,
          verification_status: null,
          confidence: 95,
          last_name: 'Lee',
          updated_at: '2026-11-02T00:00:00.000Z',
        }),
      ]);
      const rows = await store.db.selectFrom('site_contacts').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        first_name: 'Ann',
        last_name: 'Lee',
        position: 'CEO',
        confidence: 95,
        verification_status: 'valid',
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-02T00:00:00.000Z',
      });
    });

    it('passes every filter through to the Hunter request and stores them on the job', async () => {
      const siteIds = await addSites(['alpha.example.com']);
      const filters: EnrichmentFilters = {
        type: 'personal',
        seniority: ['senior', 'executive'],
        department: ['sales', 'executive'],
        required_field: 'position',
        limit: 7,
        offset: 1,
        location: '{"include":[{"country":"US"}]}',
        job_titles: ['vp', 'chief'],
      };
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters });
      expect(JSON.parse((await getJob(store.db, LOCAL_ACCOUNT_ID, jobId))!.config_json)).toEqual({
        site_ids: siteIds,
        filters,
      });
      const outcome = await runEnrichmentJob(deps(), jobId);
      expect(outcome.status).toBe('completed');
      expect(urls).toHaveLength(1);
      expect(urls[0]!.pathname).toBe('/v2/domain-search');
      expect([...urls[0]!.searchParams.entries()]).toEqual([
        ['domain', 'alpha.example.com'],
        ['limit', '7'],
        ['offset', '1'],
        ['type', 'personal'],
        ['seniority', 'senior,executive'],
        ['department', 'sales,executive'],
        ['required_field', 'position'],
        ['job_titles', 'vp,chief'],
        ['location', '{"include":[{"country":"US"}]}'],
      ]);
      const stored = await store.db.selectFrom('site_contacts').selectAll().execute();
      expect(stored.length).toBe(outcome.progress.contacts_added);
      expect(stored.length).toBeGreaterThan(0);
      for (const c of stored) {
        expect(c.type).toBe('personal');
        expect(['senior', 'executive']).toContain(c.seniority);
        expect(['sales', 'executive']).toContain(c.department);
        expect(c.position).toMatch(/vp|chief/i);
      }
    });

    it('a refused key stops the job: the site in flight keeps its status, nothing else is touched', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 2));
      sandbox.setOptions({ apiKey: 'the-real-key' });
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const outcome = await runEnrichmentJob(deps(), jobId);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBe(
        'vendor refused the key: Hunter answered HTTP 401 (authentication_failed: No valid API key was provided.)',
      );
      expect(outcome.progress).toMatchObject({ done: 0, failed: 0 });
      expect(Object.values(await statuses())).toEqual(['pending', 'pending']);
      expect(sleeps).toEqual([]);
    });

    it('the daily budget holds: a search that would cross it is never sent', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 3));
      const requestsBefore = sandbox.billing.requestCount();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const budget = createBudgetGuard({
        db: store.db,
        accountId: LOCAL_ACCOUNT_ID,
        clock,
        dailyCapMicros: 40_000,
      });
      const outcome = await runEnrichmentJob(deps({ budget }), jobId);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBe('budget pause: daily budget reached');
      expect(outcome.progress).toMatchObject({ done: 1, failed: 0 });
      expect(sandbox.billing.requestCount() - requestsBefore).toBe(1);
      expect(Object.values(await statuses())).toEqual(['enriched', 'pending', 'pending']);
      expect(await calls()).toHaveLength(1);
    });

    it("a site named from Hunter's answer links the leads of that company", async () => {
      const [siteId] = await addSites(['acme-holdings.example.com']);
      await store.db
        .insertInto('leads')
        .values({
          id: 'lead-acme',
          account_id: LOCAL_ACCOUNT_ID,
          source: 'test',
          owner_type: 'llc',
          owner_company: 'ACME HOLDINGS LLC',
          status: 'new',
          enrichment_status: 'pending',
          first_seen_at: '2026-11-25T00:00:00.000Z',
          last_seen_at: '2026-11-25T00:00:00.000Z',
        })
        .execute();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds: [siteId!], filters: {} });
      const outcome = await runEnrichmentJob(deps(), jobId);
      expect(outcome.linkedLeads).toBe(1);
      expect((await listSites(store.db, LOCAL_ACCOUNT_ID))[0]!.name).toBe('Acme Holdings');
      expect(await countLinkedLeads(store.db, LOCAL_ACCOUNT_ID, siteId!)).toBe(1);
    });

    it('refuses bad filters and unknown sites before creating anything, and runs a job once', async () => {
      const siteIds = await addSites(['alpha.example.com']);
      await expect(createEnrichmentJob(sitesCtx(), { siteIds, filters: { limit: 101 } })).rejects.toThrow(
        'limit must be an integer from 1 to 100',
      );
      await expect(
        createEnrichmentJob(sitesCtx(), { siteIds, filters: { seniority: ['boss'] } }),
      ).rejects.toThrow('unknown seniority boss');
      await expect(createEnrichmentJob(sitesCtx(), { siteIds: ['nope'], filters: {} })).rejects.toThrow(
        'unknown site nope',
      );
      expect(await store.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      await runEnrichmentJob(deps(), jobId);
      await expect(runEnrichmentJob(deps(), jobId)).rejects.toThrow(
        `job ${jobId} is completed; only a queued job can run`,
      );
    });

    it('a job whose process ended mid-site: failed as interrupted, its site in flight to error, then retried', async () => {
      const siteIds = await addSites();
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      // What a process killed during its third search leaves behind: two sites enriched,
      // the third `enriching`, the job `running` under a pid that no longer exists.
      const deadOwner = `${hostname()}:2147483646:1`;
      await transitionJob(store.db, jobId, ['queued'], {
        status: 'running',
        started_at: new Date(clock.now()).toISOString(),
        owner: deadOwner,
        lease_expires_at: new Date(clock.now() + JOB_LEASE_MS).toISOString(),
      });
      await setSiteStatus(store.db, siteIds.slice(0, 2), { enrichment_status: 'enriched' });
      await setSiteStatus(store.db, [siteIds[2]!], { enrichment_status: 'enriching' });

      expect(await recoverInterruptedJobs(sitesCtx())).toEqual([{ jobId, sites: 1 }]);
      const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
      expect([job!.status, job!.error]).toEqual([
        'failed',
        'interrupted: the process running this job ended',
      ]);
      expect(await statuses()).toEqual({
        'alpha.example.com': 'enriched',
        'bravo.example.com': 'enriched',
        'charlie.example.com': 'error',
        'delta.example.com': 'pending',
        'echo.example.com': 'pending',
      });
      const charlie = (await listSites(store.db, LOCAL_ACCOUNT_ID)).find(
        (x) => x.domain === 'charlie.example.com',
      );
      expect(charlie!.enrichment_error).toBe(
        `interrupted: job ${jobId} ended with its process; retry with sites enrich --retry-errors`,
      );
      // Recovery is done once: nothing left to recover.
      expect(await recoverInterruptedJobs(sitesCtx())).toEqual([]);

      const retry = await selectSitesForEnrichment(sitesCtx(), { retryErrors: true });
      expect(retry.map((x) => x.domain)).toEqual(['charlie.example.com']);
      const again = await createEnrichmentJob(sitesCtx(), { siteIds: retry.map((x) => x.id), filters: {} });
      const outcome = await runEnrichmentJob(deps(), again.jobId);
      expect(outcome.status).toBe('completed');
      expect((await statuses())['charlie.example.com']).toBe('enriched');
    });

    it('leaves running jobs of live processes alone: this process, or another host within its lease', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 3));
      const mine = await createEnrichmentJob(sitesCtx(), { siteIds: [siteIds[0]!], filters: {} });
      const remote = await createEnrichmentJob(sitesCtx(), { siteIds: [siteIds[1]!], filters: {} });
      const lease = new Date(clock.now() + JOB_LEASE_MS).toISOString();
      await transitionJob(store.db, mine.jobId, ['queued'], {
        status: 'running',
        owner: PROCESS_OWNER,
        lease_expires_at: lease,
      });
      await transitionJob(store.db, remote.jobId, ['queued'], {
        status: 'running',
        owner: 'another-host.invalid:4242:1',
        lease_expires_at: lease,
      });
      await setSiteStatus(store.db, siteIds.slice(0, 2), { enrichment_status: 'enriching' });

      expect(await recoverInterruptedJobs(sitesCtx())).toEqual([]);
      // The other host sends no news past its lease: its job is taken as interrupted.
      clock.advance(JOB_LEASE_MS + 1);
      expect(await recoverInterruptedJobs(sitesCtx())).toEqual([{ jobId: remote.jobId, sites: 1 }]);
      expect((await getJob(store.db, LOCAL_ACCOUNT_ID, mine.jobId))!.status).toBe('running');
      expect(await statuses()).toEqual({
        'alpha.example.com': 'enriching',
        'bravo.example.com': 'error',
        'charlie.example.com': 'pending',
      });
    });

    it('a running job records its process and renews its lease after each site', async () => {
      const siteIds = await addSites(DOMAINS.slice(0, 2));
      const { jobId } = await createEnrichmentJob(sitesCtx(), { siteIds, filters: {} });
      const leases: (string | null)[] = [];
      await runEnrichmentJob(deps(), jobId, {
        onProgress: async () => {
          const job = await getJob(store.db, LOCAL_ACCOUNT_ID, jobId);
          expect(job!.owner).toBe(PROCESS_OWNER);
          leases.push(job!.lease_expires_at);
          clock.advance(1000);
        },
      });
      const start = clock.now() - 2000;
      expect(leases).toEqual([
        new Date(start + JOB_LEASE_MS).toISOString(),
        new Date(start + 1000 + JOB_LEASE_MS).toISOString(),
      ]);
    });
  });
}
