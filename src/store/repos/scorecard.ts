/**
 * Vendor scorecard (issue 4 item 7): what each provider did for the account, overall or per
 * lead segment (state, owner type), read from `provider_calls` in one portable query.
 *
 * Words, per provider (and segment):
 * - **calls**: completed requests per lead — `provider_calls` rows whose status is `ok`,
 *   `no_match` or `error`. One row is one idempotency key in one generation; a retried
 *   attempt of the same row is still one call (its `attempts` counter moves, not the row
 *   count). `intent` rows (in flight, or a crash not yet recovered) are not calls.
 * - **hits**: rows with status `ok` — the vendor matched the lead (what the pipeline writes
 *   for `item.matched`, the case a per-hit vendor bills).
 * - **errors**: rows with status `error` (interrupted attempts included: budget recovery
 *   marks them `error` with code `interrupted`).
 * - **cost_micros**: the sum of `cost_micros` over every row, `intent` included: a row taken
 *   over for another attempt carries what its earlier attempts cost, and that was spent.
 * - **leads**: distinct leads with at least one call (the "attempted leads").
 * - **contactable_leads** — attribution: a lead is credited to a provider when the lead's
 *   *current* `quality_status` is `contactable`, the provider has a call for it (in the
 *   window), and at least one of the lead's contact points has `source_provider` equal to
 *   that provider. Credit is shared, not split: a lead whose phone came from one vendor and
 *   email from another counts once for each. A contact point found by two vendors keeps the
 *   first one's provenance (contact merge), so the later vendor is not credited for it.
 *
 * Segments come from the lead (`leads.state`, `leads.owner_type`) as it is now; a lead with
 * no value (or a call whose lead was erased) falls in the `null` segment.
 * `since` (ISO-8601 UTC) keeps calls whose `created_at` is at or after it; a row taken over
 * for another attempt has the time of its latest attempt.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunk } from '../chunk.js';

/** A lead column the scorecard can segment by. */
export type ScorecardDimension = 'state' | 'owner_type';
export const SCORECARD_DIMENSIONS: readonly ScorecardDimension[] = ['state', 'owner_type'];

export interface ScorecardRow {
  /** Provider id (`provider_calls.provider`). */
  provider: string;
  /** The segment dimension, or null for the provider's overall row. */
  by: ScorecardDimension | null;
  /** The lead's value of `by` (e.g. 'TX', 'llc'); null for the overall row or a lead without one. */
  segment: string | null;
  /** Completed requests (status ok, no_match or error). */
  calls: number;
  /** Completed requests with status ok (matched). */
  hits: number;
  /** Completed requests with status error. */
  errors: number;
  /** Distinct leads with at least one completed request. */
  leads: number;
  /** Distinct contactable leads credited to the provider (see the module doc). */
  contactableLeads: number;
  /** Micro-dollars spent, every row of the provider (and segment) in the window. */
  costMicros: number;
}

export interface ScorecardQuery {
  /** Segment by this lead column; absent: one overall row per provider. */
  by?: ScorecardDimension;
  /** ISO-8601 UTC: only calls created at or after it. */
  since?: string;
}

const COMPLETED = sql`pc.status in ('ok', 'no_match', 'error')`;

/**
 * The scorecard rows of an account, ordered by provider then segment (null segment first).
 * One grouped query over provider_calls ⟕ leads; the contact-point attribution is a
 * correlated EXISTS on contact_points' (lead_id, …) unique index.
 */
