/**
 * Processing a list (seed 004 process API): enrich a list's pending leads, in lead id order,
 * at most `limit` per call (default 2,000) and at most `dailyCap` per UTC day across every
 * list (default 5,000), starting after `startFrom`. It is a run like any other: the budget,
 * rate limits, breaker, cache and cooldown apply, it can be paused and resumed
 * (`leadtrace resume <run>`), and its policy is stored on it.
 *
 * Stages: property detail for every selected lead (address, facts, owners, owner type,
 * distress flags), then — unless `skipTrace` is false — the waterfall's skip-trace,
 * business and verification stages. Each lead ends `completed` (it has a phone or an
 * email), `partial` (enriched without one, or a provider failed it) or `failed` (with the
 * error kept in enrichment_error).
 *
 * `resumeFrom` in the answer is the last lead id this call selected when pending leads
 * remain after it: pass it as the next call's `startFrom`.
 */
import { sql } from 'kysely';
import { UserError } from '../domain/errors.js';
import { MS_PER_DAY, toIso } from '../domain/clock.js';
import type { WaterfallPolicy } from '../pipeline/waterfall-policy.js';
import { createRunForList } from './create-run.js';
import { executeRun, type RunOutcome, type RunWorkerDeps } from './run-worker.js';
import { listContextOf, resolveList } from './lists.js';
import type { Runtime } from './runtime.js';

export const PROCESS_DEFAULT_LIMIT = 2_000;
export const PROCESS_DEFAULT_DAILY_CAP = 5_000;
/** Runs created by list processing carry this source label prefix (the daily cap counts them). */
export const PROCESS_SOURCE_PREFIX = 'process:';

export interface ProcessListOptions {
  list: string;
  limit?: number;
  dailyCap?: number;
  skipTrace?: boolean;
  startFrom?: string | null;
  waterfall: WaterfallPolicy;
  maxSpendUsd?: number | null;
  signal?: AbortSignal;
  /** Default rt.workerDeps(). */
  deps?: RunWorkerDeps;
}

export interface ProcessListResult {
  listId: string;
  runId: string | null;
  outcome: RunOutcome | null;
  stats: { processed: number; successful: number; failed: number; withPhones: number; remaining: number };
  resumeFrom: string | null;
  /** What bounded this call's selection: the limit, the daily cap, or nothing (all pending taken). */
  cappedBy: 'limit' | 'daily_cap' | null;
}

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1)
    throw new UserError(`${name} must be a whole number of at least 1 (got ${v})`, 'bad_option');
  return v;
}

export async function processList(rt: Runtime, o: ProcessListOptions): Promise<ProcessListResult> {
  const limit = positiveInt('limit', o.limit, PROCESS_DEFAULT_LIMIT);
  const dailyCap = positiveInt('daily cap', o.dailyCap, PROCESS_DEFAULT_DAILY_CAP);
  const db = rt.store.db;
  const list = await resolveList(listContextOf(rt), o.list);
  const now = rt.clock.now();
  const dayStart = toIso(Math.floor(now / MS_PER_DAY) * MS_PER_DAY);

  // Leads already taken by list processing today (every list, every run, any outcome).
  const taken = await db
    .selectFrom('run_items')
    .innerJoin('runs', 'runs.run_id', 'run_items.run_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('runs.account_id', '=', rt.accountId)
    .where('runs.source_label', 'like', `${PROCESS_SOURCE_PREFIX}%`)
    .where('runs.created_at', '>=', dayStart)
    .executeTakeFirstOrThrow();
  const room = Math.max(0, dailyCap - Number(taken.n));

  const pendingAfter = (after: string | null) => {
    let q = db
      .selectFrom('list_members')
      .innerJoin('leads', 'leads.id', 'list_members.lead_id')
      .where('list_members.list_id', '=', list.id)
      .where('leads.enrichment_status', '=', 'pending');
    if (after) q = q.where('leads.id', '>', after);
    return q;
  };
  const take = Math.min(limit, room);
  const selected =
    take === 0
      ? []
      : (
          await pendingAfter(o.startFrom ?? null)
            .select('leads.id')
            .orderBy('leads.id')
            .limit(take)
            .execute()
        ).map((r) => r.id);
  const countPending = async (after: string | null) =>
    Number(
      (
        await pendingAfter(after)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const last = selected.at(-1) ?? null;
  const moreAfter = last ? await countPending(last) : await countPending(o.startFrom ?? null);
  const cappedBy = moreAfter === 0 ? null : take === room && room < limit ? 'daily_cap' : 'limit';
  if (selected.length === 0) {
    return {
      listId: list.id,
      runId: null,
      outcome: null,
      stats: { processed: 0, successful: 0, failed: 0, withPhones: 0, remaining: await countPending(null) },
      resumeFrom: null,
      cappedBy: moreAfter > 0 ? cappedBy : null,
    };
  }

  const skipTrace = o.skipTrace !== false;
  const waterfall: WaterfallPolicy = {
    ...o.waterfall,
    detail_when: o.waterfall.detail_when === 'never' ? 'never' : 'always',
    ...(skipTrace ? {} : { skip_trace: [], business: [], verify_phone: [], verify_email: [] }),
  };
  const { runId } = await createRunForList(db, {
    accountId: rt.accountId,
    listId: list.id,
    leadIds: selected,
    sourceLabel: `${PROCESS_SOURCE_PREFIX}${list.name}`,
    clock: rt.clock,
    policy: {
      force: false,
      retry_sanitized: true,
      include_dnc: false,
      max_spend_usd: o.maxSpendUsd ?? null,
      waterfall,
    },
  });
  const outcome = await executeRun(o.deps ?? rt.workerDeps(), runId, o.signal ? { signal: o.signal } : {});

  const statusRows = await db
    .selectFrom('leads')
    .select(['enrichment_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('id', 'in', selected)
    .groupBy('enrichment_status')
    .execute();
  const count = (s: string) => Number(statusRows.find((r) => r.enrichment_status === s)?.n ?? 0);
  const withPhones = await db
    .selectFrom('contact_points')
    .select(sql<number>`count(distinct lead_id)`.as('n'))
    .where('lead_id', 'in', selected)
    .where('kind', '=', 'phone')
    .executeTakeFirstOrThrow();
  const remaining = await countPending(null);
  return {
    listId: list.id,
    runId,
    outcome,
    stats: {
      processed: outcome.counters.done + outcome.counters.failed,
      successful: count('completed') + count('partial'),
      failed: count('failed'),
      withPhones: Number(withPhones.n),
      remaining,
    },
    resumeFrom: moreAfter > 0 ? last : null,
    cappedBy,
  };
}
