/**
 * Acquisition state (migration 006): bookmarks per (account, source, query signature), the
 * page events of pulls, and the "seen before?" lookups stop-when-known is built on (seed 001
 * `has_vendor_ids_been_seen`): by the leads' (source, vendor_record_id) key, and by the ids
 * recorded on earlier pages of the same search.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { chunk } from '../chunk.js';
import type { Database, LeadSourceEventsTable, SourceBookmarksTable } from '../schema.js';

export type BookmarkRow = Selectable<SourceBookmarksTable>;
export type SourceEventRow = Selectable<LeadSourceEventsTable>;

export interface QueryScope {
  accountId: string;
  source: string;
  querySig: string;
}

export async function getBookmark(db: Kysely<Database>, scope: QueryScope): Promise<BookmarkRow | undefined> {
  return db
    .selectFrom('source_bookmarks')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('source', '=', scope.source)
    .where('query_sig', '=', scope.querySig)
    .executeTakeFirst();
}

/** Inserts or replaces the bookmark of one search (the unique key makes it one row). */
export async function saveBookmark(db: Kysely<Database>, row: BookmarkRow): Promise<void> {
  await db
    .insertInto('source_bookmarks')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['account_id', 'source', 'query_sig']).doUpdateSet({
        query_json: row.query_json,
        last_page_fetched: row.last_page_fetched,
        last_seen_vendor_id: row.last_seen_vendor_id,
        last_pull_id: row.last_pull_id,
        result_total: row.result_total,
        resume_index: row.resume_index,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function insertSourceEvent(
  db: Kysely<Database>,
  row: Insertable<LeadSourceEventsTable>,
): Promise<void> {
  await db.insertInto('lead_source_events').values(row).execute();
}

/** Events of one search, oldest first (for reports and tests). */
export async function sourceEventsOf(db: Kysely<Database>, scope: QueryScope): Promise<SourceEventRow[]> {
  return db
    .selectFrom('lead_source_events')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('source', '=', scope.source)
    .where('query_sig', '=', scope.querySig)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Which of `ids` earlier pages of this search recorded (any mode, or only `mode`). Reads the
 * JSON id arrays of the search's events: portable SQL on both dialects, and a search's
 * history is small next to the id lists it is compared with.
 */
export async function idsSeenOnPages(
  db: Kysely<Database>,
  scope: QueryScope,
  ids: readonly string[],
  mode?: 'ids' | 'full',
): Promise<Set<string>> {
  const seen = new Set<string>();
  if (ids.length === 0) return seen;
  const wanted = new Set(ids);
  let query = db
    .selectFrom('lead_source_events')
    .select('seen_vendor_ids')
    .where('account_id', '=', scope.accountId)
    .where('source', '=', scope.source)
    .where('query_sig', '=', scope.querySig);
  if (mode) query = query.where('mode', '=', mode);
  for (const row of await query.execute()) {
    for (const id of JSON.parse(row.seen_vendor_ids) as string[]) if (wanted.has(id)) seen.add(id);
  }
  return seen;
}

/** A stored lead found by its vendor id, and whether it already holds a property record. */
export interface VendorLead {
  leadId: string;
  /** The lead has a property address: a full record (or a detail) was stored for it. */
  hasRecord: boolean;
}

/** Leads of the account keyed (source, vendor_record_id) for these vendor ids. */
export async function leadsByVendorIds(
  db: Kysely<Database>,
  accountId: string,
  source: string,
  ids: readonly string[],
): Promise<Map<string, VendorLead>> {
  const out = new Map<string, VendorLead>();
  for (const part of chunk([...new Set(ids)], 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select(['id', 'vendor_record_id', 'address_line1'])
      .where('account_id', '=', accountId)
      .where('source', '=', source)
      .where('vendor_record_id', 'in', part)
      .execute();
    for (const r of rows) {
      out.set(r.vendor_record_id!, { leadId: r.id, hasRecord: r.address_line1 !== null });
    }
  }
  return out;
}
