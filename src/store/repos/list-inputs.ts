/**
 * The original input columns kept on list memberships (for export). Rows of one import
 * share one header; a list stacked from several imports gets the union, in first-seen order.
 *
 * An import stores its header once (`input_headers`) and each membership its cells as a JSON
 * array lined up with it (migration 013): repeating every header name in every row made the
 * names most of a wide export's stored bytes. Memberships from before, or added without an
 * import's header, hold a header → cell object. inputRowObject reads either.
 */
import type { Kysely } from 'kysely';
import { chunk } from '../chunk.js';
import type { Database } from '../schema.js';

/** Stores an import's input keys (its header, made unique); returns the id members refer to. */
export async function createInputHeader(
  db: Kysely<Database>,
  keys: readonly string[],
  nowIso: string,
): Promise<number> {
  const row = await db
    .insertInto('input_headers')
    .values({ columns_json: JSON.stringify(keys), created_at: nowIso })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The input keys of each header in `ids` (ids not found are left out). */
export async function inputHeaderKeys(
  db: Kysely<Database>,
  ids: Iterable<number>,
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const part of chunk([...new Set(ids)], 5000)) {
    const rows = await db
      .selectFrom('input_headers')
      .select(['id', 'columns_json'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.set(Number(r.id), JSON.parse(r.columns_json) as string[]);
  }
  return out;
}

/**
 * Header keys by id, loaded as memberships refer to them: an export or a scan of a list's
 * rows meets one header per import, so each is read once.
 */
export class InputHeaders {
  private readonly keys = new Map<number, string[]>();

  /** Reads the headers among `ids` not loaded yet (nulls: memberships without one). */
  async load(db: Kysely<Database>, ids: Iterable<number | null>): Promise<void> {
    const unknown: number[] = [];
    for (const id of ids) if (id !== null && !this.keys.has(id)) unknown.push(id);
    if (unknown.length === 0) return;
    for (const [id, keys] of await inputHeaderKeys(db, unknown)) this.keys.set(id, keys);
  }

  /** The keys of header `id` (loaded before), as inputRowObject and InputColumnsReader take them. */
  of(id: number | null): string[] | undefined {
    return id === null ? undefined : this.keys.get(id);
  }
}

/** `keys`, which a row of cells needs to be read. */
function headerOf(keys: readonly string[] | undefined): readonly string[] {
  if (!keys) throw new Error('an input row of cells needs its header (input_header_id)');
  return keys;
}

/**
 * A membership's input row as header → cell. `keys`: its header's keys when the row is an
 * array of cells (input_header_id set), else undefined (the row is a JSON object). Cells past
 * the header's end are "column N" (N counted from 1), as they were in the object form.
 * The result has no prototype, so a column named "__proto__" is an ordinary key.
 */
export function inputRowObject(
  json: string | null,
  keys: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (json === null) return undefined;
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) return parsed as Record<string, string>;
  const header = headerOf(keys);
  const row = Object.create(null) as Record<string, string>;
  const cells = parsed as string[];
  for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? '';
  for (let i = header.length; i < cells.length; i++) row[`column ${i + 1}`] = cells[i]!;
  return row;
}

/**
 * Reads input rows as the cells of a list's input columns, in their order (what the export
 * writes), without building a header → cell object per row: each header's layout over the
 * columns is worked out once. The same cells inputRowObject would give, column by column
 * (a column a row lacks: '').
 */
export class InputColumnsReader {
  /** Per header: for each column, the cell of that key and the cell of an extra "column N". */
  private readonly layouts = new Map<readonly string[], { key: Int32Array; extra: Int32Array }>();

  constructor(private readonly columns: readonly string[]) {}

  /** `keys`: as for inputRowObject. undefined when the membership has no input row. */
  cells(json: string | null, keys: readonly string[] | undefined): string[] | undefined {
    if (json === null) return undefined;
    const parsed = JSON.parse(json) as unknown;
    const n = this.columns.length;
    const out = new Array<string>(n);
    if (!Array.isArray(parsed)) {
      const row = parsed as Record<string, string>;
      for (let k = 0; k < n; k++) {
        const c = this.columns[k]!;
        out[k] = Object.hasOwn(row, c) ? row[c]! : '';
      }
      return out;
    }
    const cells = parsed as string[];
    const { key, extra } = this.layoutOf(headerOf(keys));
    for (let k = 0; k < n; k++) {
      const e = extra[k]!;
      const i = e >= 0 && e < cells.length ? e : key[k]!;
      out[k] = i >= 0 ? (cells[i] ?? '') : '';
    }
    return out;
  }

  private layoutOf(keys: readonly string[]): { key: Int32Array; extra: Int32Array } {
    let layout = this.layouts.get(keys);
    if (layout) return layout;
    const at = new Map<string, number>();
    keys.forEach((k, i) => at.set(k, i)); // a repeated key: the last wins, as in the object
    const key = new Int32Array(this.columns.length).fill(-1);
    const extra = new Int32Array(this.columns.length).fill(-1);
    this.columns.forEach((c, k) => {
      key[k] = at.get(c) ?? -1;
      const m = /^column (\d+)$/.exec(c);
      if (m && Number(m[1]) - 1 >= keys.length) extra[k] = Number(m[1]) - 1;
    });
    layout = { key, extra };
    this.layouts.set(keys, layout);
    return layout;
  }
}

/** Deletes the headers in `ids` that no membership refers to any more. */
export async function deleteUnusedInputHeaders(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  for (const part of chunk(ids, 5000)) {
    await db
      .deleteFrom('input_headers')
      .where('id', 'in', part)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('list_members as m')
              .select('m.lead_id')
              .whereRef('m.input_header_id', '=', 'input_headers.id'),
          ),
        ),
      )
      .execute();
  }
}

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
  const headers = new InputHeaders();
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('list_members')
      .select(['lead_id', 'input_row_json', 'input_header_id'])
      .where('list_id', '=', listId)
      .orderBy('lead_id')
      .limit(5000);
    if (after !== null) q = q.where('lead_id', '>', after);
    const rows = await q.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.lead_id;
    await headers.load(
      db,
      rows.map((r) => r.input_header_id),
    );
    for (const r of rows) {
      const row = inputRowObject(r.input_row_json, headers.of(r.input_header_id));
      if (!row) continue;
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
    }
  }
  return columns;
}
