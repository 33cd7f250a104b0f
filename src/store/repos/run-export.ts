/**
 * What a run's export (report.json, enriched.csv) reads, one keyset page of run items at a
 * time in item order: each item with its lead's export columns and the input row of its
 * list membership in one query, then the page's contact points (still encrypted) in a
 * second. Two queries per page instead of four, and every page is a range of the
 * (run_id, id) index, so a page costs the same at the end of a 100k-item run as at its start.
 *
 * On SQLite both run as prepared statements returning arrays (better-sqlite3's raw mode):
 * building a row object natively costs more than the query itself at this size.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';
import type { PiiCipher } from '../../domain/pii/cipher.js';
import { sqliteHandleOf } from '../db.js';
import type { Database, RunItemsTable } from '../schema.js';
import type { TraceLead } from './leads.js';

/** One run item with what the export needs of its lead. */
export interface RunExportItem {
  itemId: string;
  leadId: string;
  status: RunItemsTable['status'];
  stage: string;
  cached: number;
  lastError: string | null;
  /** The lead's export columns; null when the lead no longer exists (erased). */
  lead: TraceLead | null;
  /**
   * The original CSV columns of the lead's membership of the run's list (JSON), if any:
   * read with InputColumnsReader (list-inputs.ts) and the keys of `inputHeaderId`.
   */
  inputRowJson: string | null;
  inputHeaderId: number | null;
}

/**
 * One contact point as the export reads it: flags, and the value decrypted on first read of
 * `value` — only the contacts that reach the export (or the report's samples) are decrypted.
 */
export class RunExportContact {
  private plain: string | null = null;

  constructor(
    private readonly cipher: PiiCipher,
    readonly leadId: string,
    readonly kind: 'phone' | 'email',
    private readonly valueEnc: string,
    readonly isPrimary: boolean,
    readonly confidence: number | null,
    readonly dnc: boolean,
    readonly tcpa: boolean,
    readonly litigator: boolean,
    readonly sourceProvider: string,
    /** When the phone's compliance check stops counting (null: never checked; emails: null). */
    readonly complianceExpiresAt: string | null,
    /** The account's suppression list (opt-outs) holds the value's hash. */
    readonly suppressed: boolean,
  ) {}

  get value(): string {
    return (this.plain ??= this.cipher.decrypt(this.valueEnc));
  }
}

/** Items of `runId` after `afterId` (null: from the first), in id order, at most `limit`. */
export async function runExportItems(
  db: Kysely<Database>,
  o: { runId: string; listId: string | null; afterId: string | null; limit: number },
): Promise<RunExportItem[]> {
  let query = db
    .selectFrom('run_items as ri')
    .leftJoin('leads as l', 'l.id', 'ri.lead_id')
    // A run without a list has no input rows: '' is no list's id.
    .leftJoin('list_members as m', (j) =>
      j.onRef('m.lead_id', '=', 'ri.lead_id').on('m.list_id', '=', o.listId ?? ''),
    )
    .select([
      'ri.id as item_id',
      'ri.lead_id',
      'ri.status',
      'ri.stage',
      'ri.cached',
      'ri.last_error',
      'm.input_row_json',
      'l.id as lead_row_id',
      'l.address_line1',
      'l.address_line2',
      'l.city',
      'l.state',
      'l.zip5',
      'l.zip4',
      'l.owner_first',
      'l.owner_middle',
      'l.owner_last',
      'l.owner_full',
      'l.owner_company',
      'l.owner_type',
      'm.input_header_id',
    ])
    .where('ri.run_id', '=', o.runId);
  if (o.afterId !== null) query = query.where('ri.id', '>', o.afterId);
  const rows = await arrayRows(db, query.orderBy('ri.id').limit(o.limit));
  return rows.map((r) => ({
    itemId: r[0] as string,
    leadId: r[1] as string,
    status: r[2] as RunItemsTable['status'],
    stage: r[3] as string,
    cached: r[4] as number,
    lastError: r[5] as string | null,
    inputRowJson: r[6] as string | null,
    inputHeaderId: r[20] === null ? null : Number(r[20]),
    lead:
      r[7] === null
        ? null
        : {
            id: r[7] as string,
            address_line1: r[8] as string | null,
            address_line2: r[9] as string | null,
            city: r[10] as string | null,
            state: r[11] as string | null,
            zip5: r[12] as string | null,
            zip4: r[13] as string | null,
            owner_first: r[14] as string | null,
            owner_middle: r[15] as string | null,
            owner_last: r[16] as string | null,
            owner_full: r[17] as string | null,
            owner_company: r[18] as string | null,
            owner_type: r[19] as string | null,
          },
  }));
}

