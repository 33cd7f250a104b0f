/**
 * One chunk of run items through the waterfall (pipeline/waterfall-policy.ts): property
 * detail → skip-trace → business → (verification after each contact-producing provider) →
 * score. Within a stage, providers run in the policy's order; with gap-only fallback a later
 * provider sees only the leads still not contactable after validation. Each provider's
 * calls go through its own SkipTraceService (cache, reservation, intent, breaker, rate
 * limit) and call-with-retries.ts (backoff, breaker patience, budget and auth stops, DLQ).
 *
 * Ends with one transaction: contacts merged and stored, persons added, items finished,
 * leads updated with property facts, enrichment status and quality score (the vendor calls
 * were committed before, by the services). When a guard stops the run mid-chunk, nothing of
 * the chunk's merge is written: its items stay queued and their paid answers are cached, so
 * the resume redoes the merge for free.
 */
import { createHash } from 'node:crypto';
import { toIso, MS_PER_DAY } from '../domain/clock.js';
import { usdToMicros } from '../domain/money.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import { mergeContacts, type ContactFields, type MergedContact } from '../domain/contacts/merge-contacts.js';
import { normalizeAddress } from '../domain/address/normalize-address.js';
import { addressKey } from '../domain/signatures.js';
import type { SpendScope } from '../guards/budget.js';
import { backoffMs } from '../guards/retry.js';
import type { SkipTraceAnswer, SkipTraceRequest, SkipTraceResult } from '../pipeline/skiptrace-service.js';
import type {
  BusinessUnitInput,
  DetailUnitInput,
  EmailUnitInput,
  PhoneUnitInput,
} from '../pipeline/unit-providers.js';
import {
  namedProviders,
  storedWaterfall,
  type StageName,
  type WaterfallPolicy,
} from '../pipeline/waterfall-policy.js';
import type { EmailVerification, PhoneVerification, PropertyRecord } from '../providers/contract.js';
import { loadContacts, saveMergedContacts } from '../store/repos/contact-points.js';
import { addAutoStats } from '../store/repos/auto-stats.js';
import { addToDlq } from '../store/repos/dlq.js';
import { insertPersons, personKey, personKeysOf, type NewPerson } from '../store/repos/persons.js';
import { recentAnswersByLead } from '../store/repos/provider-calls.js';
import { finishItems, type ItemResult, type RunItemRow } from '../store/repos/runs.js';
import { suppressedAmong } from '../store/repos/suppressions.js';
import { getWaterfallLeads, identityHolders, type WaterfallLead } from '../store/repos/waterfall-leads.js';
import type { LeadsTable } from '../store/schema.js';
import { sqliteHandleOf } from '../store/db.js';
import { callWithRetries, type CallOutcome, type StopVerdict } from './call-with-retries.js';
import type { RunPolicy } from './create-run.js';
import { skipTraceRequestOf, traceKeysOfLead, type LeadTraceKeys } from './lead-signatures.js';
import type { ProviderService, RunWorkerDeps } from './run-worker.js';
import {
  applyEmailVerification,
  applyPhoneVerification,
  canBecomeContactable,
  contactsFromPersons,
  emailsToVerify,
  gapState,
  patchFromRecord,
  phonesToVerify,
  qualityOf,
} from './waterfall-contacts.js';

export { BREAKER_PATIENCE_MS, type StopVerdict } from './call-with-retries.js';
export { contactsFromPersons } from './waterfall-contacts.js';

type LeadPatch = Partial<Omit<LeadsTable, 'id' | 'account_id'>>;

/** One lead's state while the chunk moves through the stages. */
interface LeadState {
  item: RunItemRow;
  lead: WaterfallLead;
  patch: LeadPatch;
  contacts: MergedContact[];
  persons: NewPerson[];
  /** Some provider answered (hit or miss). */
  answered: boolean;
  /** A skip-trace provider answered. */
  traced: boolean;
  /** Errors of providers that failed this lead for good (the lead is `partial` or `failed`). */
  errors: string[];
  dlq: boolean;
  failedAttempts: number;
  /** A vendor was paid for this lead in this pass (not a cache or cooldown answer). */
  paid: boolean;
  callId: string | null;
  predecessorCallId: string | null;
  /** Providers that answered this lead in an earlier run within the cooldown. */
  cooldown: ReadonlySet<string>;
  /** The lead as read, before any stage changed it (to undo a refused identity fill). */
  original: Readonly<WaterfallLead>;
  /** Property keys from detail that belong to another lead, as enrichment-error notes. */
  duplicates: string[];
  contactable: boolean;
  /** This pass's skip-trace providers and whether each hit (`id:h` / `id:m`), for auto stopping. */
  traceHistory: string[];
  /** Skip-trace providers already asked about this lead in this pass (answered or not). */
  traceTried: Set<string>;
}

