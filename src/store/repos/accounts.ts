import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The embedded default has one local account; the API adds users and tokens on top. */
export const LOCAL_ACCOUNT_ID = 'local';

export async function ensureAccount(
  db: Kysely<Database>,
  id: string,
  name: string,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({ id, name, created_at: nowIso })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
