/**
 * Domain-enrichment jobs (seed 003): find the contacts at each site's domain with the
 * domain-search provider (Hunter) and keep them per site.
 *
 * A job is created over a set of sites with Hunter filters (stored in config_json), then
 * run in-process, one site at a time, in the order given:
 *   site `enriching` → one search (recorded in provider_calls, reserved and settled
 *   through the budget guard) → contacts upserted by (site, email blind index) → site
 *   `enriched` (or `error`) and the job's progress_json, in the same transaction.
 * Re-enrichment adds new addresses and refreshes known ones; it never deletes one.
 *
 * How a job ends:
 *   - completed: every site was searched (failed sites count in `failed`);
 *   - cancelled: the AbortSignal fired; sites already done stay done, the site in flight
 *     gets back the status it had, the rest are untouched;
 *   - failed, quota: Hunter answered 429 (plan credits used up). The job pauses 30 s
 *     (injected sleep) and retries once; still exhausted → that site and every remaining
 *     one are marked `error` with a quota message and the job fails. Not `paused`: no
 *     job resumes; the sites' own status is the durable state, so once credits are back
 *     `sites enrich --retry-errors` searches exactly those sites again;
 *   - failed, stop: the vendor refused the key (auth) or our daily budget would be
 *     crossed (BudgetPause): the site in flight gets its status back, the rest untouched;
 *   - failed, bug: anything that is not a vendor answer (a store failure) fails the job
 *     and is rethrown.
 * Per site, transient vendor failures (403 rate limit, 5xx, timeouts, drift) are retried
 * by decideRetry's backoff (3 attempts); a permanent one (400/422) fails that site only.
 */
import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../domain/clock.js';
import { coerceError, UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import { createBudgetGuard, ownerGone, PROCESS_OWNER, type BudgetGuard } from '../guards/budget.js';
import { decideRetry } from '../guards/retry.js';
import { createTokenBucket, realSleep, type RateLimiter, type Sleep } from '../guards/token-bucket.js';
import type { DomainSearchProvider } from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import { getJob, runningJobs, transitionJob, updateJob, type JobStatus } from '../store/repos/jobs.js';
import { runCallTotals } from '../store/repos/provider-calls.js';
import { getSitesByIds, setSiteStatus, type SiteRow } from '../store/repos/sites.js';
import type { Database } from '../store/schema.js';
import { recordedDomainSearch } from './domain-search-call.js';
import {
  ENRICHMENT_JOB_TYPE,
  finishEnrichmentJob,
  type EnrichmentJobConfig,
  type EnrichmentProgress,
} from './enrichment-job.js';
import type { Runtime } from './runtime.js';
import { storeSiteContacts } from './site-contacts-store.js';
import { autoLinkLeads } from './sites.js';

export {
  createEnrichmentJob,
  ENRICHMENT_JOB_TYPE,
  type EnrichmentJobConfig,
  type EnrichmentProgress,
} from './enrichment-job.js';

/** How long a job waits after Hunter's "usage limit" before its one retry. */
export const QUOTA_PAUSE_MS = 30_000;

export interface EnrichmentDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  provider: DomainSearchProvider;
  budget: BudgetGuard;
  rateLimiter: RateLimiter;
  /** Waits for the quota pause and retry backoff; rejects when the signal aborts. */
  sleep: Sleep;
  /** Jitter of retry backoff. Default Math.random. */
  random?: () => number;
  /** Default QUOTA_PAUSE_MS. */
  quotaPauseMs?: number;
}

export interface SiteProgressEvent {
  jobId: string;
  site: { id: string; domain: string };
  outcome: 'enriched' | 'error';
  added: number;
  updated: number;
  error: string | null;
  progress: EnrichmentProgress;
}

export interface EnrichmentOutcome {
  jobId: string;
  status: JobStatus;
  progress: EnrichmentProgress;
  error: string | null;
  providerCalls: number;
  costMicros: number;
  /** Leads linked to a site automatically at the end (sites named from Hunter's answer). */
  linkedLeads: number;
}

type SiteOutcome =
  | {
      kind: 'enriched' | 'error';
      progress: EnrichmentProgress;
      added: number;
      updated: number;
      error: string | null;
    }
  | { kind: 'cancelled' }
  | { kind: 'stop'; error: string }
  | { kind: 'quota'; error: string };

