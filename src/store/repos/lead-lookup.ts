/** Read-only lead lookups by dedupe key (for estimates: nothing is written). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunk } from '../chunk.js';
import { leadsByAddressKey } from './waterfall-leads.js';

/** Which of the given address keys and APNs already belong to a lead of the account. */
export async function knownLeadKeys(
  db: Kysely<Database>,
  accountId: string,
  keys: { addressKeys: readonly string[]; apns: readonly string[] },
): Promise<{ addressKeys: Set<string>; apns: Set<string> }> {
  const out = { addressKeys: new Set<string>(), apns: new Set<string>() };
  for (const key of (await leadsByAddressKey(db, accountId, keys.addressKeys)).keys())
    out.addressKeys.add(key);
  for (const part of chunk(keys.apns, 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select('apn')
      .where('account_id', '=', accountId)
      .where('apn', 'in', part)
      .execute();
    for (const r of rows) if (r.apn) out.apns.add(r.apn);
  }
  return out;
}
