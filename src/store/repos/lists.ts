/** Lists ("buckets") and membership: a lead may sit on several lists (stacking). */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ListsTable } from '../schema.js';
import { chunk } from '../chunk.js';

export type ListRow = Selectable<ListsTable>;

export async function createList(
  db: Kysely<Database>,
  list: { id: string; accountId: string; name: string; description?: string | null; source?: string | null },
  nowIso: string,
): Promise<ListRow> {
  const row: ListRow = {
    id: list.id,
    account_id: list.accountId,
    name: list.name,
    description: list.description ?? null,
    source: list.source ?? null,
    filters_json: null,
    signals_json: null,
    input_columns_json: null,
    created_at: nowIso,
  };
  await db.insertInto('lists').values(row).execute();
  return row;
}

export interface NewMember {
  leadId: string;
  rowNumber: number | null;
  inputRow: Record<string, string> | null;
  /** `inputRow` already serialized (JSON.stringify); when set, `inputRow` is not read. */
  inputRowJson?: string | null;
}

const inputRowJson = (m: NewMember): string | null =>
  m.inputRowJson !== undefined ? m.inputRowJson : m.inputRow ? JSON.stringify(m.inputRow) : null;

const INSERT_MEMBER_SQL =
  'insert into "list_members" ("list_id", "lead_id", "added_at", "row_number", "input_row_json") ' +
  'values (?, ?, ?, ?, ?) on conflict ("list_id", "lead_id") do nothing';

/** The member insert, prepared once per SQLite connection. */
const insertMember = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * Adds leads to a list; a lead already on it keeps its first membership (and input row).
 * `sqlite`: the raw connection under `db` (Store.sqlite), `db` being a transaction on it;
 * members are then inserted by a prepared statement inside that transaction.
 */
export async function addListMembers(
  db: Kysely<Database>,
  listId: string,
  members: readonly NewMember[],
  nowIso: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite) {
    if (!sqlite.inTransaction) {
      throw new Error("addListMembers: the raw SQLite path must run inside the caller's transaction");
    }
    let insert = insertMember.get(sqlite);
    if (!insert) insertMember.set(sqlite, (insert = sqlite.prepare(INSERT_MEMBER_SQL)));
    for (const m of members) insert.run(listId, m.leadId, nowIso, m.rowNumber, inputRowJson(m));
    return;
  }
  for (const part of chunk(members, 5000)) {
    await db
      .insertInto('list_members')
      .values(
        part.map((m) => ({
          list_id: listId,
          lead_id: m.leadId,
          added_at: nowIso,
          row_number: m.rowNumber,
          input_row_json: inputRowJson(m),
        })),
      )
      .onConflict((oc) => oc.columns(['list_id', 'lead_id']).doNothing())
      .execute();
  }
}

export async function getList(
  db: Kysely<Database>,
  accountId: string,
  listId: string,
): Promise<ListRow | undefined> {
  return db
    .selectFrom('lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', listId)
    .executeTakeFirst();
}

/** Lead ids of a list in import order. */
export async function listLeadIds(db: Kysely<Database>, listId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('list_members')
    .select('lead_id')
    .where('list_id', '=', listId)
    .orderBy('row_number')
    .orderBy('added_at')
    .execute();
  return rows.map((r) => r.lead_id);
}
