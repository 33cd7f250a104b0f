/**
 * Opens the store: Kysely over better-sqlite3 (embedded default) or PostgreSQL
 * (`DATABASE_URL`). Callers never learn which; repositories take a `Store`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import type { DialectName } from './migrations/types.js';
import { migrate } from './migrate.js';
import { sharedStatements } from './statement-cache.js';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /**
   * SQLite only: the better-sqlite3 connection under `db`. Kysely runs SQLite on this one
   * connection, so statements run on it inside a `db.transaction()` callback belong to that
   * transaction. Only for store hot paths that skip query compilation (bulk import).
   */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

const sqliteHandles = new WeakMap<Kysely<Database>, BetterSqlite3.Database>();

/** Store.sqlite for a `db` that openStore returned; undefined for PostgreSQL or any other instance. */
export function sqliteHandleOf(db: Kysely<Database>): BetterSqlite3.Database | undefined {
  return sqliteHandles.get(db);
}

export interface OpenStoreOptions {
  /** postgres://… selects PostgreSQL; otherwise `sqlitePath` is used. */
  databaseUrl?: string | undefined;
  sqlitePath?: string;
  busyTimeoutMs?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /** PostgreSQL only: work inside this schema (created if missing), e.g. one per test suite. */
  pgSchema?: string;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.pgSchema)
    : openSqlite(options);
  if (options.migrate !== false) await migrate(store.db, store.dialect);
  return store;
}

function openSqlite(options: OpenStoreOptions): Store {
  const path = options.sqlitePath ?? 'data/leadtrace.db';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // 8 KiB pages for a new database (an existing one keeps its size: SQLite changes it only on
  // VACUUM, and never in WAL mode). Leads are 54-column rows with ten indexes: twice the
  // page halves the pages an import dirties and checkpoints (100k-row import 19-23k ->
  // 23-24k rows/s, run and outputs unchanged; docs/performance.md).
  sqlite.pragma('page_size = 8192');
  // Seed 002 runtime: WAL, busy timeout, synchronous NORMAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  sqlite.pragma('synchronous = NORMAL');
  // Checkpoint less often: hot index pages are then copied back to the database once per
  // ~80 MB of WAL (8 KiB pages) instead of once per ~8 MB (the default 1,000 pages).
  sqlite.pragma('wal_autocheckpoint = 10000');
  // 32 MB page cache (default 2 MB): the unique indexes on hashes are read at random.
  sqlite.pragma('cache_size = -32000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sharedStatements(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/** pg returns int8/numeric as strings: our bigints are micro-dollars well inside 2^53. */
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (pg.types.getTypeParser as any)(oid, format);
  },
};

async function openPostgres(url: string, schema?: string): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