/**
 * The contact points of the leads of run items (`afterId`, `lastId`] of `runId` — one page
 * of runExportItems — per lead in first-seen order (as loadContacts orders them), each
 * checked against the account's suppression list here (a primary-key probe per contact)
 * rather than against every suppressed hash loaded into memory.
 */
export async function runExportContacts(
  db: Kysely<Database>,
  cipher: PiiCipher,
  o: { accountId: string; runId: string; afterId: string | null; lastId: string },
): Promise<RunExportContact[]> {
  const query = db
    .selectFrom('contact_points as cp')
    .select((eb) => [
      'cp.lead_id',
      'cp.kind',
      'cp.value_enc',
      'cp.is_primary',
      'cp.confidence',
      'cp.dnc',
      'cp.tcpa',
      'cp.litigator',
      'cp.source_provider',
      'cp.compliance_expires_at',
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('suppressions as s')
              .select('s.kind')
              .where('s.account_id', '=', o.accountId)
              .whereRef('s.kind', '=', 'cp.kind')
              .whereRef('s.value_hash', '=', 'cp.value_hash'),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as('suppressed'),
    ])
    .where('cp.lead_id', 'in', (sub) => {
      let items = sub
        .selectFrom('run_items')
        .select('lead_id')
        .where('run_id', '=', o.runId)
        .where('id', '<=', o.lastId);
      if (o.afterId !== null) items = items.where('id', '>', o.afterId);
      return items;
    })
    .orderBy('cp.lead_id')
    .orderBy('cp.first_seen_at')
    .orderBy('cp.id');
  const rows = await arrayRows(db, query);
  return rows.map(
    (r) =>
      new RunExportContact(
        cipher,
        r[0] as string,
        r[1] as 'phone' | 'email',
        r[2] as string,
        r[3] === 1,
        r[4] as number | null,
        r[5] === 1,
        r[6] === 1,
        r[7] === 1,
        r[8] as string,
        r[9] as string | null,
        r[10] === 1,
      ),
  );
}

type Cell = string | number | null;

/** Raw-mode statements per SQLite connection, by SQL text (two shapes per query here). */
const rawStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * The rows of `query` as arrays in select order. SQLite (the connection openStore made, while
 * no transaction is open on it — a read must not see another caller's uncommitted writes):
 * the compiled SQL as a raw prepared statement. Otherwise through Kysely.
 */
async function arrayRows(
  db: Kysely<Database>,
  query: { compile(): CompiledQuery; execute(): Promise<object[]> },
): Promise<Cell[][]> {
  const sqlite = sqliteHandleOf(db);
  if (sqlite && !sqlite.inTransaction) {
    const compiled = query.compile();
    let cache = rawStatements.get(sqlite);
    if (!cache) rawStatements.set(sqlite, (cache = new Map()));
    let statement = cache.get(compiled.sql);
    if (!statement) cache.set(compiled.sql, (statement = sqlite.prepare(compiled.sql).raw(true)));
    return statement.all(...compiled.parameters) as Cell[][];
  }
  // Column order is the select order (pg and Kysely keep it).
  return (await query.execute()).map((row) => Object.values(row) as Cell[]);
}
