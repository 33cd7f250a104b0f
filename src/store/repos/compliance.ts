/**
 * Phone compliance state in contact_points: which numbers need a re-scrub, writing a
 * re-scrub's answers back, and counts by state.
 *
 * A number is one blind index (`value_hash`) in the account; the same number may be stored
 * for several leads. Compliance is a fact about the number, so a re-scrub checks each number
 * once and writes the answer to every row of it in the account.
 *
 * Expiry is compared as text: every `compliance_expires_at` is written by
 * `complianceExpiry` (toISOString, always `YYYY-MM-DDTHH:MM:SS.sssZ`), so text order is
 * time order. There is no index on it on purpose: the status counts read every phone row
 * anyway, and a re-scrub is a periodic batch job that then updates what it read.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunk } from '../chunk.js';

/** One number due for a re-scrub, as found among the expired rows. */
export interface ExpiredNumber {
  valueHash: string;
  /** One of its encrypted values (every row of a hash decrypts to the same number). */
  valueEnc: string;
  /** One lead holding it (provider_calls.lead_id is not null). */
  leadId: string;
  /** Ordering key: its earliest expiry among expired rows, '' for never checked. */
  sortKey: string;
  /** Flags raised on any of its expired rows before the re-scrub. */
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
}

export interface ExpiredNumbersQuery {
  accountId: string;
  nowIso: string;
  /** Only numbers held by leads of this list. */
  listId?: string | null;
  /** Keyset: numbers strictly after this (sortKey, valueHash). */
  after?: { sortKey: string; valueHash: string } | null;
  limit: number;
}

const SORT_KEY = sql<string>`min(coalesce(cp.compliance_expires_at, ''))`;

/**
 * Numbers with at least one expired (or never checked) phone row, never-checked first,
 * then the longest expired, then by hash: a stable order for keyset paging.
 */
export async function expiredNumbers(db: Kysely<Database>, q: ExpiredNumbersQuery): Promise<ExpiredNumber[]> {
  let query = db
    .selectFrom('contact_points as cp')
    .select([
      'cp.value_hash',
      SORT_KEY.as('sort_key'),
      sql<string>`min(cp.value_enc)`.as('value_enc'),
      sql<string>`min(cp.lead_id)`.as('lead_id'),
      sql<number>`max(cp.dnc)`.as('dnc'),
      sql<number>`max(cp.tcpa)`.as('tcpa'),
      sql<number>`max(cp.litigator)`.as('litigator'),
    ])
    .where('cp.account_id', '=', q.accountId)
    .where('cp.kind', '=', 'phone')
    .where((eb) =>
      eb.or([eb('cp.compliance_expires_at', 'is', null), eb('cp.compliance_expires_at', '<=', q.nowIso)]),
    );
  if (q.listId) {
    const listId = q.listId;
    query = query.where('cp.lead_id', 'in', (eb) =>
      eb.selectFrom('list_members').select('list_members.lead_id').where('list_members.list_id', '=', listId),
    );
  }
  query = query.groupBy('cp.value_hash');
  if (q.after) {
    const { sortKey, valueHash } = q.after;
    query = query.having(
      sql<boolean>`(${SORT_KEY} > ${sortKey} or (${SORT_KEY} = ${sortKey} and cp.value_hash > ${valueHash}))`,
    );
  }
  const rows = await query.orderBy('sort_key').orderBy('cp.value_hash').limit(q.limit).execute();
  return rows.map((r) => ({
    valueHash: r.value_hash,
    valueEnc: r.value_enc,
    leadId: r.lead_id,
    sortKey: r.sort_key,
    dnc: Number(r.dnc) === 1,
    tcpa: Number(r.tcpa) === 1,
    litigator: Number(r.litigator) === 1,
  }));
}

/** A fresh compliance answer for a set of numbers that share it. */
export interface FreshCompliance {
  dnc: boolean;
  /** null: not checked; the stored value stays. */
  tcpa: boolean | null;
  litigator: boolean | null;
  source: string;
  checkedAt: string;
  expiresAt: string;
}

/** Writes a fresh answer to every phone row of the given numbers; returns rows updated. */
export async function writeFreshCompliance(
  db: Kysely<Database>,
  accountId: string,
  valueHashes: readonly string[],
  fresh: FreshCompliance,
): Promise<number> {
  let updated = 0;
  for (const part of chunk(valueHashes, 5000)) {
    const r = await db
      .updateTable('contact_points')
      .set({
        dnc: fresh.dnc ? 1 : 0,
        ...(fresh.tcpa === null ? {} : { tcpa: fresh.tcpa ? 1 : 0 }),
        ...(fresh.litigator === null ? {} : { litigator: fresh.litigator ? 1 : 0 }),
        compliance_source: fresh.source,
        compliance_checked_at: fresh.checkedAt,
        compliance_expires_at: fresh.expiresAt,
      })
      .where('account_id', '=', accountId)
      .where('kind', '=', 'phone')
      .where('value_hash', 'in', part)
      .executeTakeFirst();
    updated += Number(r.numUpdatedRows);
  }
  return updated;
}

