/**
 * Finding leads: filters from flags, a saved query or a preset (flags win over the saved
 * selection, field by field), one page at a time; and one lead in full. Phones and emails
 * appear as counts and masked hints ("…0142", "…@example.com") only.
 */
import { UserError } from '../domain/errors.js';
import {
  contactHints,
  contactSummaries,
  getLead,
  leadIdsByPrefix,
  personsOfLead,
  type ContactSummary,
  queryLeads,
  type LeadFilters,
  type LeadListItem,
} from '../store/repos/lead-queries.js';
import { leadActivities, tagsOfLeads, getSavedQuery, type ActivityRow } from '../store/repos/lifecycle.js';
import { listsOfLeads } from '../store/repos/lists.js';
import type { LeadRow } from '../store/repos/leads.js';
import { isPresetName, LEAD_QUERY_PRESETS, parseLeadFilters } from './lead-filters.js';
import { resolveList, type ListContext } from './lists.js';

/** Filters as given on the command line: `list` is an id or a name, resolved here. */
export type LeadFilterInput = Omit<LeadFilters, 'listId'> & { list?: string };

/** The filters of a saved query or preset (saved queries first; preset names are reserved). */
export async function namedQueryFilters(ctx: ListContext, name: string): Promise<LeadFilters> {
  const saved = await getSavedQuery(ctx.db, ctx.accountId, name);
  if (saved) return parseLeadFilters(JSON.parse(saved.filters_json), `saved query "${name}"`);
  if (isPresetName(name)) return LEAD_QUERY_PRESETS[name]!.filters;
  throw new UserError(`no saved query "${name}" (see leadtrace queries ls)`, 'query_not_found');
}

/** Flag filters over an optional saved selection → validated filters with a list id. */
export async function resolveFilters(
  ctx: ListContext,
  input: LeadFilterInput,
  queryName?: string,
): Promise<LeadFilters> {
  const base = queryName ? await namedQueryFilters(ctx, queryName) : {};
  const { list, ...flags } = input;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  if (list !== undefined) merged.listId = (await resolveList(ctx, list)).id;
  return parseLeadFilters(merged);
}

export interface LeadListEntry extends LeadListItem {
  phone_hints: string[];
  email_hints: string[];
}

export async function findLeads(
  ctx: ListContext,
  filters: LeadFilters,
  page: { limit?: number; cursor?: string | null },
): Promise<{ leads: LeadListEntry[]; nextCursor: string | null; totalMatching: number }> {
  const result = await queryLeads(ctx.db, ctx.accountId, filters, page);
  const hints = await contactHints(
    ctx.db,
    result.leads.map((l) => l.id),
  );
  return {
    ...result,
    leads: result.leads.map((l) => ({
      ...l,
      phone_hints: hints.get(l.id)?.phones ?? [],
      email_hints: hints.get(l.id)?.emails ?? [],
    })),
  };
}

/** A lead by full id or by a unique id prefix (8 characters or more). */
export async function resolveLead(ctx: ListContext, ref: string): Promise<LeadRow> {
  const id = ref.trim();
  const exact = await getLead(ctx.db, ctx.accountId, id);
  if (exact) return exact;
  if (id.length >= 8) {
    const matches = await leadIdsByPrefix(ctx.db, ctx.accountId, id, 2);
    if (matches.length > 1) {
      throw new UserError(`lead id "${id}" is ambiguous: give more of it`, 'lead_ambiguous');
    }
    if (matches.length === 1) return resolveLead(ctx, matches[0]!);
  }
  throw new UserError(`no lead ${id}`, 'lead_not_found');
}

export interface LeadDetail {
  lead: LeadRow;
  lists: { id: string; name: string }[];
  tags: string[];
  contacts: ContactSummary[];
  persons: { role: string; full: string | null; source_provider: string | null }[];
  /** Latest first, at most 20. */
  activities: ActivityRow[];
}

export async function showLead(ctx: ListContext, ref: string): Promise<LeadDetail> {
  const lead = await resolveLead(ctx, ref);
  const [lists, tags, contacts, persons, activities] = await Promise.all([
    listsOfLeads(ctx.db, [lead.id]),
    tagsOfLeads(ctx.db, [lead.id]),
    contactSummaries(ctx.db, lead.id),
    personsOfLead(ctx.db, lead.id),
    leadActivities(ctx.db, lead.id, 20),
  ]);
  return {
    lead,
    lists: lists.get(lead.id) ?? [],
    tags: tags.get(lead.id) ?? [],
    contacts,
    persons,
    activities,
  };
}
