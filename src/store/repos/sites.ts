/**
 * Company sites, the contacts found at their domains, and the link from a corporate-owned
 * lead to its company's site (leads.site_id). Contacts are written by (site, email blind
 * index): the unique index makes a re-enrichment update a known address, never add a
 * second row for it, and nothing here deletes a contact.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, LeadSiteColumns, SiteContactsTable, SitesTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';

export type SiteRow = Selectable<SitesTable>;
export type SiteContactRow = Selectable<SiteContactsTable>;
export type SiteEnrichmentStatus = SitesTable['enrichment_status'];

/** The store with leads.site_id visible (see LeadSiteColumns in schema.ts). */
const withSiteLink = (db: Kysely<Database>) => db.withTables<{ leads: LeadSiteColumns }>();

/**
 * Adds a site, or finds the one the account already has for that domain. A name given for
 * a known site replaces its name; no name leaves it as it was.
 */
export async function upsertSite(
  db: Kysely<Database>,
  row: Insertable<SitesTable> & { account_id: string; domain: string },
): Promise<{ site: SiteRow; created: boolean }> {
  const inserted = await db
    .insertInto('sites')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'domain']).doNothing())
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  if (!created && row.name) {
    await db
      .updateTable('sites')
      .set({ name: row.name })
      .where('account_id', '=', row.account_id)
      .where('domain', '=', row.domain)
      .execute();
  }
  const site = await getSiteByDomain(db, row.account_id, row.domain);
  if (!site) throw new Error(`site ${row.domain} vanished after its upsert`);
  return { site, created };
}

export async function getSiteByDomain(
  db: Kysely<Database>,
  accountId: string,
  domain: string,
): Promise<SiteRow | undefined> {
  return db
    .selectFrom('sites')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('domain', '=', domain)
    .executeTakeFirst();
}

/** Sites by id, in the order of `ids`; ids of other accounts or unknown ids are left out. */
export async function getSitesByIds(
  db: Kysely<Database>,
  accountId: string,
  ids: readonly string[],
): Promise<SiteRow[]> {
  const byId = new Map<string, SiteRow>();
  for (const part of chunk(ids, 5000)) {
    const rows = await db
      .selectFrom('sites')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) byId.set(r.id, r);
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface SiteListRow extends SiteRow {
  contacts: number;
}

/** The account's sites in domain order, each with its contact count. */
export async function listSites(
  db: Kysely<Database>,
  accountId: string,
  filter: { statuses?: readonly SiteEnrichmentStatus[]; domains?: readonly string[] } = {},
): Promise<SiteListRow[]> {
  let q = db
    .selectFrom('sites')
    .selectAll('sites')
    .select((eb) =>
      eb
        .selectFrom('site_contacts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('site_contacts.site_id', '=', 'sites.id')
        .as('contacts'),
    )
    .where('sites.account_id', '=', accountId);
  if (filter.statuses) q = q.where('sites.enrichment_status', 'in', [...filter.statuses]);
  if (filter.domains) q = q.where('sites.domain', 'in', [...filter.domains]);
  const rows = await q.orderBy('sites.domain').execute();
  return rows.map((r) => ({ ...r, contacts: Number(r.contacts ?? 0) }));
}

export async function setSitesStage(
  db: Kysely<Database>,
  accountId: string,
  siteIds: readonly string[],
  stage: string,
): Promise<void> {
  for (const part of chunk(siteIds, 5000)) {
    await db
      .updateTable('sites')
      .set({ pipeline_stage: stage })
      .where('account_id', '=', accountId)
      .where('id', 'in', part)
      .execute();
  }
}

export async function setSiteStatus(
  db: Kysely<Database>,
  siteIds: readonly string[],
  patch: {
    enrichment_status: SiteEnrichmentStatus;
    enrichment_error?: string | null;
    last_enriched_at?: string;
    name?: string;
  },
): Promise<void> {
  for (const part of chunk(siteIds, 5000)) {
    await db.updateTable('sites').set(patch).where('id', 'in', part).execute();
  }
}

/** The blind indexes among `hashes` that the site already has a contact for. */
export async function knownContactHashes(
  db: Kysely<Database>,
  siteId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (const part of chunk(hashes, 5000)) {
    const rows = await db
      .selectFrom('site_contacts')
      .select('email_hash')
      .where('site_id', '=', siteId)
      .where('email_hash', 'in', part)
      .execute();
    for (const r of rows) known.add(r.email_hash);
  }
  return known;
}

/**
 * Inserts new contacts and refreshes known ones. A refresh keeps the row's id, email and
 * created_at; each vendor field takes the new value when there is one and keeps the old
 * one when the new answer lacks it (a narrower search must not erase what a wider one found).
 */
export async function upsertSiteContacts(
  db: Kysely<Database>,
  rows: readonly Insertable<SiteContactsTable>[],
): Promise<void> {
  for (const part of chunk(rows, rowsPerInsert(23))) {
    await db
      .insertInto('site_contacts')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['site_id', 'email_hash']).doUpdateSet((eb) => {
          const fresh = <C extends RefreshedColumn>(col: C) =>
            eb.fn.coalesce(eb.ref(`excluded.${col}`), eb.ref(`site_contacts.${col}`));
          return {
            first_name: fresh('first_name'),
            last_name: fresh('last_name'),
            position: fresh('position'),
            seniority: fresh('seniority'),
            department: fresh('department'),
            type: fresh('type'),
            confidence: fresh('confidence'),
            linkedin_url: fresh('linkedin_url'),
            twitter: fresh('twitter'),
            phone_enc: fresh('phone_enc'),
            verification_status: fresh('verification_status'),
            verification_date: fresh('verification_date'),
            enrichment_source: eb.ref('excluded.enrichment_source'),
            enrichment_job_id: eb.ref('excluded.enrichment_job_id'),
            updated_at: eb.ref('excluded.updated_at'),
          };
        }),
      )
      .execute();
  }
}

