/**
 * The run report, exactly seed 002's schema (Epic B "Report JSON schema"). Built from the
 * database (items, provider calls, contacts), never from in-memory counters.
 */
import type { Kysely } from 'kysely';
import { microsToUsd } from '../domain/money.js';
import { utcDay, type Clock } from '../domain/clock.js';
import type { Database } from '../store/schema.js';
import { countRunItems, getRun, runItems } from '../store/repos/runs.js';
import { runCallTotals } from '../store/repos/provider-calls.js';
import { spendOfDay } from '../store/repos/spend.js';
import type { LeadContact } from '../store/repos/contact-points.js';

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
}

const SAMPLE_SIZE = 5;
const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 100);

export async function buildRunReport(
  db: Kysely<Database>,
  o: {
    accountId: string;
    runId: string;
    clock: Clock;
    dailyCapMicros: number;
    /** Decrypted contacts of the run's leads (shared with the CSV writer). */
    contacts: Map<string, LeadContact[]>;
  },
): Promise<RunReport> {
  const run = await getRun(db, o.accountId, o.runId);
  if (!run) throw new Error(`no run ${o.runId}`);
  const counters = await countRunItems(db, o.runId);
  const calls = await runCallTotals(db, o.runId);
  const items = await runItems(db, o.runId);
  const today = await spendOfDay(db, o.accountId, utcDay(o.clock.now()));

  let withPhone = 0;
  let withEmail = 0;
  const enriched: RunReport['samples']['enriched'] = [];
  const failedSamples: RunReport['samples']['failed'] = [];
  const errorGroups = new Map<string, { count: number; samples: string[] }>();
  for (const item of items) {
    if (item.status === 'done' && item.stage !== 'skipped') {
      const contacts = o.contacts.get(item.lead_id) ?? [];
      const phones = contacts.filter((c) => c.kind === 'phone').map((c) => c.value);
      const emails = contacts.filter((c) => c.kind === 'email').map((c) => c.value);
      if (phones.length > 0) withPhone++;
      if (emails.length > 0) withEmail++;
      if ((phones.length > 0 || emails.length > 0) && enriched.length < SAMPLE_SIZE) {
        enriched.push({ lead_id: item.lead_id, phones, emails });
      }
    }
    if (item.status === 'failed') {
      const error = item.last_error ?? 'unknown';
      const reason = error.split(':')[0]!;
      const group = errorGroups.get(reason) ?? { count: 0, samples: [] };
      group.count++;
      if (group.samples.length < SAMPLE_SIZE) group.samples.push(item.lead_id);
      errorGroups.set(reason, group);
      if (failedSamples.length < SAMPLE_SIZE)
        failedSamples.push({ lead_id: item.lead_id, last_error: error });
    }
  }
  const traced = items.filter((i) => i.status === 'done' && i.stage !== 'skipped').length;
  const started = run.started_at ?? run.created_at;
  const finished = run.finished_at ?? new Date(o.clock.now()).toISOString();
  return {
    run_id: run.run_id,
    source_label: run.source_label,
    started_at: started,
    finished_at: finished,
    duration_s: Math.max(0, Math.round((Date.parse(finished) - Date.parse(started)) / 10) / 100),
    totals: {
      total: counters.total,
      done: counters.done,
      failed: counters.failed,
      cached_hits: counters.cached_hits,
      provider_calls: calls.calls,
      cost_usd: microsToUsd(calls.costMicros),
    },
    hit_rate: { phone_any_pct: pct(withPhone, traced), email_any_pct: pct(withEmail, traced) },
    cache_hit_ratio: traced === 0 ? 0 : Math.round((counters.cached_hits / traced) * 10_000) / 10_000,
    budgets: {
      daily_cap_usd: microsToUsd(o.dailyCapMicros),
      spent_usd: microsToUsd(today.spentMicros),
      soft_paused: run.soft_paused === 1,
    },
    errors: [...errorGroups].map(([reason, g]) => ({ reason, count: g.count, samples: g.samples })),
    samples: { enriched, failed: failedSamples },
  };
}
