/**
 * One chunk of run items through skip-trace: cache or vendor, the seed 002 sanitized
 * retry, transient-failure retries with backoff (decisions as values, guards/retry.ts),
 * waiting out an open circuit breaker, and the dead-letter queue for items that exhausted
 * their retries. Ends with one transaction: contacts merged and stored, items finished,
 * leads updated (the vendor calls were committed before, by SkipTraceService).
 */
import { toIso } from '../domain/clock.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import { mergeContacts, type ContactFields } from '../domain/contacts/merge-contacts.js';
import { normalizeEmail, normalizePhone } from '../domain/contacts/normalize-contact.js';
import { BudgetPause, type SpendScope } from '../guards/budget.js';
import { CircuitOpen } from '../guards/circuit-breaker.js';
import { backoffMs, decideRetry } from '../guards/retry.js';
import { realSleep } from '../guards/token-bucket.js';
import type { SkipTraceAnswer, SkipTraceResult } from '../pipeline/skiptrace-service.js';
import type { ParsedPerson } from '../providers/contract.js';
import { ProviderError } from '../providers/errors.js';
import { loadContacts, saveMergedContacts } from '../store/repos/contact-points.js';
import { addToDlq } from '../store/repos/dlq.js';
import { getTraceLeads, type TraceLead } from '../store/repos/leads.js';
import { finishItems, type ItemResult, type RunItemRow } from '../store/repos/runs.js';
import { sqliteHandleOf } from '../store/db.js';
import type { RunPolicy } from './create-run.js';
import { skipTraceRequestOf, type LeadTraceKeys } from './lead-signatures.js';
import type { RunWorkerDeps } from './run-worker.js';

export type StopVerdict = { status: 'paused' | 'failed'; reason: string } | null;

/** How long a chunk waits for an open breaker before the run pauses (reason circuit_open). */
export const BREAKER_PATIENCE_MS = 5 * 60_000;

type Final =
  | { kind: 'ok'; answer: SkipTraceAnswer; failedAttempts: number }
  | { kind: 'failed'; error: string; failedAttempts: number; dlq: boolean }
  | { kind: 'queued'; error: string | null; failedAttempts: number };

