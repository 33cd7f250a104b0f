/**
 * The embedded worker pool: run items in the database are the durable queue. Up to
 * `concurrency` chunks (each up to the provider's batch size) are in flight; a chunk's
 * contacts, item statuses and lead updates commit in one transaction after the vendor
 * calls were recorded (see SkipTraceService), so a kill at any instant loses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import { mergeContacts, type ContactFields } from '../domain/contacts/merge-contacts.js';
import { normalizeEmail, normalizePhone } from '../domain/contacts/normalize-contact.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import { BudgetPause, recoverOrphanedReservations, type SpendScope } from '../guards/budget.js';
import { usdToMicros } from '../domain/money.js';
import type { SkipTraceResult, SkipTraceService } from '../pipeline/skiptrace-service.js';
import type { ParsedPerson } from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import type { Database } from '../store/schema.js';
import { loadContacts, saveMergedContacts } from '../store/repos/contact-points.js';
import { getTraceLeads, type TraceLead as LeadRow } from '../store/repos/leads.js';
import {
  countRunItems,
  finishItems,
  getRun,
  pendingItems,
  updateRun,
  type ItemResult,
  type RunCounters,
  type RunItemRow,
} from '../store/repos/runs.js';
import { runCallTotals } from '../store/repos/provider-calls.js';
import { skipTraceRequestOf, type LeadTraceKeys } from './lead-signatures.js';
import type { RunPolicy } from './create-run.js';
import type { RunEvents } from './run-events.js';

export interface RunWorkerDeps {
  db: Kysely<Database>;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  service: SkipTraceService;
  concurrency: number;
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
  const scope: SpendScope = {
    runId,
    runCapMicros: policy.max_spend_usd == null ? null : usdToMicros(policy.max_spend_usd),
    override: options.overrideBudget ?? false,
  };
  const statuses: RunItemRow['status'][] = options.includeFailed
    ? ['queued', 'in_flight', 'failed']
    : ['queued', 'in_flight'];
  const queue = await pendingItems(db, runId, statuses);
  await updateRun(db, runId, {
    status: 'running',
    soft_paused: 0,
    reason: null,
    started_at: run.started_at ?? toIso(clock.now()),
    finished_at: null,
  });

  const batchSize = deps.service.batchSize;
  let next = 0;
  let stop: { status: 'paused' | 'failed'; reason: string } | null = null;
  const worker = async () => {
    while (!stop && !options.signal?.aborted) {
      const items = queue.slice(next, next + batchSize);
      next += items.length;
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
  const halted = stop as { status: 'paused' | 'failed'; reason: string } | null;
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

type StopVerdict = { status: 'paused' | 'failed'; reason: string } | null;

async function processChunk(
  deps: RunWorkerDeps,
  scope: SpendScope,
  policy: RunPolicy,
  items: RunItemRow[],
  signal?: AbortSignal,
): Promise<StopVerdict> {
  const { db, clock, service } = deps;
  // Items are not marked in_flight in the database: that would cost a commit per chunk,
  // and resume treats queued and in_flight alike. Progress comes from the event stream.
  const leads = new Map((await getTraceLeads(db, items.map((i) => i.lead_id))).map((l) => [l.id, l]));
  const keysOf = (item: RunItemRow): LeadTraceKeys => ({
    idempotencyKey: item.idem_key,
    sanitizedIdempotencyKey: item.sanitized_idem_key,
    normalizedAddress: item.normalized_address ?? '',
    normalizedPerson: item.normalized_person ?? '',
  });
  const requests = items.map((item) => ({
    ...skipTraceRequestOf(leads.get(item.lead_id)!, keysOf(item), false),
    force: policy.force,
  }));
  const runId = scope.runId!;
  const primary = await service.getMany(requests, scope, signal);

  // Seed 002 sanitized retry: only when a call found no contacts and the address had a unit.
  const results: SkipTraceResult[] = [...primary];
  if (deps.sanitizedRetryEnabled && policy.retry_sanitized) {
    const retryIdx = items
      .map((item, i) => ({ item, i }))
      .filter(({ item, i }) => {
        const r = primary[i]!;
        return item.sanitized_idem_key !== null && r.ok && !hasContacts(r.answer.persons);
      });
    if (retryIdx.length > 0) {
      const retried = await service.getMany(
        retryIdx.map(({ item }) => ({
          ...skipTraceRequestOf(leads.get(item.lead_id)!, keysOf(item), true),
          force: policy.force,
        })),
        scope,
        signal,
      );
      retryIdx.forEach(({ i }, j) => {
        const r = retried[j]!;
        // The winning attempt carries the contacts; a failed retry keeps the primary answer.
        if (r.ok && hasContacts(r.answer.persons)) {
          const p = primary[i]!;
          const cachedBoth = p.ok && p.answer.cached && r.answer.cached;
          results[i] = { ok: true, answer: { ...r.answer, cached: cachedBoth } };
        }
      });
    }
  }

  const nowIso = toIso(clock.now());
  let verdict: StopVerdict = null;
  const itemResults: ItemResult[] = [];
  const okLeads: { lead: LeadRow; persons: ParsedPerson[]; callId: string }[] = [];
  const leadUpdates: { id: string; status: string; error: string | null }[] = [];
  let done = 0;
  let failed = 0;
  let cached = 0;
  items.forEach((item, i) => {
    const r = results[i]!;
    if (r.ok) {
      done++;
      if (r.answer.cached) cached++;
      itemResults.push({
        id: item.id,
        status: 'done',
        cached: r.answer.cached,
        providerCallId: r.answer.providerCallId,
        lastError: null,
        attemptDelta: r.answer.cached ? 0 : 1,
      });
      okLeads.push({
        lead: leads.get(item.lead_id)!,
        persons: r.answer.persons,
        callId: r.answer.providerCallId,
      });
      leadUpdates.push({ id: item.lead_id, status: 'completed', error: null });
      return;
    }
    const err = r.error;
    if (err instanceof BudgetPause) {
      verdict ??= { status: 'paused', reason: err.reason };
      itemResults.push({
        id: item.id,
        status: 'queued',
        cached: false,
        providerCallId: null,
        lastError: err.message,
        attemptDelta: 0,
      });
      return;
    }
    if (err instanceof ProviderError && err.code === 'auth') {
      // One clear stop instead of failing every lead with the same 401.
      verdict ??= { status: 'failed', reason: `auth: ${err.message}` };
      itemResults.push({
        id: item.id,
        status: 'queued',
        cached: false,
        providerCallId: null,
        lastError: err.message,
        attemptDelta: 0,
      });
      return;
    }
    if (signal?.aborted) {
      itemResults.push({
        id: item.id,
        status: 'queued',
        cached: false,
        providerCallId: null,
        lastError: null,
        attemptDelta: 0,
      });
      return;
    }
    failed++;
    const code = err instanceof ProviderError ? err.code : 'error';
    itemResults.push({
      id: item.id,
      status: 'failed',
      cached: false,
      providerCallId: null,
      lastError: `${code}: ${err.message}`,
      attemptDelta: 1,
    });
    leadUpdates.push({ id: item.lead_id, status: 'failed', error: `${code}: ${err.message}` });
  });

  const existing = await loadContacts(
    db,
    deps.cipher,
    okLeads.map((l) => l.lead.id),
  );
  const merged = okLeads.map(({ lead, persons, callId }) => ({
    leadId: lead.id,
    contacts: mergeContacts(
      existing.get(lead.id) ?? [],
      contactsFromPersons(persons, service.providerId, callId),
      nowIso,
    ),
  }));
  await db.transaction().execute(async (trx) => {
    await saveMergedContacts(trx, deps.cipher, deps.accountId, merged, randomUUID);
    await finishItems(trx, itemResults, nowIso);
    const completed = leadUpdates.filter((u) => u.status === 'completed').map((u) => u.id);
    if (completed.length > 0) {
      await trx
        .updateTable('leads')
        .set({
          enrichment_status: 'completed',
          enrichment_error: null,
          skip_traced_at: nowIso,
          enriched_at: nowIso,
        })
        .where('id', 'in', completed)
        .execute();
    }
    for (const u of leadUpdates) {
      if (u.status !== 'failed') continue;
      await trx
        .updateTable('leads')
        .set({ enrichment_status: 'failed', enrichment_error: u.error })
        .where('id', '=', u.id)
        .execute();
    }
  });
  deps.events?.emit('items:finished', { runId, done, failed, cached });
  return verdict;
}

function hasContacts(persons: readonly ParsedPerson[]): boolean {
  return persons.some((p) => p.phones.length > 0 || p.emails.length > 0);
}

/** Vendor persons → contact candidates (E.164, lower-cased emails, litigator per person). */
export function contactsFromPersons(
  persons: readonly ParsedPerson[],
  provider: string,
  callId: string,
): ContactFields[] {
  const out: ContactFields[] = [];
  for (const person of persons) {
    for (const phone of person.phones) {
      const e164 = normalizePhone(phone.number);
      if (!e164) continue;
      out.push({
        kind: 'phone',
        value: e164,
        type: phone.type,
        carrier: phone.carrier,
        dnc: phone.dnc,
        tcpa: phone.tcpa,
        litigator: person.litigator,
        confidence: phone.score,
        verified: false,
        sourcePrimary: false,
        sourceProvider: provider,
        providerCallId: callId,
      });
    }
    for (const email of person.emails) {
      const address = normalizeEmail(email.address);
      if (!address) continue;
      out.push({
        kind: 'email',
        value: address,
        type: 'unknown',
        carrier: null,
        dnc: false,
        tcpa: false,
        litigator: person.litigator,
        confidence: null,
        verified: false,
        sourcePrimary: false,
        sourceProvider: provider,
        providerCallId: callId,
      });
    }
  }
  return out;
}
