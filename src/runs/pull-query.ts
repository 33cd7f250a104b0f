/**
 * One search of a pull (one vendor result set: one ZIP, or the city/state): its requests,
 * its known ids, its pages and its bookmark. runs/pull.ts explains the modes; this file is
 * the mechanics. Invariant: a page's call completion, leads, list members, event and bookmark
 * commit in one transaction, so what the bookmark and events say is always what is stored.
 */
import type { Kysely } from 'kysely';
import { toIso } from '../domain/clock.js';
import type { SearchQuery } from '../domain/acquisition/search-query.js';
import type { LeadDraft } from '../domain/lead.js';
import { BudgetPause } from '../guards/budget.js';
import { ProviderError } from '../providers/errors.js';
import { chunk } from '../store/chunk.js';
import { sqliteHandleOf } from '../store/db.js';
import {
  getBookmark,
  insertSourceEvent,
  saveBookmark,
  type BookmarkRow,
  type QueryScope,
} from '../store/repos/acquisition.js';
import { LeadKeyIndex, upsertLeadBatch } from '../store/repos/leads.js';
import { addListMembers, type NewMember } from '../store/repos/lists.js';
import type { Database } from '../store/schema.js';
import { propertyLeadDraft, vendorIdLeadDraft } from './property-lead-draft.js';
import { idsKnown, recordsKnown, unknownRuns } from './pull-known.js';
import type { PullList } from './pull-list.js';
import type { PullDeps, PullMode } from './pull.js';
import { callSearch, type SearchCallResult, type SearchMode } from './property-search-call.js';

export type PullStopReason =
  /** Count mode: nothing to page. */
  | 'count_only'
  /** Every id of the result set is now stored (or was already). */
  | 'complete'
  /** Stopped at ids already known: everything past them was pulled before. */
  | 'caught_up'
  /** ids mode: the result set is larger than one ids_only answer (10,000); narrow the search. */
  | 'ids_limit'
  | 'max_records'
  /** The vendor's daily credit cap answered (HTTP 429). */
  | 'quota_exhausted'
  | 'daily_budget'
  | 'run_budget'
  | 'vendor_error';

export interface QueryPullSummary {
  querySig: string;
  query: SearchQuery;
  total: number;
  pagesFetched: number;
  newLeads: number;
  updatedLeads: number;
  known: number;
  recordsBilled: number;
  costMicros: number;
  stoppedReason: PullStopReason;
}

type Ok = Extract<SearchCallResult, { ok: true }>;

export interface QueryPullOptions {
  pullId: string;
  newId: () => string;
  mode: PullMode;
  query: SearchQuery;
  querySig: string;
  queryJson: string;
  paramsJson: string;
  pageSize: number;
  upsertBatch: number;
  /** Shared by the pull's searches: records (full) or new leads (ids) still allowed. */
  records: { remaining: number };
  list: PullList | null;
}

export class QueryPull {
  error: ProviderError | null = null;
  private readonly summary: QueryPullSummary;
  private readonly scope: QueryScope;
  private bookmark: BookmarkRow | undefined;
  /** Pages this pull stored for this search. */
  private pageNumber = 0;
  /** The bookmark's resume point (see migration 006). */
  private resumeIndex: number | null = null;
  /** The bookmark's last page: this pull's latest, else the previous pull's. */
  private last: { page: number; vendorId: string | null; pullId: string | null } = {
    page: 0,
    vendorId: null,
    pullId: null,
  };

  constructor(
    private readonly deps: PullDeps,
    private readonly o: QueryPullOptions,
  ) {
    this.scope = { accountId: deps.accountId, source: deps.source, querySig: o.querySig };
    this.summary = {
      querySig: o.querySig,
      query: o.query,
      total: 0,
      pagesFetched: 0,
      newLeads: 0,
      updatedLeads: 0,
      known: 0,
      recordsBilled: 0,
      costMicros: 0,
      stoppedReason: 'complete',
    };
  }

  async run(): Promise<QueryPullSummary> {
    if (this.o.mode === 'count') {
      const r = await this.call({ kind: 'count' });
      if (r) {
        await this.deps.db.transaction().execute((trx) => r.finish(trx));
        this.summary.costMicros += r.costMicros;
        this.summary.total = r.page.total;
        this.summary.stoppedReason = 'count_only';
      }
      return this.summary;
    }
    this.bookmark = await getBookmark(this.deps.db, this.scope);
    this.resumeIndex = this.bookmark?.resume_index ?? null;
    this.last = {
      page: this.bookmark?.last_page_fetched ?? 0,
      vendorId: this.bookmark?.last_seen_vendor_id ?? null,
      pullId: this.bookmark?.last_pull_id ?? null,
    };
    if (this.o.mode === 'ids') await this.pullIds();
    else await this.pullFull();
    await this.saveBookmark(this.deps.db, toIso(this.deps.clock.now()));
    return this.summary;
  }

