/**
 * Contact points: phones and emails stored encrypted with a blind index and a hint.
 * Values are decrypted only here, for merge and export; the API never returns raw bodies.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { insertRowsSqlite } from '../sqlite-statements.js';
import type { MergedContact, StoredContact } from '../../domain/contacts/merge-contacts.js';
import type { PhoneLineType } from '../../domain/contacts/types.js';
import { piiHint, type PiiCipher } from '../../domain/pii/cipher.js';
import { complianceExpiry } from '../../domain/compliance/rules.js';
import type { Database } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';

export interface LeadContact extends StoredContact {
  leadId: string;
  /** Blind index of the value (matches the suppression list). */
  valueHash: string;
}

/** Every contact of the given leads, decrypted, in first-seen order. */
export async function loadContacts(
  db: Kysely<Database>,
  cipher: PiiCipher,
  leadIds: readonly string[],
): Promise<Map<string, LeadContact[]>> {
  const out = new Map<string, LeadContact[]>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('contact_points')
      .selectAll()
      .where('lead_id', 'in', part)
      .orderBy('first_seen_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.lead_id) ?? [];
      list.push({
        leadId: r.lead_id,
        valueHash: r.value_hash,
        id: r.id,
        kind: r.kind,
        value: cipher.decrypt(r.value_enc),
        type: r.type as PhoneLineType,
        carrier: r.carrier,
        dnc: r.dnc === 1,
        tcpa: r.tcpa === 1,
        litigator: r.litigator === 1,
        confidence: r.confidence,
        verified: r.verified === 1,
        verificationStatus: r.verification_status,
        complianceSource: r.compliance_source,
        complianceCheckedAt: r.compliance_checked_at,
        sourcePrimary: false,
        sourceProvider: r.source_provider,
        providerCallId: r.provider_call_id,
        isPrimary: r.is_primary === 1,
        firstSeenAt: r.first_seen_at,
      });
      out.set(r.lead_id, list);
    }
  }
  return out;
}

/** saveMergedContacts' conflict rule as SQL, for the raw SQLite path (the same as the Kysely one). */
const CONTACT_UPSERT_SQL =
  'on conflict ("lead_id", "kind", "value_hash") do update set "last_seen_at" = "excluded"."last_seen_at"';

/**
 * Writes the changed part of merged contact sets: new rows inserted, changed rows updated.
 * `sqlite` (the raw connection under `db`, inside the caller's transaction) inserts without
 * compiling a query.
 */
export async function saveMergedContacts(
  db: Kysely<Database>,
  cipher: PiiCipher,
  accountId: string,
  merged: readonly { leadId: string; contacts: readonly MergedContact[] }[],
  newId: () => string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  const inserts = [];
  const updates: MergedContact[] = [];
  for (const { leadId, contacts } of merged) {
    for (const c of contacts) {
      if (!c.changed) continue;
      if (c.id !== null) {
        updates.push(c);
        continue;
      }
      inserts.push({
        id: newId(),
        account_id: accountId,
        lead_id: leadId,
        person_id: null,
        kind: c.kind,
        value_enc: cipher.encrypt(c.value),
        value_hash: cipher.blindIndex(c.kind, c.value),
        value_hint: piiHint(c.kind, c.value),
        type: c.type,
        carrier: c.carrier,
        is_primary: c.isPrimary ? 1 : 0,
        confidence: c.confidence,
        verified: c.verified ? 1 : 0,
        verification_status: c.verificationStatus ?? null,
        dnc: c.dnc ? 1 : 0,
        tcpa: c.tcpa ? 1 : 0,
        litigator: c.litigator ? 1 : 0,
        ...complianceColumns(c),
        source_provider: c.sourceProvider,
        provider_call_id: c.providerCallId,
        first_seen_at: c.firstSeenAt,
        last_seen_at: c.lastSeenAt,
      });
    }
  }
  const inserted = sqlite ? insertRowsSqlite(sqlite, 'contact_points', inserts, CONTACT_UPSERT_SQL) : false;
  for (const part of inserted ? [] : chunk(inserts, rowsPerInsert(25))) {
    await db
      .insertInto('contact_points')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['lead_id', 'kind', 'value_hash']).doUpdateSet((eb) => ({
          last_seen_at: eb.ref('excluded.last_seen_at'),
        })),
      )
      .execute();
  }
  for (const c of updates) {
    await db
      .updateTable('contact_points')
      .set({
        type: c.type,
        carrier: c.carrier,
        is_primary: c.isPrimary ? 1 : 0,
        confidence: c.confidence,
        verified: c.verified ? 1 : 0,
        verification_status: c.verificationStatus ?? null,
        dnc: c.dnc ? 1 : 0,
        tcpa: c.tcpa ? 1 : 0,
        litigator: c.litigator ? 1 : 0,
        ...(c.kind === 'phone' && c.complianceCheckedAt ? complianceColumns(c) : {}),
        last_seen_at: c.lastSeenAt,
      })
      .where('id', '=', c.id!)
      .execute();
  }
}

/**
 * A phone's compliance provenance: who said its dnc/tcpa/litigator flags, when, and when
 * that answer stops counting (31 days, domain/compliance/rules.ts). Emails carry none.
 */
function complianceColumns(c: MergedContact): {
  compliance_source: string | null;
  compliance_checked_at: string | null;
  compliance_expires_at: string | null;
} {
  // Only a source that checks the registries dates the flags; otherwise "never checked".
  if (c.kind !== 'phone' || !c.complianceCheckedAt)
    return { compliance_source: null, compliance_checked_at: null, compliance_expires_at: null };
  const checkedAt = c.complianceCheckedAt;
  return {
    compliance_source: c.complianceSource ?? c.sourceProvider,
    compliance_checked_at: checkedAt,
    compliance_expires_at: complianceExpiry(checkedAt),
  };
}
