/**
 * `leadtrace pull`: property-search acquisition (seed 001 stop-when-known, seed 004 ids_only
 * buckets) in three modes:
 *
 * - count: one free count request per search; nothing is stored.
 * - ids: one free ids_only request per search (up to the vendor's 10,000 ids); every id not
 *   seen before becomes a lead holding only its vendor id (enrichment pending), in slices of
 *   1,000 per transaction, each slice recorded as a page event.
 * - full: whole property records, paid per record. A free ids_only probe first lists the
 *   result set in vendor order; only ids with no stored record are then fetched, in pages of
 *   `pageSize` (size/resultIndex paging) over the runs of unknown positions. So a re-run of
 *   the same search sends one free request and stores nothing; new listings cost exactly
 *   their own records. Past the probe's window (results beyond 10,000) pages are walked with
 *   stop-when-known proper: the walk stops after storing the first page holding a known id,
 *   and a walk cut short (max records, quota, budget, vendor error) resumes from the bookmark.
 *
 * "Known" (seed 001 has_vendor_ids_been_seen) is per (account, source, query signature): an
 * id on an earlier page event of the search, or a lead with that (source, vendor_record_id).
 * For a full pull a lead counts as known only once it holds a property record, so a full
 * pull after an ids pull fetches those records and fills the same leads (never a second lead).
 *
 * Every request is a provider_calls row (property-search-call.ts); full pages reserve their worst case
 * against the daily budget first. A quota answer (daily credit cap), a budget pause or a vendor
 * error stops the pull; every page stored before it stays stored (one transaction per page:
 * the call's completion, its leads, list members, the page event and the bookmark).
 */
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import { UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import { canonicalJson, querySignature, signatureText } from '../domain/acquisition/query-signature.js';
import {
  describeSearchQuery,
  normalizeSearchQuery,
  searchPerZip,
  SearchQueryError,
  type SearchQuery,
  type SearchQueryInput,
} from '../domain/acquisition/search-query.js';
import { createBudgetGuard, type BudgetGuard } from '../guards/budget.js';
import { createTokenBucket, type RateLimiter } from '../guards/token-bucket.js';
import type { PropertySearchProvider } from '../providers/contract.js';
import type { ProviderError } from '../providers/errors.js';
import { getList, findListsByName } from '../store/repos/lists.js';
import type { Database } from '../store/schema.js';
import { PullList } from './pull-list.js';
import { QueryPull, type PullStopReason, type QueryPullSummary } from './pull-query.js';
import type { Runtime } from './runtime.js';

export type { PullStopReason, QueryPullSummary } from './pull-query.js';

export type PullMode = 'count' | 'ids' | 'full';
export const PULL_MODES: readonly PullMode[] = ['count', 'ids', 'full'];

/**
 * Default and largest full-mode page: the most records one RealEstateAPI PropertySearch
 * request returns. Bigger pages mean fewer requests; the price is per record either way.
 */
export const MAX_PAGE_SIZE = 250;
/** Leads upserted per transaction (seed 004's insert batch). */
export const UPSERT_BATCH = 1_000;

export interface PullRequest {
  query: SearchQueryInput;
  mode: PullMode;
  /** A list id or name to add the leads to; a name no list has is created. Default: a new list. */
  list?: string | null;
  /** Full mode: most records fetched (billed); ids mode: most new leads stored. */
  maxRecords?: number | null;
  /** Full mode: records per request, 1–250. Default 250. */
  pageSize?: number | null;
}

export interface PullDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  provider: PropertySearchProvider;
  /** Lead source and bookmark source: the vendor's name ('realestateapi'). */
  source: string;
  budget: BudgetGuard;
  rateLimiter?: RateLimiter;
}

/**
 * A pull's parts from the runtime: the first built property-search provider, the daily
 * budget and the vendor's documented request rate. Fails with one line when none is built.
 */
export function pullDepsOf(rt: Runtime): PullDeps {
  const built = rt.providers.built.find((b) => b.entry.kind === 'property-search');
  if (!built) {
    const why = rt.providers.skipped.map((s) => `${s.id}: ${s.reason}`).join('; ');
    throw new UserError(`no property-search provider is available${why ? ` (${why})` : ''}`, 'no_provider');
  }
  const provider = rt.providers.ofKind('property-search').find((p) => p.id === built.entry.id)!;
  return {
    db: rt.store.db,
    cipher: rt.cipher,
    clock: rt.clock,
    accountId: rt.accountId,
    provider,
    source: built.entry.vendor,
    budget: createBudgetGuard({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      dailyCapMicros: rt.dailyCapMicros,
    }),
    rateLimiter: createTokenBucket({ ratePerSec: provider.rateLimit.requestsPerSecond, clock: rt.clock }),
  };
}

export interface PullResult {
  pullId: string;
  mode: PullMode;
  /** Vendor result counts, summed over the searches (one per ZIP). */
  total: number;
  /** Vendor requests sent (count, ids_only probes and full pages). */
  pagesFetched: number;
  newLeads: number;
  /** Records that landed on an existing lead (filling what it lacked). */
  updatedLeads: number;
  /** Vendor ids this pull saw that were already known, so not fetched or stored again. */
  known: number;
  /** Records the vendor billed (full pages). */
  recordsBilled: number;
  costMicros: number;
  stoppedReason: PullStopReason;
  /** The list the leads went to; null when nothing was added to a list. */
  listId: string | null;
  queries: QueryPullSummary[];
  /** Set when a vendor error stopped the pull (stoppedReason 'vendor_error'). */
  error: ProviderError | null;
}