interface Ctx {
  deps: RunWorkerDeps;
  scope: SpendScope;
  policy: RunPolicy;
  wf: WaterfallPolicy;
  nowIso: string;
  signal: AbortSignal | undefined;
  suppressed: Set<string>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function processChunk(
  deps: RunWorkerDeps,
  scope: SpendScope,
  policy: RunPolicy,
  items: readonly RunItemRow[],
  signal?: AbortSignal,
): Promise<StopVerdict> {
  const { db, clock } = deps;
  const now = clock.now();
  const ctx: Ctx = {
    deps,
    scope,
    policy,
    wf: storedWaterfall(policy.waterfall),
    nowIso: toIso(now),
    signal,
    suppressed: new Set(),
  };
  const ids = items.map((i) => i.lead_id);
  const leads = new Map((await getWaterfallLeads(db, ids)).map((l) => [l.id, l]));
  const stored = await loadContacts(db, deps.cipher, ids);
  const cooldown =
    ctx.wf.cooldown_days > 0 && !policy.force
      ? await recentAnswersByLead(
          db,
          deps.accountId,
          ids,
          toIso(now - ctx.wf.cooldown_days * MS_PER_DAY),
          scope.runId ?? null,
        )
      : new Map<string, Set<string>>();
  const states: LeadState[] = items.map((item) => ({
    item,
    lead: { ...leads.get(item.lead_id)! },
    patch: {},
    contacts: mergeContacts(stored.get(item.lead_id) ?? [], [], ctx.nowIso),
    persons: [],
    answered: false,
    traced: false,
    errors: [],
    dlq: false,
    failedAttempts: 0,
    paid: false,
    callId: null,
    predecessorCallId: null,
    cooldown: cooldown.get(item.lead_id) ?? new Set(),
    original: leads.get(item.lead_id)!,
    duplicates: [],
    contactable: false,
    traceHistory: [],
    traceTried: new Set(),
  }));
  await refreshSuppressed(ctx, states);
  states.forEach((s) => rescore(ctx, s));

  let verdict: StopVerdict = await detailStage(ctx, states);
  if (!verdict) verdict = await skipTraceStage(ctx, states);
  if (!verdict) verdict = await businessStage(ctx, states);
  if (signal?.aborted && !verdict) verdict = null;
  const stopped = verdict !== null || !!signal?.aborted;
  await persist(ctx, states, stopped);
  return verdict;
}

// ---- stages ------------------------------------------------------------------------------

async function servicesFor(ctx: Ctx, stage: StageName): Promise<ProviderService[]> {
  const order = ctx.wf[stage];
  const all = ctx.deps.services;
  if (!all) {
    // Wired without a provider set (tests, embedders): the one skip-trace service.
    if (stage !== 'skip_trace') return [];
    const s = ctx.deps.service;
    return [
      {
        id: s.providerId,
        stage,
        returnsCompliance: true,
        cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 0 },
        flags: { batchSize: s.batchSize, billsOnMiss: false },
        service: s,
      },
    ];
  }
  if (!Array.isArray(order)) {
    const named = new Set(namedProviders(order));
    const candidates = [...all.values()].filter(
      (s) => s.stage === stage && (order === 'auto' || named.has(s.id)),
    );
    return ctx.deps.autoOrder ? await ctx.deps.autoOrder(stage, candidates) : candidates;
  }
  // A provider the stored policy names but this process did not build is skipped.
  return order
    .map((id) => all.get(id))
    .filter((s): s is ProviderService => s !== undefined && s.stage === stage);
}

/** Gap-only: a later provider sees only leads not contactable after validation. */
function open(ctx: Ctx, s: LeadState): boolean {
  return !ctx.wf.gap_only || !s.contactable;
}

interface Target<I> {
  state: LeadState;
  attempt: number;
  req: SkipTraceRequest<I>;
  /** Skip-trace only: the sanitized (unit-less) request for the seed 002 retry. */
  sanitized?: SkipTraceRequest<I> | null;
}

/** Calls one provider for the targets with retries; folds failures into the lead states. */
async function callProvider<I>(
  ctx: Ctx,
  ps: ProviderService,
  targets: Target<I>[],
  call?: (pending: readonly Target<I>[]) => Promise<SkipTraceResult[]>,
): Promise<{ outcomes: Map<Target<I>, CallOutcome>; verdict: StopVerdict }> {
  if (targets.length === 0) return { outcomes: new Map(), verdict: null };
  const send =
    call ??
    ((pending: readonly Target<I>[]) =>
      ps.service.getMany(
        pending.map((t) => t.req),
        ctx.scope,
        ctx.signal,
      ));
  const res = await callWithRetries(ctx.deps, targets, send, ctx.signal);
  for (const t of targets) {
    t.state.failedAttempts += res.failedAttempts.get(t) ?? 0;
    const o = res.outcomes.get(t);
    if (o?.kind === 'failed') {
      t.state.errors.push(`${ps.id}: ${o.error}`);
      t.state.dlq ||= o.dlq;
    }
  }
  return { outcomes: res.outcomes, verdict: res.verdict };
}

