/**
 * Prepared-statement cache for the SQLite hot paths: better-sqlite3 prepares a statement
 * once per connection and runs it per row in microseconds, where a query builder would
 * compile and prepare every call. Only for fixed-shape, per-row statements; statements
 * run on the raw connection take part in any transaction open on it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sharedStatements } from './statement-cache.js';

/** `sql` prepared on `sqlite`, from the connection's one bounded statement cache. */
export function prepared(sqlite: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  return sharedStatements(sqlite).prepare(sql);
}

/**
 * Runs `statement` (from `prepared`) in pluck mode (first column only) or raw mode (arrays)
 * and returns its rows, leaving it in the default mode: the statement cache hands the same
 * statement to every caller of that SQL text, Kysely's driver included, which expects objects.
 */
export function allIn(mode: 'pluck' | 'raw', statement: BetterSqlite3.Statement, args: unknown[]): unknown[] {
  try {
    return (mode === 'pluck' ? statement.pluck(true) : statement.raw(true)).all(...args);
  } finally {
    statement.pluck(false).raw(false);
  }
}

/**
 * Inserts `rows` on the raw connection, one prepared single-row statement per row: what a
 * multi-row Kysely insert of the same rows does, without building, compiling and preparing
 * a query per call (that, and the garbage it made, was ~5% of a run's CPU). `conflict` is
 * an optional `on conflict …` clause, applied per row as it is within a multi-row insert.
 *
 * Only for rows of one shape: every row has the same keys, none undefined (Kysely would
 * leave such a column to its default). Otherwise it inserts nothing and returns false, and
 * the caller inserts through Kysely. Must run inside the caller's transaction on this
 * connection (see Store.sqlite), which it checks.
 */
export function insertRowsSqlite(
  sqlite: BetterSqlite3.Database,
  table: string,
  rows: readonly object[],
  conflict = '',
): boolean {
  if (rows.length === 0) return true;
  if (!sqlite.inTransaction) {
    throw new Error(
      `insertRowsSqlite(${table}): the raw SQLite path must run inside the caller's transaction`,
    );
  }
  const columns = Object.keys(rows[0]!);
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    if (Object.keys(r).length !== columns.length) return false;
    for (const c of columns) if (r[c] === undefined) return false;
  }
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const stmt = prepared(
    sqlite,
    `insert into "${table}" (${quoted}) values (${columns.map(() => '?').join(', ')})${conflict ? ` ${conflict}` : ''}`,
  );
  const args = new Array<unknown>(columns.length);
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) args[i] = r[columns[i]!];
    stmt.run(args);
  }
  return true;
}
