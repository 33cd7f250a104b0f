/**
 * `leadtrace compliance rescrub`: re-checks phones whose compliance check no longer counts
 * (never checked, or checked 31 days ago or more) through the DNC/TCPA providers, and
 * writes the answers back to contact_points (rules: domain/compliance/rescrub.ts).
 *
 * Every vendor call goes through the provider's guarded service (budget reservation, cache,
 * rate limit, circuit breaker, provider_calls record): one check per number and provider,
 * keyed by the number's blind index — the same key the waterfall's phone verification uses.
 * A cached answer younger than 31 days is reused (free, and dated by its own call); an older
 * one is not: those keys are sent with `force`, which moves them to a new generation (one
 * bill per generation).
 *
 * Numbers are taken in pages (keyset over never-checked first, then longest expired), and
 * each page is written back before the next is read, so a budget pause, a failure or Ctrl-C
 * keeps everything answered so far; paid answers not yet written are in the cache for the
 * next re-scrub. A number left without a complete answer stays expired and is retried by the
 * next re-scrub (there is no DLQ for it: the expired state is the queue).
 */
import { DEFAULT_STAGE_PROVIDERS } from '../providers/default-order.js';
import { toIso } from '../domain/clock.js';
import { complianceExpiry, isComplianceExpired } from '../domain/compliance/rules.js';
import { decideRescrub, type ComplianceAnswer } from '../domain/compliance/rescrub.js';
import { UserError } from '../domain/errors.js';
import { recoverOrphanedReservations, type SpendScope } from '../guards/budget.js';
import type { PhoneUnitInput } from '../pipeline/unit-providers.js';
import type { PhoneVerification } from '../providers/contract.js';
import {
  callCompletionTimes,
  expiredNumbers,
  raiseComplianceFlag,
  writeFreshCompliance,
  type ExpiredNumber,
  type FreshCompliance,
} from '../store/repos/compliance.js';
import { getCacheRows } from '../store/repos/skiptrace-cache.js';
import { callWithRetries, type StopVerdict } from './call-with-retries.js';
import type { ProviderService, RunWorkerDeps } from './run-worker.js';

/** Providers asked by default, those of them that are built (both BatchData list checks: $0.002 each). */
export const DEFAULT_RESCRUB_PROVIDERS: readonly string[] = DEFAULT_STAGE_PROVIDERS.compliance_rescrub;

/** Numbers per page: five vendor batches of 100 per provider. */
export const RESCRUB_PAGE_SIZE = 500;

/** provider_calls.attempt_reason of a re-scrub check. */
export const RESCRUB_ATTEMPT_REASON = 'compliance_rescrub';

export interface RescrubOptions {
  /** Only numbers held by leads of this list (already resolved). */
  listId?: string | null;
  /** At most this many numbers are taken (each asked of every provider). */
  limit?: number | null;
  /** Provider ids in asking order (default: DEFAULT_RESCRUB_PROVIDERS that are built). */
  providers?: readonly string[] | null;
  pageSize?: number;
  signal?: AbortSignal;
  /** Told after every page is written. */
  onPage?: (summary: RescrubSummary) => void;
}

export interface ProviderTally {
  /** Numbers sent to the vendor (a provider_calls row each). */
  called: number;
  /** Numbers answered from the cache, free. */
  cached: number;
  /** Numbers this provider failed to answer (after retries). */
  failed: number;
  cost_micros: number;
}

export interface RescrubSummary {
  status: 'completed' | 'paused' | 'failed';
  /** Why it stopped early: daily_budget, circuit_open, interrupted, auth: …, quota_exhausted: … */
  reason: string | null;
  list_id: string | null;
  providers: string[];
  /** Numbers taken for re-checking. */
  numbers: number;
  /** Of them, now fresh (checked, expiring 31 days after the check). */
  fresh: number;
  /** Of them, still expired: some provider gave no answer (error, stop, or a number it cannot check). */
  incomplete: number;
  /** Phone rows written (a number may be stored for several leads). */
  contact_points_updated: number;
  /** Flag changes on the numbers taken, by fresh answers (raised also by incomplete ones). */
  flags: Record<'dnc' | 'tcpa' | 'litigator', { raised: number; cleared: number }>;
  vendor: Record<string, ProviderTally>;
  cost_micros: number;
}

type RescrubDeps = Pick<
  RunWorkerDeps,
  'db' | 'cipher' | 'clock' | 'accountId' | 'services' | 'sleep' | 'random'
