/**
 * Company sites: adding them one by one or from a CSV, linking corporate-owned leads to
 * them, and reading their contacts back.
 *
 * Linking. A lead whose owner_type is llc or corporate can point at its company's site
 * (leads.site_id):
 *   - by hand: `linkLeadToSite` (any name; refused for other owner types);
 *   - automatically: `autoLinkLeads` links every such lead that has no site yet when its
 *     owner_company and a site's name have the same company-name key (domain/sites:
 *     case, punctuation, a leading "the" and trailing legal forms such as LLC/Inc ignored).
 *     A key shared by two sites is ambiguous and links nothing. An existing link is never
 *     changed automatically. It runs after `sites add` / `sites import` (new names), after
 *     an enrichment job (a site without a name takes Hunter's organization name) and on
 *     `sites link --auto` — not during a lead import, so leads imported later are linked
 *     by the next of those.
 */
import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../domain/clock.js';
import { UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import { piiHint, type PiiCipher } from '../domain/pii/cipher.js';
import {
  CORPORATE_OWNER_TYPES,
  companyNameKey,
  isCorporateOwner,
  normalizeSiteDomain,
} from '../domain/sites/site-keys.js';
import {
  getLeadOwner,
  getSiteByDomain,
  listSiteContacts,
  listSites,
  setLeadsSite,
  unlinkedCompanyLeads,
  upsertSite,
  type SiteRow,
} from '../store/repos/sites.js';
import type { Database } from '../store/schema.js';
import { readCsvRows } from './import/read-csv.js';

export interface SitesDeps {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
}

/** A domain as sites store it, or a UserError naming the bad input. */
export function siteDomainOrThrow(input: string): string {
  const domain = normalizeSiteDomain(input);
  if (!domain) throw new UserError(`not a domain name: ${JSON.stringify(input)}`, 'bad_domain');
  return domain;
}

export async function addSite(
  deps: SitesDeps,
  input: { domain: string; name?: string | null },
): Promise<{ site: SiteRow; created: boolean; linked: number }> {
  const domain = siteDomainOrThrow(input.domain);
  const name = input.name?.trim() || null;
  const newId = createOrderedIdGenerator(deps.clock);
  const { site, created } = await upsertSite(deps.db, {
    id: newId(),
    account_id: deps.accountId,
    domain,
    name,
    pipeline_stage: 'new',
    enrichment_status: 'pending',
    created_at: isoNow(deps.clock),
  });
  const linked = name ? (await autoLinkLeads(deps)).linked : 0;
  return { site, created, linked };
}

export interface SitesImportResult {
  rows: number;
  created: number;
  existing: number;
  rejected: { row: number; reason: string }[];
  linked: number;
}

const DOMAIN_HEADERS = ['domain', 'website', 'url', 'site'];
const NAME_HEADERS = ['name', 'company', 'company_name', 'organization'];

/**
 * Imports `domain,name` rows. A first row naming a domain column (domain, website, url,
 * site) is a header and columns are found by name (name, company, company_name,
 * organization); otherwise the file has no header and is read as domain, name.
 */
export async function importSitesCsv(deps: SitesDeps, path: string): Promise<SitesImportResult> {
  const out: SitesImportResult = { rows: 0, created: 0, existing: 0, rejected: [], linked: 0 };
  const newId = createOrderedIdGenerator(deps.clock);
  let domainAt = 0;
  let nameAt = 1;
  const addRow = async (row: number, cells: string[]): Promise<void> => {
    if (cells.every((c) => c.trim() === '')) return; // a row of empty cells is a blank line
    out.rows++;
    const raw = cells[domainAt]?.trim() ?? '';
    const domain = normalizeSiteDomain(raw);
    if (!domain) {
      out.rejected.push({ row, reason: raw ? `not a domain name: ${JSON.stringify(raw)}` : 'no domain' });
      return;
    }
    const { created } = await upsertSite(deps.db, {
      id: newId(),
      account_id: deps.accountId,
      domain,
      name: (nameAt >= 0 ? cells[nameAt]?.trim() : '') || null,
      pipeline_stage: 'new',
      enrichment_status: 'pending',
      created_at: isoNow(deps.clock),
    });
    if (created) out.created++;
    else out.existing++;
  };
  for await (const item of readCsvRows(path)) {
    if ('headers' in item) {
      const names = item.headers.map((h) => h.trim().toLowerCase());
      const d = names.findIndex((h) => DOMAIN_HEADERS.includes(h));
      if (d >= 0) {
        domainAt = d;
        nameAt = names.findIndex((h) => NAME_HEADERS.includes(h));
      } else {
        await addRow(0, item.headers);
      }
      continue;
    }
    await addRow(item.rowNumber, item.cells);
  }
  out.linked = (await autoLinkLeads(deps)).linked;
  return out;
}

/** Links one lead to the site of `domain` by hand (replacing an earlier link). */
export async function linkLeadToSite(
  deps: SitesDeps,
  input: { leadId: string; domain: string },
): Promise<{ leadId: string; siteId: string; domain: string; previousSiteId: string | null }> {
  const domain = siteDomainOrThrow(input.domain);
  const lead = await getLeadOwner(deps.db, deps.accountId, input.leadId);
  if (!lead) throw new UserError(`no lead ${input.leadId}`, 'not_found');
  if (!isCorporateOwner(lead.owner_type)) {
    throw new UserError(
      `lead ${input.leadId} is owned by ${lead.owner_type ?? 'an unknown owner type'}; only ${CORPORATE_OWNER_TYPES.join(' or ')}-owned leads link to a company site`,
      'not_corporate',
    );
  }
  const site = await getSiteByDomain(deps.db, deps.accountId, domain);
  if (!site)
    throw new UserError(`no site ${domain} (add it first: leadtrace sites add ${domain})`, 'not_found');
  await setLeadsSite(deps.db, deps.accountId, [lead.id], site.id);
  return { leadId: lead.id, siteId: site.id, domain, previousSiteId: lead.site_id };
}

const LINK_PAGE = 1000;

/** Links unlinked corporate-owned leads whose owner_company matches one site's name. */
export async function autoLinkLeads(deps: SitesDeps): Promise<{ linked: number; ambiguousNames: number }> {
  const siteByKey = new Map<string, string | null>();
  for (const site of await listSites(deps.db, deps.accountId)) {
    const key = companyNameKey(site.name);
    if (key === null) continue;
    // Two sites with one company name: which one a lead belongs to is unknown.
    siteByKey.set(key, siteByKey.has(key) ? null : site.id);
  }
  const ambiguousNames = [...siteByKey.values()].filter((v) => v === null).length;
  if (siteByKey.size === ambiguousNames) return { linked: 0, ambiguousNames };
  let linked = 0;
  let afterId: string | null = null;
  for (;;) {
    const page = await unlinkedCompanyLeads(
      deps.db,
      deps.accountId,
      CORPORATE_OWNER_TYPES,
      afterId,
      LINK_PAGE,
    );
    if (page.length === 0) break;
    const bySite = new Map<string, string[]>();
    for (const lead of page) {
      const key = companyNameKey(lead.owner_company);
      const siteId = key === null ? null : (siteByKey.get(key) ?? null);
      if (siteId === null) continue;
      const ids = bySite.get(siteId) ?? [];
      ids.push(lead.id);
      bySite.set(siteId, ids);
    }
    for (const [siteId, leadIds] of bySite) {
      await setLeadsSite(deps.db, deps.accountId, leadIds, siteId);
      linked += leadIds.length;
    }
    afterId = page[page.length - 1]!.id;
    if (page.length < LINK_PAGE) break;
  }
  return { linked, ambiguousNames };
}

export interface SiteContactView {
  email: string;
  first_name: string | null;
  last_name: string | null;
  position: string | null;
  seniority: string | null;
  department: string | null;
  type: string | null;
  confidence: number | null;
  phone: string | null;
  linkedin_url: string | null;
  twitter: string | null;
  verification_status: string | null;
  verification_date: string | null;
  source: string;
  updated_at: string;
}

/**
 * A site's contacts for display. Without `reveal` the email is its hint (…@domain) and
 * the phone its last four digits; with it, both are decrypted.
 */
export async function siteContacts(
  deps: SitesDeps & { cipher: PiiCipher },
  domainInput: string,
  reveal: boolean,
): Promise<{ site: SiteRow; contacts: SiteContactView[] }> {
  const domain = siteDomainOrThrow(domainInput);
  const site = await getSiteByDomain(deps.db, deps.accountId, domain);
  if (!site) throw new UserError(`no site ${domain}`, 'not_found');
  const rows = await listSiteContacts(deps.db, site.id);
  const contacts = rows.map((r) => {
    const phone = r.phone_enc ? deps.cipher.decrypt(r.phone_enc) : null;
    return {
      email: reveal ? deps.cipher.decrypt(r.email_enc) : r.email_hint,
      first_name: r.first_name,
      last_name: r.last_name,
      position: r.position,
      seniority: r.seniority,
      department: r.department,
      type: r.type,
      confidence: r.confidence,
      phone: phone === null ? null : reveal ? phone : piiHint('phone', phone),
      linkedin_url: r.linkedin_url,
      twitter: r.twitter,
      verification_status: r.verification_status,
      verification_date: r.verification_date,
      source: r.enrichment_source,
      updated_at: r.updated_at,
    };
  });
  return { site, contacts };
}

/**
 * The sites an enrichment job covers: the named domains (each must be a known site), or
 * every `pending` site (`allPending`), or every site in `error` (`retryErrors`, e.g.
 * after a quota failure), in domain order. Exactly one way must be given.
 */
export async function selectSitesForEnrichment(
  deps: SitesDeps,
  by: { domains?: readonly string[]; allPending?: boolean; retryErrors?: boolean },
): Promise<SiteRow[]> {
  const ways = [by.domains !== undefined, by.allPending === true, by.retryErrors === true].filter(Boolean);
  if (ways.length !== 1) {
    throw new UserError('choose the sites: --domains a,b or --all-pending or --retry-errors', 'no_selection');
  }
  if (by.domains !== undefined) {
    const domains = [...new Set(by.domains.map(siteDomainOrThrow))];
    const sites = await listSites(deps.db, deps.accountId, { domains });
    const known = new Set(sites.map((s) => s.domain));
    const missing = domains.filter((d) => !known.has(d));
    if (missing.length > 0) {
      throw new UserError(
        `no site ${missing.join(', ')} (add it first: leadtrace sites add <domain>)`,
        'not_found',
      );
    }
    return sites;
  }
  return listSites(deps.db, deps.accountId, { statuses: [by.allPending ? 'pending' : 'error'] });
}