  // ---- requests ------------------------------------------------------------------------

  /** One request; on failure records why the search stopped and returns null. */
  private async call(mode: SearchMode): Promise<Ok | null> {
    const r = await callSearch(
      { ...this.deps, newId: this.o.newId },
      { pullId: this.o.pullId, querySig: this.o.querySig, query: this.vendorQuery(), mode },
    );
    if (r.ok) {
      this.summary.pagesFetched++;
      return r;
    }
    if (r.error instanceof BudgetPause) return this.stop(r.error.reason);
    this.summary.pagesFetched++;
    if (r.error.code === 'quota_exhausted') return this.stop('quota_exhausted');
    this.error = r.error;
    return this.stop('vendor_error');
  }

  private stop(reason: PullStopReason): null {
    this.summary.stoppedReason = reason;
    return null;
  }

  private vendorQuery() {
    const q = this.o.query;
    return {
      ...(q.zips.length > 0 ? { zips: q.zips } : {}),
      ...(q.city ? { city: q.city } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(Object.keys(q.filters).length > 0 ? { filters: q.filters } : {}),
      ...(q.sort ? { sort: q.sort } : {}),
    };
  }

  // ---- ids mode ------------------------------------------------------------------------

  private async pullIds(): Promise<void> {
    const r = await this.call({ kind: 'ids' });
    if (!r) return;
    const ids = r.page.ids;
    this.summary.total = r.page.total;
    const known = await idsKnown(this.deps.db, this.scope, ids);
    const taken = new Set<string>();
    let finish: Ok['finish'] | null = r.finish;
    let capped = false;
    for (let start = 0; start < ids.length && !capped; start += this.o.upsertBatch) {
      const seen: string[] = [];
      const drafts: LeadDraft[] = [];
      for (const [i, id] of ids.slice(start, start + this.o.upsertBatch).entries()) {
        if (known.has(id) || taken.has(id)) this.summary.known++;
        else if (drafts.length >= this.o.records.remaining) {
          capped = true;
          break;
        } else {
          taken.add(id);
          drafts.push(vendorIdLeadDraft(this.deps.source, id, start + i + 1));
        }
        seen.push(id);
      }
      if (seen.length === 0) break;
      this.o.records.remaining -= drafts.length;
      await this.storePage({ mode: 'ids', finish, callId: r.callId, drafts, seen, resultIndex: start });
      finish = null;
    }
    if (finish) await this.deps.db.transaction().execute((trx) => finish(trx));
    this.summary.costMicros += r.costMicros;
    if (capped) this.stop('max_records');
    else if (r.page.total > ids.length) this.stop('ids_limit');
    else this.stop('complete');
  }

  // ---- full mode -----------------------------------------------------------------------

  private async pullFull(): Promise<void> {
    // The free probe: the result set's ids in vendor order (up to 10,000).
    const probe = await this.call({ kind: 'ids' });
    if (!probe) return;
    await this.deps.db.transaction().execute((trx) => probe.finish(trx));
    this.summary.costMicros += probe.costMicros;
    const ids = probe.page.ids;
    const total = probe.page.total;
    this.summary.total = total;
    const known = await recordsKnown(this.deps.db, this.scope, ids);
    this.summary.known += ids.filter((id) => known.has(id)).length;

    // Inside the window: fetch exactly the runs of unknown positions.
    for (const [from, to] of unknownRuns(ids, known)) {
      let at = from;
      while (at < to) {
        const size = Math.min(this.o.pageSize, to - at, this.o.records.remaining);
        if (size <= 0) return void this.stop('max_records');
        const r = await this.call({ kind: 'full', size, resultIndex: at });
        if (!r) return;
        // The bookmark's resume point is the walk's, past the window: carried unchanged.
        await this.storeFull(r, at, this.resumeIndex);
        if (r.page.records.length === 0) break; // the result set shrank since the probe
        at += r.page.records.length;
      }
    }
    if (total <= ids.length) return void this.stop('complete');

    // Past the window: walk pages. Resume a cut-short walk, else stop-when-known at the
    // window's edge. A resumed walk moves by the new ids at the top of the window (new listings
    // come first), at most by the growth of the result set: never too far, so no unknown
    // record is skipped; at worst a few known ones are paid again.
    let at = ids.length;
    const resuming = this.resumeIndex !== null && this.resumeIndex >= ids.length;
    if (resuming) {
      const firstKnown = ids.findIndex((id) => known.has(id));
      const newAtTop = firstKnown < 0 ? ids.length : firstKnown;
      const growth = Math.max(0, total - (this.bookmark?.result_total ?? total));
      at = this.resumeIndex! + Math.min(newAtTop, growth);
    } else if (ids.length > 0 && known.has(ids[ids.length - 1]!)) {
      return void this.stop('caught_up');
    }
    while (at < total) {
      // Stopped here, the next pull resumes here.
      this.resumeIndex = at;
      const size = Math.min(this.o.pageSize, total - at, this.o.records.remaining);
      if (size <= 0) return void this.stop('max_records');
      const r = await this.call({ kind: 'full', size, resultIndex: at });
      if (!r) return;
      const knownOnPage = (await recordsKnown(this.deps.db, this.scope, r.page.ids)).size;
      this.summary.known += knownOnPage;
      await this.storeFull(r, at, r.page.nextIndex);
      if (r.page.nextIndex === null || r.page.records.length === 0) break;
      at = r.page.nextIndex;
      // Stop-when-known; a resumed walk's first page may overlap what it stored before.
      if (knownOnPage > 0 && (!resuming || knownOnPage === r.page.ids.length)) {
        this.resumeIndex = null;
        return void this.stop('caught_up');
      }
    }
    this.resumeIndex = null;
    this.stop('complete');
  }

  /** Stores a full page; `resumeAfter` is the bookmark's resume point once it is stored. */
  private async storeFull(r: Ok, at: number, resumeAfter: number | null): Promise<void> {
    this.o.records.remaining -= r.page.billableUnits;
    this.summary.recordsBilled += r.page.billableUnits;
    this.summary.costMicros += r.costMicros;
    this.resumeIndex = resumeAfter;
    const drafts = r.page.records.map((rec, i) => propertyLeadDraft(this.deps.source, rec, at + i + 1));
    await this.storePage({
      mode: 'full',
      finish: r.finish,
      callId: r.callId,
      drafts,
      seen: r.page.ids,
      resultIndex: at,
    });
  }

  // ---- storing -------------------------------------------------------------------------

  private async storePage(p: {
    mode: 'ids' | 'full';
    finish: Ok['finish'] | null;
    callId: string;
    drafts: LeadDraft[];
    seen: string[];
    resultIndex: number;
  }): Promise<void> {
    const { db, accountId } = this.deps;
    const sqlite = sqliteHandleOf(db);
    const nowIso = toIso(this.deps.clock.now());
    const pageNumber = this.pageNumber + 1;
    let created = 0;
    let matched = 0;
    await db.transaction().execute(async (trx) => {
      await p.finish?.(trx);
      const members: NewMember[] = [];
      for (const batch of chunk(p.drafts, this.o.upsertBatch)) {
        const outcomes = await upsertLeadBatch(
          trx,
          accountId,
          batch,
          nowIso,
          this.o.newId,
          new LeadKeyIndex(),
          sqlite,
        );
        for (const o of outcomes) {
          if (o.created) created++;
          else matched++;
          members.push({ leadId: o.leadId, rowNumber: o.rowNumber, inputRow: null });
        }
      }
      if (members.length > 0 && this.o.list) {
        await addListMembers(trx, await this.o.list.idIn(trx, nowIso), members, nowIso, sqlite);
      }
      await insertSourceEvent(trx, {
        id: this.o.newId(),
        account_id: accountId,
        source: this.deps.source,
        query_sig: this.o.querySig,
        pull_id: this.o.pullId,
        mode: p.mode,
        pull_params_json: this.o.paramsJson,
        page_number: pageNumber,
        result_index: p.resultIndex,
        seen_vendor_ids: JSON.stringify(p.seen),
        first_id: p.seen[0] ?? null,
        last_id: p.seen.at(-1) ?? null,
        new_leads: created,
        provider_call_id: p.callId,
        created_at: nowIso,
      });
      this.last = { page: pageNumber, vendorId: p.seen.at(-1) ?? null, pullId: this.o.pullId };
      await this.saveBookmark(trx, nowIso);
    });
    this.pageNumber = pageNumber;
    this.o.list?.committed();
    this.summary.newLeads += created;
    this.summary.updatedLeads += matched;
  }

  private async saveBookmark(db: Kysely<Database>, nowIso: string): Promise<void> {
    await saveBookmark(db, {
      account_id: this.deps.accountId,
      source: this.deps.source,
      query_sig: this.o.querySig,
      query_json: this.o.queryJson,
      last_page_fetched: this.last.page,
      last_seen_vendor_id: this.last.vendorId,
      last_pull_id: this.last.pullId,
      result_total: this.summary.total,
      resume_index: this.resumeIndex,
      updated_at: nowIso,
    });
  }
}
