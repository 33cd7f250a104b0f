/**
 * Creates a run over a list: one run item per lead, with its idempotency keys and
 * normalized parts (seed 002 `skiptrace_run_items`). Leads without a street address
 * cannot be traced by address: unless property detail can fill it from the vendor's
 * property id, their items are created `done` at stage `skipped`.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import type { Database, RunItemsTable } from '../store/schema.js';
import { getWaterfallLeads, type WaterfallLead } from '../store/repos/waterfall-leads.js';
import { listLeadIds } from '../store/repos/lists.js';
import { insertRun, insertRunItems } from '../store/repos/runs.js';
import { traceKeysOfLead, type LeadTraceKeys } from './lead-signatures.js';
import { namedProviders, storedWaterfall, type WaterfallPolicy } from '../pipeline/waterfall-policy.js';

export interface RunPolicy {
  /** Ignore live cache entries (a new generation for every key). */
  force: boolean;
  /** Seed 002 sanitized retry. */
  retry_sanitized: boolean;
  /** Let DNC/TCPA numbers into Phone1–3 of the export. */
  include_dnc: boolean;
  /** This run's own spending cap in USD (`--max-spend`), or null for none. */
  max_spend_usd?: number | null;
  /** Stages, provider order, gap-only and cooldown (absent: the default waterfall). */
  waterfall?: WaterfallPolicy;
}

/** Run ids sort by creation time and read well in paths: run_20261125T113750_ab12cd. */
export function newRunId(nowMs: number): string {
  const stamp = toIso(nowMs)
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `run_${stamp}_${randomUUID().slice(0, 6)}`;
}

export async function createRunForList(
  db: Kysely<Database>,
  o: {
    accountId: string;
    listId: string;
    sourceLabel: string;
    policy: RunPolicy;
    clock: Clock;
    runId?: string;
    /** Only these leads of the list, in this order (default: every lead of the list). */
    leadIds?: readonly string[];
  },
): Promise<{ runId: string; total: number; skipped: number }> {
  const now = o.clock.now();
  const nowIso = toIso(now);
  const runId = o.runId ?? newRunId(now);
  const leadIds = o.leadIds ?? (await listLeadIds(db, o.listId));
  // Leads are read a page at a time, so a large list does not sit in memory whole.
  const leads = new Map<string, Pick<WaterfallLead, 'id' | 'property_id'> & { keys: LeadTraceKeys | null }>();
  for (let i = 0; i < leadIds.length; i += 5000) {
    for (const l of await getWaterfallLeads(db, leadIds.slice(i, i + 5000)))
      leads.set(l.id, { id: l.id, property_id: l.property_id, keys: traceKeysOfLead(l) });
  }
  const wf = storedWaterfall(o.policy.waterfall);
  // A lead with no street address but a vendor property id can get one from property detail.
  const detailable = (lead: { property_id: string | null }) =>
    lead.property_id !== null &&
    wf.detail_when !== 'never' &&
    namedProviders(wf.property_detail).length + (wf.property_detail === 'auto' ? 1 : 0) > 0;
  const items: Insertable<RunItemsTable>[] = [];
  let skipped = 0;
  leadIds.forEach((leadId, i) => {
    const lead = leads.get(leadId);
    if (!lead) return;
    const keys = lead.keys;
    const queued = keys !== null || detailable(lead);
    if (!queued) skipped++;
    items.push({
      // Zero-padded sequence: ids sort in list order within the run.
      id: `${runId}:${String(i).padStart(9, '0')}`,
      run_id: runId,
      lead_id: leadId,
      status: queued ? 'queued' : 'done',
      stage: queued ? (keys ? 'skip-trace' : 'property-detail') : 'skipped',
      attempt: 0,
      idem_key: keys?.idempotencyKey ?? 'none',
      sanitized_idem_key: keys?.sanitizedIdempotencyKey ?? null,
      normalized_address: keys?.normalizedAddress ?? null,
      normalized_person: keys?.normalizedPerson ?? null,
      cached: 0,
      provider_call_id: null,
      last_error: queued ? null : 'no street address to trace',
      next_attempt_at: null,
      updated_at: nowIso,
    });
  });
  await db.transaction().execute(async (trx) => {
    await insertRun(trx, {
      run_id: runId,
      account_id: o.accountId,
      list_id: o.listId,
      source_label: o.sourceLabel,
      policy_json: JSON.stringify(o.policy),
      status: 'queued',
      total: items.length,
      queued: items.length - skipped,
      in_flight: 0,
      done: skipped,
      failed: 0,
      cached_hits: 0,
      spent_micros: 0,
      reserved_micros: 0,
      soft_paused: 0,
      reason: null,
      created_at: nowIso,
      started_at: null,
      finished_at: null,
    });
    await insertRunItems(trx, items);
  });
  return { runId, total: items.length, skipped };
}