/** Runs a queued enrichment job to its end (see the file comment for how it can end). */
export async function runEnrichmentJob(
  deps: EnrichmentDeps,
  jobId: string,
  opts: { signal?: AbortSignal; onProgress?: (e: SiteProgressEvent) => void | Promise<void> } = {},
): Promise<EnrichmentOutcome> {
  const { db, accountId, clock, signal } = { ...deps, signal: opts.signal };
  const job = await getJob(db, accountId, jobId);
  if (!job || job.type !== ENRICHMENT_JOB_TYPE)
    throw new UserError(`no enrichment job ${jobId}`, 'not_found');
  const running = {
    status: 'running' as const,
    started_at: isoNow(clock),
    owner: PROCESS_OWNER,
    lease_expires_at: leaseUntil(clock),
  };
  if (!(await transitionJob(db, jobId, ['queued'], running))) {
    throw new UserError(`job ${jobId} is ${job.status}; only a queued job can run`, 'job_not_queued');
  }
  const config = JSON.parse(job.config_json) as EnrichmentJobConfig;
  const sites = await getSitesByIds(db, accountId, config.site_ids);
  let progress: EnrichmentProgress = {
    ...(JSON.parse(job.progress_json) as EnrichmentProgress),
    total: sites.length,
  };
  const newId = createOrderedIdGenerator(clock);
  const callDeps = { ...deps, newId };
  const contactsSource = { cipher: deps.cipher, accountId, newId, providerId: deps.provider.id, jobId };
  let status: JobStatus = 'completed';
  let error: string | null = null;
  let named = false;

  const pause = async (ms: number): Promise<boolean> => {
    try {
      await deps.sleep(ms, signal);
      return true;
    } catch (err) {
      if (signal?.aborted) return false;
      throw err;
    }
  };

  async function enrichSite(site: SiteRow): Promise<SiteOutcome> {
    let quotaRetried = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const { stored } = await recordedDomainSearch(
          callDeps,
          { jobId, domain: site.domain, filters: config.filters },
          async (trx, answer): Promise<SiteOutcome> => {
            const { added, updated } = await storeSiteContacts(
              trx,
              { ...contactsSource, nowIso: isoNow(clock) },
              site.id,
              answer.result.contacts,
            );
            const next = {
              ...progress,
              done: progress.done + 1,
              contacts_added: progress.contacts_added + added,
              contacts_updated: progress.contacts_updated + updated,
            };
            const name = site.name ? undefined : (answer.result.organization ?? undefined);
            await setSiteStatus(trx, [site.id], {
              enrichment_status: 'enriched',
              enrichment_error: null,
              last_enriched_at: isoNow(clock),
              ...(name ? { name } : {}),
            });
            await updateJob(trx, jobId, {
              progress_json: JSON.stringify(next),
              lease_expires_at: leaseUntil(clock),
            });
            if (name) named = true;
            return { kind: 'enriched', progress: next, added, updated, error: null };
          },
          signal,
        );
        return stored;
      } catch (err) {
        if (signal?.aborted) return { kind: 'cancelled' };
        if (err instanceof ProviderError && err.code === 'quota_exhausted') {
          if (quotaRetried) return { kind: 'quota', error: err.message };
          quotaRetried = true;
          attempt--; // the quota retry is its own allowance, not a backoff attempt
          if (!(await pause(deps.quotaPauseMs ?? QUOTA_PAUSE_MS))) return { kind: 'cancelled' };
          continue;
        }
        const decision = decideRetry(err, attempt, deps.random ? { random: deps.random } : {});
        if (decision.retry) {
          if (!(await pause(decision.waitMs))) return { kind: 'cancelled' };
          continue;
        }
        if (decision.reason === 'budget') return { kind: 'stop', error: coerceError(err).message };
        if (decision.reason === 'auth')
          return { kind: 'stop', error: `vendor refused the key: ${coerceError(err).message}` };
        if (!(err instanceof ProviderError)) throw err;
        const message = `${err.code}: ${err.message}`;
        const next = { ...progress, failed: progress.failed + 1 };
        await db.transaction().execute(async (trx) => {
          await setSiteStatus(trx, [site.id], { enrichment_status: 'error', enrichment_error: message });
          await updateJob(trx, jobId, {
            progress_json: JSON.stringify(next),
            lease_expires_at: leaseUntil(clock),
          });
        });
        return { kind: 'error', progress: next, added: 0, updated: 0, error: message };
      }
    }
  }

  try {
    for (let i = 0; i < sites.length; i++) {
      if (signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const site = sites[i]!;
      await setSiteStatus(db, [site.id], { enrichment_status: 'enriching' });
      let outcome: SiteOutcome;
      try {
        outcome = await enrichSite(site);
      } catch (err) {
        await setSiteStatus(db, [site.id], restoreOf(site));
        throw err;
      }
      if (outcome.kind === 'enriched' || outcome.kind === 'error') {
        progress = outcome.progress;
        // Awaited: a progress consumer sees the store as of this site, before the next starts.
        await opts.onProgress?.({
          jobId,
          site: { id: site.id, domain: site.domain },
          outcome: outcome.kind,
          added: outcome.added,
          updated: outcome.updated,
          error: outcome.error,
          progress,
        });
        continue;
      }
      if (outcome.kind === 'quota') {
        const rest = sites.slice(i + 1).map((s) => s.id);
        const next = { ...progress, failed: progress.failed + 1 + rest.length };
        await db.transaction().execute(async (trx) => {
          await setSiteStatus(trx, [site.id], {
            enrichment_status: 'error',
            enrichment_error: `quota exhausted: ${outcome.error}`,
          });
          await setSiteStatus(trx, rest, {
            enrichment_status: 'error',
            enrichment_error: 'quota exhausted before this site was searched',
          });
          await updateJob(trx, jobId, {
            progress_json: JSON.stringify(next),
            lease_expires_at: leaseUntil(clock),
          });
        });
        progress = next;
        status = 'failed';
        error = `quota exhausted (still after a ${(deps.quotaPauseMs ?? QUOTA_PAUSE_MS) / 1000} s pause and one retry): ${outcome.error}`;
        break;
      }
      await setSiteStatus(db, [site.id], restoreOf(site));
      if (outcome.kind === 'cancelled') status = 'cancelled';
      else [status, error] = ['failed', outcome.error];
      break;
    }
  } catch (err) {
    const failure = {
      status: 'failed' as const,
      error: coerceError(err).message,
      progress,
      nowIso: isoNow(clock),
    };
    await finishEnrichmentJob(db, jobId, failure);
    throw err;
  }
  await finishEnrichmentJob(db, jobId, { status, error, progress, nowIso: isoNow(clock) });
  const linkedLeads = named ? (await autoLinkLeads({ db, accountId, clock })).linked : 0;
  const totals = await runCallTotals(db, jobId);
  return {
    jobId,
    status,
    progress,
    error,
    providerCalls: totals.calls,
    costMicros: totals.costMicros,
    linkedLeads,
  };
}

