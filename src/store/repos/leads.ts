/**
 * Leads: dedupe-on-upsert (seed 001 `upsert_lead`). Per account a lead is unique by
 * address key, by APN (+FIPS when both sides know it), by MAK, and by (source, vendor
 * record id). Any hit touches `last_seen_at` and fills fields the stored lead lacks,
 * instead of inserting. The unique indexes back this up under concurrency.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable, Insertable } from 'kysely';
import type { LeadDraft } from '../../domain/lead.js';
import { addressKey } from '../../domain/signatures.js';
import type { Database, LeadsTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';
import { allIn, prepared } from '../sqlite-statements.js';

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

/**
 * Every column of `leads` in insert order; a LeadValues array holds one lead in this order.
 */
export const LEAD_COLUMNS = [
  'id',
  'account_id',
  'source',
  'vendor_record_id',
  'vendor_list_id',
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
  'pre_foreclosure',
  'foreclosure',
  'tax_lien',
  'bankruptcy',
  'vacant',
  'high_equity',
  'free_clear',
  'status',
  'enrichment_status',
  'enrichment_error',
  'quality_score',
  'quality_status',
  'first_seen_at',
  'last_seen_at',
  'enriched_at',
  'skip_traced_at',
] as const satisfies readonly (keyof LeadsTable)[];

type LeadColumn = (typeof LEAD_COLUMNS)[number];
// A column added to LeadsTable but not to LEAD_COLUMNS fails to compile here.
const allColumnsListed: [Exclude<keyof LeadsTable, LeadColumn>] extends [never] ? true : never = true;
void allColumnsListed;

/** LEAD_COLUMNS as a select list. */
const LEAD_COLUMN_LIST = LEAD_COLUMNS.map((c) => `"${c}"`).join(', ');

const COL = Object.fromEntries(LEAD_COLUMNS.map((c, i) => [c, i])) as Record<LeadColumn, number>;

/**
 * One lead as column values in LEAD_COLUMNS order: strings, numbers and nulls only, so a
 * batch crosses a worker boundary cheaply and binds to a prepared statement as it is. The
 * id, account and timestamp slots stay null until upsertLeadValues fills them.
 */
export type LeadValues = (string | number | null)[];

/** A lead ready for upsertLeadValues: its source row and its values. */
export interface PreparedLead {
  /** 1-based data row number in the source file. */
  rowNumber: number;
  /** Owned by the upsert from here on: a created lead's array is completed and inserted as is. */
  values: LeadValues;
}

const b = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

/** A draft as column values; every slot that is not a known value is null. */
export function draftToValues(d: LeadDraft): LeadValues {
  const a = d.address;
  const m = d.mailingAddress;
  const o = d.owner;
  const f = d.facts;
  const x = d.distress;
  return [
    null, // id
    null, // account_id
    d.source,
    d.vendorRecordId ?? null,
    null, // vendor_list_id
    d.propertyId ?? null,
    normalizeApn(d.apn),
    d.fips ?? null,
    d.mak ?? null,
    a?.line1 ?? null,
    a?.line2 ?? null,
    a?.city ?? null,
    a?.state ?? null,
    a?.zip5 ?? null,
    a?.zip4 ?? null,
    a ? addressKey(a) : null,
    o?.first ?? null,
    o?.middle ?? null,
    o?.last ?? null,
    o?.full ?? null,
    o?.company ?? null,
    o?.ownerType ?? null,
    m?.line1 ?? null,
    m?.line2 ?? null,
    m?.city ?? null,
    m?.state ?? null,
    m?.zip5 ?? null,
    f.propertyType ?? null,
    f.beds ?? null,
    f.baths ?? null,
    f.sqft ?? null,
    f.yearBuilt ?? null,
    f.estimatedValue ?? null,
    f.estimatedEquity ?? null,
    f.equityPercent ?? null,
    b(f.ownerOccupied ?? null),
    b(f.absenteeOwner ?? null),
    f.ownerAge ?? null,
    b(x.preForeclosure ?? null),
    b(x.foreclosure ?? null),
    b(x.taxLien ?? null),
    b(x.bankruptcy ?? null),
    b(x.vacant ?? null),
    b(x.highEquity ?? null),
    b(x.freeClear ?? null),
    'new', // status
    'pending', // enrichment_status
    null, // enrichment_error
    null, // quality_score
    null, // quality_status
    null, // first_seen_at
    null, // last_seen_at
    null, // enriched_at
    null, // skip_traced_at
  ];
}

