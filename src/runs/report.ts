/**
 * The run report, exactly seed 002's schema (Epic B "Report JSON schema"). Built from the
 * database (items, provider calls, contacts) in one pass over pages of run items, never
 * from in-memory counters of the worker.
 */
import type { Kysely } from 'kysely';
import { microsToUsd } from '../domain/money.js';
import { toIso, utcDay, type Clock } from '../domain/clock.js';
import type { Database } from '../store/schema.js';
import { runCallTotals } from '../store/repos/provider-calls.js';
import type { RunItemRow, RunRow } from '../store/repos/runs.js';
import { spendOfDay } from '../store/repos/spend.js';

export interface RunReport {
  run_id: string;
  source_label: string;
  started_at: string;
  finished_at: string;
  duration_s: number;
  totals: {
    total: number;
    done: number;
    failed: number;
    cached_hits: number;
    provider_calls: number;
    cost_usd: number;
  };
  hit_rate: { phone_any_pct: number; email_any_pct: number };
  cache_hit_ratio: number;
  budgets: { daily_cap_usd: number; spent_usd: number; soft_paused: boolean };
  errors: { reason: string; count: number; samples: string[] }[];
  samples: {
    enriched: { lead_id: string; phones: string[]; emails: string[] }[];
    failed: { lead_id: string; last_error: string }[];
  };
  /**
   * Issue 3 extension of the seed schema: seed 002 sanitized retries. Contacts belong to
   * the winning (unit-less) attempt; its first attempt is labelled
   * `sanitized_retry_predecessor` in provider_calls.attempt_reason.
   */
  sanitized_retries: {
    attempted: number;
    won: number;
    samples: { lead_id: string; winning_call_id: string; predecessor_call_id: string }[];
  };
}

const SAMPLE_SIZE = 5;
const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 100);

/** What the report reads of a run item. */
export interface ReportItem {
  leadId: string;
  status: RunItemRow['status'];
  stage: string;
  cached: number;
  lastError: string | null;
}

/** What the report reads of a contact: `value` only for the few sampled leads. */
export interface ReportContact {
  kind: 'phone' | 'email';
  readonly value: string;
}

/** Accumulates a report over run items fed page by page. */
export class ReportBuilder {
  private total = 0;
  private done = 0;
  private failed = 0;
  private cachedHits = 0;
  private traced = 0;
  private withPhone = 0;
  private withEmail = 0;
  private readonly enriched: RunReport['samples']['enriched'] = [];
  private readonly failedSamples: RunReport['samples']['failed'] = [];
  private readonly errorGroups = new Map<string, { count: number; samples: string[] }>();

  add(item: ReportItem, contacts: readonly ReportContact[]): void {
    this.total++;
    if (item.status === 'done') {
      this.done++;
      if (item.cached === 1) this.cachedHits++;
      if (item.stage !== 'skipped') {
        this.traced++;
        let phones: string[] | null = null;
        let emails: string[] | null = null;
        let hasPhone = false;
        let hasEmail = false;
        for (const c of contacts) {
          if (c.kind === 'phone') hasPhone = true;
          else hasEmail = true;
        }
        if (hasPhone) this.withPhone++;
        if (hasEmail) this.withEmail++;
        if ((hasPhone || hasEmail) && this.enriched.length < SAMPLE_SIZE) {
          phones = contacts.filter((c) => c.kind === 'phone').map((c) => c.value);
          emails = contacts.filter((c) => c.kind === 'email').map((c) => c.value);
          this.enriched.push({ lead_id: item.leadId, phones, emails });
        }
      }
    }
    if (item.status === 'failed') {
      this.failed++;
      const error = item.lastError ?? 'unknown';
      const reason = error.split(':')[0]!;
      const group = this.errorGroups.get(reason) ?? { count: 0, samples: [] };
      group.count++;
      if (group.samples.length < SAMPLE_SIZE) group.samples.push(item.leadId);
      this.errorGroups.set(reason, group);
      if (this.failedSamples.length < SAMPLE_SIZE)
        this.failedSamples.push({ lead_id: item.leadId, last_error: error });
    }
  }

  async build(
    db: Kysely<Database>,
    o: { accountId: string; run: RunRow; clock: Clock; dailyCapMicros: number },
  ): Promise<RunReport> {
    const { run } = o;
    const calls = await runCallTotals(db, run.run_id);
    const today = await spendOfDay(db, o.accountId, utcDay(o.clock.now()));
    const started = run.started_at ?? run.created_at;
    const finished = run.finished_at ?? toIso(o.clock.now());
    return {
      run_id: run.run_id,
      source_label: run.source_label,
      started_at: started,
      finished_at: finished,
      duration_s: Math.max(0, Math.round((Date.parse(finished) - Date.parse(started)) / 10) / 100),
      totals: {
        total: this.total,
        done: this.done,
        failed: this.failed,
        cached_hits: this.cachedHits,
        provider_calls: calls.calls,
        cost_usd: microsToUsd(calls.costMicros),
      },
      hit_rate: {
        phone_any_pct: pct(this.withPhone, this.traced),
        email_any_pct: pct(this.withEmail, this.traced),
      },
      cache_hit_ratio: this.traced === 0 ? 0 : Math.round((this.cachedHits / this.traced) * 10_000) / 10_000,
      budgets: {
        daily_cap_usd: microsToUsd(o.dailyCapMicros),
        spent_usd: microsToUsd(today.spentMicros),
        soft_paused: run.soft_paused === 1,
      },
      errors: [...this.errorGroups].map(([reason, g]) => ({ reason, count: g.count, samples: g.samples })),
      samples: { enriched: this.enriched, failed: this.failedSamples },
      sanitized_retries: await sanitizedRetries(db, run.run_id),
    };
  }
}

async function sanitizedRetries(
  db: Kysely<Database>,
  runId: string,
): Promise<RunReport['sanitized_retries']> {
  const rows = await db
    .selectFrom('provider_calls')
    .select(['id', 'lead_id', 'attempt_reason'])
    .where('run_id', '=', runId)
    .where('attempt_reason', 'in', ['address_sanitized', 'sanitized_retry_predecessor'])
    .execute();
  const retries = rows.filter((r) => r.attempt_reason === 'address_sanitized');
  const predecessors = rows.filter((r) => r.attempt_reason === 'sanitized_retry_predecessor');
  const winnerOf = new Map(retries.map((r) => [r.lead_id, r.id]));
  return {
    attempted: retries.length,
    won: predecessors.length,
    samples: predecessors.slice(0, SAMPLE_SIZE).map((p) => ({
      lead_id: p.lead_id,
      winning_call_id: winnerOf.get(p.lead_id) ?? '',
      predecessor_call_id: p.id,
    })),
  };
}