export async function processChunk(
  deps: RunWorkerDeps,
  scope: SpendScope,
  policy: RunPolicy,
  items: readonly RunItemRow[],
  signal?: AbortSignal,
): Promise<StopVerdict> {
  const { db } = deps;
  const sleep = deps.sleep ?? realSleep;
  // Items are not marked in_flight in the database: that would cost a commit per chunk,
  // and resume treats queued and in_flight alike. Progress comes from the event stream.
  const leads = new Map(
    (
      await getTraceLeads(
        db,
        items.map((i) => i.lead_id),
      )
    ).map((l) => [l.id, l]),
  );
  const finals = new Map<string, Final>();
  const failedAttempts = new Map<string, number>();
  let verdict: StopVerdict = null;
  let pending = [...items];
  let breakerWaitMs = 0;

  while (pending.length > 0 && verdict === null && !signal?.aborted) {
    const results = await trace(deps, scope, policy, pending, leads, signal);
    const again: RunItemRow[] = [];
    let waitMs = 0;
    let breakerOpen = false;
    pending.forEach((item, i) => {
      const r = results[i]!;
      const failed = failedAttempts.get(item.id) ?? 0;
      if (r.ok) {
        finals.set(item.id, { kind: 'ok', answer: r.answer, failedAttempts: failed });
        return;
      }
      const message = describe(r.error);
      if (signal?.aborted) {
        finals.set(item.id, { kind: 'queued', error: null, failedAttempts: failed });
        return;
      }
      const d = decideRetry(r.error, item.attempt + failed + 1, { random: deps.random });
      if (d.retry) {
        failedAttempts.set(item.id, failed + 1);
        again.push(item);
        waitMs = Math.max(waitMs, d.waitMs);
        return;
      }
      switch (d.reason) {
        case 'circuit_open':
          breakerOpen = true;
          again.push(item);
          waitMs = Math.max(waitMs, r.error instanceof CircuitOpen ? r.error.retryAfterMs : 1000);
          return;
        case 'budget':
          verdict ??= {
            status: 'paused',
            reason: r.error instanceof BudgetPause ? r.error.reason : 'daily_budget',
          };
          finals.set(item.id, { kind: 'queued', error: message, failedAttempts: failed });
          return;
        case 'auth':
        case 'quota_exhausted':
          // One clear stop instead of failing every lead the same way.
          verdict ??= { status: 'failed', reason: `${d.reason}: ${r.error.message}` };
          finals.set(item.id, { kind: 'queued', error: message, failedAttempts: failed });
          return;
        case 'exhausted':
          finals.set(item.id, { kind: 'failed', error: message, failedAttempts: failed + 1, dlq: true });
          return;
        case 'permanent':
          finals.set(item.id, { kind: 'failed', error: message, failedAttempts: failed + 1, dlq: false });
          return;
      }
    });
    if (again.length === 0) break;
    if (verdict !== null) {
      for (const item of again)
        finals.set(item.id, {
          kind: 'queued',
          error: null,
          failedAttempts: failedAttempts.get(item.id) ?? 0,
        });
      break;
    }
    if (breakerOpen) {
      breakerWaitMs += waitMs;
      if (breakerWaitMs > BREAKER_PATIENCE_MS) {
        verdict = { status: 'paused', reason: 'circuit_open' };
        for (const item of again)
          finals.set(item.id, {
            kind: 'queued',
            error: 'circuit open',
            failedAttempts: failedAttempts.get(item.id) ?? 0,
          });
        break;
      }
    }
    try {
      await sleep(waitMs, signal);
    } catch {
      // Interrupted while waiting: the items stay queued.
    }
    pending = again;
  }
  for (const item of pending) {
    if (!finals.has(item.id))
      finals.set(item.id, { kind: 'queued', error: null, failedAttempts: failedAttempts.get(item.id) ?? 0 });
  }
  await persist(deps, scope.runId!, items, leads, finals);
  return verdict;
}

function describe(error: Error): string {
  const code =
    error instanceof ProviderError ? error.code : error instanceof CircuitOpen ? 'circuit_open' : 'error';
  return `${code}: ${error.message}`;
}

/** Primary attempt, then (seed 002) one sanitized retry for unit addresses that found nothing. */
async function trace(
  deps: RunWorkerDeps,
  scope: SpendScope,
  policy: RunPolicy,
  items: readonly RunItemRow[],
  leads: Map<string, TraceLead>,
  signal?: AbortSignal,
): Promise<SkipTraceResult[]> {
  const { service } = deps;
  const keysOf = (item: RunItemRow): LeadTraceKeys => ({
    idempotencyKey: item.idem_key,
    sanitizedIdempotencyKey: item.sanitized_idem_key,
    normalizedAddress: item.normalized_address ?? '',
    normalizedPerson: item.normalized_person ?? '',
  });
  const request = (item: RunItemRow, sanitized: boolean) => ({
    ...skipTraceRequestOf(leads.get(item.lead_id)!, keysOf(item), sanitized),
    force: policy.force,
  });
  const primary = await service.getMany(
    items.map((item) => request(item, false)),
    scope,
    signal,
  );
  const results: SkipTraceResult[] = [...primary];
  if (!deps.sanitizedRetryEnabled || !policy.retry_sanitized) return results;
  const retryIdx: number[] = [];
  items.forEach((item, i) => {
    const r = primary[i]!;
    if (item.sanitized_idem_key !== null && r.ok && !hasContacts(r.answer.persons)) retryIdx.push(i);
  });
  if (retryIdx.length === 0) return results;
  const retried = await service.getMany(
    retryIdx.map((i) => request(items[i]!, true)),
    scope,
    signal,
  );
  retryIdx.forEach((i, j) => {
    const r = retried[j]!;
    const p = primary[i]!;
    // The winning attempt carries the contacts; a failed or empty retry keeps the primary.
    if (r.ok && p.ok && hasContacts(r.answer.persons)) {
      results[i] = {
        ok: true,
        answer: {
          ...r.answer,
          cached: p.answer.cached && r.answer.cached,
          predecessorCallId: p.answer.providerCallId,
        },
      };
    }
  });
  return results;
}