>;

interface Target {
  /** callWithRetries' attempt counter: a re-scrub starts every number afresh. */
  attempt: number;
  n: ExpiredNumber;
  number: string;
  key: string;
  answers: (ComplianceAnswer | null)[];
}

const NO_RUN: SpendScope = { runId: null, runCapMicros: null, override: false };

/**
 * The phone-verify services that report compliance flags, in the order asked. Named ones
 * must be built and check a list (flag `returnsCompliance`); the default takes the built
 * ones of DEFAULT_RESCRUB_PROVIDERS.
 */
export function rescrubProviders(
  services: ReadonlyMap<string, ProviderService>,
  ids?: readonly string[] | null,
): ProviderService[] {
  const eligible = [...services.values()].filter((s) => s.stage === 'verify_phone' && s.returnsCompliance);
  const names = eligible.map((s) => s.id).join(', ') || 'none built';
  if (!ids || ids.length === 0) {
    const chosen = DEFAULT_RESCRUB_PROVIDERS.map((id) => eligible.find((s) => s.id === id)).filter(
      (s): s is ProviderService => s !== undefined,
    );
    if (chosen.length === 0)
      throw new UserError(
        `none of the default DNC providers (${DEFAULT_RESCRUB_PROVIDERS.join(', ')}) is available; ` +
          `pick one with --providers (available: ${names})`,
        'no_provider',
      );
    return chosen;
  }
  const out: ProviderService[] = [];
  for (const id of ids) {
    const s = services.get(id);
    if (!s)
      throw new UserError(
        `unknown or unavailable provider "${id}" (DNC/TCPA providers: ${names})`,
        'bad_option',
      );
    if (!eligible.includes(s))
      throw new UserError(
        `provider "${id}" does not check DNC/TCPA lists (use one of: ${names})`,
        'bad_option',
      );
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export async function rescrubCompliance(
  deps: RescrubDeps,
  options: RescrubOptions = {},
): Promise<RescrubSummary> {
  const { db, cipher, clock, accountId } = deps;
  const providers = rescrubProviders(deps.services ?? new Map(), options.providers);
  const pageSize = options.pageSize ?? RESCRUB_PAGE_SIZE;
  const summary: RescrubSummary = {
    status: 'completed',
    reason: null,
    list_id: options.listId ?? null,
    providers: providers.map((p) => p.id),
    numbers: 0,
    fresh: 0,
    incomplete: 0,
    contact_points_updated: 0,
    flags: {
      dnc: { raised: 0, cleared: 0 },
      tcpa: { raised: 0, cleared: 0 },
      litigator: { raised: 0, cleared: 0 },
    },
    vendor: Object.fromEntries(
      providers.map((p) => [p.id, { called: 0, cached: 0, failed: 0, cost_micros: 0 }]),
    ),
    cost_micros: 0,
  };
  // Reservations a crashed process left are charged before this process spends (as runs do).
  await recoverOrphanedReservations(db, accountId, clock);
  // "Expired" as of the start: a stable set for keyset paging.
  const startIso = toIso(clock.now());
  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let after: { sortKey: string; valueHash: string } | null = null;
  let verdict: StopVerdict = null;

  while (remaining > 0 && verdict === null && !options.signal?.aborted) {
    const page = await expiredNumbers(db, {
      accountId,
      nowIso: startIso,
      listId: options.listId ?? null,
      after,
      limit: Math.min(pageSize, remaining),
    });
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    after = { sortKey: last.sortKey, valueHash: last.valueHash };
    remaining -= page.length;
    summary.numbers += page.length;

    const targets: Target[] = page.map((n) => {
      const number = cipher.decrypt(n.valueEnc);
      return {
        attempt: 0,
        n,
        number,
        key: cipher.blindIndex('phone', number),
        answers: providers.map(() => null),
      };
    });
    for (const [i, ps] of providers.entries()) {
      verdict = await askProvider(deps, ps, i, targets, summary.vendor[ps.id]!, options.signal);
      if (verdict !== null || options.signal?.aborted) break;
    }
    await writeBack(deps, targets, summary);
    options.onPage?.(structuredClone(summary));
  }
  summary.cost_micros = Object.values(summary.vendor).reduce((sum, t) => sum + t.cost_micros, 0);
  if (verdict !== null) {
    summary.status = verdict.status;
    summary.reason = verdict.reason;
  } else if (options.signal?.aborted) {
    summary.status = 'paused';
    summary.reason = 'interrupted';
  }
  return summary;
}

/** One provider over a page: cache or vendor through its service, with the run's retry rules. */
async function askProvider(
  deps: RescrubDeps,
  ps: ProviderService,
  index: number,
  targets: Target[],
  tally: ProviderTally,
  signal?: AbortSignal,
): Promise<StopVerdict> {
  const { db, clock, accountId } = deps;
  // A cached answer 31 days old or more no longer counts: ask the vendor again (new generation).
  const cached = await getCacheRows(
    db,
    accountId,
    ps.id,
    targets.map((t) => t.key),
  );
  const nowIso = toIso(clock.now());
  const force = new Set(
    [...cached.values()]
      .filter((row) => isComplianceExpired(complianceExpiry(row.created_at), nowIso))
      .map((row) => row.idempotency_key),
  );
  const result = await callWithRetries(
    deps,
    targets,
    (pending) =>
      ps.service.getMany(
        pending.map((t) => ({
          leadId: t.n.leadId,
          idempotencyKey: t.key,
          input: { number: t.number } satisfies PhoneUnitInput,
          attemptReason: RESCRUB_ATTEMPT_REASON,
          ...(force.has(t.key) ? { force: true } : {}),
        })),
        NO_RUN,
        signal,
      ),
    signal,
  );
  const answered = [...result.outcomes.values()].flatMap((o) => (o.kind === 'ok' ? [o.answer] : []));
  const times = await callCompletionTimes(
    db,
    answered.map((a) => a.providerCallId),
  );
  for (const t of targets) {
    const outcome = result.outcomes.get(t);
    if (outcome?.kind !== 'ok') {
      if (outcome?.kind === 'failed') tally.failed += 1;
      continue;
    }
    const a = outcome.answer;
    if (a.cached) tally.cached += 1;
    else tally.called += 1;
    tally.cost_micros += a.costMicros;
    const v = a.extra as PhoneVerification | undefined;
    t.answers[index] = {
      provider: ps.id,
      dnc: v?.dnc ?? null,
      tcpa: v?.tcpa ?? null,
      litigator: v?.litigator ?? null,
      answeredAt: times.get(a.providerCallId) ?? nowIso,
    };
  }
  return result.verdict;
}

/** Writes a page's decisions in one transaction: fresh answers grouped by value, raises by flag. */
async function writeBack(
  deps: RescrubDeps,
  targets: readonly Target[],
  summary: RescrubSummary,
): Promise<void> {
  const fresh = new Map<string, { value: FreshCompliance; hashes: string[] }>();
  const raise = { dnc: [] as string[], tcpa: [] as string[], litigator: [] as string[] };
  for (const t of targets) {
    const d = decideRescrub(t.answers);
    if (d.kind === 'incomplete') {
      summary.incomplete += 1;
      for (const flag of ['dnc', 'tcpa', 'litigator'] as const) {
        if (!d.raise[flag]) continue;
        raise[flag].push(t.n.valueHash);
        if (!t.n[flag]) summary.flags[flag].raised += 1;
      }
      continue;
    }
    summary.fresh += 1;
    const value: FreshCompliance = {
      dnc: d.dnc,
      tcpa: d.tcpa,
      litigator: d.litigator,
      source: d.source,
      checkedAt: d.checkedAt,
      expiresAt: d.expiresAt,
    };
    for (const flag of ['dnc', 'tcpa', 'litigator'] as const) {
      const now = value[flag];
      if (now === null || now === t.n[flag]) continue;
      summary.flags[flag][now ? 'raised' : 'cleared'] += 1;
    }
    const groupKey = JSON.stringify(value);
    const group = fresh.get(groupKey) ?? { value, hashes: [] };
    group.hashes.push(t.n.valueHash);
    fresh.set(groupKey, group);
  }
  await deps.db.transaction().execute(async (trx) => {
    for (const { value, hashes } of fresh.values()) {
      summary.contact_points_updated += await writeFreshCompliance(trx, deps.accountId, hashes, value);
    }
    for (const flag of ['dnc', 'tcpa', 'litigator'] as const) {
      if (raise[flag].length === 0) continue;
      summary.contact_points_updated += await raiseComplianceFlag(trx, deps.accountId, flag, raise[flag]);
    }
  });
}