/** Raises one flag on every phone row of the given numbers (never clears; expiry untouched). */
export async function raiseComplianceFlag(
  db: Kysely<Database>,
  accountId: string,
  flag: 'dnc' | 'tcpa' | 'litigator',
  valueHashes: readonly string[],
): Promise<number> {
  let updated = 0;
  for (const part of chunk(valueHashes, 5000)) {
    const r = await db
      .updateTable('contact_points')
      .set({ [flag]: 1 })
      .where('account_id', '=', accountId)
      .where('kind', '=', 'phone')
      .where('value_hash', 'in', part)
      .where(flag, '=', 0)
      .executeTakeFirst();
    updated += Number(r.numUpdatedRows);
  }
  return updated;
}

/** When each given provider call completed (ISO-8601), by call id; unfinished calls are left out. */
export async function callCompletionTimes(
  db: Kysely<Database>,
  callIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(callIds)], 5000)) {
    const rows = await db
      .selectFrom('provider_calls')
      .select(['id', 'completed_at'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) if (r.completed_at !== null) out.set(r.id, r.completed_at);
  }
  return out;
}

/** Phone rows by compliance state. `fresh + expired + never_checked = phones`. */
export interface ComplianceCounts {
  /** Phone contact points (one per lead and number). */
  phones: number;
  /** Distinct numbers among them. */
  numbers: number;
  /** Checked, and the check still counts (expires after now). */
  fresh: number;
  /** Checked, but 31 days or more ago. */
  expired: number;
  /** No compliance check recorded. */
  never_checked: number;
  /** Flags raised (whatever the freshness). */
  dnc: number;
  tcpa: number;
  litigator: number;
  /** On the account's suppression list. */
  suppressed: number;
  /** Distinct numbers with an expired or never-checked row: what a re-scrub would check. */
  to_rescrub: number;
  /** The next instant a fresh row expires, or null. */
  next_expiry: string | null;
}

export async function complianceCounts(
  db: Kysely<Database>,
  q: { accountId: string; nowIso: string; listId?: string | null },
): Promise<ComplianceCounts> {
  const exp = sql.ref('cp.compliance_expires_at');
  const countWhen = (condition: ReturnType<typeof sql>) =>
    sql<number>`sum(case when ${condition} then 1 else 0 end)`;
  let query = db
    .selectFrom('contact_points as cp')
    .leftJoin('suppressions as s', (join) =>
      join
        .onRef('s.account_id', '=', 'cp.account_id')
        .onRef('s.value_hash', '=', 'cp.value_hash')
        .on('s.kind', '=', 'phone'),
    )
    .select((eb) => [
      eb.fn.countAll<number>().as('phones'),
      sql<number>`count(distinct cp.value_hash)`.as('numbers'),
      countWhen(sql`${exp} > ${q.nowIso}`).as('fresh'),
      countWhen(sql`${exp} <= ${q.nowIso}`).as('expired'),
      countWhen(sql`${exp} is null`).as('never_checked'),
      countWhen(sql`cp.dnc = 1`).as('dnc'),
      countWhen(sql`cp.tcpa = 1`).as('tcpa'),
      countWhen(sql`cp.litigator = 1`).as('litigator'),
      countWhen(sql`s.value_hash is not null`).as('suppressed'),
      sql<number>`count(distinct case when ${exp} is null or ${exp} <= ${q.nowIso} then cp.value_hash end)`.as(
        'to_rescrub',
      ),
      sql<string | null>`min(case when ${exp} > ${q.nowIso} then ${exp} end)`.as('next_expiry'),
    ])
    .where('cp.account_id', '=', q.accountId)
    .where('cp.kind', '=', 'phone');
  if (q.listId) {
    const listId = q.listId;
    query = query.where('cp.lead_id', 'in', (eb) =>
      eb.selectFrom('list_members').select('list_members.lead_id').where('list_members.list_id', '=', listId),
    );
  }
  const r = await query.executeTakeFirstOrThrow();
  const n = (v: unknown) => Number(v ?? 0);
  return {
    phones: n(r.phones),
    numbers: n(r.numbers),
    fresh: n(r.fresh),
    expired: n(r.expired),
    never_checked: n(r.never_checked),
    dnc: n(r.dnc),
    tcpa: n(r.tcpa),
    litigator: n(r.litigator),
    suppressed: n(r.suppressed),
    to_rescrub: n(r.to_rescrub),
    next_expiry: r.next_expiry ?? null,
  };
}