async function persist(
  deps: RunWorkerDeps,
  runId: string,
  items: readonly RunItemRow[],
  leads: Map<string, TraceLead>,
  finals: Map<string, Final>,
): Promise<void> {
  const { db, clock, service } = deps;
  const now = clock.now();
  const nowIso = toIso(now);
  const itemResults: ItemResult[] = [];
  const okLeads: { lead: TraceLead; persons: ParsedPerson[]; callId: string }[] = [];
  const completed: string[] = [];
  const failedLeads: { id: string; error: string }[] = [];
  const dlq: { item: RunItemRow; error: string; attempts: number }[] = [];
  const predecessors: string[] = [];
  let done = 0;
  let failed = 0;
  let cached = 0;
  for (const item of items) {
    const f = finals.get(item.id)!;
    if (f.kind === 'ok') {
      done++;
      if (f.answer.cached) cached++;
      itemResults.push({
        id: item.id,
        status: 'done',
        cached: f.answer.cached,
        providerCallId: f.answer.providerCallId,
        lastError: null,
        attemptDelta: f.failedAttempts + (f.answer.cached ? 0 : 1),
      });
      okLeads.push({
        lead: leads.get(item.lead_id)!,
        persons: f.answer.persons,
        callId: f.answer.providerCallId,
      });
      completed.push(item.lead_id);
      if (f.answer.predecessorCallId) predecessors.push(f.answer.predecessorCallId);
    } else if (f.kind === 'failed') {
      failed++;
      itemResults.push({
        id: item.id,
        status: 'failed',
        cached: false,
        providerCallId: null,
        lastError: f.error,
        attemptDelta: f.failedAttempts,
      });
      failedLeads.push({ id: item.lead_id, error: f.error });
      if (f.dlq) dlq.push({ item, error: f.error, attempts: item.attempt + f.failedAttempts });
    } else {
      itemResults.push({
        id: item.id,
        status: 'queued',
        cached: false,
        providerCallId: null,
        lastError: f.error,
        attemptDelta: f.failedAttempts,
      });
    }
  }
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
    await saveMergedContacts(trx, deps.cipher, deps.accountId, merged, newIdFor(deps));
    await finishItems(trx, itemResults, nowIso, sqliteHandleOf(db));
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
    for (const u of failedLeads) {
      await trx
        .updateTable('leads')
        .set({ enrichment_status: 'failed', enrichment_error: u.error })
        .where('id', '=', u.id)
        .execute();
    }
    if (predecessors.length > 0) {
      // Seed 002: the first attempt of a winning sanitized retry is labelled in the record.
      await trx
        .updateTable('provider_calls')
        .set({ attempt_reason: 'sanitized_retry_predecessor' })
        .where('id', 'in', predecessors)
        .execute();
    }
    for (const d of dlq) {
      await addToDlq(trx, {
        id: newIdFor(deps)(),
        account_id: deps.accountId,
        stage: 'enrich',
        run_id: runId,
        lead_id: d.item.lead_id,
        payload: { run_id: runId, lead_id: d.item.lead_id, item_id: d.item.id },
        error: d.error,
        attempts: d.attempts,
        retry_after: toIso(now + backoffMs(d.attempts + 1, { random: deps.random })),
        created_at: nowIso,
      });
    }
  });
  deps.events?.emit('items:finished', { runId, done, failed, cached });
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

const generators = new WeakMap<RunWorkerDeps, () => string>();

/** One time-ordered id generator per worker deps (contact points and DLQ rows). */
function newIdFor(deps: RunWorkerDeps): () => string {
  let gen = generators.get(deps);
  if (!gen) {
    gen = createOrderedIdGenerator(deps.clock);
    generators.set(deps, gen);
  }
  return gen;
}