function noteAnswer(s: LeadState, answer: SkipTraceAnswer): void {
  s.answered = true;
  if (!answer.cached) s.paid = true;
  s.callId ??= answer.providerCallId;
}

/** A request to a provider for a lead: cache-only while the provider is in its cooldown. */
function requestFor<I>(
  ctx: Ctx,
  s: LeadState,
  ps: ProviderService,
  key: string,
  input: I,
  attemptReason = 'primary',
): SkipTraceRequest<I> {
  return {
    leadId: s.lead.id,
    idempotencyKey: key,
    input,
    attemptReason,
    force: ctx.policy.force,
    ...(s.cooldown.has(ps.id) ? { cacheOnly: true } : {}),
  };
}

async function detailStage(ctx: Ctx, states: LeadState[]): Promise<StopVerdict> {
  if (ctx.wf.detail_when === 'never') return null;
  for (const ps of await servicesFor(ctx, 'property_detail')) {
    const targets: Target<DetailUnitInput>[] = [];
    for (const s of states) {
      const l = s.lead;
      const needs = ctx.wf.detail_when === 'always' || !l.address_line1;
      if (!needs || s.answered || s.errors.length > 0) continue;
      const byAddress = l.address_line1 && (l.zip5 || (l.city && l.state));
      if (!l.property_id && !byAddress) continue;
      const key = sha256(
        l.property_id
          ? `detail|id|${l.property_id}`
          : `detail|addr|${l.address_key ?? s.item.normalized_address}`,
      );
      targets.push({
        state: s,
        attempt: s.item.attempt,
        req: requestFor(ctx, s, ps, key, {
          propertyId: l.property_id,
          street: l.address_line1,
          unit: l.address_line2,
          city: l.city,
          state: l.state,
          zip: l.zip5,
          apn: l.apn,
          fips: l.fips,
        }),
      });
    }
    const { outcomes, verdict } = await callProvider(ctx, ps, targets);
    if (verdict) return verdict;
    for (const [t, o] of outcomes) {
      if (o.kind !== 'ok') continue;
      noteAnswer(t.state, o.answer);
      const record = o.answer.extra as PropertyRecord | undefined;
      if (o.answer.outcome === 'hit' && record) applyRecord(t.state, record);
    }
  }
  await settleIdentity(ctx, states);
  states.forEach((s) => rescore(ctx, s));
  return null;
}

function applyRecord(s: LeadState, record: PropertyRecord): void {
  const patch = patchFromRecord(s.lead, record);
  if (!s.lead.address_line1 && record.address.street) {
    const a = normalizeAddress({
      street: record.address.street,
      line2: record.address.unit,
      city: record.address.city,
      state: record.address.state,
      zip: record.address.zip,
    });
    if (a.line1) {
      Object.assign(patch, {
        address_line1: a.line1,
        address_line2: a.line2,
        city: a.city,
        state: a.state,
        zip5: a.zip5,
        zip4: a.zip4,
        address_key: addressKey(a),
      });
    }
  }
  Object.assign(s.patch, patch);
  Object.assign(s.lead, patch);
}

/** The property keys detail may fill; the unique lead indexes are built on them. */
const IDENTITY_COLUMNS = [
  'address_line1',
  'address_line2',
  'city',
  'state',
  'zip5',
  'zip4',
  'address_key',
  'apn',
  'fips',
  'mak',
] as const;

/**
 * The address, APN+FIPS or MAK filled by property detail may already belong to another lead
 * (the same property imported from a CSV, or two leads of this chunk that are one property).
 * Then none of the property's keys are given to this lead: that other lead is the property
 * (tracing this one at the same address would pay twice for it), and the clash is kept as
 * its enrichment error. So the unique indexes never fail the chunk and nothing is merged
 * silently. Chunks running at the same instant do not see each other's keys here, so persist
 * runs it again inside its write transaction. True when it took keys from a lead.
 */
