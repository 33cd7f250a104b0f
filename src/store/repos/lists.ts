/** Lists ("buckets") and membership: a lead may sit on several lists (stacking). */
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
    created_at: nowIso,
  };
  await db.insertInto('lists').values(row).execute();
  return row;
}

export interface NewMember {
  leadId: string;
  rowNumber: number | null;
  inputRow: Record<string, string> | null;
}

/** Adds leads to a list; a lead already on it keeps its first membership (and input row). */
export async function addListMembers(
  db: Kysely<Database>,
  listId: string,
  members: readonly NewMember[],
  nowIso: string,
): Promise<void> {
  for (const part of chunk(members, 5000)) {
    await db
      .insertInto('list_members')
      .values(
        part.map((m) => ({
          list_id: listId,
          lead_id: m.leadId,
          added_at: nowIso,
          row_number: m.rowNumber,
          input_row_json: m.inputRow ? JSON.stringify(m.inputRow) : null,
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

/** Original input columns per lead for a list (for export). */
export async function listInputRows(
  db: Kysely<Database>,
  listId: string,
): Promise<Map<string, Record<string, string>>> {
  const rows = await db
    .selectFrom('list_members')
    .select(['lead_id', 'input_row_json'])
    .where('list_id', '=', listId)
    .execute();
  const out = new Map<string, Record<string, string>>();
  for (const r of rows) if (r.input_row_json) out.set(r.lead_id, JSON.parse(r.input_row_json));
  return out;
}
