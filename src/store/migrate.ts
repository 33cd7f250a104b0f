/**
 * Applies pending migrations, each in its own transaction together with its ledger row,
 * so a crash leaves either the whole step or none of it. Kysely's own migrator cannot tell
 * a migration which dialect it runs on and does not wrap SQLite steps in transactions.
 */
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';
import type { DialectName } from './migrations/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  await db.schema
    .createTable('leadtrace_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    const ran = await db.transaction().execute(async (trx) => {
      // Several processes may open a shared PostgreSQL store at once: serialize here.
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7245001)`.execute(trx);
      const done = await trx
        .selectFrom('leadtrace_migrations')
        .select('name')
        .where('name', '=', migration.name)
        .executeTakeFirst();
      if (done) return false;
      await migration.up(trx, dialect);
      await trx
        .insertInto('leadtrace_migrations')
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
