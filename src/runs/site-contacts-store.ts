/**
 * Stores one domain search's answer as a site's contacts: emails normalized (lower case),
 * encrypted with the PII cipher, blind-indexed for the (site, email_hash) unique index and
 * hinted (…@domain); phones to E.164 when they parse, encrypted. Counts what was new to
 * the site and what it already had (refreshed, see upsertSiteContacts).
 */
import type { Insertable, Kysely } from 'kysely';
import { normalizeEmail, normalizePhone } from '../domain/contacts/normalize-contact.js';
import { piiHint, type PiiCipher } from '../domain/pii/cipher.js';
import type { DomainContact } from '../providers/contract.js';
import { knownContactHashes, upsertSiteContacts } from '../store/repos/sites.js';
import type { Database, SiteContactsTable } from '../store/schema.js';

export interface ContactsSource {
  cipher: PiiCipher;
  accountId: string;
  newId: () => string;
  /** Provider id, kept as enrichment_source. */
  providerId: string;
  jobId: string;
  nowIso: string;
}

export async function storeSiteContacts(
  trx: Kysely<Database>,
  src: ContactsSource,
  siteId: string,
  contacts: readonly DomainContact[],
): Promise<{ added: number; updated: number }> {
  const rows = new Map<string, Insertable<SiteContactsTable>>();
  for (const c of contacts) {
    const email = normalizeEmail(c.email);
    if (!email) continue;
    const hash = src.cipher.blindIndex('email', email);
    if (rows.has(hash)) continue;
    const phone = c.phone ? (normalizePhone(c.phone) ?? c.phone.trim()) : null;
    rows.set(hash, {
      id: src.newId(),
      account_id: src.accountId,
      site_id: siteId,
      email_enc: src.cipher.encrypt(email),
      email_hash: hash,
      email_hint: piiHint('email', email),
      first_name: c.first,
      last_name: c.last,
      position: c.position,
      seniority: c.seniority,
      department: c.department,
      type: c.type,
      confidence: c.confidence,
      linkedin_url: c.linkedinUrl,
      twitter: c.twitter,
      phone_enc: phone ? src.cipher.encrypt(phone) : null,
      verification_status: c.verificationStatus,
      verification_date: c.verificationDate,
      enrichment_source: src.providerId,
      enrichment_job_id: src.jobId,
      created_at: src.nowIso,
      updated_at: src.nowIso,
    });
  }
  const known = await knownContactHashes(trx, siteId, [...rows.keys()]);
  await upsertSiteContacts(trx, [...rows.values()]);
  return { added: rows.size - known.size, updated: known.size };
}
