/**
 * The job record of a domain enrichment: its config (sites and Hunter filters) and its
 * progress, both JSON in `jobs`. Creating a job validates everything first, so a bad
 * filter or an unknown site leaves no job behind and spends nothing.
 */
import type { Kysely } from 'kysely';
import { isoNow, type Clock } from '../domain/clock.js';
import { UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import { insertJob, updateJob, type JobStatus } from '../store/repos/jobs.js';
import { getSitesByIds, setSitesStage } from '../store/repos/sites.js';
import type { Database } from '../store/schema.js';
import { validateEnrichmentFilters, type EnrichmentFilters } from './enrichment-filters.js';

export const ENRICHMENT_JOB_TYPE = 'enrichment';

/** jobs.config_json of an enrichment job. */
export interface EnrichmentJobConfig {
  /** In the order the job searches them. */
  site_ids: string[];
  filters: EnrichmentFilters;
}

/** jobs.progress_json of an enrichment job, written after each site. */
export interface EnrichmentProgress {
  total: number;
  /** Sites enriched by this job. */
  done: number;
  /** Sites that ended in `error` in this job. */
  failed: number;
  /** Addresses new to their site. */
  contacts_added: number;
  /** Addresses the site already had, found again and refreshed. */
  contacts_updated: number;
}

/**
 * A queued job over `siteIds` (duplicates dropped, order kept). The sites move to the
 * `enrichment` pipeline stage; their enrichment status is left as it is until the run
 * reaches them.
 */
export async function createEnrichmentJob(
  deps: { db: Kysely<Database>; accountId: string; clock: Clock },
  input: { siteIds: readonly string[]; filters: EnrichmentFilters },
): Promise<{ jobId: string; total: number }> {
  const filters = validateEnrichmentFilters(input.filters);
  const ids = [...new Set(input.siteIds)];
  if (ids.length === 0) throw new UserError('no sites to enrich', 'no_sites');
  const sites = await getSitesByIds(deps.db, deps.accountId, ids);
  if (sites.length !== ids.length) {
    const found = new Set(sites.map((s) => s.id));
    throw new UserError(`unknown site ${ids.find((id) => !found.has(id))}`, 'not_found');
  }
  const jobId = createOrderedIdGenerator(deps.clock)();
  const config: EnrichmentJobConfig = { site_ids: ids, filters };
  const progress: EnrichmentProgress = {
    total: ids.length,
    done: 0,
    failed: 0,
    contacts_added: 0,
    contacts_updated: 0,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertJob(trx, {
      id: jobId,
      account_id: deps.accountId,
      type: ENRICHMENT_JOB_TYPE,
      config_json: JSON.stringify(config),
      status: 'queued',
      progress_json: JSON.stringify(progress),
      error: null,
      created_at: isoNow(deps.clock),
      started_at: null,
      finished_at: null,
      owner: null,
      lease_expires_at: null,
    });
    await setSitesStage(trx, deps.accountId, ids, 'enrichment');
  });
  return { jobId, total: ids.length };
}

export async function finishEnrichmentJob(
  db: Kysely<Database>,
  jobId: string,
  end: { status: JobStatus; error: string | null; progress: EnrichmentProgress; nowIso: string },
): Promise<void> {
  await updateJob(db, jobId, {
    status: end.status,
    error: end.error,
    progress_json: JSON.stringify(end.progress),
    finished_at: end.nowIso,
  });
}
