/**
 * Lists ("buckets", seed 004): create, find by id or name, stats, add leads, import a CSV
 * into an existing list, delete. A lead sits on any number of lists (stacking); it is
 * stored once per account whatever list brought it (store/repos/leads.ts dedupes).
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import { UserError } from '../domain/errors.js';
import { createOrderedIdGenerator } from '../domain/ids.js';
import type { Database } from '../store/schema.js';
import type { DialectName } from '../store/migrations/types.js';
import { existingLeadIds } from '../store/repos/lead-queries.js';
import { recordListInputColumns, listInputColumns } from '../store/repos/list-inputs.js';
import {
  addListMembers,
  copyListMembers,
  createList,
  deleteList,
  findListsByName,
  getList,
  listLists,
  listStats,
  membersAmong,
  runningRunOfList,
  type DeletedList,
  type ListRow,
  type ListStats,
} from '../store/repos/lists.js';
import { importCsv, type ImportSummary } from './import/import-csv.js';
import type { Runtime } from './runtime.js';

export interface ListContext {
  db: Kysely<Database>;
  dialect: DialectName;
  accountId: string;
  clock: Clock;
}

export const listContextOf = (rt: Pick<Runtime, 'store' | 'accountId' | 'clock'>): ListContext => ({
  db: rt.store.db,
  dialect: rt.store.dialect,
  accountId: rt.accountId,
  clock: rt.clock,
});

/** What the CLI and API show of a list. */
export interface ListView {
  id: string;
  name: string;
  description: string | null;
  source: string | null;
  filters: unknown;
  signals: unknown;
  created_at: string;
  stats: ListStats;
}

const view = (row: ListRow, stats: ListStats): ListView => ({
  id: row.id,
  name: row.name,
  description: row.description,
  source: row.source,
  filters: row.filters_json ? JSON.parse(row.filters_json) : null,
  signals: row.signals_json ? JSON.parse(row.signals_json) : null,
  created_at: row.created_at,
  stats,
});

/**
 * A list by id, else by name. Names need not be unique (`leadtrace run` names each list
 * after its file): a name shared by several lists is refused with their ids.
 */
export async function resolveList(ctx: ListContext, ref: string): Promise<ListRow> {
  const byId = await getList(ctx.db, ctx.accountId, ref);
  if (byId) return byId;
  const named = await findListsByName(ctx.db, ctx.accountId, ref);
  if (named.length === 1) return named[0]!;
  if (named.length === 0) throw new UserError(`no list "${ref}" (see leadtrace lists ls)`, 'list_not_found');
  throw new UserError(
    `${named.length} lists are named "${ref}": use an id (${named.map((l) => l.id).join(', ')})`,
    'list_ambiguous',
  );
}

/** Creates an empty list; its name must not be taken yet, so it can be used to find it. */
export async function createNamedList(
  ctx: ListContext,
  input: {
    name: string;
    description?: string | null;
    source?: string | null;
    filters?: Record<string, unknown> | null;
    signals?: Record<string, unknown> | null;
  },
): Promise<ListView> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new UserError('a list name needs 1 to 200 characters', 'bad_list_name');
  }
  const taken = await findListsByName(ctx.db, ctx.accountId, name);
  if (taken.length > 0) {
    throw new UserError(`a list named "${name}" already exists (${taken[0]!.id})`, 'list_exists');
  }
  const row = await createList(
    ctx.db,
    {
      id: createOrderedIdGenerator(ctx.clock)(),
      accountId: ctx.accountId,
      name,
      description: input.description ?? null,
      source: input.source ?? 'manual',
      filters: input.filters ?? null,
      signals: input.signals ?? null,
    },
    toIso(ctx.clock.now()),
  );
  return view(row, (await listStats(ctx.db, [row.id])).get(row.id)!);
}

/** Every list of the account with its stats. */
export async function listsWithStats(ctx: ListContext): Promise<ListView[]> {
  const rows = await listLists(ctx.db, ctx.accountId);
  const stats = await listStats(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, stats.get(r.id)!));
}

export async function showList(ctx: ListContext, ref: string): Promise<ListView> {
  const row = await resolveList(ctx, ref);
  return view(row, (await listStats(ctx.db, [row.id])).get(row.id)!);
}