/**
 * How long a running job's owner is trusted without news from it: the lease is renewed after
 * each site, and a site takes at most a few retries and one 30 s quota pause.
 */
export const JOB_LEASE_MS = 10 * 60_000;

const leaseUntil = (clock: Clock): string => new Date(clock.now() + JOB_LEASE_MS).toISOString();

/** A job whose process ended while it ran, as recoverInterruptedJobs left it. */
export interface RecoveredJob {
  jobId: string;
  /** Sites that were mid-search, now `error` (so `sites enrich --retry-errors` takes them). */
  sites: number;
}

/**
 * Ends the enrichment jobs left `running` by a process that is gone (killed, crashed, the
 * machine restarted): the job becomes `failed` ("interrupted"), and the site it was searching
 * — left `enriching`, which no selection takes — becomes `error` with the reason, so
 * `sites enrich --retry-errors` searches it again. Sites already enriched stay enriched, and
 * a vendor call the process had made is settled by the budget guard's own recovery. Jobs of
 * live processes are left alone (ownerGone: same host by pid, elsewhere by lease). A job from
 * before owners were recorded (no owner) counts as interrupted.
 */
export async function recoverInterruptedJobs(deps: {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
}): Promise<RecoveredJob[]> {
  const { db, accountId, clock } = deps;
  const now = clock.now();
  const recovered: RecoveredJob[] = [];
  for (const job of await runningJobs(db, accountId, ENRICHMENT_JOB_TYPE)) {
    if (job.owner !== null && !ownerGone(job.owner, job.lease_expires_at ?? '', now)) continue;
    const config = JSON.parse(job.config_json) as EnrichmentJobConfig;
    const nowIso = isoNow(clock);
    const sites = await db.transaction().execute(async (trx) => {
      const ended = await transitionJob(trx, job.id, ['running'], {
        status: 'failed',
        error: 'interrupted: the process running this job ended',
        finished_at: nowIso,
      });
      if (!ended) return null;
      const stuck = (await getSitesByIds(trx, accountId, config.site_ids))
        .filter((s) => s.enrichment_status === 'enriching')
        .map((s) => s.id);
      await setSiteStatus(trx, stuck, {
        enrichment_status: 'error',
        enrichment_error: `interrupted: job ${job.id} ended with its process; retry with sites enrich --retry-errors`,
      });
      return stuck.length;
    });
    if (sites !== null) recovered.push({ jobId: job.id, sites });
  }
  return recovered;
}

/** The status a site had before this job touched it. */
function restoreOf(site: SiteRow): Parameters<typeof setSiteStatus>[2] {
  return { enrichment_status: site.enrichment_status, enrichment_error: site.enrichment_error };
}

/** Enrichment dependencies from a runtime: its domain-search provider, budget and clock. */
export function enrichmentDepsFor(rt: Runtime): EnrichmentDeps {
  const provider = rt.providers.ofKind('domain-search')[0];
  if (!provider) {
    throw new UserError('no domain-search provider: set HUNTER_API_KEY or allow the sandbox', 'no_provider');
  }
  return {
    db: rt.store.db,
    cipher: rt.cipher,
    clock: rt.clock,
    accountId: rt.accountId,
    provider,
    budget: createBudgetGuard({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      dailyCapMicros: rt.dailyCapMicros,
    }),
    rateLimiter: createTokenBucket({ ratePerSec: provider.rateLimit.requestsPerSecond, clock: rt.clock }),
    sleep: realSleep,
  };
}