async function settleIdentity(ctx: Ctx, states: LeadState[]): Promise<boolean> {
  const filled = states.filter((s) => IDENTITY_COLUMNS.some((c) => typeof s.patch[c] === 'string'));
  if (filled.length === 0) return false;
  let took = false;
  const { db, accountId } = ctx.deps;
  const keysOf = (s: LeadState): { kind: string; key: string }[] => {
    const l = s.lead;
    const out: { kind: string; key: string }[] = [];
    if (typeof s.patch.address_key === 'string') out.push({ kind: 'address', key: s.patch.address_key });
    if ((typeof s.patch.apn === 'string' || typeof s.patch.fips === 'string') && l.apn && l.fips)
      out.push({ kind: 'apn', key: `${l.fips}|${l.apn}` });
    if (typeof s.patch.mak === 'string') out.push({ kind: 'mak', key: s.patch.mak });
    return out;
  };
  const wanted = filled.flatMap(keysOf);
  const values = (kind: string) => [...new Set(wanted.filter((w) => w.kind === kind).map((w) => w.key))];
  // Who holds each key now: `kind|key` → lead id.
  const holders = await identityHolders(db, accountId, {
    addressKeys: values('address'),
    apns: [...new Set(values('apn').map((k) => k.slice(k.indexOf('|') + 1)))],
    maks: values('mak'),
  });
  for (const s of filled) {
    const keys = keysOf(s);
    const taken = keys.filter(({ kind, key }) => {
      const holder = holders.get(`${kind}|${key}`);
      return holder !== undefined && holder !== s.lead.id;
    });
    if (taken.length === 0) {
      for (const { kind, key } of keys) holders.set(`${kind}|${key}`, s.lead.id);
      continue;
    }
    for (const { kind, key } of taken)
      s.duplicates.push(`${kind} already on lead ${holders.get(`${kind}|${key}`)}`);
    for (const c of IDENTITY_COLUMNS) {
      if (!(c in s.patch)) continue;
      delete s.patch[c];
      (s.lead as Record<string, unknown>)[c] = s.original[c];
    }
    took = true;
  }
  return took;
}

async function skipTraceStage(ctx: Ctx, states: LeadState[]): Promise<StopVerdict> {
  const keysOf = new Map<LeadState, LeadTraceKeys>();
  for (const s of states) {
    const k: LeadTraceKeys | null =
      s.item.idem_key !== 'none' && !s.patch.address_line1
        ? {
            idempotencyKey: s.item.idem_key,
            sanitizedIdempotencyKey: s.item.sanitized_idem_key,
            normalizedAddress: s.item.normalized_address ?? '',
            normalizedPerson: s.item.normalized_person ?? '',
          }
        : traceKeysOfLead(s.lead);
    if (k) keysOf.set(s, k);
  }
  const providers = await servicesFor(ctx, 'skip_trace');
  const learner = !Array.isArray(ctx.wf.skip_trace) && ctx.wf.gap_only ? ctx.deps.continuation : undefined;
  if (!learner) {
    // A fixed order (or every provider): each provider in turn for the leads still open.
    for (const ps of providers) {
      const v = await traceWith(
        ctx,
        ps,
        [...keysOf].filter(([s]) => open(ctx, s)),
      );
      if (v) return v;
    }
    return null;
  }
  // 'auto' with gap-only: each round, every open lead goes to the provider the learner
  // expects to make it contactable at the lowest cost, or stops (pipeline/continuation.ts).
  const stopMicros = ctx.wf.auto_stop_usd === null ? null : usdToMicros(ctx.wf.auto_stop_usd);
  for (let round = 0; ; round++) {
    // Verifying what a lead already has is far cheaper than another vendor: contacts left
    // unverified by the per-round limits are checked before the lead is offered to the
    // next provider, and once more before the stage gives up on it.
    const unverified = [...keysOf.keys()].filter((s) => s.traceHistory.length > 0 && hasUnverified(ctx, s));
    if (unverified.length > 0) {
      const v = await verifyStage(ctx, unverified);
      if (v) return v;
    }
    if (round === providers.length) break;
    const groups = new Map<ProviderService, [LeadState, LeadTraceKeys][]>();
    const stateOf = new Map<LeadState, string>();
    for (const [s, keys] of keysOf) {
      if (!open(ctx, s)) continue;
      const untried = providers.filter((p) => !s.traceTried.has(p.id));
      const state = traceState(ctx, s);
      const id = learner.choose('skip_trace', untried, state, stopMicros);
      const ps = untried.find((p) => p.id === id);
      if (!ps) continue;
      stateOf.set(s, state);
      const group = groups.get(ps) ?? [];
      group.push([s, keys]);
      groups.set(ps, group);
    }
    if (groups.size === 0) break;
    for (const ps of providers) {
      const group = groups.get(ps);
      if (!group) continue;
      const v = await traceWith(ctx, ps, group);
      if (v) return v;
      for (const [s] of group) {
        const last = s.traceHistory.at(-1);
        if (last?.startsWith(`${ps.id}:`))
          learner.record('skip_trace', ps.id, stateOf.get(s)!, last.endsWith(':h'), s.contactable);
      }
    }
  }
  return null;
}

