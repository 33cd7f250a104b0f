/**
 * Seed 001 `vw_campaign_ready_leads` as a predicate and a comparator, so the store's query
 * and any in-memory selection agree on one definition:
 *
 *   WHERE status = 'contactable' AND added_to_campaign_at IS NULL AND quality_score >= 60
 *   ORDER BY quality_score DESC, first_seen_at ASC
 *
 * The seed kept the quality status in `leads.status`; our model (DATA-MODEL.md) splits it
 * into `quality_status` (contactable, enriched, do_not_contact) and a lifecycle `status`
 * (new, contacted, qualified, lost, closed). The seed's `status = 'contactable'` is our
 * `quality_status = 'contactable'`. The lifecycle status is new to us: a lead that is
 * `lost` or `closed` is finished and is never campaign-ready whatever its score.
 */
import { QUALITY_THRESHOLDS } from './score.js';

/** Lifecycle statuses that end a lead's outreach. */
export const TERMINAL_LEAD_STATUSES: ReadonlySet<string> = new Set(['lost', 'closed']);

/** The lead columns the predicate reads (a `leads` row fits). */
export interface CampaignReadyCandidate {
  quality_status: string | null;
  quality_score: number | null;
  /** Set once the lead is queued into a campaign; absent is the same as null. */
  added_to_campaign_at?: string | null;
  /** Lifecycle status (new, contacted, qualified, lost, closed). */
  status: string;
}

export function isCampaignReady(lead: CampaignReadyCandidate): boolean {
  return (
    lead.quality_status === 'contactable' &&
    (lead.added_to_campaign_at ?? null) === null &&
    lead.quality_score !== null &&
    lead.quality_score >= QUALITY_THRESHOLDS.contactable &&
    !TERMINAL_LEAD_STATUSES.has(lead.status)
  );
}

/** The lead columns the ordering reads. */
export interface CampaignOrderKey {
  quality_score: number | null;
  /** ISO-8601 UTC text. */
  first_seen_at: string;
  /** Optional final tie-break so the order is total (same score, same first-seen instant). */
  id?: string;
}

/**
 * For `Array.prototype.sort`: quality_score descending (null last), then first_seen_at
 * ascending (the lead waiting longest goes first), then id ascending when given.
 */
export function compareCampaignReady(a: CampaignOrderKey, b: CampaignOrderKey): number {
  const scoreA = a.quality_score ?? Number.NEGATIVE_INFINITY;
  const scoreB = b.quality_score ?? Number.NEGATIVE_INFINITY;
  if (scoreA !== scoreB) return scoreB > scoreA ? 1 : -1;
  // Stored times are ISO-8601 UTC text of one format, which sorts as text (domain/clock.ts).
  if (a.first_seen_at !== b.first_seen_at) return a.first_seen_at < b.first_seen_at ? -1 : 1;
  if (a.id === undefined || b.id === undefined || a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
