/**
 * L2 cache (seed 002 `skiptrace_cache`): one row per (account, provider, idempotency key),
 * written through after every completed vendor call; expired rows are refreshed in place
 * by the next call, which moves the key to a new generation.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { insertRowsSqlite } from '../sqlite-statements.js';
import type { Database, SkiptraceCacheTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';

export type CacheRow = Selectable<SkiptraceCacheTable>;

export async function getCacheRows(
  db: Kysely<Database>,
  accountId: string,
  provider: string,
  keys: readonly string[],
): Promise<Map<string, CacheRow>> {
  const out = new Map<string, CacheRow>();
  for (const part of chunk(keys, 5000)) {
    const rows = await db
      .selectFrom('skiptrace_cache')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('provider', '=', provider)
      .where('idempotency_key', 'in', part)
      .execute();
    for (const r of rows) out.set(r.idempotency_key, r);
  }
  return out;
}

/** What a newer answer for a cached key replaces (the key columns and the row id stay). */
const REFRESHED_COLUMNS = [
  'generation',
  'outcome',
  'payload_hash',
  'response_enc',
  'parsed_contacts_enc',
  'provider_call_id',
  'ttl_expires_at',
  'created_at',
  'last_seen',
] as const satisfies readonly (keyof SkiptraceCacheTable)[];

/** upsertCacheRows' conflict rule as SQL, for the raw SQLite path (the same as the Kysely one below). */
const CACHE_UPSERT_SQL = `on conflict ("account_id", "provider", "idempotency_key") do update set ${REFRESHED_COLUMNS.map(
  (c) => `"${c}" = "excluded"."${c}"`,
).join(', ')}`;

export async function upsertCacheRows(
  db: Kysely<Database>,
  rows: readonly Insertable<SkiptraceCacheTable>[],
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite && insertRowsSqlite(sqlite, 'skiptrace_cache', rows, CACHE_UPSERT_SQL)) return;
  for (const part of chunk(rows, rowsPerInsert(13))) {
    await db
      .insertInto('skiptrace_cache')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'provider', 'idempotency_key'])
          .doUpdateSet((eb) =>
            Object.fromEntries(REFRESHED_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])),
          ),
      )
      .execute();
  }
}

/** Marks cache rows as read (seed 002 `last_seen`). */
export async function touchCacheRows(
  db: Kysely<Database>,
  ids: readonly string[],
  nowIso: string,
): Promise<void> {
  for (const part of chunk(ids, 5000)) {
    await db.updateTable('skiptrace_cache').set({ last_seen: nowIso }).where('id', 'in', part).execute();
  }
}