type RefreshedColumn =
  | 'first_name'
  | 'last_name'
  | 'position'
  | 'seniority'
  | 'department'
  | 'type'
  | 'confidence'
  | 'linkedin_url'
  | 'twitter'
  | 'phone_enc'
  | 'verification_status'
  | 'verification_date';

/** A site's contacts, most confident first (unscored last), then in first-found order. */
export async function listSiteContacts(db: Kysely<Database>, siteId: string): Promise<SiteContactRow[]> {
  return db
    .selectFrom('site_contacts')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy(sql`case when confidence is null then 1 else 0 end`)
    .orderBy('confidence', 'desc')
    .orderBy('id')
    .execute();
}

export async function countSiteContacts(db: Kysely<Database>, siteId: string): Promise<number> {
  const row = await db
    .selectFrom('site_contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- leads ↔ sites ---------------------------------------------------------------------------

export interface LeadOwnerRow {
  id: string;
  owner_company: string | null;
  owner_type: string | null;
  site_id: string | null;
}

export async function getLeadOwner(
  db: Kysely<Database>,
  accountId: string,
  leadId: string,
): Promise<LeadOwnerRow | undefined> {
  return withSiteLink(db)
    .selectFrom('leads')
    .select(['id', 'owner_company', 'owner_type', 'site_id'])
    .where('account_id', '=', accountId)
    .where('id', '=', leadId)
    .executeTakeFirst();
}

/** One page (by id) of the account's leads of the given owner types that have no site yet. */
export async function unlinkedCompanyLeads(
  db: Kysely<Database>,
  accountId: string,
  ownerTypes: readonly string[],
  afterId: string | null,
  limit: number,
): Promise<{ id: string; owner_company: string }[]> {
  let q = withSiteLink(db)
    .selectFrom('leads')
    .select(['id', 'owner_company'])
    .where('account_id', '=', accountId)
    .where('owner_type', 'in', [...ownerTypes])
    .where('owner_company', 'is not', null)
    .where('site_id', 'is', null);
  if (afterId !== null) q = q.where('id', '>', afterId);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, owner_company: r.owner_company! }));
}

/** Sets leads.site_id for the given leads of the account. */
export async function setLeadsSite(
  db: Kysely<Database>,
  accountId: string,
  leadIds: readonly string[],
  siteId: string,
): Promise<void> {
  for (const part of chunk(leadIds, 5000)) {
    await withSiteLink(db)
      .updateTable('leads')
      .set({ site_id: siteId })
      .where('account_id', '=', accountId)
      .where('id', 'in', part)
      .execute();
  }
}

/** How many of the account's leads are linked to the site. */
export async function countLinkedLeads(
  db: Kysely<Database>,
  accountId: string,
  siteId: string,
): Promise<number> {
  const row = await withSiteLink(db)
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