/** Adds existing leads of the account to a list; an unknown id fails the whole call. */
export async function addLeadsToList(
  ctx: ListContext,
  ref: string,
  leadIds: readonly string[],
): Promise<{ listId: string; added: number; alreadyOn: number }> {
  const list = await resolveList(ctx, ref);
  const ids = [...new Set(leadIds.map((s) => s.trim()).filter(Boolean))];
  if (ids.length === 0) throw new UserError('no lead ids given (--leads id1,id2,...)', 'no_leads');
  const known = await existingLeadIds(ctx.db, ctx.accountId, ids);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `${unknown.length} unknown lead id${unknown.length === 1 ? '' : 's'}: ${unknown.slice(0, 5).join(', ')}` +
        (unknown.length > 5 ? ', …' : '') +
        '; nothing added',
      'lead_not_found',
    );
  }
  return ctx.db.transaction().execute(async (trx) => {
    const already = await membersAmong(trx, list.id, ids);
    const fresh = ids.filter((id) => !already.has(id));
    await addListMembers(
      trx,
      list.id,
      fresh.map((leadId) => ({ leadId, rowNumber: null, inputRow: null })),
      toIso(ctx.clock.now()),
    );
    return { listId: list.id, added: fresh.length, alreadyOn: already.size };
  });
}

export interface ListImportSummary extends Omit<ImportSummary, 'listId'> {
  listId: string;
  /** Leads of the file that were not on the list before. */
  addedToList: number;
}

/**
 * Imports a CSV into an existing list through the same path as `leadtrace run` (importCsv:
 * streaming, header mapping, dedupe, rejected.csv). importCsv always writes into a list of
 * its own, so the file goes into a staging list first, whose memberships (with their input
 * rows and header) are then moved onto the target in one transaction and the staging list
 * dropped — also when the file fails part way, so the rows importCsv committed before the
 * failure reach the target as they would with `run`. A crash between the two leaves the
 * staging list ("<name> (import staging …)") holding the imported leads: delete it, or
 * import the file again (memberships are idempotent).
 */
export async function importIntoList(
  ctx: ListContext,
  ref: string,
  input: { path: string; overrides?: Record<string, string>; reportsDir: string },
): Promise<ListImportSummary> {
  const list = await resolveList(ctx, ref);
  const stamp = toIso(ctx.clock.now()).replace(/[:.]/g, '-');
  const stagingName = `${list.name} (import staging ${createOrderedIdGenerator(ctx.clock)()})`;
  let summary: ImportSummary;
  try {
    summary = await importCsv({
      db: ctx.db,
      accountId: ctx.accountId,
      clock: ctx.clock,
      path: input.path,
      listName: stagingName,
      ...(input.overrides ? { overrides: input.overrides } : {}),
      rejectedPath: join(input.reportsDir, 'imports', `${list.id}-${stamp}`, 'rejected.csv'),
    });
  } catch (err) {
    const [staging] = await findListsByName(ctx.db, ctx.accountId, stagingName);
    if (staging) await moveStagedMembers(ctx, staging.id, list.id);
    throw err;
  }
  const addedToList = await moveStagedMembers(ctx, summary.listId, list.id);
  return { ...summary, listId: list.id, addedToList };
}

/** Moves a staging list's memberships and header onto the target and drops it; returns new members. */
async function moveStagedMembers(ctx: ListContext, stagingId: string, targetId: string): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const added = await copyListMembers(trx, stagingId, targetId);
    await recordListInputColumns(trx, targetId, await listInputColumns(trx, stagingId));
    // Every staged lead is on the target now, so this removes the memberships and the list only.
    await deleteList(trx, stagingId, { lockLeads: false });
    return added;
  });
}

/**
 * Deletes a list and the leads on no other list (with their contacts, persons, tags and
 * activities). Refused while a run over the list is running: its workers read those leads.
 */
export async function deleteListByRef(
  ctx: ListContext,
  ref: string,
): Promise<DeletedList & { listId: string }> {
  const list = await resolveList(ctx, ref);
  const running = await runningRunOfList(ctx.db, list.id);
  if (running) {
    throw new UserError(
      `run ${running} over list "${list.name}" is running: stop it first ` +
        `(a run left running by a crash: leadtrace resume ${running})`,
      'list_busy',
    );
  }
  const deleted = await ctx.db
    .transaction()
    .execute((trx) => deleteList(trx, list.id, { lockLeads: ctx.dialect === 'postgres' }));
  return { ...deleted, listId: list.id };
}