/** One skip-trace provider for these leads: call, merge what it found, then validate. */
async function traceWith(
  ctx: Ctx,
  ps: ProviderService,
  leads: readonly (readonly [LeadState, LeadTraceKeys])[],
): Promise<StopVerdict> {
  const targets: Target<unknown>[] = [];
  for (const [s, keys] of leads) {
    s.traceTried.add(ps.id);
    const primary = skipTraceRequestOf(s.lead, keys, false);
    const sanitized = keys.sanitizedIdempotencyKey !== null ? skipTraceRequestOf(s.lead, keys, true) : null;
    const cacheOnly = s.cooldown.has(ps.id);
    const dress = (r: SkipTraceRequest) => ({
      ...r,
      force: ctx.policy.force,
      ...(cacheOnly ? { cacheOnly: true } : {}),
    });
    targets.push({
      state: s,
      attempt: s.item.attempt,
      req: dress(primary) as SkipTraceRequest<unknown>,
      sanitized: sanitized ? (dress(sanitized) as SkipTraceRequest<unknown>) : null,
    });
  }
  const { outcomes, verdict } = await callProvider(ctx, ps, targets, (pending) => trace(ctx, ps, pending));
  if (verdict) return verdict;
  const answered: LeadState[] = [];
  for (const [t, o] of outcomes) {
    if (o.kind !== 'ok') continue;
    const s = t.state;
    noteAnswer(s, o.answer);
    s.traced = true;
    if (o.answer.predecessorCallId) s.predecessorCallId = o.answer.predecessorCallId;
    addPersons(ctx, s, ps.id, o.answer, 'owner');
    merge(
      ctx,
      s,
      // Compliance flags are as old as the answer (a cached one is dated by its call).
      contactsFromPersons(o.answer.persons, ps.id, o.answer.providerCallId, {
        returnsCompliance: ps.returnsCompliance,
        nowIso: o.answer.answeredAt,
      }),
    );
    s.traceHistory.push(`${ps.id}:${o.answer.outcome === 'hit' ? 'h' : 'm'}`);
    answered.push(s);
  }
  return verifyStage(ctx, answered);
}

/** An open lead that could still become contactable with contacts it has not verified yet. */
function hasUnverified(ctx: Ctx, s: LeadState): boolean {
  if (!open(ctx, s) || !worthVerifying(ctx, s)) return false;
  return phonesToVerify(s.contacts, 1).length > 0 || emailsToVerify(s.contacts, 1).length > 0;
}

/** The lead's state for 'auto': what it lacks, its score, and the stage's answers so far. */
function traceState(ctx: Ctx, s: LeadState): string {
  const gap = gapState(s.lead, s.contacts, (c) => ctx.suppressed.has(hashOf(ctx, c)));
  return `${gap}|${[...s.traceHistory].sort().join(',')}`;
}

