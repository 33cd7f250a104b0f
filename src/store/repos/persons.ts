/**
 * People found for a lead: the owner, co-owners (each their own row) and business contacts,
 * with the provider that named them. Deduped per lead by role and lower-cased full name.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Kysely } from 'kysely';
import { insertRowsSqlite } from '../sqlite-statements.js';
import type { Database, PersonsTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';

export type NewPerson = Insertable<PersonsTable>;

/** `lead id → set of "role|lower(full)"` for the given leads. */
export async function personKeysOf(
  db: Kysely<Database>,
  leadIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('persons')
      .select(['lead_id', 'role', 'full'])
      .where('lead_id', 'in', part)
      .execute();
    for (const r of rows) {
      let set = out.get(r.lead_id);
      if (!set) out.set(r.lead_id, (set = new Set()));
      set.add(personKey(r.role, r.full));
    }
  }
  return out;
}

export function personKey(role: string, full: string | null): string {
  return `${role}|${(full ?? '').trim().toLowerCase()}`;
}

export async function insertPersons(
  db: Kysely<Database>,
  rows: readonly NewPerson[],
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite && insertRowsSqlite(sqlite, 'persons', rows)) return;
  for (const part of chunk(rows, rowsPerInsert(9))) await db.insertInto('persons').values(part).execute();
}
