/**
 * The original input columns kept on list memberships (for export). Rows of one import
 * share one header; a list stacked from several imports gets the union, in first-seen order.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Adds an import's header to its list's input columns (kept in first-seen order). */
export async function recordListInputColumns(
  db: Kysely<Database>,
  listId: string,
  headers: readonly string[],
): Promise<void> {
  const row = await db
    .selectFrom('lists')
    .select('input_columns_json')
    .where('id', '=', listId)
    .executeTakeFirst();
  const columns: string[] = row?.input_columns_json ? (JSON.parse(row.input_columns_json) as string[]) : [];
  const seen = new Set(columns);
  for (const h of headers) {
    if (!seen.has(h)) {
      seen.add(h);
      columns.push(h);
    }
  }
  await db
    .updateTable('lists')
    .set({ input_columns_json: JSON.stringify(columns) })
    .where('id', '=', listId)
    .execute();
}

/**
 * Input column names of a list, in first-seen order: from the headers recorded at import,
 * else (lists imported before that was kept) by reading every membership's input row.
 */
export async function listInputColumns(db: Kysely<Database>, listId: string): Promise<string[]> {
  const recorded = await db
    .selectFrom('lists')
    .select('input_columns_json')
    .where('id', '=', listId)
    .executeTakeFirst();
  if (recorded?.input_columns_json) return JSON.parse(recorded.input_columns_json) as string[];
  const columns: string[] = [];
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('list_members')
      .select(['lead_id', 'input_row_json'])
      .where('list_id', '=', listId)
      .orderBy('lead_id')
      .limit(5000);
    if (after !== null) q = q.where('lead_id', '>', after);
    const rows = await q.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.lead_id;
    for (const r of rows) {
      if (!r.input_row_json) continue;
      for (const key of Object.keys(JSON.parse(r.input_row_json) as object)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
    }
  }
  return columns;
}