function valuesToRow(v: LeadValues): Insertable<LeadsTable> {
  const row: Record<string, string | number | null> = {};
  for (let i = 0; i < LEAD_COLUMNS.length; i++) row[LEAD_COLUMNS[i]!] = v[i] ?? null;
  return row as unknown as Insertable<LeadsTable>;
}

function rowToValues(r: LeadRow): LeadValues {
  const out: LeadValues = new Array(LEAD_COLUMNS.length);
  for (let i = 0; i < LEAD_COLUMNS.length; i++) out[i] = r[LEAD_COLUMNS[i]!];
  return out;
}

function fillIdentity(v: LeadValues, id: string, accountId: string, nowIso: string): LeadValues {
  v[COL.id] = id;
  v[COL.account_id] = accountId;
  v[COL.first_seen_at] = nowIso;
  v[COL.last_seen_at] = nowIso;
  return v;
}

const str = (v: string | number | null | undefined): string | null => (typeof v === 'string' ? v : null);

function keysOfValues(v: LeadValues): Keys {
  const vendorId = str(v[COL.vendor_record_id]);
  return {
    vendor: vendorId ? `${v[COL.source]}\u0000${vendorId}` : null,
    apn: str(v[COL.apn]),
    fips: str(v[COL.fips]),
    mak: str(v[COL.mak]),
    address: str(v[COL.address_key]),
  };
}

/**
 * Fields a duplicate may fill on the stored lead (never overwrites a known value): every
 * column from property_id through owner_age — identity, keys, source and lifecycle columns
 * lie outside that range (vendor_record_id too: it is only unique together with source).
 */
const MERGEABLE = LEAD_COLUMNS.slice(
  LEAD_COLUMNS.indexOf('property_id'),
  LEAD_COLUMNS.indexOf('owner_age') + 1,
) as (keyof LeadsTable & LeadColumn)[];
const MERGEABLE_AT = MERGEABLE.map((col) => [col, COL[col]] as const);

/** The four key lookups of findMatches, in the order their hits are indexed. */
type LookupColumn = 'address_key' | 'apn' | 'mak' | 'vendor_record_id';

function lookupValues(keys: readonly Keys[]): [LookupColumn, string[]][] {
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))];
  return [
    ['address_key', uniq(keys.map((k) => k.address))],
    ['apn', uniq(keys.map((k) => k.apn))],
    ['mak', uniq(keys.map((k) => k.mak))],
    ['vendor_record_id', uniq(keys.map((k) => (k.vendor ? k.vendor.split('\u0000')[1]! : null)))],
  ];
}

/** Leads of the account matching any key of the drafts. */
async function findMatches(db: Kysely<Database>, accountId: string, keys: Keys[]): Promise<LeadRow[]> {
  const lookups = lookupValues(keys);
  if (lookups.every(([, values]) => values.length === 0)) return [];
  // Ids first, then each matched lead once (a lead often matches by address and APN both),
  // oldest first: of several stored leads with one APN, a row without FIPS matches the oldest.
  const ids = new Set<string>();
  for (const [column, values] of lookups) {
    for (const part of chunk(values, 5000)) {
      const rows = await db
        .selectFrom('leads')
        .select('id')
        .where('account_id', '=', accountId)
        .where(column, 'in', part)
        .execute();
      for (const r of rows) ids.add(r.id);
    }
  }
  const out: LeadRow[] = [];
  for (const part of chunk([...ids], 5000)) {
    out.push(...(await db.selectFrom('leads').selectAll().where('id', 'in', part).orderBy('id').execute()));
  }
  return out;
}

