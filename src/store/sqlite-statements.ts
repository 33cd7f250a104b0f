/**
 * Prepared-statement cache for the SQLite hot paths: better-sqlite3 prepares a statement
 * once per connection and runs it per row in microseconds, where a query builder would
 * compile and prepare every call. Only for fixed-shape, per-row statements; statements
 * run on the raw connection take part in any transaction open on it.
 */
import type BetterSqlite3 from 'better-sqlite3';

const caches = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

export function prepared(sqlite: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = caches.get(sqlite);
  if (!cache) {
    cache = new Map();
    caches.set(sqlite, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}
