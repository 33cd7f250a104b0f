/**
 * The lead lifecycle (seed 004): status new → contacted → qualified → closed, or lost;
 * activities (call, sms, email, note) with when, outcome and notes; account-scoped tags;
 * saved campaign queries.
 *
 * Allowed status moves (anything else is refused, so a status always tells a true story):
 *
 * | from | to |
 * |---|---|
 * | new | contacted, lost |
 * | contacted | qualified, lost |
 * | qualified | closed, lost |
 * | lost | contacted (the owner came back: outreach resumes) |
 * | closed | — (the deal is done) |
 *
 * "new" means nobody reached out yet, so nothing returns to it. A move to the status the
 * lead already has is a no-op, not an error (retrying a command is safe). Every move is
 * also written as an activity of kind `status` (outcome "from->to"), so a lead's history
 * reads in one place. Logging a call, sms or email on a new lead moves it to contacted.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ActivitiesTable, Database, SavedQueriesTable } from '../schema.js';
import { chunk } from '../chunk.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'lost', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_TRANSITIONS: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['contacted', 'lost'],
  contacted: ['qualified', 'lost'],
  qualified: ['closed', 'lost'],
  lost: ['contacted'],
  closed: [],
};

export const isLeadStatus = (s: string): s is LeadStatus => (LEAD_STATUSES as readonly string[]).includes(s);

export function canMoveLead(from: LeadStatus, to: LeadStatus): boolean {
  return LEAD_TRANSITIONS[from].includes(to);
}

/** Kinds a user logs; `status` is written by status changes only. */
export const ACTIVITY_KINDS = ['call', 'sms', 'email', 'note'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
/** Outreach kinds: logging one on a new lead makes it contacted. */
export const OUTREACH_KINDS: ReadonlySet<string> = new Set(['call', 'sms', 'email']);

export type ActivityRow = Selectable<ActivitiesTable>;
export type SavedQueryRow = Selectable<SavedQueriesTable>;

export type StatusMove =
  | { outcome: 'moved'; from: LeadStatus; to: LeadStatus }
  | { outcome: 'unchanged'; status: LeadStatus }
  | { outcome: 'refused'; from: LeadStatus; to: LeadStatus; allowed: readonly LeadStatus[] }
  | { outcome: 'not_found' };

/**
 * Moves a lead's status if LEAD_TRANSITIONS allows it. Call inside a transaction. The
 * UPDATE is conditional on the status read, so of two concurrent moves one wins and the
 * other is re-read and judged against the new status by its caller.
 */
export async function moveLeadStatus(
  db: Kysely<Database>,
  m: { accountId: string; leadId: string; to: LeadStatus; nowIso: string; newId: () => string },
): Promise<StatusMove> {
  for (;;) {
    const lead = await db
      .selectFrom('leads')
      .select('status')
      .where('account_id', '=', m.accountId)
      .where('id', '=', m.leadId)
      .executeTakeFirst();
    if (!lead) return { outcome: 'not_found' };
    // A status outside the known set (written by hand) is read as new: it can only move forward.
    const from = isLeadStatus(lead.status) ? lead.status : 'new';
    if (lead.status === m.to) return { outcome: 'unchanged', status: m.to };
    if (!canMoveLead(from, m.to)) {
      return { outcome: 'refused', from, to: m.to, allowed: LEAD_TRANSITIONS[from] };
    }
    const res = await db
      .updateTable('leads')
      .set({ status: m.to })
      .where('id', '=', m.leadId)
      .where('status', '=', lead.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) continue;
    await db
      .insertInto('activities')
      .values({
        id: m.newId(),
        account_id: m.accountId,
        lead_id: m.leadId,
        kind: 'status',
        occurred_at: m.nowIso,
        outcome: `${from}->${m.to}`,
        notes: null,
        created_at: m.nowIso,
      })
      .execute();
    return { outcome: 'moved', from, to: m.to };
  }
}

/**
 * Logs an activity; an outreach (call, sms, email) on a new lead also moves it to
 * contacted. Call inside a transaction; the lead must exist in the account.
 */
export async function logActivity(
  db: Kysely<Database>,
  a: {
    accountId: string;
    leadId: string;
    kind: ActivityKind;
    occurredAt: string;
    outcome: string | null;
    notes: string | null;
    nowIso: string;
    newId: () => string;
  },
): Promise<{ activity: ActivityRow; statusMove: StatusMove | null }> {
  const activity: ActivityRow = {
    id: a.newId(),
    account_id: a.accountId,
    lead_id: a.leadId,
    kind: a.kind,
    occurred_at: a.occurredAt,
    outcome: a.outcome,
    notes: a.notes,
    created_at: a.nowIso,
  };
  await db.insertInto('activities').values(activity).execute();
  let statusMove: StatusMove | null = null;
  if (OUTREACH_KINDS.has(a.kind)) {
    const lead = await db.selectFrom('leads').select('status').where('id', '=', a.leadId).executeTakeFirst();
    if (lead?.status === 'new') {
      statusMove = await moveLeadStatus(db, {
        accountId: a.accountId,
        leadId: a.leadId,
        to: 'contacted',
        nowIso: a.nowIso,
        newId: a.newId,
      });
    }
  }
  return { activity, statusMove };
}

/** A lead's activities, latest first (at most `limit`). */
export async function leadActivities(
  db: Kysely<Database>,
  leadId: string,
  limit = 50,
): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('lead_id', '=', leadId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Tags the lead (creating account tags as needed); returns how many tags were new on it. */
export async function tagLead(
  db: Kysely<Database>,
  t: { accountId: string; leadId: string; names: readonly string[]; nowIso: string; newId: () => string },
): Promise<number> {
  if (t.names.length === 0) return 0;
  await db
    .insertInto('tags')
    .values(t.names.map((name) => ({ id: t.newId(), account_id: t.accountId, name, created_at: t.nowIso })))
    .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
    .execute();
  const tags = await db
    .selectFrom('tags')
    .select('id')
    .where('account_id', '=', t.accountId)
    .where('name', 'in', [...t.names])
    .execute();
  const before = await countLeadTags(db, t.leadId);
  await db
    .insertInto('lead_tags')
    .values(tags.map((tag) => ({ lead_id: t.leadId, tag_id: tag.id, created_at: t.nowIso })))
    .onConflict((oc) => oc.columns(['lead_id', 'tag_id']).doNothing())
    .execute();
  return (await countLeadTags(db, t.leadId)) - before;
}

/** Removes tags from the lead (the account's tag names stay); returns how many it carried. */
export async function untagLead(
  db: Kysely<Database>,
  t: { accountId: string; leadId: string; names: readonly string[] },
): Promise<number> {
  if (t.names.length === 0) return 0;
  const res = await db
    .deleteFrom('lead_tags')
    .where('lead_id', '=', t.leadId)
    .where('tag_id', 'in', (eb) =>
      eb
        .selectFrom('tags')
        .select('id')
        .where('account_id', '=', t.accountId)
        .where('name', 'in', [...t.names]),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

async function countLeadTags(db: Kysely<Database>, leadId: string): Promise<number> {
  const row = await db
    .selectFrom('lead_tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lead_id', '=', leadId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Tag names of each given lead, alphabetical. */
export async function tagsOfLeads(
  db: Kysely<Database>,
  leadIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('lead_tags as lt')
      .innerJoin('tags as t', 't.id', 'lt.tag_id')
      .select(['lt.lead_id', 't.name'])
      .where('lt.lead_id', 'in', part)
      .orderBy('t.name')
      .execute();
    for (const r of rows) out.set(r.lead_id, [...(out.get(r.lead_id) ?? []), r.name]);
  }
  return out;
}

/** Saves a named query; `replace` overwrites one of the same name, else that name is refused. */
export async function saveQuery(
  db: Kysely<Database>,
  q: { accountId: string; name: string; filtersJson: string; replace: boolean; nowIso: string; id: string },
): Promise<'created' | 'replaced' | 'exists'> {
  const existing = await getSavedQuery(db, q.accountId, q.name);
  if (existing) {
    if (!q.replace) return 'exists';
    await db
      .updateTable('saved_queries')
      .set({ filters_json: q.filtersJson, updated_at: q.nowIso })
      .where('id', '=', existing.id)
      .execute();
    return 'replaced';
  }
  const res = await db
    .insertInto('saved_queries')
    .values({
      id: q.id,
      account_id: q.accountId,
      name: q.name,
      filters_json: q.filtersJson,
      created_at: q.nowIso,
      updated_at: q.nowIso,
    })
    .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
    .executeTakeFirst();
  // Another process saved the name between the read and the insert.
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 0 ? 'exists' : 'created';
}

export async function getSavedQuery(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<SavedQueryRow | undefined> {
  return db
    .selectFrom('saved_queries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listSavedQueries(db: Kysely<Database>, accountId: string): Promise<SavedQueryRow[]> {
  return db
    .selectFrom('saved_queries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('name')
    .execute();
}

export async function deleteSavedQuery(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<boolean> {
  const res = await db
    .deleteFrom('saved_queries')
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
