/** Lists ("buckets") and membership: a lead may sit on several lists (stacking). */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, ListsTable } from '../schema.js';
import { chunk } from '../chunk.js';
import { prepared } from '../sqlite-statements.js';
import { deleteUnusedInputHeaders } from './list-inputs.js';
import { DISTRESS_FLAGS, ENRICHED_STATUSES, type DistressFlag } from './lead-queries.js';

export type ListRow = Selectable<ListsTable>;

export async function createList(
  db: Kysely<Database>,
  list: {
    id: string;
    accountId: string;
    name: string;
    description?: string | null;
    source?: string | null;
    /** Seed 004: the search criteria the list was built from (stored as JSON). */
    filters?: Record<string, unknown> | null;
    /** Seed 004: distress signal counts reported by the search (stored as JSON). */
    signals?: Record<string, unknown> | null;
  },
  nowIso: string,
): Promise<ListRow> {
  const row: ListRow = {
    id: list.id,
    account_id: list.accountId,
    name: list.name,
    description: list.description ?? null,
    source: list.source ?? null,
    filters_json: list.filters ? JSON.stringify(list.filters) : null,
    signals_json: list.signals ? JSON.stringify(list.signals) : null,
    input_columns_json: null,
    created_at: nowIso,
  };
  await db.insertInto('lists').values(row).execute();
  return row;
}

export interface NewMember {
  leadId: string;
  rowNumber: number | null;
  inputRow: Record<string, string> | null;
  /**
   * `inputRow` already serialized; when set, `inputRow` is not read. With `inputHeaderId`
   * it is the row's cells as a JSON array, lined up with that header's keys (an import's
   * form); otherwise JSON.stringify of the header → cell object.
   */
  inputRowJson?: string | null;
  /** The input_headers row `inputRowJson` lines up with (createInputHeader). */
  inputHeaderId?: number | null;
}

const inputRowJson = (m: NewMember): string | null =>
  m.inputRowJson !== undefined ? m.inputRowJson : m.inputRow ? JSON.stringify(m.inputRow) : null;

/** Members bound per multi-row insert statement. */
const MEMBERS_PER_STATEMENT = 50;

const insertMemberSql = (rows: number): string =>
  'insert into "list_members" ("list_id", "lead_id", "added_at", "row_number", "input_row_json", "input_header_id") ' +
  `values ${new Array<string>(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ` +
  'on conflict ("list_id", "lead_id") do nothing';
const INSERT_MEMBER_SQL = insertMemberSql(1);
const INSERT_MEMBERS_SQL = insertMemberSql(MEMBERS_PER_STATEMENT);

/**
 * Adds leads to a list; a lead already on it keeps its first membership (and input row).
 * `sqlite`: the raw connection under `db` (Store.sqlite), `db` being a transaction on it;
 * members are then inserted by a prepared statement inside that transaction.
 */
