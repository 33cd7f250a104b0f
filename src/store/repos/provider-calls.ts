/**
 * provider_calls: one row per idempotency key per generation, written as an `intent`
 * before the vendor is called and completed after. The unique index
 * (account_id, provider, idempotency_key, generation) makes a second billed call for the
 * same key in the same generation impossible.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database, ProviderCallsTable } from '../schema.js';
import { chunk, rowsPerInsert } from '../chunk.js';
import type BetterSqlite3 from 'better-sqlite3';
import { insertRowsSqlite, prepared } from '../sqlite-statements.js';

export type ProviderCallRow = Selectable<ProviderCallsTable>;

/** The newest generation's row per key (for generation bookkeeping and takeover). */
export async function latestCallsByKey(
  db: Kysely<Database>,
  accountId: string,
  provider: string,
  keys: readonly string[],
): Promise<Map<string, Pick<ProviderCallRow, 'id' | 'generation' | 'status' | 'attempts'>>> {
  const out = new Map<string, Pick<ProviderCallRow, 'id' | 'generation' | 'status' | 'attempts'>>();
  for (const part of chunk(keys, 5000)) {
    const rows = await db
      .selectFrom('provider_calls')
      .select(['id', 'idempotency_key', 'generation', 'status', 'attempts'])
      .where('account_id', '=', accountId)
      .where('provider', '=', provider)
      .where('idempotency_key', 'in', part)
      .execute();
    for (const r of rows) {
      const seen = out.get(r.idempotency_key);
      if (!seen || r.generation > seen.generation) out.set(r.idempotency_key, r);
    }
  }
  return out;
}

/** What an intent row needs; every other column starts empty (status `intent`, no cost yet). */
export interface CallIntent {
  id: string;
  accountId: string;
  provider: string;
  idempotencyKey: string;
  generation: number;
  /** '' for calls that are not about one lead (a search page, a domain). */
  leadId: string;
  runId: string | null;
  /** Groups the items of one vendor request (the budget reservation id). */
  httpRequestId: string;
  attemptReason: string;
  /** Sanitized: hints only, never raw PII. */
  requestJson: string;
  createdAt: string;
}

/** The provider_calls row written before a vendor request. */
export function intentRow(c: CallIntent): Insertable<ProviderCallsTable> {
  return {
    id: c.id,
    account_id: c.accountId,
    provider: c.provider,
    idempotency_key: c.idempotencyKey,
    generation: c.generation,
    lead_id: c.leadId,
    run_id: c.runId,
    http_request_id: c.httpRequestId,
    attempt_reason: c.attemptReason,
    attempts: 1,
    request_json: c.requestJson,
    response_enc: null,
    payload_hash: null,
    status: 'intent',
    status_code: null,
    billable_units: 0,
    cost_micros: 0,
    error_code: null,
    error_text: null,
    duration_ms: null,
    created_at: c.createdAt,
    completed_at: null,
  };
}

export async function insertCallIntents(
  db: Kysely<Database>,
  rows: readonly Insertable<ProviderCallsTable>[],
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite && insertRowsSqlite(sqlite, 'provider_calls', rows)) return;
  for (const part of chunk(rows, rowsPerInsert(24))) {
    await db.insertInto('provider_calls').values(part).execute();
  }
}

/** Takes over an unfinished row (a crashed or failed attempt) for another attempt. */
export async function retakeCallIntent(
  db: Kysely<Database>,
  id: string,
  patch: {
    runId: string | null;
    leadId: string;
    attemptReason: string;
    requestJson: string;
    nowIso: string;
    httpRequestId: string;
  },
): Promise<void> {
  await db
    .updateTable('provider_calls')
    .set((eb) => ({
      status: 'intent',
      attempts: eb('attempts', '+', 1),
      run_id: patch.runId,
      lead_id: patch.leadId,
      attempt_reason: patch.attemptReason,
      request_json: patch.requestJson,
      http_request_id: patch.httpRequestId,
      error_code: null,
      error_text: null,
      created_at: patch.nowIso,
    }))
    .where('id', '=', id)
    .execute();
}