function validate(request: PullRequest): { query: SearchQuery; pageSize: number; maxRecords: number | null } {
  if (!PULL_MODES.includes(request.mode)) {
    throw new UserError(
      `--mode must be one of ${PULL_MODES.join(', ')}; got "${request.mode}"`,
      'invalid_mode',
    );
  }
  const pageSize = request.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new UserError(`--page-size must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'invalid_page_size');
  }
  const maxRecords = request.maxRecords ?? null;
  if (maxRecords !== null && (!Number.isInteger(maxRecords) || maxRecords < 1)) {
    throw new UserError('--max-records must be a positive integer', 'invalid_max_records');
  }
  try {
    return { query: normalizeSearchQuery(request.query), pageSize, maxRecords };
  } catch (error) {
    if (error instanceof SearchQueryError)
      throw new UserError(error.message, 'invalid_query', { cause: error });
    throw error;
  }
}

/** The list named by --list (an id, else a unique name), or a new one created on first use. */
async function resolveList(
  deps: PullDeps,
  request: PullRequest,
  query: SearchQuery,
  newId: () => string,
): Promise<PullList> {
  const filters = { source: deps.source, mode: request.mode, query };
  const wanted = request.list?.trim();
  if (wanted) {
    const byId = await getList(deps.db, deps.accountId, wanted);
    if (byId) return new PullList(byId.id, byId.name, filters, deps, newId);
    const named = await findListsByName(deps.db, deps.accountId, wanted);
    if (named.length > 1) {
      throw new UserError(
        `${named.length} lists are named "${wanted}": pass the list id instead`,
        'ambiguous_list',
      );
    }
    return new PullList(named[0]?.id ?? null, wanted, filters, deps, newId);
  }
  const at = toIso(deps.clock.now()).slice(0, 16).replace('T', ' ');
  const name = `${deps.source} ${request.mode} pull: ${describeSearchQuery(query)} (${at} UTC)`;
  return new PullList(null, name, filters, deps, newId);
}

/** Hard stops end the whole pull; the others end one search and let the next one run. */
const HARD_STOPS: ReadonlySet<PullStopReason> = new Set([
  'max_records',
  'quota_exhausted',
  'daily_budget',
  'run_budget',
  'vendor_error',
]);

function overallReason(mode: PullMode, summaries: QueryPullSummary[], capped: boolean): PullStopReason {
  if (mode === 'count') return 'count_only';
  if (capped) return 'max_records';
  const hard = summaries.find((s) => HARD_STOPS.has(s.stoppedReason));
  if (hard) return hard.stoppedReason;
  if (summaries.every((s) => s.stoppedReason === 'complete')) return 'complete';
  return summaries.some((s) => s.stoppedReason === 'ids_limit') ? 'ids_limit' : 'caught_up';
}

export async function runPull(deps: PullDeps, request: PullRequest): Promise<PullResult> {
  const { query, pageSize, maxRecords } = validate(request);
  const newId = createOrderedIdGenerator(deps.clock);
  const pullId = newId();
  const list = request.mode === 'count' ? null : await resolveList(deps, request, query, newId);
  const budget = { remaining: maxRecords ?? Number.POSITIVE_INFINITY };
  const summaries: QueryPullSummary[] = [];
  let error: ProviderError | null = null;

  let capped = false;
  for (const sub of searchPerZip(query)) {
    // The cap was reached exactly by the searches before: the rest are not started.
    if (request.mode !== 'count' && budget.remaining <= 0) {
      capped = true;
      break;
    }
    const pull = new QueryPull(deps, {
      pullId,
      newId,
      mode: request.mode,
      query: sub,
      querySig: querySignature(sub),
      queryJson: signatureText(sub),
      paramsJson: canonicalJson({
        query: sub,
        mode: request.mode,
        page_size: pageSize,
        max_records: maxRecords,
      }),
      pageSize,
      upsertBatch: UPSERT_BATCH,
      records: budget,
      list,
    });
    const summary = await pull.run();
    summaries.push(summary);
    error ??= pull.error;
    if (HARD_STOPS.has(summary.stoppedReason)) break;
  }

  const sum = (
    key: 'total' | 'pagesFetched' | 'newLeads' | 'updatedLeads' | 'known' | 'recordsBilled' | 'costMicros',
  ) => summaries.reduce((acc, s) => acc + s[key], 0);
  return {
    pullId,
    mode: request.mode,
    total: sum('total'),
    pagesFetched: sum('pagesFetched'),
    newLeads: sum('newLeads'),
    updatedLeads: sum('updatedLeads'),
    known: sum('known'),
    recordsBilled: sum('recordsBilled'),
    costMicros: sum('costMicros'),
    stoppedReason: overallReason(request.mode, summaries, capped),
    listId: list?.id ?? null,
    queries: summaries,
    error,
  };
}