export async function providerScorecard(
  db: Kysely<Database>,
  accountId: string,
  query: ScorecardQuery = {},
): Promise<ScorecardRow[]> {
  const by = query.by ?? null;
  if (by !== null && !SCORECARD_DIMENSIONS.includes(by))
    throw new RangeError(`bad scorecard dimension ${by}`);
  // `by` is one of two fixed column names, so the reference is never user text.
  const segmentRef = by === null ? null : sql.ref(`l.${by}`);
  let q = db
    .selectFrom('provider_calls as pc')
    .leftJoin('leads as l', 'l.id', 'pc.lead_id')
    .where('pc.account_id', '=', accountId)
    .select([
      'pc.provider as provider',
      sql<string | null>`${segmentRef ?? sql`null`}`.as('segment'),
      sql<number>`sum(case when ${COMPLETED} then 1 else 0 end)`.as('calls'),
      sql<number>`sum(case when pc.status = 'ok' then 1 else 0 end)`.as('hits'),
      sql<number>`sum(case when pc.status = 'error' then 1 else 0 end)`.as('errors'),
      sql<number>`count(distinct case when ${COMPLETED} then pc.lead_id end)`.as('leads'),
      sql<number>`count(distinct case when ${COMPLETED} and l.quality_status = 'contactable'
        and exists (select 1 from contact_points cp
                    where cp.lead_id = pc.lead_id and cp.source_provider = pc.provider)
        then pc.lead_id end)`.as('contactable_leads'),
      sql<number>`coalesce(sum(pc.cost_micros), 0)`.as('cost_micros'),
    ])
    .groupBy('pc.provider');
  if (segmentRef !== null) q = q.groupBy(segmentRef);
  if (query.since !== undefined) q = q.where('pc.created_at', '>=', query.since);

  const rows = await q.execute();
  // PostgreSQL returns sum() of a bigint as numeric (a string): every figure goes through Number.
  const out: ScorecardRow[] = rows.map((r) => ({
    provider: r.provider,
    by,
    segment: r.segment ?? null,
    calls: Number(r.calls),
    hits: Number(r.hits),
    errors: Number(r.errors),
    leads: Number(r.leads),
    contactableLeads: Number(r.contactable_leads),
    costMicros: Number(r.cost_micros),
  }));
  // Sorted here, not in SQL: the dialects disagree on where nulls sort.
  return out.sort(
    (a, b) =>
      compareText(a.provider, b.provider) ||
      (a.segment === b.segment
        ? 0
        : a.segment === null
          ? -1
          : b.segment === null
            ? 1
            : compareText(a.segment, b.segment)),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ratios of one row; null where the denominator is zero. Money stays micro-dollars (rounded). */
export interface ScorecardRatios {
  hitRate: number | null;
  errorRate: number | null;
  costPerHitMicros: number | null;
  costPerContactableMicros: number | null;
}

export function scorecardRatios(row: ScorecardRow): ScorecardRatios {
  return {
    hitRate: row.calls > 0 ? row.hits / row.calls : null,
    errorRate: row.calls > 0 ? row.errors / row.calls : null,
    costPerHitMicros: row.hits > 0 ? Math.round(row.costMicros / row.hits) : null,
    costPerContactableMicros:
      row.contactableLeads > 0 ? Math.round(row.costMicros / row.contactableLeads) : null,
  };
}

/**
 * Figures for ordering one stage's providers ('auto'). In a waterfall a later provider only
 * sees the leads the earlier ones left, so crediting a provider with every contactable lead
 * it touched favours whoever runs first (it touches every lead). Here a contactable lead is
 * credited to a provider only when one of the lead's *verified* contact points — the ones
 * that made it contactable — came from that provider. Reads the latest `window` completed
 * calls of the providers.
 */
export async function verifiedSourceStats(
  db: Kysely<Database>,
  accountId: string,
  providers: readonly string[],
  window = 20_000,
): Promise<ScorecardRow[]> {
  const rows = new Map<string, ScorecardRow>(
    providers.map((p) => [
      p,
      {
        provider: p,
        by: null,
        segment: null,
        calls: 0,
        hits: 0,
        errors: 0,
        leads: 0,
        contactableLeads: 0,
        costMicros: 0,
      },
    ]),
  );
  if (providers.length === 0) return [];
  const calls = await db
    .selectFrom('provider_calls')
    .select(['lead_id', 'provider', 'status', 'cost_micros'])
    .where('account_id', '=', accountId)
    .where('provider', 'in', providers)
    .where('status', 'in', ['ok', 'no_match', 'error'])
    .where('lead_id', '!=', '')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(window)
    .execute();
  const leadsOf = new Map<string, Set<string>>();
  for (const c of calls) {
    const row = rows.get(c.provider)!;
    row.calls++;
    row.costMicros += Number(c.cost_micros);
    if (c.status === 'ok') row.hits++;
    if (c.status === 'error') row.errors++;
    let set = leadsOf.get(c.provider);
    if (!set) leadsOf.set(c.provider, (set = new Set()));
    set.add(c.lead_id);
  }
  const leadIds = [...new Set(calls.map((c) => c.lead_id))];
  const credited = new Map<string, Set<string>>();
  for (const part of chunk(leadIds, 5000)) {
    const sources = await db
      .selectFrom('contact_points')
      .innerJoin('leads', 'leads.id', 'contact_points.lead_id')
      .select(['contact_points.lead_id', 'contact_points.source_provider'])
      .where('contact_points.lead_id', 'in', part)
      .where('contact_points.verified', '=', 1)
      .where('leads.quality_status', '=', 'contactable')
      .execute();
    for (const r of sources) {
      let set = credited.get(r.source_provider);
      if (!set) credited.set(r.source_provider, (set = new Set()));
      set.add(r.lead_id);
    }
  }
  for (const [p, row] of rows) {
    const touched = leadsOf.get(p) ?? new Set<string>();
    row.leads = touched.size;
    row.contactableLeads = [...(credited.get(p) ?? [])].filter((id) => touched.has(id)).length;
  }
  return [...rows.values()];
}
