/**
 * The query signature (seed 001 `query_sig`): sha256 of the normalized search, so the same
 * search however it was spelled finds its own bookmark and its own page history.
 *
 * The hashed text is a storage contract: bookmarks and source events are found by it, so a
 * change of format makes every earlier pull look like a new query (its known ids are still
 * found through the leads' vendor ids, so nothing is stored twice, but stop-when-known loses
 * its page history). Change it only by bumping `v`.
 */
import { createHash } from 'node:crypto';
import { normalizeSearchQuery, type SearchQuery, type SearchQueryInput } from './search-query.js';

/** JSON with object keys sorted at every depth; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The text the signature hashes: version 1 of the normalized search. */
export function signatureText(query: SearchQuery): string {
  return canonicalJson({
    v: 1,
    zips: query.zips,
    city: query.city,
    state: query.state,
    filters: query.filters,
    sort: query.sort,
  });
}

/**
 * sha256 hex of the normalized search. Accepts a raw or a normalized search (normalization is
 * idempotent); throws SearchQueryError like normalizeSearchQuery.
 */
export function querySignature(query: SearchQueryInput | SearchQuery): string {
  return createHash('sha256')
    .update(signatureText(normalizeSearchQuery(query)))
    .digest('hex');
}
