/**
 * One UPDATE for many rows keyed by id: `SET col = CASE id WHEN ? THEN ? … ELSE col END`.
 * Portable SQL (SQLite and PostgreSQL); replaces a statement per row in hot paths.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';
import { chunk } from './chunk.js';

export interface BulkColumn<R> {
  column: string;
  value: (row: R) => string | number | null;
  /** Add to the stored value instead of replacing it. */
  add?: boolean;
}

export async function bulkUpdateById<R extends { id: string }>(
  db: Kysely<Database>,
  table: keyof Database & string,
  rows: readonly R[],
  columns: readonly BulkColumn<R>[],
): Promise<void> {
  // Keep each statement well under SQLite's 32,766 bound parameters.
  const perStatement = Math.max(1, Math.floor(30_000 / (columns.length * 2 + 1)));
  for (const part of chunk(rows, perStatement)) {
    const sets: RawBuilder<unknown>[] = columns.map((c) => {
      const cases = sql.join(
        part.map((r) => sql`when ${r.id} then ${c.value(r)}`),
        sql` `,
      );
      const col = sql.ref(c.column);
      return c.add
        ? sql`${col} = ${col} + (case id ${cases} else 0 end)`
        : sql`${col} = case id ${cases} else ${col} end`;
    });
    await sql`update ${sql.table(table)} set ${sql.join(sets, sql`, `)} where id in (${sql.join(part.map((r) => r.id))})`.execute(
      db,
    );
  }
}