/**
 * findMatches on the raw SQLite connection, as column values: each lookup selects only the
 * ids it matches, then the matched leads are read once each (oldest first, as findMatches),
 * as arrays in LEAD_COLUMNS order. (Building a 54-key object per matched row, twice when address and APN both match,
 * made a re-import of 100k known leads spend ~3.5 s here.)
 */
function findMatchesSqlite(sqlite: BetterSqlite3.Database, accountId: string, keys: Keys[]): LeadValues[] {
  const lookups = lookupValues(keys);
  if (lookups.every(([, values]) => values.length === 0)) return [];
  const ids = new Set<string>();
  for (const [column, values] of lookups) {
    for (const part of chunk(values, 5000)) {
      const placeholders = part.map(() => '?').join(', ');
      const select = prepared(
        sqlite,
        `select "id" from "leads" where "account_id" = ? and "${column}" in (${placeholders})`,
      );
      for (const id of allIn('pluck', select, [accountId, ...part]) as string[]) ids.add(id);
    }
  }
  const out: LeadValues[] = [];
  for (const part of chunk([...ids], 5000)) {
    const read = prepared(
      sqlite,
      `select ${LEAD_COLUMN_LIST} from "leads" where "id" in (${part.map(() => '?').join(', ')}) order by "id"`,
    );
    for (const row of allIn('raw', read, part) as LeadValues[]) out.push(row);
  }
  return out;
}

/**
 * Inserts leads on the raw SQLite connection. Each row binds only its non-null values, through
 * a statement prepared per set of present columns: binding is most of the per-row cost, and
 * an import has a handful of shapes. Only columns whose default is NULL may be left out.
 */
class SqliteLeadInserter {
  /** Per shape its statement and an argument array reused for every row (bound, not kept). */
  private readonly shapes = new Map<number, { statement: BetterSqlite3.Statement; args: LeadValues }>();
  /** Bit per column from index 2 on (id and account_id are always set): may it be omitted? */
  private readonly omittable: boolean[];
  private full: BetterSqlite3.Statement | undefined;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    const info = sqlite.prepare("select name, dflt_value from pragma_table_info('leads')").all() as {
      name: string;
      dflt_value: string | null;
    }[];
    const noDefault = new Set(info.filter((c) => c.dflt_value === null).map((c) => c.name));
    this.omittable = LEAD_COLUMNS.map((c, i) => i >= 2 && noDefault.has(c));
  }

  insert(v: LeadValues): void {
    // 52 flags at most: an exact integer key.
    let shape = 0;
    let present = 2;
    for (let i = 2; i < v.length; i++) {
      const bound = v[i] !== null || !this.omittable[i];
      shape = shape * 2 + (bound ? 1 : 0);
      if (bound) present++;
    }
    let prepared = this.shapes.get(shape);
    if (!prepared) {
      // Files with many sparse columns could make many shapes: past 64, bind every column.
      if (this.shapes.size >= 64) {
        this.full ??= this.prepare(2 ** (v.length - 2) - 1);
        this.full.run(v);
        return;
      }
      prepared = { statement: this.prepare(shape), args: new Array<string | number | null>(present) };
      this.shapes.set(shape, prepared);
    }
    const args = prepared.args;
    let n = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== null || !this.omittable[i]) args[n++] = v[i] ?? null;
    prepared.statement.run(args);
  }

  private prepare(shape: number): BetterSqlite3.Statement {
    const cols: string[] = [];
    for (let i = LEAD_COLUMNS.length - 1, bits = shape; i >= 0; i--, bits = Math.floor(bits / 2)) {
      if (i < 2 || bits % 2 === 1 || !this.omittable[i]) cols.unshift(LEAD_COLUMNS[i]!);
    }
    return this.sqlite.prepare(
      `insert into "leads" (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`,
    );
  }
}

