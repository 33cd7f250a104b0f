/**
 * "Seen before?" for a search (seed 001 has_vendor_ids_been_seen), per pull mode:
 * - ids: any lead with the vendor id under the source, or an id on an earlier page of the
 *   search (which outlives the lead after an erasure);
 * - full: a lead that already holds a property record, or an id on an earlier full page of the
 *   search. A lead holding only its vendor id (from an ids pull) is not known to a full pull:
 *   its record is what the full pull is for.
 */
import type { Kysely } from 'kysely';
import { idsSeenOnPages, leadsByVendorIds, type QueryScope } from '../store/repos/acquisition.js';
import type { Database } from '../store/schema.js';

export async function idsKnown(
  db: Kysely<Database>,
  scope: QueryScope,
  ids: readonly string[],
): Promise<Set<string>> {
  const leads = await leadsByVendorIds(db, scope.accountId, scope.source, ids);
  const known = new Set(leads.keys());
  const rest = ids.filter((id) => !known.has(id));
  for (const id of await idsSeenOnPages(db, scope, rest)) known.add(id);
  return known;
}

export async function recordsKnown(
  db: Kysely<Database>,
  scope: QueryScope,
  ids: readonly string[],
): Promise<Set<string>> {
  const leads = await leadsByVendorIds(db, scope.accountId, scope.source, ids);
  const known = new Set([...leads].filter(([, lead]) => lead.hasRecord).map(([id]) => id));
  const rest = ids.filter((id) => !known.has(id));
  for (const id of await idsSeenOnPages(db, scope, rest, 'full')) known.add(id);
  return known;
}

/** [from, to) ranges of consecutive positions whose id is not in `known`. */
export function unknownRuns(ids: readonly string[], known: ReadonlySet<string>): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= ids.length; i++) {
    const unknown = i < ids.length && !known.has(ids[i]!);
    if (unknown && start < 0) start = i;
    else if (!unknown && start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  return runs;
}
