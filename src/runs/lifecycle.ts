/**
 * The lead lifecycle as commands: status moves (rules in store/repos/lifecycle.ts),
 * activities, tags and saved queries. Each write is one transaction.
 */
import { toIso } from '../domain/clock.js';
import { UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import {
  ACTIVITY_KINDS,
  LEAD_STATUSES,
  deleteSavedQuery,
  isLeadStatus,
  listSavedQueries,
  logActivity,
  moveLeadStatus,
  saveQuery,
  tagLead,
  untagLead,
  type ActivityKind,
  type ActivityRow,
  type LeadStatus,
} from '../store/repos/lifecycle.js';
import type { LeadFilters } from '../store/repos/lead-queries.js';
import {
  isPresetName,
  LEAD_QUERY_PRESETS,
  parseLeadFilters,
  parseTagNames,
  QUERY_NAME,
} from './lead-filters.js';
import { resolveLead } from './leads.js';
import type { ListContext } from './lists.js';

const MAX_OUTCOME = 200;
const MAX_NOTES = 4000;

export async function changeLeadStatus(
  ctx: ListContext,
  ref: string,
  status: string,
): Promise<{ leadId: string; from: LeadStatus; to: LeadStatus; changed: boolean }> {
  if (!isLeadStatus(status)) {
    throw new UserError(`bad status "${status}": expected one of ${LEAD_STATUSES.join(', ')}`, 'bad_status');
  }
  const lead = await resolveLead(ctx, ref);
  const newId = createOrderedIdGenerator(ctx.clock);
  const move = await ctx.db.transaction().execute((trx) =>
    moveLeadStatus(trx, {
      accountId: ctx.accountId,
      leadId: lead.id,
      to: status,
      nowIso: toIso(ctx.clock.now()),
      newId,
    }),
  );
  switch (move.outcome) {
    case 'moved':
      return { leadId: lead.id, from: move.from, to: move.to, changed: true };
    case 'unchanged':
      return { leadId: lead.id, from: move.status, to: move.status, changed: false };
    case 'refused':
      throw new UserError(
        `lead ${lead.id} is ${move.from}: it cannot become ${move.to} ` +
          (move.allowed.length > 0
            ? `(from ${move.from}: ${move.allowed.join(', ')})`
            : `(${move.from} is final)`),
        'bad_transition',
      );
    case 'not_found':
      throw new UserError(`no lead ${lead.id}`, 'lead_not_found');
  }
}

/** `occurredAt`: any date-time Date.parse reads (stored as ISO-8601 UTC); default now. */
export async function recordActivity(
  ctx: ListContext,
  ref: string,
  input: { kind: string; outcome?: string; notes?: string; occurredAt?: string },
): Promise<{ activity: ActivityRow; statusChangedTo: LeadStatus | null }> {
  if (!(ACTIVITY_KINDS as readonly string[]).includes(input.kind)) {
    throw new UserError(
      `bad activity "${input.kind}": expected one of ${ACTIVITY_KINDS.join(', ')}`,
      'bad_activity',
    );
  }
  const outcome = input.outcome?.trim() || null;
  const notes = input.notes?.trim() || null;
  if (outcome && outcome.length > MAX_OUTCOME) {
    throw new UserError(`outcome is over ${MAX_OUTCOME} characters`, 'bad_activity');
  }
  if (notes && notes.length > MAX_NOTES)
    throw new UserError(`note is over ${MAX_NOTES} characters`, 'bad_activity');
  const nowIso = toIso(ctx.clock.now());
  let occurredAt = nowIso;
  if (input.occurredAt !== undefined) {
    const ms = Date.parse(input.occurredAt);
    if (Number.isNaN(ms)) {
      throw new UserError(`bad time "${input.occurredAt}": expected e.g. 2026-11-25T14:30:00Z`, 'bad_time');
    }
    occurredAt = toIso(ms);
  }
  const lead = await resolveLead(ctx, ref);
  const newId = createOrderedIdGenerator(ctx.clock);
  const result = await ctx.db.transaction().execute((trx) =>
    logActivity(trx, {
      accountId: ctx.accountId,
      leadId: lead.id,
      kind: input.kind as ActivityKind,
      occurredAt,
      outcome,
      notes,
      nowIso,
      newId,
    }),
  );
  return {
    activity: result.activity,
    statusChangedTo: result.statusMove?.outcome === 'moved' ? result.statusMove.to : null,
  };
}

export async function tagLeadByRef(
  ctx: ListContext,
  ref: string,
  tags: readonly string[],
): Promise<{ leadId: string; added: number }> {
  const names = parseTagNames(tags);
  if (names.length === 0) throw new UserError('no tags given', 'bad_tag');
  const lead = await resolveLead(ctx, ref);
  const newId = createOrderedIdGenerator(ctx.clock);
  const added = await ctx.db.transaction().execute((trx) =>
    tagLead(trx, {
      accountId: ctx.accountId,
      leadId: lead.id,
      names,
      nowIso: toIso(ctx.clock.now()),
      newId,
    }),
  );
  return { leadId: lead.id, added };
}

export async function untagLeadByRef(
  ctx: ListContext,
  ref: string,
  tags: readonly string[],
): Promise<{ leadId: string; removed: number }> {
  const names = parseTagNames(tags);
  if (names.length === 0) throw new UserError('no tags given', 'bad_tag');
  const lead = await resolveLead(ctx, ref);
  const removed = await untagLead(ctx.db, { accountId: ctx.accountId, leadId: lead.id, names });
  return { leadId: lead.id, removed };
}

/** Saves filters under a name; preset names are reserved. */
export async function saveNamedQuery(
  ctx: ListContext,
  name: string,
  filters: LeadFilters,
  replace: boolean,
): Promise<'created' | 'replaced'> {
  if (!QUERY_NAME.test(name)) {
    throw new UserError(
      `bad query name "${name}": use up to 64 letters, digits or _ . - (starting with a letter or digit)`,
      'bad_query_name',
    );
  }
  if (isPresetName(name))
    throw new UserError(`"${name}" is a built-in query: choose another name`, 'query_reserved');
  const valid = parseLeadFilters(filters);
  if (Object.keys(valid).length === 0) throw new UserError('no filters given: nothing to save', 'bad_filter');
  const outcome = await saveQuery(ctx.db, {
    accountId: ctx.accountId,
    name,
    filtersJson: JSON.stringify(valid),
    replace,
    nowIso: toIso(ctx.clock.now()),
    id: createOrderedIdGenerator(ctx.clock)(),
  });
  if (outcome === 'exists') {
    throw new UserError(`a query named "${name}" exists: use --replace to overwrite it`, 'query_exists');
  }
  return outcome;
}

export interface NamedQuery {
  name: string;
  builtin: boolean;
  description: string | null;
  filters: LeadFilters;
  updated_at: string | null;
}

/** Built-in presets, then the account's saved queries by name. */
export async function listNamedQueries(ctx: ListContext): Promise<NamedQuery[]> {
  const presets = Object.entries(LEAD_QUERY_PRESETS).map(
    ([name, p]): NamedQuery => ({
      name,
      builtin: true,
      description: p.description,
      filters: p.filters,
      updated_at: null,
    }),
  );
  const saved = (await listSavedQueries(ctx.db, ctx.accountId)).map(
    (q): NamedQuery => ({
      name: q.name,
      builtin: false,
      description: null,
      filters: JSON.parse(q.filters_json) as LeadFilters,
      updated_at: q.updated_at,
    }),
  );
  return [...presets, ...saved];
}

export async function deleteNamedQuery(ctx: ListContext, name: string): Promise<void> {
  if (isPresetName(name))
    throw new UserError(`"${name}" is a built-in query and cannot be deleted`, 'query_reserved');
  if (!(await deleteSavedQuery(ctx.db, ctx.accountId, name))) {
    throw new UserError(`no saved query "${name}"`, 'query_not_found');
  }
}
