/**
 * Prepared statements kept per SQL text for Kysely's SQLite driver.
 *
 * Kysely's SqliteDriver calls `prepare(sql)` for every query it runs, commits included, and
 * SQLite then parses and plans the same text again each time: on a 100k-lead run that was
 * ~7% of the process's CPU (profiled with `node --cpu-prof` on `npm run bench`). The driver
 * takes any object with `prepare` and `close`, so this one hands it a statement prepared
 * earlier for the same text.
 *
 * Reuse is safe because the driver runs a statement to completion (`all`/`run`) before the
 * next query on the connection; the one exception, `iterate` (Kysely's streamQuery), leaves
 * the statement busy until its loop ends, and a busy statement is never handed out again —
 * the caller gets a fresh one. The cache is bounded (least recently used text leaves first):
 * IN lists make a different text for each list length.
 *
 * One cache per connection (`sharedStatements`) serves both Kysely's driver (store/db.ts) and
 * the raw hot paths (`prepared` in sqlite-statements.ts): the same text is prepared once.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Distinct SQL texts kept; beyond it the least recently used is dropped. */
export const STATEMENT_CACHE_SIZE = 512;

/** What Kysely's SqliteDialect needs of a database (its `SqliteDatabase` interface). */
export interface PreparingDatabase {
  prepare(sql: string): BetterSqlite3.Statement;
  close(): void;
}

export function cachingStatements(
  sqlite: BetterSqlite3.Database,
  size: number = STATEMENT_CACHE_SIZE,
): PreparingDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): BetterSqlite3.Statement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
    close(): void {
      cache.clear();
      sqlite.close();
    },
  };
}

const shared = new WeakMap<BetterSqlite3.Database, PreparingDatabase>();

/** The connection's one statement cache (created on first use), shared by every caller. */
export function sharedStatements(sqlite: BetterSqlite3.Database): PreparingDatabase {
  let cache = shared.get(sqlite);
  if (!cache) shared.set(sqlite, (cache = cachingStatements(sqlite)));
  return cache;
}
