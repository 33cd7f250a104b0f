/** The lead columns the waterfall reads: what vendors are asked, plus what the score reads. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, LeadsTable } from '../schema.js';
import { chunk } from '../chunk.js';
import { TRACE_COLUMNS } from './leads.js';

export const WATERFALL_COLUMNS = [
  ...TRACE_COLUMNS,
  'address_key',
  'property_id',
  'apn',
  'fips',
  'mak',
  'owner_occupied',
  'owner_age',
  'estimated_value',
  'estimated_equity',
] as const;

export type WaterfallLead = Pick<Selectable<LeadsTable>, (typeof WATERFALL_COLUMNS)[number]>;

export async function getWaterfallLeads(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<WaterfallLead[]> {
  const out: WaterfallLead[] = [];
  for (const part of chunk(ids, 5000)) {
    out.push(...(await db.selectFrom('leads').select(WATERFALL_COLUMNS).where('id', 'in', part).execute()));
  }
  return out;
}

/** Lead ids already holding these address keys in the account (for a detail-filled address). */
export async function leadsByAddressKey(
  db: Kysely<Database>,
  accountId: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk(keys, 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select(['id', 'address_key'])
      .where('account_id', '=', accountId)
      .where('address_key', 'in', part)
      .execute();
    for (const r of rows) if (r.address_key) out.set(r.address_key, r.id);
  }
  return out;
}

/**
 * Which leads of the account hold these identities now, as `kind|key` → lead id: `address|<key>`,
 * `apn|<fips>|<apn>` (every FIPS holding one of the APNs) and `mak|<mak>`.
 */
export async function identityHolders(
  db: Kysely<Database>,
  accountId: string,
  ids: { addressKeys: readonly string[]; apns: readonly string[]; maks: readonly string[] },
): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  for (const [key, id] of await leadsByAddressKey(db, accountId, ids.addressKeys))
    holders.set(`address|${key}`, id);
  for (const part of chunk(ids.apns, 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select(['id', 'fips', 'apn'])
      .where('account_id', '=', accountId)
      .where('apn', 'in', part)
      .where('fips', 'is not', null)
      .execute();
    for (const r of rows) holders.set(`apn|${r.fips}|${r.apn}`, r.id);
  }
  for (const part of chunk(ids.maks, 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select(['id', 'mak'])
      .where('account_id', '=', accountId)
      .where('mak', 'in', part)
      .execute();
    for (const r of rows) holders.set(`mak|${r.mak}`, r.id);
  }
  return holders;
}
