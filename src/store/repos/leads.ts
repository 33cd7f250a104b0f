/**
 * Leads: dedupe-on-upsert (seed 001 `upsert_lead`). Per account a lead is unique by
 * address key, by APN (+FIPS when both sides know it), by MAK, and by (source, vendor
 * record id). Any hit touches `last_seen_at` and fills fields the stored lead lacks,
 * instead of inserting. The unique indexes back this up under concurrency.
 */
import type { Kysely, Selectable, Insertable } from 'kysely';
import type { LeadDraft } from '../../domain/lead.js';
import { addressKey } from '../../domain/signatures.js';
import type { Database, LeadsTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';

export type LeadRow = Selectable<LeadsTable>;
export type DedupeKey = 'vendor_record_id' | 'apn' | 'mak' | 'address_key';

export interface UpsertOutcome {
  rowNumber: number;
  leadId: string;
  created: boolean;
  /** Set when the row matched a lead stored before or earlier in the same batch. */
  duplicate?: { leadId: string; by: DedupeKey };
}

/** APNs are compared without separators or case: "5544-003-021" = "5544003021". */
export function normalizeApn(apn: string | null): string | null {
  if (!apn) return null;
  const key = apn.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key.length > 0 ? key : null;
}

interface Keys {
  vendor: string | null;
  apn: string | null;
  fips: string | null;
  mak: string | null;
  address: string | null;
}

function keysOfDraft(d: LeadDraft): Keys {
  return {
    vendor: d.vendorRecordId ? `${d.source}\u0000${d.vendorRecordId}` : null,
    apn: normalizeApn(d.apn),
    fips: d.fips,
    mak: d.mak,
    address: d.address ? addressKey(d.address) : null,
  };
}

function keysOfRow(r: LeadRow): Keys {
  return {
    vendor: r.vendor_record_id ? `${r.source}\u0000${r.vendor_record_id}` : null,
    apn: r.apn,
    fips: r.fips,
    mak: r.mak,
    address: r.address_key,
  };
}

/** In-memory index over leads seen so far, so a batch dedupes against itself and the DB. */
class LeadKeyIndex {
  private readonly vendor = new Map<string, string>();
  private readonly apn = new Map<string, { id: string; fips: string | null }[]>();
  private readonly mak = new Map<string, string>();
  private readonly address = new Map<string, string>();

  add(id: string, k: Keys): void {
    if (k.vendor) this.vendor.set(k.vendor, id);
    if (k.apn) {
      const list = this.apn.get(k.apn) ?? [];
      list.push({ id, fips: k.fips });
      this.apn.set(k.apn, list);
    }
    if (k.mak) this.mak.set(k.mak, id);
    if (k.address) this.address.set(k.address, id);
  }

  /** True when `value` of a key column already belongs to a lead other than `leadId`. */
  takenByOther(column: string, value: unknown, leadId: string): boolean {
    if (typeof value !== 'string') return false;
    const owner =
      column === 'address_key'
        ? this.address.get(value)
        : column === 'mak'
          ? this.mak.get(value)
          : column === 'apn'
            ? this.apn.get(value)?.[0]?.id
            : undefined;
    return owner !== undefined && owner !== leadId;
  }

  find(k: Keys): { leadId: string; by: DedupeKey } | undefined {
    if (k.vendor && this.vendor.has(k.vendor))
      return { leadId: this.vendor.get(k.vendor)!, by: 'vendor_record_id' };
    if (k.apn) {
      // Same APN in another county is another parcel: FIPS must agree when both know it.
      const hit = this.apn.get(k.apn)?.find((e) => !e.fips || !k.fips || e.fips === k.fips);
      if (hit) return { leadId: hit.id, by: 'apn' };
    }
    if (k.mak && this.mak.has(k.mak)) return { leadId: this.mak.get(k.mak)!, by: 'mak' };
    if (k.address && this.address.has(k.address))
      return { leadId: this.address.get(k.address)!, by: 'address_key' };
    return undefined;
  }
}

/** Leads of the account matching any key of the drafts. */
async function findMatches(db: Kysely<Database>, accountId: string, keys: Keys[]): Promise<LeadRow[]> {
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
  const addressKeys = uniq(keys.map((k) => k.address));
  const apns = uniq(keys.map((k) => k.apn));
  const maks = uniq(keys.map((k) => k.mak));
  const vendorIds = uniq(keys.map((k) => (k.vendor ? k.vendor.split('\u0000')[1]! : null)));
  if (addressKeys.length + apns.length + maks.length + vendorIds.length === 0) return [];
  const byId = new Map<string, LeadRow>();
  const lookups: [keyof LeadsTable, string[]][] = [
    ['address_key', addressKeys],
    ['apn', apns],
    ['mak', maks],
    ['vendor_record_id', vendorIds],
  ];
  for (const [column, values] of lookups) {
    for (const part of chunk(values, 5000)) {
      const rows = await db
        .selectFrom('leads')
        .selectAll()
        .where('account_id', '=', accountId)
        .where(column, 'in', part)
        .execute();
      for (const r of rows) byId.set(r.id, r);
    }
  }
  return [...byId.values()];
}

const b = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

export function draftToRow(
  d: LeadDraft,
  id: string,
  accountId: string,
  nowIso: string,
): Insertable<LeadsTable> {
  const a = d.address;
  const m = d.mailingAddress;
  const o = d.owner;
  return {
    id,
    account_id: accountId,
    source: d.source,
    vendor_record_id: d.vendorRecordId,
    vendor_list_id: null,
    property_id: d.propertyId,
    apn: normalizeApn(d.apn),
    fips: d.fips,
    mak: d.mak,
    address_line1: a?.line1 ?? null,
    address_line2: a?.line2 ?? null,
    city: a?.city ?? null,
    state: a?.state ?? null,
    zip5: a?.zip5 ?? null,
    zip4: a?.zip4 ?? null,
    address_key: a ? addressKey(a) : null,
    owner_first: o?.first ?? null,
    owner_middle: o?.middle ?? null,
    owner_last: o?.last ?? null,
    owner_full: o?.full ?? null,
    owner_company: o?.company ?? null,
    owner_type: o?.ownerType ?? null,
    mailing_line1: m?.line1 ?? null,
    mailing_line2: m?.line2 ?? null,
    mailing_city: m?.city ?? null,
    mailing_state: m?.state ?? null,
    mailing_zip5: m?.zip5 ?? null,
    property_type: d.facts.propertyType,
    beds: d.facts.beds,
    baths: d.facts.baths,
    sqft: d.facts.sqft,
    year_built: d.facts.yearBuilt,
    estimated_value: d.facts.estimatedValue,
    estimated_equity: d.facts.estimatedEquity,
    equity_percent: d.facts.equityPercent,
    owner_occupied: b(d.facts.ownerOccupied),
    absentee_owner: b(d.facts.absenteeOwner),
    owner_age: d.facts.ownerAge,
    pre_foreclosure: b(d.distress.preForeclosure),
    foreclosure: b(d.distress.foreclosure),
    tax_lien: b(d.distress.taxLien),
    bankruptcy: b(d.distress.bankruptcy),
    vacant: b(d.distress.vacant),
    high_equity: b(d.distress.highEquity),
    free_clear: b(d.distress.freeClear),
    status: 'new',
    enrichment_status: 'pending',
    enrichment_error: null,
    quality_score: null,
    quality_status: null,
    first_seen_at: nowIso,
    last_seen_at: nowIso,
    enriched_at: null,
    skip_traced_at: null,
  };
}

/** Fields a duplicate may fill on the stored lead (never overwrites a known value). */
const MERGEABLE: (keyof LeadsTable)[] = [
  'property_id',
  'apn',
  'fips',
  'mak',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'zip5',
  'zip4',
  'address_key',
  'owner_first',
  'owner_middle',
  'owner_last',
  'owner_full',
  'owner_company',
  'owner_type',
  'mailing_line1',
  'mailing_line2',
  'mailing_city',
  'mailing_state',
  'mailing_zip5',
  'property_type',
  'beds',
  'baths',
  'sqft',
  'year_built',
  'estimated_value',
  'estimated_equity',
  'equity_percent',
  'owner_occupied',
  'absentee_owner',
  'owner_age',
];

/**
 * Upserts one batch of drafts (call inside a transaction; seed 004 batches 1,000).
 * `index` carries keys across batches of the same import.
 */
export async function upsertLeadBatch(
  db: Kysely<Database>,
  accountId: string,
  drafts: readonly LeadDraft[],
  nowIso: string,
  newId: () => string,
  index: LeadKeyIndex = new LeadKeyIndex(),
): Promise<UpsertOutcome[]> {
  const keys = drafts.map(keysOfDraft);
  const existing = await findMatches(db, accountId, keys);
  const stored = new Map<string, LeadRow>();
  for (const row of existing) {
    stored.set(row.id, row);
    index.add(row.id, keysOfRow(row));
  }
  const outcomes: UpsertOutcome[] = [];
  const inserts: Insertable<LeadsTable>[] = [];
  const touched = new Set<string>();
  const patches = new Map<string, Partial<LeadsTable>>();
  const pending = new Map<string, Insertable<LeadsTable>>();
  drafts.forEach((d, i) => {
    const k = keys[i]!;
    const dup = index.find(k);
    if (!dup) {
      const id = newId();
      const row = draftToRow(d, id, accountId, nowIso);
      inserts.push(row);
      pending.set(id, row);
      index.add(id, k);
      outcomes.push({ rowNumber: d.rowNumber, leadId: id, created: true });
      return;
    }
    outcomes.push({ rowNumber: d.rowNumber, leadId: dup.leadId, created: false, duplicate: dup });
    const incoming = draftToRow(d, dup.leadId, accountId, nowIso);
    const target = pending.get(dup.leadId) ?? stored.get(dup.leadId);
    if (!target) return;
    if (stored.has(dup.leadId)) touched.add(dup.leadId);
    const patch = patches.get(dup.leadId) ?? {};
    for (const col of MERGEABLE) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const t = target as any;
      if (
        (t[col] === null || t[col] === undefined) &&
        incoming[col] !== null &&
        incoming[col] !== undefined &&
        !index.takenByOther(col, incoming[col], dup.leadId)
      ) {
        t[col] = incoming[col];
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (patch as any)[col] = incoming[col];
      }
    }
    if (stored.has(dup.leadId) && Object.keys(patch).length > 0) patches.set(dup.leadId, patch);
    // A newly learned key lets later rows find this lead too.
    index.add(dup.leadId, keysOfRow(target as LeadRow));
  });
  for (const part of chunk(inserts, rowsPerInsert(60))) {
    await db.insertInto('leads').values(part).execute();
  }
  for (const ids of chunk([...touched], 5000)) {
    await db.updateTable('leads').set({ last_seen_at: nowIso }).where('id', 'in', ids).execute();
  }
  for (const [id, patch] of patches) {
    await db.updateTable('leads').set(patch).where('id', '=', id).execute();
  }
  return outcomes;
}

export { LeadKeyIndex };

export async function getLeadsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<LeadRow[]> {
  const out: LeadRow[] = [];
  for (const part of chunk(ids, 5000)) {
    out.push(...(await db.selectFrom('leads').selectAll().where('id', 'in', part).execute()));
  }
  return out;
}

/** The columns a vendor request needs: a narrow read for the run hot path. */
export const TRACE_COLUMNS = [
  'id',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'zip5',
  'zip4',
  'owner_first',
  'owner_middle',
  'owner_last',
  'owner_full',
  'owner_company',
  'owner_type',
] as const;

export type TraceLead = Pick<LeadRow, (typeof TRACE_COLUMNS)[number]>;

export async function getTraceLeads(db: Kysely<Database>, ids: readonly string[]): Promise<TraceLead[]> {
  const out: TraceLead[] = [];
  for (const part of chunk(ids, 5000)) {
    out.push(...(await db.selectFrom('leads').select(TRACE_COLUMNS).where('id', 'in', part).execute()));
  }
  return out;
}
