/**
 * The embedded worker pool: run items in the database are the durable queue. Up to
 * `concurrency` chunks (each up to the provider's batch size) are in flight; a chunk's
 * contacts, item statuses and lead updates commit in one transaction after the vendor
 * calls were recorded (see SkipTraceService), so a kill at any instant loses nothing.
 */
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import { usdToMicros } from '../domain/money.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import { recoverOrphanedReservations, type SpendScope } from '../guards/budget.js';
import type { Sleep } from '../guards/token-bucket.js';
import type { ContinuationLearner } from '../pipeline/continuation.js';
import type { SkipTraceService } from '../pipeline/skiptrace-service.js';
import type { StageName } from '../pipeline/waterfall-policy.js';
import type { ProviderCost } from '../providers/contract.js';
import type { Database } from '../store/schema.js';
import { loadAutoStats } from '../store/repos/auto-stats.js';
import { runCallTotals } from '../store/repos/provider-calls.js';
import {
  countRunItems,
  getRun,
  pendingItems,
  updateRun,
  type RunCounters,
  type RunItemRow,
} from '../store/repos/runs.js';
import type { RunPolicy } from './create-run.js';
import { processChunk, type StopVerdict } from './process-chunk.js';
import type { RunEvents } from './run-events.js';

/** One provider as the waterfall uses it: its stage, its facts, its guarded service. */
export interface ProviderService {
  id: string;
  stage: StageName;
  /** Its phones come with dnc/tcpa/litigator flags (compliance provenance). */
  returnsCompliance: boolean;
  /** Cost model and flags, for 'auto' ordering. */
  cost: ProviderCost;
  flags: { batchSize: number; billsOnMiss: boolean };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  service: SkipTraceService<any>;
}

export interface RunWorkerDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  /** The default skip-trace provider's service (used alone when `services` is not given). */
  service: SkipTraceService;
  /** Every provider the waterfall may use, by id. Default: `service` alone as skip-trace. */
  services?: ReadonlyMap<string, ProviderService>;
  /** Orders a stage's providers for a policy order of 'auto' (the vendor scorecard). */
  autoOrder?: (stage: StageName, candidates: ProviderService[]) => Promise<ProviderService[]>;
  /** State-aware stopping for 'auto' stages (pipeline/continuation.ts); none = plain gap-only. */
  continuation?: ContinuationLearner;
  concurrency: number;
  /** Waits between retries (injected in tests). Default: real timers. */
  sleep?: Sleep;
  /** Jitter source for backoff. Default Math.random. */
  random?: () => number;
  /** Items per chunk (capped by the provider's batch size). */
  batchSize?: number;
  sanitizedRetryEnabled: boolean;
  events?: RunEvents;
}

export interface RunOutcome {
  runId: string;
  status: 'completed' | 'paused' | 'failed';
  reason: string | null;
  counters: RunCounters;
}

export class RunNotFound extends Error {
  override readonly name = 'RunNotFound';
}

/**
 * Processes a run's queued items (and, on resume, its failed ones and any left in flight
 * by a crash) until none remain, the signal aborts, or a guard stops the run.
 */
export async function executeRun(
  deps: RunWorkerDeps,
  runId: string,
  options: { signal?: AbortSignal; includeFailed?: boolean; overrideBudget?: boolean } = {},
): Promise<RunOutcome> {
  const { db, clock } = deps;
  const run = await getRun(db, deps.accountId, runId);
  if (!run) throw new RunNotFound(`no run ${runId}`);
  const policy = JSON.parse(run.policy_json) as RunPolicy;
  // Calls that a crashed process left in flight are charged at worst case and retried.
  await recoverOrphanedReservations(db, deps.accountId, clock);
  // 'auto' starts from everything the account's runs have learned (table auto_stats).
  deps.continuation?.load(await loadAutoStats(db, deps.accountId));
  const scope: SpendScope = {
    runId,
    runCapMicros: policy.max_spend_usd == null ? null : usdToMicros(policy.max_spend_usd),
    override: options.overrideBudget ?? false,
  };
  const statuses: RunItemRow['status'][] = options.includeFailed
    ? ['queued', 'in_flight', 'failed']
    : ['queued', 'in_flight'];
  // The queue is read in pages (keyset by item id), so memory stays flat for any run size.
  const PAGE = 5000;
  let buffer: RunItemRow[] = [];
  let afterId: string | null = null;
  let exhausted = false;
  let refilling: Promise<void> | null = null;
  const take = async (n: number): Promise<RunItemRow[]> => {
    while (buffer.length < n && !exhausted) {
      refilling ??= (async () => {
        const page = await pendingItems(db, runId, statuses, { afterId, limit: PAGE });
        if (page.length < PAGE) exhausted = true;
        if (page.length > 0) afterId = page[page.length - 1]!.id;
        buffer = buffer.concat(page);
      })().finally(() => {
        refilling = null;
      });
      await refilling;
    }
    return buffer.splice(0, n);
  };
  await updateRun(db, runId, {
    status: 'running',
    soft_paused: 0,
    reason: null,
    started_at: run.started_at ?? toIso(clock.now()),
    finished_at: null,
  });

  const batchSize = Math.min(deps.batchSize ?? Infinity, deps.service.batchSize);
  let stop: StopVerdict = null;
  const worker = async () => {
    while (!stop && !options.signal?.aborted) {
      const items = await take(batchSize);
      if (items.length === 0) return;
      const verdict = await processChunk(deps, scope, policy, items, options.signal);
      if (verdict && !stop) {
        stop = verdict;
        deps.events?.emit('run:paused', { runId, reason: verdict.reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency) }, worker));

  const counters = await countRunItems(db, runId);
  const spend = await runCallTotals(db, runId);
  const halted = stop as StopVerdict;
  const status = halted ? halted.status : options.signal?.aborted ? 'paused' : 'completed';
  const reason = halted ? halted.reason : options.signal?.aborted ? 'interrupted' : null;
  await updateRun(db, runId, {
    status,
    reason,
    soft_paused: halted?.reason === 'daily_budget' || halted?.reason === 'run_budget' ? 1 : 0,
    ...counters,
    spent_micros: spend.costMicros,
    finished_at: status === 'completed' ? toIso(clock.now()) : null,
  });
  return { runId, status, reason, counters };
}
