/**
 * Sites and lead links on SQLite and PostgreSQL: adding and importing sites, linking
 * corporate-owned leads by hand and by company name, choosing the sites of a job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSite,
  autoLinkLeads,
  importSitesCsv,
  linkLeadToSite,
  selectSitesForEnrichment,
} from '../../src/runs/sites.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { countLinkedLeads, getLeadOwner, listSites } from '../../src/store/repos/sites.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`sites on ${dialect}`, () => {
    let store: TestStore;
    let dir: string;
    const clock = new ManualClock();
    const ctx = () => ({ db: store.db, accountId: LOCAL_ACCOUNT_ID, clock });

    beforeEach(async () => {
      store = await openTestStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-sites-'));
    });
    afterEach(async () => {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    let leadNo = 0;
    async function lead(ownerType: string | null, ownerCompany: string | null): Promise<string> {
      const id = `lead-${++leadNo}`;
      await store.db
        .insertInto('leads')
        .values({
          id,
          account_id: LOCAL_ACCOUNT_ID,
          source: 'test',
          owner_type: ownerType,
          owner_company: ownerCompany,
          status: 'new',
          enrichment_status: 'pending',
          first_seen_at: '2026-11-25T00:00:00.000Z',
          last_seen_at: '2026-11-25T00:00:00.000Z',
        })
        .execute();
      return id;
    }
    const siteOf = async (leadId: string) =>
      (await getLeadOwner(store.db, LOCAL_ACCOUNT_ID, leadId))!.site_id;

    it('adds a site once per normalized domain; a name given later renames it', async () => {
      const first = await addSite(ctx(), { domain: 'HTTPS://www.Acme.com:443/about?x=1' });
      expect(first).toMatchObject({ created: true, linked: 0 });
      expect(first.site).toMatchObject({
        domain: 'acme.com',
        name: null,
        pipeline_stage: 'new',
        enrichment_status: 'pending',
      });
      const again = await addSite(ctx(), { domain: 'acme.com', name: 'Acme' });
      expect(again.created).toBe(false);
      expect(again.site).toMatchObject({ id: first.site.id, name: 'Acme' });
      const unnamed = await addSite(ctx(), { domain: 'www.acme.com' });
      expect(unnamed.site.name).toBe('Acme');
      expect(await listSites(store.db, LOCAL_ACCOUNT_ID)).toHaveLength(1);
      await expect(addSite(ctx(), { domain: 'acme' })).rejects.toThrow('not a domain name: "acme"');
    });

    it('imports domain,name CSVs with or without a header, naming rejected rows', async () => {
      writeFileSync(
        join(dir, 'h.csv'),
        'Company,Website\nAcme Inc,acme.com\nBeta LLC,https://beta.io/\n,\nGamma,gamma\nAcme Again,ACME.COM\n',
      );
      const withHeader = await importSitesCsv(ctx(), join(dir, 'h.csv'));
      expect(withHeader).toEqual({
        rows: 4,
        created: 2,
        existing: 1,
        rejected: [{ row: 4, reason: 'not a domain name: "gamma"' }],
        linked: 0,
      });
      writeFileSync(join(dir, 'n.csv'), 'delta.org,Delta Co\nepsilon.net\n');
      const noHeader = await importSitesCsv(ctx(), join(dir, 'n.csv'));
      expect(noHeader).toMatchObject({ rows: 2, created: 2, existing: 0, rejected: [] });
      const sites = await listSites(store.db, LOCAL_ACCOUNT_ID);
      expect(sites.map((s) => [s.domain, s.name])).toEqual([
        ['acme.com', 'Acme Again'],
        ['beta.io', 'Beta LLC'],
        ['delta.org', 'Delta Co'],
        ['epsilon.net', null],
      ]);
    });

    it('links corporate-owned leads by company name, skipping ambiguous names and existing links', async () => {
      const acmeLlc = await lead('llc', 'ACME HOLDINGS, L.L.C.');
      const acmeCorp = await lead('corporate', 'The Acme Holdings Inc');
      const acmePerson = await lead('individual', 'Acme Holdings');
      const acmeTrust = await lead('trust', 'Acme Holdings');
      const zeta = await lead('llc', 'Zeta LLC');
      const other = await lead('llc', 'Omega Partners LLC');
      const manual = await lead('llc', 'Acme Holdings LLC');
      await addSite(ctx(), { domain: 'omega.example.com', name: 'Omega Works' });
      await linkLeadToSite(ctx(), { leadId: manual, domain: 'omega.example.com' });

      // Two sites with one company name arrive together: which one is Zeta LLC's is unknown.
      writeFileSync(
        join(dir, 'zeta.csv'),
        'domain,name\nzeta.example.com,Zeta\nzeta.example.org,"Zeta, Inc."\n',
      );
      expect((await importSitesCsv(ctx(), join(dir, 'zeta.csv'))).linked).toBe(0);
      const acme = await addSite(ctx(), { domain: 'acme.example.com', name: 'Acme Holdings' });
      expect(acme.linked).toBe(2);
      expect(await siteOf(acmeLlc)).toBe(acme.site.id);
      expect(await siteOf(acmeCorp)).toBe(acme.site.id);
      expect(await siteOf(acmePerson)).toBeNull();
      expect(await siteOf(acmeTrust)).toBeNull();
      expect(await siteOf(zeta)).toBeNull();
      expect(await siteOf(other)).toBeNull();
      expect(await siteOf(manual)).not.toBe(acme.site.id);
      expect(await autoLinkLeads(ctx())).toEqual({ linked: 0, ambiguousNames: 1 });
      expect(await countLinkedLeads(store.db, LOCAL_ACCOUNT_ID, acme.site.id)).toBe(2);
    });

    it('links one lead by hand, refusing other owner types, unknown leads and unknown sites', async () => {
      const company = await lead('corporate', 'Anything Ltd');
      const person = await lead('individual', null);
      const site = await addSite(ctx(), { domain: 'acme.com' });
      await expect(linkLeadToSite(ctx(), { leadId: person, domain: 'acme.com' })).rejects.toThrow(
        `lead ${person} is owned by individual; only llc or corporate-owned leads link to a company site`,
      );
      await expect(linkLeadToSite(ctx(), { leadId: 'nope', domain: 'acme.com' })).rejects.toThrow(
        'no lead nope',
      );
      await expect(linkLeadToSite(ctx(), { leadId: company, domain: 'beta.com' })).rejects.toThrow(
        'no site beta.com (add it first: leadtrace sites add beta.com)',
      );
      expect(await linkLeadToSite(ctx(), { leadId: company, domain: 'www.ACME.com' })).toEqual({
        leadId: company,
        siteId: site.site.id,
        domain: 'acme.com',
        previousSiteId: null,
      });
      expect(await siteOf(company)).toBe(site.site.id);
    });

    it('chooses the sites of a job in exactly one way', async () => {
      await addSite(ctx(), { domain: 'a.example.com' });
      await addSite(ctx(), { domain: 'b.example.com' });
      await store.db
        .updateTable('sites')
        .set({ enrichment_status: 'error' })
        .where('domain', '=', 'b.example.com')
        .execute();
      const domains = async (by: Parameters<typeof selectSitesForEnrichment>[1]) =>
        (await selectSitesForEnrichment(ctx(), by)).map((s) => s.domain);
      expect(await domains({ domains: ['B.example.com', 'a.example.com'] })).toEqual([
        'a.example.com',
        'b.example.com',
      ]);
      expect(await domains({ allPending: true })).toEqual(['a.example.com']);
      expect(await domains({ retryErrors: true })).toEqual(['b.example.com']);
      await expect(domains({})).rejects.toThrow('choose the sites');
      await expect(domains({ allPending: true, retryErrors: true })).rejects.toThrow('choose the sites');
      await expect(domains({ domains: ['c.example.com'] })).rejects.toThrow('no site c.example.com');
    });
  });
}