const inserters = new WeakMap<BetterSqlite3.Database, SqliteLeadInserter>();

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
  sqlite?: BetterSqlite3.Database,
): Promise<UpsertOutcome[]> {
  const leads = drafts.map((d) => ({ rowNumber: d.rowNumber, values: draftToValues(d) }));
  return upsertLeadValues(db, accountId, leads, nowIso, newId, index, sqlite);
}

/**
 * upsertLeadBatch for leads already turned into values (draftToValues), as an import's
 * parsing produces them. Call inside a transaction.
 *
 * `sqlite`, when given, is the raw connection under `db` (Store.sqlite): lookups and inserts
 * then run as prepared statements on it instead of compiled Kysely queries. It must be the
 * same connection, and `db` a transaction on it, so the statements join that transaction.
 */
export async function upsertLeadValues(
  db: Kysely<Database>,
  accountId: string,
  leads: readonly PreparedLead[],
  nowIso: string,
  newId: () => string,
  index: LeadKeyIndex = new LeadKeyIndex(),
  sqlite?: BetterSqlite3.Database,
): Promise<UpsertOutcome[]> {
  if (sqlite && !sqlite.inTransaction) {
    throw new Error("upsertLeadValues: the raw SQLite path must run inside the caller's transaction");
  }
  const keys = leads.map((l) => keysOfValues(l.values));
  const existing = sqlite
    ? findMatchesSqlite(sqlite, accountId, keys)
    : (await findMatches(db, accountId, keys)).map(rowToValues);
  const stored = new Map<string, LeadValues>();
  for (const values of existing) {
    const id = values[COL.id] as string;
    stored.set(id, values);
    index.add(id, keysOfValues(values));
  }
  const outcomes: UpsertOutcome[] = [];
  const inserts: LeadValues[] = [];
  const touched = new Set<string>();
  const patches = new Map<string, Record<string, string | number>>();
  const pending = new Map<string, LeadValues>();
  for (let i = 0; i < leads.length; i++) {
    const lead = leads[i]!;
    const k = keys[i]!;
    const dup = index.find(k);
    if (!dup) {
      const id = newId();
      const row = fillIdentity(lead.values, id, accountId, nowIso);
      inserts.push(row);
      pending.set(id, row);
      index.add(id, k);
      outcomes.push({ rowNumber: lead.rowNumber, leadId: id, created: true });
      continue;
    }
    outcomes.push({ rowNumber: lead.rowNumber, leadId: dup.leadId, created: false, duplicate: dup });
    const incoming = lead.values;
    const target = pending.get(dup.leadId) ?? stored.get(dup.leadId);
    if (!target) continue;
    if (stored.has(dup.leadId)) touched.add(dup.leadId);
    const patch: Record<string, string | number> = patches.get(dup.leadId) ?? {};
    for (const [col, at] of MERGEABLE_AT) {
      const value = incoming[at];
      if (
        (target[at] === null || target[at] === undefined) &&
        value !== null &&
        value !== undefined &&
        !index.takenByOther(col, value, dup.leadId)
      ) {
        target[at] = value;
        patch[col] = value;
      }
    }
    if (stored.has(dup.leadId) && Object.keys(patch).length > 0) patches.set(dup.leadId, patch);
    // A newly learned key lets later rows find this lead too.
    index.add(dup.leadId, keysOfValues(target));
  }
  if (sqlite) {
    let inserter = inserters.get(sqlite);
    if (!inserter) inserters.set(sqlite, (inserter = new SqliteLeadInserter(sqlite)));
    for (const row of inserts) inserter.insert(row);
  } else {
    for (const part of chunk(inserts, rowsPerInsert(60))) {
      await db.insertInto('leads').values(part.map(valuesToRow)).execute();
    }
  }
  for (const ids of chunk([...touched], 5000)) {
    await db.updateTable('leads').set({ last_seen_at: nowIso }).where('id', 'in', ids).execute();
  }
  for (const [id, patch] of patches) {
    await db
      .updateTable('leads')
      .set(patch as Partial<LeadsTable>)
      .where('id', '=', id)
      .execute();
  }
  return outcomes;
}

export { LeadKeyIndex };

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
