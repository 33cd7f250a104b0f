/**
 * Store fixtures for the one store suite that runs over every dialect: SQLite always,
 * PostgreSQL when it answers on 127.0.0.1:5432 (database `test`). Under CI=true a missing
 * PostgreSQL is a failure, not a skip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.js';
import { ensureAccount, LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { createPiiCipher } from '../../src/domain/pii/cipher.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: Promise<boolean> | null = null;
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (process.env.CI === 'true')
        throw new Error(`PostgreSQL is required in CI but ${PG_URL} failed: ${String(error)}`);
      console.warn(
        `skipping PostgreSQL store tests: no server at ${PG_URL} (set TEST_DATABASE_URL, or start PostgreSQL)`,
      );
      return false;
    }
  })();
  return pgAvailable;
}

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export interface TestStore extends Store {
  dispose(): Promise<void>;
}

let counter = 0;

export async function openTestStore(dialect: TestDialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrace-test-'));
    const store = await openStore({ sqlitePath: join(dir, 'test.db') });
    await ensureAccount(store.db, LOCAL_ACCOUNT_ID, 'Local', '2026-11-25T00:00:00.000Z');
    return {
      ...store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const store = await openStore({ databaseUrl: PG_URL, pgSchema: schema });
  await ensureAccount(store.db, LOCAL_ACCOUNT_ID, 'Local', '2026-11-25T00:00:00.000Z');
  return {
    ...store,
    async dispose() {
      await store.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

export const testCipher = () => createPiiCipher(Buffer.alloc(32, 7));

/** Drops a PostgreSQL schema (and schemas named `<schema>_N` made per test). */
export async function dropSchema(prefix: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname = $1 or nspname like $2`,
      [prefix, `${prefix}\\_%`],
    );
    for (const r of rows) await admin.query(`drop schema if exists ${r.nspname} cascade`);
  } finally {
    await admin.end();
  }
}