export interface CallCompletion {
  id: string;
  status: 'ok' | 'no_match' | 'error';
  statusCode: number | null;
  billableUnits: number;
  costMicros: number;
  responseEnc: string | null;
  payloadHash: string | null;
  httpRequestId: string;
  errorCode: string | null;
  errorText: string | null;
  durationMs: number;
  completedAt: string;
}

const COMPLETE_SQL = `update provider_calls set status = ?, status_code = ?, billable_units = billable_units + ?,
  cost_micros = cost_micros + ?, response_enc = ?, payload_hash = ?, http_request_id = ?, error_code = ?,
  error_text = ?, duration_ms = ?, completed_at = ? where id = ?`;

/**
 * Completes provider call rows. Costs and billable units are added, not set: a retaken row
 * keeps what earlier (interrupted) attempts cost. `sqlite` (the raw connection under `db`)
 * runs one cached prepared statement per row instead of a compiled query per row.
 */
export async function completeCalls(
  db: Kysely<Database>,
  rows: readonly CallCompletion[],
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite) {
    const stmt = prepared(sqlite, COMPLETE_SQL);
    for (const r of rows) {
      stmt.run(
        r.status,
        r.statusCode,
        r.billableUnits,
        r.costMicros,
        r.responseEnc,
        r.payloadHash,
        r.httpRequestId,
        r.errorCode,
        r.errorText,
        r.durationMs,
        r.completedAt,
        r.id,
      );
    }
    return;
  }
  for (const r of rows) {
    await db
      .updateTable('provider_calls')
      .set({
        status: r.status,
        status_code: r.statusCode,
        billable_units: sql`billable_units + ${r.billableUnits}`,
        cost_micros: sql`cost_micros + ${r.costMicros}`,
        response_enc: r.responseEnc,
        payload_hash: r.payloadHash,
        http_request_id: r.httpRequestId,
        error_code: r.errorCode,
        error_text: r.errorText,
        duration_ms: r.durationMs,
        completed_at: r.completedAt,
      })
      .where('id', '=', r.id)
      .execute();
  }
}

export interface RunCallTotals {
  calls: number;
  costMicros: number;
}

/** Real vendor calls recorded for a run and what they cost (cache hits are not calls). */
export async function runCallTotals(db: Kysely<Database>, runId: string): Promise<RunCallTotals> {
  const row = await db
    .selectFrom('provider_calls')
    .select((eb) => [eb.fn.countAll<number>().as('calls'), eb.fn.sum<number>('cost_micros').as('cost')])
    .where('run_id', '=', runId)
    .where('status', '!=', 'intent')
    .executeTakeFirst();
  return { calls: Number(row?.calls ?? 0), costMicros: Number(row?.cost ?? 0) };
}

/**
 * Which providers answered which of these leads (ok or no_match) since `sinceIso`, outside
 * the given run: the waterfall's cooldown. Keyed lead id → provider ids.
 */
export async function recentAnswersByLead(
  db: Kysely<Database>,
  _accountId: string,
  leadIds: readonly string[],
  sinceIso: string,
  exceptRunId: string | null,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < leadIds.length; i += 5000) {
    const part = leadIds.slice(i, i + 5000);
    if (part.length === 0) continue;
    let q = db
      .selectFrom('provider_calls')
      .select(['lead_id', 'provider'])
      .distinct()
      // Lead ids belong to one account; filtering on account_id here would lead SQLite to
      // the (account_id, provider, key) index and a scan of the account's calls.
      .where('lead_id', 'in', part)
      .where('status', 'in', ['ok', 'no_match'])
      .where('completed_at', '>=', sinceIso);
    if (exceptRunId !== null)
      q = q.where((eb) => eb.or([eb('run_id', 'is', null), eb('run_id', '!=', exceptRunId)]));
    for (const r of await q.execute()) {
      let set = out.get(r.lead_id);
      if (!set) out.set(r.lead_id, (set = new Set()));
      set.add(r.provider);
    }
  }
  return out;
}