/** Primary attempt, then (seed 002) one sanitized retry for unit addresses that found nothing. */
async function trace(
  ctx: Ctx,
  ps: ProviderService,
  pending: readonly Target<unknown>[],
): Promise<SkipTraceResult[]> {
  const { service } = ps;
  const primary = await service.getMany(
    pending.map((t) => t.req),
    ctx.scope,
    ctx.signal,
  );
  const results: SkipTraceResult[] = [...primary];
  if (!ctx.deps.sanitizedRetryEnabled || !ctx.policy.retry_sanitized) return results;
  const retryIdx: number[] = [];
  pending.forEach((t, i) => {
    const r = primary[i]!;
    if (t.sanitized && r.ok && !hasContacts(r.answer)) retryIdx.push(i);
  });
  if (retryIdx.length === 0) return results;
  const retried = await service.getMany(
    retryIdx.map((i) => pending[i]!.sanitized!),
    ctx.scope,
    ctx.signal,
  );
  retryIdx.forEach((i, j) => {
    const r = retried[j]!;
    const p = primary[i]!;
    // The winning attempt carries the contacts; a failed or empty retry keeps the primary.
    if (r.ok && p.ok && hasContacts(r.answer)) {
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

function hasContacts(answer: SkipTraceAnswer): boolean {
  return answer.persons.some((p) => p.phones.length > 0 || p.emails.length > 0);
}

async function businessStage(ctx: Ctx, states: LeadState[]): Promise<StopVerdict> {
  const types = new Set(ctx.wf.business_owner_types);
  for (const ps of await servicesFor(ctx, 'business')) {
    const targets: Target<BusinessUnitInput>[] = [];
    for (const s of states) {
      const l = s.lead;
      const org = l.owner_company ?? (l.owner_type && types.has(l.owner_type) ? l.owner_full : null);
      if (!org || !l.owner_type || !types.has(l.owner_type) || !open(ctx, s)) continue;
      const name = personBehind(s);
      if (!name) continue;
      const key = sha256(
        `business|${org.trim().toUpperCase().replace(/\s+/g, ' ')}|${l.state ?? ''}|${name.first.toUpperCase()} ${name.last.toUpperCase()}`,
      );
      targets.push({
        state: s,
        attempt: s.item.attempt,
        req: requestFor(ctx, s, ps, key, {
          organizationName: org,
          firstName: name.first,
          lastName: name.last,
          domain: null,
        }),
      });
    }
    const { outcomes, verdict } = await callProvider(ctx, ps, targets);
    if (verdict) return verdict;
    const answered: LeadState[] = [];
    for (const [t, o] of outcomes) {
      if (o.kind !== 'ok') continue;
      noteAnswer(t.state, o.answer);
      addPersons(ctx, t.state, ps.id, o.answer, 'business_contact');
      merge(ctx, t.state, contactsFromPersons(o.answer.persons, ps.id, o.answer.providerCallId));
      answered.push(t.state);
    }
    const v = await verifyStage(ctx, answered);
    if (v) return v;
  }
  return null;
}

/**
 * The person a business-people vendor is asked about at the owning company: people match
 * needs a name with the company (a company alone identifies nobody, so such a request can
 * never match and is not sent). The owner's own name when the lead has one, else the first
 * person this pass's skip-trace named at the property (for an entity owner, typically its
 * principal or the occupant).
 */
function personBehind(s: LeadState): { first: string; last: string } | null {
  const l = s.lead;
  if (l.owner_first && l.owner_last) return { first: l.owner_first, last: l.owner_last };
  const p = s.persons.find((x) => (x.role === 'owner' || x.role === 'co_owner') && x.first && x.last);
  return p ? { first: p.first!, last: p.last! } : null;
}

/**
 * Validation after a contact-producing provider: the best unverified phones, then (for
 * leads still not contactable, with gap-only) the best unverified emails, each through the
 * verifiers in policy order (a later verifier only for contacts the earlier could not answer).
 */
async function verifyStage(ctx: Ctx, answered: LeadState[]): Promise<StopVerdict> {
  await refreshSuppressed(ctx, answered);
  answered.forEach((s) => rescore(ctx, s));
  const phoneVerifiers = await servicesFor(ctx, 'verify_phone');
  if (phoneVerifiers.length > 0) {
    const pick = (s: LeadState) =>
      worthVerifying(ctx, s) ? phonesToVerify(s.contacts, ctx.wf.verify_phones_per_lead) : [];
    const v = await verifyContacts<PhoneUnitInput>(
      ctx,
      answered,
      phoneVerifiers,
      pick,
      (c) => ({ number: c.value }),
      (c, extra, ps, at) => applyPhoneVerification(c, extra as PhoneVerification, ps.id, ctx.nowIso, at),
    );
    if (v) return v;
    answered.forEach((s) => rescore(ctx, s));
  }
  const emailVerifiers = await servicesFor(ctx, 'verify_email');
  if (emailVerifiers.length > 0) {
    const pick = (s: LeadState) =>
      worthVerifying(ctx, s) ? emailsToVerify(s.contacts, ctx.wf.verify_emails_per_lead) : [];
    const v = await verifyContacts<EmailUnitInput>(
      ctx,
      answered,
      emailVerifiers,
      pick,
      (c) => ({ email: c.value }),
      (c, extra) => applyEmailVerification(c, extra as EmailVerification, ctx.nowIso),
    );
    if (v) return v;
    answered.forEach((s) => rescore(ctx, s));
  }
  return null;
}

/** Gap-only verification pays only where it can make the lead contactable. */
function worthVerifying(ctx: Ctx, s: LeadState): boolean {
  if (!ctx.wf.gap_only) return true;
  return canBecomeContactable(s.lead, s.contacts, (c) => ctx.suppressed.has(hashOf(ctx, c)));
}

async function verifyContacts<I>(
  ctx: Ctx,
  leads: LeadState[],
  verifiers: ProviderService[],
  pick: (s: LeadState) => MergedContact[],
  inputOf: (c: MergedContact) => I,
  apply: (c: MergedContact, extra: unknown, ps: ProviderService, answeredAt: string) => void,
): Promise<StopVerdict> {
  let open_ = leads.filter((s) => open(ctx, s)).flatMap((s) => pick(s).map((c) => ({ s, c })));
  for (const ps of verifiers) {
    if (open_.length === 0) break;
    const targets = open_.map(({ s, c }) => ({
      state: s,
      attempt: s.item.attempt,
      contact: c,
      req: requestFor(ctx, s, ps, ctx.deps.cipher.blindIndex(c.kind, c.value), inputOf(c), 'verify'),
    }));
    const { outcomes, verdict } = await callProvider(ctx, ps, targets);
    if (verdict) return verdict;
    const unanswered: typeof open_ = [];
    for (const t of targets) {
      const o = outcomes.get(t);
      if (o?.kind === 'ok' && o.answer.extra !== undefined) {
        if (!o.answer.cached) t.state.paid = true;
        apply(t.contact, o.answer.extra, ps, o.answer.answeredAt);
      } else unanswered.push({ s: t.state, c: t.contact });
    }
    open_ = unanswered;
  }
  return null;
}

// ---- lead state helpers --------------------------------------------------------------------

function merge(ctx: Ctx, s: LeadState, incoming: ContactFields[]): void {
  if (incoming.length === 0) return;
  s.contacts = mergeContacts(s.contacts, incoming, ctx.nowIso);
}

function addPersons(
  ctx: Ctx,
  s: LeadState,
  provider: string,
  answer: SkipTraceAnswer,
  firstRole: string,
): void {
  answer.persons.forEach((p, i) => {
    const full = p.full ?? ([p.first, p.last].filter(Boolean).join(' ') || null);
    if (!full) return;
    const role = firstRole === 'owner' && i > 0 ? 'co_owner' : firstRole;
    s.persons.push({
      id: '',
      lead_id: s.lead.id,
      role,
      first: p.first,
      middle: null,
      last: p.last,
      full,
      source_provider: provider,
      created_at: ctx.nowIso,
    });
  });
}

async function refreshSuppressed(ctx: Ctx, states: LeadState[]): Promise<void> {
  const hashes = new Set<string>();
  for (const s of states)
    for (const c of s.contacts) {
      const h = hashOf(ctx, c);
      if (!ctx.suppressed.has(h)) hashes.add(h);
    }
  if (hashes.size === 0) return;
  for (const h of await suppressedAmong(ctx.deps.db, ctx.deps.accountId, [...hashes])) ctx.suppressed.add(h);
}

const hashCache = new WeakMap<MergedContact, string>();
function hashOf(ctx: Ctx, c: MergedContact): string {
  let h = hashCache.get(c) ?? (c as { valueHash?: string }).valueHash;
  if (!h) {
    h = ctx.deps.cipher.blindIndex(c.kind, c.value);
    hashCache.set(c, h);
  }
  return h;
}

function rescore(ctx: Ctx, s: LeadState): void {
  const q = qualityOf(s.lead, s.contacts, (c) => ctx.suppressed.has(hashOf(ctx, c)));
  s.contactable = q.status === 'contactable';
  s.patch.quality_score = q.score;
  s.patch.quality_status = q.status;
}

// ---- persistence ---------------------------------------------------------------------------

/** What persist writes for the chunk's leads, from their states as they are now. */
interface PersistPlan {
  itemResults: ItemResult[];
  merged: { leadId: string; contacts: MergedContact[] }[];
  persons: NewPerson[];
  predecessors: string[];
  dlq: { state: LeadState; error: string }[];
  /** Leads finished with the same plain update, grouped: one statement per distinct update. */
  grouped: Map<string, { set: LeadPatch; ids: string[] }>;
  single: { id: string; set: LeadPatch }[];
  done: number;
  failed: number;
  cached: number;
}

function planPersist(ctx: Ctx, states: LeadState[], stopped: boolean): PersistPlan {
  const { nowIso } = ctx;
  const itemResults: ItemResult[] = [];
  const merged: { leadId: string; contacts: MergedContact[] }[] = [];
  const persons: NewPerson[] = [];
  const predecessors: string[] = [];
  const dlq: { state: LeadState; error: string }[] = [];
  const grouped = new Map<string, { set: LeadPatch; ids: string[] }>();
  const single: { id: string; set: LeadPatch }[] = [];
  let done = 0;
  let failed = 0;
  let cached = 0;

  for (const s of states) {
    const failedForGood = !s.answered && s.errors.length > 0;
    if (failedForGood) {
      failed++;
      const error = s.errors.join('; ');
      itemResults.push({
        id: s.item.id,
        status: 'failed',
        cached: false,
        providerCallId: null,
        lastError: error,
        attemptDelta: s.failedAttempts,
      });
      single.push({ id: s.lead.id, set: { enrichment_status: 'failed', enrichment_error: error } });
      if (s.dlq) dlq.push({ state: s, error });
      continue;
    }
    if (stopped) {
      itemResults.push({
        id: s.item.id,
        status: 'queued',
        cached: false,
        providerCallId: null,
        lastError: s.errors.length > 0 ? s.errors.join('; ') : null,
        attemptDelta: s.failedAttempts,
      });
      continue;
    }
    done++;
    if (!s.paid) cached++;
    itemResults.push({
      id: s.item.id,
      status: 'done',
      cached: !s.paid,
      providerCallId: s.callId,
      lastError: null,
      attemptDelta: s.failedAttempts + (s.paid ? 1 : 0),
    });
    merged.push({ leadId: s.lead.id, contacts: s.contacts });
    persons.push(...s.persons);
    if (s.predecessorCallId) predecessors.push(s.predecessorCallId);
    const notes = [...s.errors, ...s.duplicates];
    const { quality_score, quality_status, ...facts } = s.patch;
    const set: LeadPatch = {
      // Seed 004: completed when the lead has a phone or an email; partial when it was
      // enriched without one (property facts only, nothing found) or a provider failed it.
      enrichment_status: s.errors.length > 0 || s.contacts.length === 0 ? 'partial' : 'completed',
      enrichment_error: notes.length > 0 ? notes.join('; ') : null,
      enriched_at: nowIso,
      quality_score: quality_score ?? null,
      quality_status: quality_status ?? null,
      ...(s.traced ? { skip_traced_at: nowIso } : {}),
    };
    if (Object.keys(facts).length > 0 || notes.length > 0) {
      single.push({ id: s.lead.id, set: { ...set, ...facts } });
    } else {
      const k = JSON.stringify(set);
      const g = grouped.get(k) ?? { set, ids: [] };
      g.ids.push(s.lead.id);
      grouped.set(k, g);
    }
  }

  return { itemResults, merged, persons, predecessors, dlq, grouped, single, done, failed, cached };
}

async function persist(ctx: Ctx, states: LeadState[], stopped: boolean): Promise<void> {
  const { deps, nowIso } = ctx;
  const { db, clock } = deps;
  const runId = ctx.scope.runId!;
  let plan = planPersist(ctx, states, stopped);
  const persons = plan.persons;

  const newId = newIdFor(deps);
  if (persons.length > 0) {
    const known = await personKeysOf(db, [...new Set(persons.map((p) => p.lead_id))]);
    const fresh: NewPerson[] = [];
    for (const p of persons) {
      const k = personKey(p.role, p.full ?? null);
      let set = known.get(p.lead_id);
      if (!set) known.set(p.lead_id, (set = new Set()));
      if (set.has(k)) continue;
      set.add(k);
      fresh.push({ ...p, id: newId() });
    }
    persons.length = 0;
    persons.push(...fresh);
  }
  const now = clock.now();
  const learned = deps.continuation?.drain() ?? [];
  await db.transaction().execute(async (trx) => {
    // Chunks in flight at once each looked up who holds the property keys detail filled
    // before either wrote: look again inside this write, which sees every earlier one, so
    // a key another chunk took meanwhile goes to that lead and the unique indexes hold.
    if (!stopped && (await settleIdentity({ ...ctx, deps: { ...deps, db: trx } }, states))) {
      for (const s of states) rescore(ctx, s);
      plan = planPersist(ctx, states, stopped);
    }
    const { itemResults, merged, predecessors, dlq, grouped, single } = plan;
    // What 'auto' learned in this process since the last chunk, for later runs and workers.
    if (learned.length > 0) await addAutoStats(trx, deps.accountId, learned, nowIso);
    const sqlite = sqliteHandleOf(db);
    await saveMergedContacts(trx, deps.cipher, deps.accountId, merged, newId, sqlite);
    if (persons.length > 0) await insertPersons(trx, persons, sqlite);
    await finishItems(trx, itemResults, nowIso, sqlite);
    for (const g of grouped.values()) {
      await trx.updateTable('leads').set(g.set).where('id', 'in', g.ids).execute();
    }
    for (const u of single) await trx.updateTable('leads').set(u.set).where('id', '=', u.id).execute();
    if (predecessors.length > 0) {
      // Seed 002: the first attempt of a winning sanitized retry is labelled in the record.
      await trx
        .updateTable('provider_calls')
        .set({ attempt_reason: 'sanitized_retry_predecessor' })
        .where('id', 'in', predecessors)
        .execute();
    }
    for (const d of dlq) {
      const attempts = d.state.item.attempt + d.state.failedAttempts;
      await addToDlq(trx, {
        id: newId(),
        account_id: deps.accountId,
        stage: 'enrich',
        run_id: runId,
        lead_id: d.state.lead.id,
        payload: { run_id: runId, lead_id: d.state.lead.id, item_id: d.state.item.id },
        error: d.error,
        attempts,
        retry_after: toIso(now + backoffMs(attempts + 1, { random: deps.random })),
        created_at: nowIso,
      });
    }
  });
  deps.events?.emit('items:finished', { runId, done: plan.done, failed: plan.failed, cached: plan.cached });
}

const generators = new WeakMap<RunWorkerDeps, () => string>();

/** One time-ordered id generator per worker deps (contact points, persons and DLQ rows). */
function newIdFor(deps: RunWorkerDeps): () => string {
  let gen = generators.get(deps);
  if (!gen) {
    gen = createOrderedIdGenerator(deps.clock);
    generators.set(deps, gen);
  }
  return gen;
}
