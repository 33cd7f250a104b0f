/**
 * A property search as the user asks for it (ZIPs, city, state, vendor filters, sort) and its
 * normalized form: the one spelling that a query signature hashes, so "85002,85001" and
 * "85001, 85002", "arizona" and "AZ", `pre_foreclosure=TRUE` and `pre_foreclosure=true`
 * are the same search. Pure: no I/O.
 */
import { normalizeCity, normalizeZip } from '../address/normalize-address.js';
import { normalizeState } from '../address/states.js';

export type FilterValue = string | number | boolean;

/** A search as given (CLI flags, API body), before normalization. */
export interface SearchQueryInput {
  zips?: readonly string[] | null;
  city?: string | null;
  state?: string | null;
  /** Vendor filters by their vendor names (`pre_foreclosure`, `property_type`, …). */
  filters?: Readonly<Record<string, FilterValue>> | null;
  /** `field`, `field:asc` or `field:desc`. */
  sort?: string | null;
}

/** A normalized search. Every field is present so two equal searches are equal objects. */
export interface SearchQuery {
  /** ZIP5s, unique and sorted. */
  zips: string[];
  /** Upper case, punctuation stripped, single spaces (normalizeCity). */
  city: string | null;
  /** Two-letter USPS code. */
  state: string | null;
  /** Keys lower case, in sorted order; "true"/"false" and numbers read as such. */
  filters: Record<string, FilterValue>;
  /** `field:asc` or `field:desc`, field lower case. */
  sort: string | null;
}

export class SearchQueryError extends Error {
  override readonly name = 'SearchQueryError';
  constructor(
    /** The part of the search that is wrong: 'zip', 'state', 'filter', 'sort', 'location'. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Keys a filter may not use: the location and sort have their own fields, and the paging and
 * mode switches (size, resultIndex, count, ids_only, summary, obfuscate) belong to the pull.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'zip',
  'city',
  'state',
  'sort',
  'size',
  'resultindex',
  'count',
  'ids_only',
  'summary',
  'obfuscate',
]);

const FILTER_KEY = /^[a-z][a-z0-9_]*$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const SORT = /^\s*([a-z][a-z0-9_]*)\s*(?::\s*(asc|desc))?\s*$/i;

/** A filter value in one spelling: booleans and numbers typed, text trimmed (case kept). */
export function normalizeFilterValue(value: FilterValue): FilterValue {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (NUMBER.test(text)) return Number(text);
  return text;
}

/** "pre_foreclosure=true" → ["pre_foreclosure", true]. */
export function parseFilterAssignment(text: string): [string, FilterValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SearchQueryError('filter', `filter must be key=value; got "${text}"`);
  const key = text.slice(0, eq).trim();
  return [key, normalizeFilterValue(text.slice(eq + 1))];
}

function normalizeZips(zips: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of zips) {
    for (const part of raw.split(',')) {
      if (part.trim() === '') continue;
      const zip5 = normalizeZip(part)?.zip5 ?? null;
      if (zip5 === null) throw new SearchQueryError('zip', `not a ZIP code: "${part.trim()}"`);
      out.add(zip5);
    }
  }
  return [...out].sort();
}

function normalizeFilters(filters: Readonly<Record<string, FilterValue>>): Record<string, FilterValue> {
  const out: Record<string, FilterValue> = {};
  for (const rawKey of Object.keys(filters).sort()) {
    const key = rawKey.trim().toLowerCase();
    if (!FILTER_KEY.test(key)) {
      throw new SearchQueryError('filter', `filter name must be letters, digits and _; got "${rawKey}"`);
    }
    if (RESERVED_KEYS.has(key)) {
      throw new SearchQueryError(
        'filter',
        `"${rawKey}" is not a filter: use --zip/--city/--state/--sort, paging is the pull's own`,
      );
    }
    if (key in out) throw new SearchQueryError('filter', `filter "${key}" is given twice`);
    const value = normalizeFilterValue(filters[rawKey]!);
    if (value === '') throw new SearchQueryError('filter', `filter "${key}" has no value`);
    out[key] = value;
  }
  // Keys were lower-cased after sorting: sort again so the object's order is canonical.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function normalizeSort(sort: string): string {
  const m = SORT.exec(sort);
  if (!m) throw new SearchQueryError('sort', `sort must be "<field>" or "<field>:asc|desc"; got "${sort}"`);
  return `${m[1]!.toLowerCase()}:${(m[2] ?? 'asc').toLowerCase()}`;
}

/**
 * The one spelling of a search. Throws SearchQueryError for a ZIP, state, filter or sort it
 * cannot read, and when the search names no place at all (a ZIP, a city or a state): a
 * nationwide pull is never what a user means by leaving the place out. Idempotent.
 */
export function normalizeSearchQuery(input: SearchQueryInput): SearchQuery {
  const zips = normalizeZips(input.zips ?? []);
  const city = input.city ? normalizeCity(input.city) : null;
  let state: string | null = null;
  if (input.state && input.state.trim() !== '') {
    state = normalizeState(input.state);
    if (state === null) throw new SearchQueryError('state', `unknown state: "${input.state.trim()}"`);
  }
  if (zips.length === 0 && city === null && state === null) {
    throw new SearchQueryError('location', 'a search needs a ZIP, a city or a state');
  }
  return {
    zips,
    city,
    state,
    filters: normalizeFilters(input.filters ?? {}),
    sort: input.sort && input.sort.trim() !== '' ? normalizeSort(input.sort) : null,
  };
}

/**
 * One search per ZIP (RealEstateAPI takes one ZIP per query), each a search of its own with
 * its own signature; a search without ZIPs is returned as is.
 */
export function searchPerZip(query: SearchQuery): SearchQuery[] {
  if (query.zips.length <= 1) return [query];
  return query.zips.map((zip) => ({ ...query, zips: [zip] }));
}

/** "85001 · pre_foreclosure=true" or "PHOENIX, AZ": a short label for lists and logs. */
export function describeSearchQuery(query: SearchQuery): string {
  const place = [query.zips.join(','), [query.city, query.state].filter(Boolean).join(', ')]
    .filter((s) => s !== '')
    .join(' ');
  const filters = Object.entries(query.filters).map(([k, v]) => `${k}=${String(v)}`);
  return [place, ...filters, ...(query.sort ? [`sort=${query.sort}`] : [])].join(' · ');
}
