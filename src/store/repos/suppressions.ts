/**
 * The account suppression list (opt-outs). Only blind-index hashes are stored: the same
 * HMAC contact_points uses (`cipher.blindIndex(kind, normalizedValue)`), so a suppressed
 * value matches a contact row by hash without decrypting anything.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunk } from '../chunk.js';

export async function addSuppressions(
  db: Kysely<Database>,
  accountId: string,
  rows: readonly { kind: 'phone' | 'email'; valueHash: string; reason: string | null }[],
  nowIso: string,
): Promise<number> {
  let added = 0;
  for (const part of chunk(rows, 2000)) {
    const result = await db
      .insertInto('suppressions')
      .values(
        part.map((r) => ({
          account_id: accountId,
          kind: r.kind,
          value_hash: r.valueHash,
          reason: r.reason,
          created_at: nowIso,
        })),
      )
      .onConflict((oc) => oc.columns(['account_id', 'kind', 'value_hash']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export async function removeSuppression(
  db: Kysely<Database>,
  accountId: string,
  kind: string,
  valueHash: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('suppressions')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('value_hash', '=', valueHash)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function countSuppressions(
  db: Kysely<Database>,
  accountId: string,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('suppressions')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

/** The given blind indexes that are on the account's suppression list (any kind). */
export async function suppressedAmong(
  db: Kysely<Database>,
  accountId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < hashes.length; i += 5000) {
    const part = hashes.slice(i, i + 5000);
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('suppressions')
      .select('value_hash')
      .where('account_id', '=', accountId)
      .where('value_hash', 'in', part)
      .execute();
    for (const r of rows) out.add(r.value_hash);
  }
  return out;
}