export async function addListMembers(
  db: Kysely<Database>,
  listId: string,
  members: readonly NewMember[],
  nowIso: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite) {
    if (!sqlite.inTransaction) {
      throw new Error("addListMembers: the raw SQLite path must run inside the caller's transaction");
    }
    // MEMBERS_PER_STATEMENT at a time (`on conflict` applies per row), the rest one by one.
    const bind = (from: number, rows: number): (string | number | null)[] => {
      const args = new Array<string | number | null>(6 * rows);
      for (let j = 0, n = 0; j < rows; j++) {
        const m = members[from + j]!;
        args[n++] = listId;
        args[n++] = m.leadId;
        args[n++] = nowIso;
        args[n++] = m.rowNumber;
        args[n++] = inputRowJson(m);
        args[n++] = m.inputHeaderId ?? null;
      }
      return args;
    };
    const many = prepared(sqlite, INSERT_MEMBERS_SQL);
    let i = 0;
    for (; i + MEMBERS_PER_STATEMENT <= members.length; i += MEMBERS_PER_STATEMENT) {
      many.run(bind(i, MEMBERS_PER_STATEMENT));
    }
    const one = prepared(sqlite, INSERT_MEMBER_SQL);
    for (; i < members.length; i++) one.run(bind(i, 1));
    return;
  }
  for (const part of chunk(members, 5000)) {
    await db
      .insertInto('list_members')
      .values(
        part.map((m) => ({
          list_id: listId,
          lead_id: m.leadId,
          added_at: nowIso,
          row_number: m.rowNumber,
          input_row_json: inputRowJson(m),
          input_header_id: m.inputHeaderId ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['list_id', 'lead_id']).doNothing())
      .execute();
  }
}

export async function getList(
  db: Kysely<Database>,
  accountId: string,
  listId: string,
): Promise<ListRow | undefined> {
  return db
    .selectFrom('lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', listId)
    .executeTakeFirst();
}

/** Lead ids of a list in import order. */
export async function listLeadIds(db: Kysely<Database>, listId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('list_members')
    .select('lead_id')
    .where('list_id', '=', listId)
    .orderBy('row_number')
    .orderBy('added_at')
    .execute();
  return rows.map((r) => r.lead_id);
}

/** The account's lists, oldest first. */
export async function listLists(db: Kysely<Database>, accountId: string): Promise<ListRow[]> {
  return db
    .selectFrom('lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Lists of the account with exactly this name (names are not unique: `run` names lists after files). */
export async function findListsByName(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<ListRow[]> {
  return db
    .selectFrom('lists')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Counts over a list's leads, computed by one query each time (seed 004 kept them in
 * columns that drifted; these cannot).
 */
export interface ListStats {
  total: number;
  /** enrichment_status completed or partial (the detail or the trace ran). */
  enriched: number;
  /** enrichment_status pending: not traced yet. */
  queued: number;
  /** Lifecycle status other than new. */
  contacted: number;
  withPhone: number;
  withEmail: number;
  /** Also on at least one other list (stack count 2 or more). */
  stacked: number;
  /** Leads with each distress flag set. */
  distress: Record<DistressFlag, number>;
}

const emptyStats = (): ListStats => ({
  total: 0,
  enriched: 0,
  queued: 0,
  contacted: 0,
  withPhone: 0,
  withEmail: 0,
  stacked: 0,
  distress: Object.fromEntries(DISTRESS_FLAGS.map((f) => [f, 0])) as Record<DistressFlag, number>,
});

const countWhen = (condition: RawBuilder<unknown>) =>
  sql<number>`sum(case when ${condition} then 1 else 0 end)`;

/** Stats of each given list (a list without members gets zeros). */
export async function listStats(
  db: Kysely<Database>,
  listIds: readonly string[],
): Promise<Map<string, ListStats>> {
  const out = new Map<string, ListStats>(listIds.map((id) => [id, emptyStats()]));
  for (const part of chunk(listIds, 1000)) {
    const rows = await db
      .selectFrom('list_members as m')
      .innerJoin('leads as l', 'l.id', 'm.lead_id')
      .select((eb) => [
        'm.list_id',
        eb.fn.countAll<number>().as('total'),
        countWhen(sql`l.enrichment_status in (${sql.join(ENRICHED_STATUSES.map((s) => sql.lit(s)))})`).as(
          'enriched',
        ),
        countWhen(sql`l.enrichment_status = 'pending'`).as('queued'),
        countWhen(sql`l.status <> 'new'`).as('contacted'),
        countWhen(
          sql`exists (select 1 from contact_points cp where cp.lead_id = l.id and cp.kind = 'phone')`,
        ).as('with_phone'),
        countWhen(
          sql`exists (select 1 from contact_points cp where cp.lead_id = l.id and cp.kind = 'email')`,
        ).as('with_email'),
        countWhen(
          sql`exists (select 1 from list_members o where o.lead_id = m.lead_id and o.list_id <> m.list_id)`,
        ).as('stacked'),
        ...DISTRESS_FLAGS.map((f) => countWhen(sql`${sql.ref(`l.${f}`)} = 1`).as(f)),
      ])
      .where('m.list_id', 'in', part)
      .groupBy('m.list_id')
      .execute();
    for (const r of rows) {
      const row = r as unknown as Record<string, number | string>;
      out.set(r.list_id, {
        total: Number(r.total),
        enriched: Number(r.enriched),
        queued: Number(r.queued),
        contacted: Number(r.contacted),
        withPhone: Number(r.with_phone),
        withEmail: Number(r.with_email),
        stacked: Number(r.stacked),
        distress: Object.fromEntries(DISTRESS_FLAGS.map((f) => [f, Number(row[f])])) as Record<
          DistressFlag,
          number
        >,
      });
    }
  }
  return out;
}

/** The lists each given lead is on (id and name), oldest list first. */
export async function listsOfLeads(
  db: Kysely<Database>,
  leadIds: readonly string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('list_members as m')
      .innerJoin('lists as l', 'l.id', 'm.list_id')
      .select(['m.lead_id', 'l.id', 'l.name'])
      .where('m.lead_id', 'in', part)
      .orderBy('l.created_at')
      .orderBy('l.id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.lead_id) ?? [];
      list.push({ id: r.id, name: r.name });
      out.set(r.lead_id, list);
    }
  }
  return out;
}

/** Which of the given leads are already on the list. */
export async function membersAmong(
  db: Kysely<Database>,
  listId: string,
  leadIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('list_members')
      .select('lead_id')
      .where('list_id', '=', listId)
      .where('lead_id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.lead_id);
  }
  return out;
}

/**
 * Copies every membership of `fromListId` onto `toListId` (with its row number and input
 * row); a lead already on the target keeps its first membership. Returns how many were new.
 */
export async function copyListMembers(
  db: Kysely<Database>,
  fromListId: string,
  toListId: string,
): Promise<number> {
  const before = await countMembers(db, toListId);
  await db
    .insertInto('list_members')
    .columns(['list_id', 'lead_id', 'added_at', 'row_number', 'input_row_json', 'input_header_id'])
    .expression((eb) =>
      eb
        .selectFrom('list_members')
        .select((s) => [
          s.val(toListId).as('list_id'),
          'lead_id',
          'added_at',
          'row_number',
          'input_row_json',
          'input_header_id',
        ])
        .where('list_id', '=', fromListId),
    )
    .onConflict((oc) => oc.columns(['list_id', 'lead_id']).doNothing())
    .execute();
  return (await countMembers(db, toListId)) - before;
}

async function countMembers(db: Kysely<Database>, listId: string): Promise<number> {
  const row = await db
    .selectFrom('list_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('list_id', '=', listId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Tables whose rows belong to one lead and go with it. Spend history stays:
 * provider_calls and skiptrace_cache (the money was spent, the cache answer is keyed by the
 * normalized input, not the lead), and the done run_items of the list's runs (a finished
 * run's report keeps counting what it did; outputs skip a lead that is gone). Their
 * unfinished run_items (queued, in flight, failed) and DLQ entries go: that work can no
 * longer happen, and a resumed run must not meet a lead that is gone.
 */
const LEAD_OWNED_TABLES = ['lead_tags', 'activities', 'contact_points', 'persons'] as const;

export interface DeletedList {
  /** Memberships of the list removed. */
  memberships: number;
  /** Leads that were on this list only, removed with their contacts, persons, tags and activities. */
  leads: number;
}

/**
 * Deletes a list, its memberships, and every lead left on no list together with the rows
 * it owns (LEAD_OWNED_TABLES). Call inside a transaction.
 *
 * `lockLeads` (PostgreSQL: SELECT … FOR UPDATE): an import adding one of these leads to
 * another list at the same moment then either commits first, and the lead is seen as
 * stacked and kept, or waits for this delete and fails on its foreign key; never is a lead
 * kept with its contacts deleted. SQLite serializes writers, so it needs no row locks.
 */
export async function deleteList(
  db: Kysely<Database>,
  listId: string,
  options: { lockLeads: boolean },
): Promise<DeletedList> {
  const members = await db
    .selectFrom('list_members')
    .select(['lead_id', 'input_header_id'])
    .where('list_id', '=', listId)
    .execute();
  const candidates = members.map((r) => r.lead_id);
  const headerIds = new Set<number>();
  for (const r of members) if (r.input_header_id !== null) headerIds.add(r.input_header_id);
  await db.deleteFrom('list_members').where('list_id', '=', listId).execute();
  await deleteUnusedInputHeaders(db, [...headerIds]);
  const runIds = (await db.selectFrom('runs').select('run_id').where('list_id', '=', listId).execute()).map(
    (r) => r.run_id,
  );
  let removed = 0;
  for (const part of chunk(candidates, 5000)) {
    if (options.lockLeads) {
      await db.selectFrom('leads').select('id').where('id', 'in', part).forUpdate().execute();
    }
    // A new statement after the lock: sees memberships committed while it waited.
    const orphans = (
      await db
        .selectFrom('leads')
        .select('id')
        .where('id', 'in', part)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('list_members as o').select('o.lead_id').whereRef('o.lead_id', '=', 'leads.id'),
            ),
          ),
        )
        .execute()
    ).map((r) => r.id);
    if (orphans.length === 0) continue;
    for (const table of LEAD_OWNED_TABLES) {
      await db.deleteFrom(table).where('lead_id', 'in', orphans).execute();
    }
    await db.deleteFrom('leads').where('id', 'in', orphans).execute();
    if (runIds.length > 0) {
      await db
        .deleteFrom('run_items')
        .where('run_id', 'in', runIds)
        .where('lead_id', 'in', orphans)
        .where('status', '<>', 'done')
        .execute();
    }
    await db.deleteFrom('dlq').where('lead_id', 'in', orphans).execute();
    removed += orphans.length;
  }
  await db.deleteFrom('lists').where('id', '=', listId).execute();
  return { memberships: candidates.length, leads: removed };
}

/** A run over the list that is running now (its workers read the list's leads), if any. */
export async function runningRunOfList(db: Kysely<Database>, listId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('runs')
    .select('run_id')
    .where('list_id', '=', listId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return row?.run_id;
}
