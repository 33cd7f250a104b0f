/**
 * Lead queries (seed 004 "Query Bucket Leads", seed 001 `vw_campaign_ready_leads`): filters
 * over the account's leads, a stack count per lead (the lists it is on), and keyset
 * pagination behind an opaque cursor. Everything is one SQL query per page on both dialects;
 * phones and emails are counted and shown by their stored hints, never decrypted here.
 */
import { createHash } from 'node:crypto';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { UserError } from '../../domain/errors.js';
import { TERMINAL_LEAD_STATUSES } from '../../domain/quality/campaign-ready.js';
import { QUALITY_THRESHOLDS } from '../../domain/quality/score.js';
import type { Database, LeadsTable } from '../schema.js';
import { chunk } from '../chunk.js';

export const DISTRESS_FLAGS = [
  'pre_foreclosure',
  'foreclosure',
  'tax_lien',
  'bankruptcy',
  'vacant',
  'high_equity',
  'free_clear',
] as const;
export type DistressFlag = (typeof DISTRESS_FLAGS)[number];

/** Enrichment statuses counted as enriched (the detail or the trace ran), by filters and list stats. */
export const ENRICHED_STATUSES = ['completed', 'partial'] as const;

/** Owners that are businesses: their decision maker comes from a business-people provider. */
export const BUSINESS_OWNER_TYPES = ['llc', 'corporate', 'trust'] as const;

/**
 * Orders of a result: `id` (import order: ids are time-ordered), `campaign` (seed 001:
 * score desc, first seen asc, then id) and `equity_desc` (seed 004 high-value: estimated
 * equity desc with unknown equity last, then id).
 */
export const LEAD_SORTS = ['id', 'campaign', 'equity_desc'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/**
 * A lead selection. Every field narrows; absent fields (and boolean fields that are false)
 * do not filter. Money is whole dollars, as the lead columns store it.
 */
export interface LeadFilters {
  /** Members of this list only (a list id of the account). */
  listId?: string;
  /** Not skip-traced yet (skip_traced_at is null). */
  needsSkipTrace?: boolean;
  /** Business owner (llc, corporate, trust) without a person of role business_contact. */
  needsBusiness?: boolean;
  /** enrichment_status completed or partial: the same "enriched" the list stats count. */
  enrichedOnly?: boolean;
  /** Lifecycle status is one of these. */
  status?: string[];
  /** Property state (two letters) is one of these. */
  state?: string[];
  /** quality_status is one of these (contactable, enriched, do_not_contact). */
  qualityStatus?: string[];
  minValue?: number;
  maxValue?: number;
  minEquity?: number;
  maxEquity?: number;
  minEquityPercent?: number;
  /** Every one of these distress flags is set. */
  distress?: DistressFlag[];
  /** On at least this many lists. */
  minStack?: number;
  /** Has at least one phone / email contact point. */
  hasPhone?: boolean;
  hasEmail?: boolean;
  /** Carries every one of these tags. */
  tags?: string[];
  /**
   * Seed 001 campaign-ready (domain/quality/campaign-ready.ts): quality_status contactable,
   * score >= 60, lifecycle status not lost/closed. Sorts by `campaign` unless `sort` says otherwise.
   */
  campaignReady?: boolean;
  sort?: LeadSort;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** One lead of a result page. */
export interface LeadListItem {
  id: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  zip5: string | null;
  apn: string | null;
  owner_full: string | null;
  owner_company: string | null;
  owner_type: string | null;
  estimated_value: number | null;
  estimated_equity: number | null;
  status: string;
  enrichment_status: string;
  quality_score: number | null;
  quality_status: string | null;
  first_seen_at: string;
  /** Lists the lead is on. */
  stack_count: number;
  phone_count: number;
  email_count: number;
}

export interface LeadPage {
  leads: LeadListItem[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Leads matching the filters (all pages). */
  totalMatching: number;
}

type LeadsEB = ExpressionBuilder<Database, 'leads'>;

/** Lists the lead is on. */
const stackCount = (eb: LeadsEB) =>
  eb
    .selectFrom('list_members as sc')
    .select((s) => s.fn.countAll<number>().as('n'))
    .whereRef('sc.lead_id', '=', 'leads.id');

/** The lead's phones or emails. */
const contactCount = (eb: LeadsEB, kind: 'phone' | 'email') =>
  eb
    .selectFrom('contact_points as cc')
    .select((s) => s.fn.countAll<number>().as('n'))
    .whereRef('cc.lead_id', '=', 'leads.id')
    .where('cc.kind', '=', kind);

function conditions(eb: LeadsEB, accountId: string, f: LeadFilters): Expression<SqlBool>[] {
  const c: Expression<SqlBool>[] = [eb('leads.account_id', '=', accountId)];
  if (f.listId !== undefined) {
    c.push(
      eb.exists(
        eb
          .selectFrom('list_members as lm')
          .select('lm.lead_id')
          .whereRef('lm.lead_id', '=', 'leads.id')
          .where('lm.list_id', '=', f.listId),
      ),
    );
  }
  if (f.needsSkipTrace) c.push(eb('leads.skip_traced_at', 'is', null));
  if (f.needsBusiness) {
    c.push(eb('leads.owner_type', 'in', [...BUSINESS_OWNER_TYPES]));
    c.push(
      eb.not(
        eb.exists(
          eb
            .selectFrom('persons as p')
            .select('p.id')
            .whereRef('p.lead_id', '=', 'leads.id')
            .where('p.role', '=', 'business_contact'),
        ),
      ),
    );
  }
  // The `<>` terms repeat the partial indexes' conditions (migration 012) so SQLite may use
  // them; they change no result: the statuses asked for exclude the one left out.
  if (f.enrichedOnly) {
    c.push(eb('leads.enrichment_status', 'in', [...ENRICHED_STATUSES]));
    c.push(eb('leads.enrichment_status', '<>', sql.lit('pending')));
  }
  if (f.status?.length) {
    c.push(eb('leads.status', 'in', f.status));
    if (!f.status.includes('new')) c.push(eb('leads.status', '<>', sql.lit('new')));
  }
  if (f.state?.length) c.push(eb('leads.state', 'in', f.state));
  if (f.qualityStatus?.length) c.push(eb('leads.quality_status', 'in', f.qualityStatus));
  if (f.minValue !== undefined) c.push(eb('leads.estimated_value', '>=', f.minValue));
  if (f.maxValue !== undefined) c.push(eb('leads.estimated_value', '<=', f.maxValue));
  if (f.minEquity !== undefined) c.push(eb('leads.estimated_equity', '>=', f.minEquity));
  if (f.maxEquity !== undefined) c.push(eb('leads.estimated_equity', '<=', f.maxEquity));
  if (f.minEquityPercent !== undefined) c.push(eb('leads.equity_percent', '>=', f.minEquityPercent));
  for (const flag of f.distress ?? []) c.push(eb(`leads.${flag}`, '=', 1));
  if (f.minStack !== undefined) c.push(eb(stackCount(eb), '>=', f.minStack));
  if (f.hasPhone) c.push(eb(contactCount(eb, 'phone'), '>', 0));
  if (f.hasEmail) c.push(eb(contactCount(eb, 'email'), '>', 0));
  for (const tag of f.tags ?? []) {
    c.push(
      eb.exists(
        eb
          .selectFrom('lead_tags as lt')
          .innerJoin('tags as t', 't.id', 'lt.tag_id')
          .select('lt.lead_id')
          .whereRef('lt.lead_id', '=', 'leads.id')
          .where('t.account_id', '=', accountId)
          .where('t.name', '=', tag),
      ),
    );
  }
  if (f.campaignReady) {
    c.push(eb('leads.quality_status', '=', 'contactable'));
    c.push(eb('leads.quality_score', '>=', QUALITY_THRESHOLDS.contactable));
    c.push(eb('leads.status', 'not in', [...TERMINAL_LEAD_STATUSES]));
  }
  return c;
}

export const sortOf = (f: LeadFilters): LeadSort => f.sort ?? (f.campaignReady ? 'campaign' : 'id');

type Key = (string | number | null)[];

/** Rows strictly after `k` in the given order (keyset pagination). */
function after(eb: LeadsEB, sort: LeadSort, k: Key): Expression<SqlBool> {
  if (sort === 'id') return eb('leads.id', '>', k[0] as string);
  if (sort === 'campaign') {
    const [score, firstSeen, id] = k as [number, string, string];
    return eb.or([
      eb('leads.quality_score', '<', score),
      eb.and([eb('leads.quality_score', '=', score), eb('leads.first_seen_at', '>', firstSeen)]),
      eb.and([
        eb('leads.quality_score', '=', score),
        eb('leads.first_seen_at', '=', firstSeen),
        eb('leads.id', '>', id),
      ]),
    ]);
  }
  const [equity, id] = k as [number | null, string];
  if (equity === null) return eb.and([eb('leads.estimated_equity', 'is', null), eb('leads.id', '>', id)]);
  return eb.or([
    eb('leads.estimated_equity', '<', equity),
    eb.and([eb('leads.estimated_equity', '=', equity), eb('leads.id', '>', id)]),
    eb('leads.estimated_equity', 'is', null),
  ]);
}

function keyOf(sort: LeadSort, r: LeadListItem): Key {
  if (sort === 'id') return [r.id];
  if (sort === 'campaign') return [r.quality_score, r.first_seen_at, r.id];
  return [r.estimated_equity, r.id];
}

/** JSON with object keys sorted, so equal filters give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Short fingerprint of a selection: a cursor only continues the query that made it. */
function fingerprint(accountId: string, f: LeadFilters): string {
  return createHash('sha256')
    .update(`${accountId}\u0000${canonicalJson(f)}`)
    .digest('base64url')
    .slice(0, 16);
}

interface CursorState {
  v: 1;
  f: string;
  s: LeadSort;
  k: Key;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(cursor: string, expected: { f: string; s: LeadSort }): Key {
  let state: CursorState;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
  } catch {
    throw new UserError('bad cursor: not a cursor this command printed', 'bad_cursor');
  }
  if (state?.v !== 1 || !Array.isArray(state.k)) {
    throw new UserError('bad cursor: not a cursor this command printed', 'bad_cursor');
  }
  if (state.f !== expected.f || state.s !== expected.s) {
    throw new UserError(
      'bad cursor: it continues a different selection (use the same filters as the first page)',
      'bad_cursor',
    );
  }
  return state.k;
}

/** Checks a page size: 1..MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when absent. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new UserError(
      `bad limit ${limit}: expected a whole number from 1 to ${MAX_PAGE_SIZE}`,
      'bad_limit',
    );
  }
  if (limit > MAX_PAGE_SIZE) {
    throw new UserError(
      `limit ${limit} is over the maximum page of ${MAX_PAGE_SIZE}: page with the cursor instead`,
      'bad_limit',
    );
  }
  return limit;
}

/** One page of the account's leads matching `filters`, in the filters' order. */
export async function queryLeads(
  db: Kysely<Database>,
  accountId: string,
  filters: LeadFilters,
  page: { limit?: number; cursor?: string | null } = {},
): Promise<LeadPage> {
  const limit = pageSize(page.limit);
  const sort = sortOf(filters);
  const f = fingerprint(accountId, filters);
  const key = page.cursor ? decodeCursor(page.cursor, { f, s: sort }) : null;

  let q = db
    .selectFrom('leads')
    .select((eb) => [
      'leads.id',
      'leads.address_line1',
      'leads.address_line2',
      'leads.city',
      'leads.state',
      'leads.zip5',
      'leads.apn',
      'leads.owner_full',
      'leads.owner_company',
      'leads.owner_type',
      'leads.estimated_value',
      'leads.estimated_equity',
      'leads.status',
      'leads.enrichment_status',
      'leads.quality_score',
      'leads.quality_status',
      'leads.first_seen_at',
      stackCount(eb).as('stack_count'),
      contactCount(eb, 'phone').as('phone_count'),
      contactCount(eb, 'email').as('email_count'),
    ])
    .where((eb) => eb.and([...conditions(eb, accountId, filters), ...(key ? [after(eb, sort, key)] : [])]));
  if (sort === 'campaign') {
    q = q.orderBy('leads.quality_score', 'desc').orderBy('leads.first_seen_at').orderBy('leads.id');
  } else if (sort === 'equity_desc') {
    q = q
      .orderBy(sql`case when leads.estimated_equity is null then 1 else 0 end`)
      .orderBy('leads.estimated_equity', 'desc')
      .orderBy('leads.id');
  } else {
    q = q.orderBy('leads.id');
  }
  const rows = (await q.limit(limit + 1).execute()).map(
    (r): LeadListItem => ({
      ...r,
      stack_count: Number(r.stack_count),
      phone_count: Number(r.phone_count),
      email_count: Number(r.email_count),
    }),
  );
  const more = rows.length > limit;
  const leads = more ? rows.slice(0, limit) : rows;
  const total = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.and(conditions(eb, accountId, filters)))
    .executeTakeFirstOrThrow();
  return {
    leads,
    nextCursor: more ? encodeCursor({ v: 1, f, s: sort, k: keyOf(sort, leads[leads.length - 1]!) }) : null,
    totalMatching: Number(total.n),
  };
}

/** Masked hints ("…0142", "…@example.com") of the leads' phones and emails, primary first. */
export async function contactHints(
  db: Kysely<Database>,
  leadIds: readonly string[],
): Promise<Map<string, { phones: string[]; emails: string[] }>> {
  const out = new Map<string, { phones: string[]; emails: string[] }>();
  for (const part of chunk(leadIds, 5000)) {
    const rows = await db
      .selectFrom('contact_points')
      .select(['lead_id', 'kind', 'value_hint'])
      .where('lead_id', 'in', part)
      .orderBy('lead_id')
      .orderBy('is_primary', 'desc')
      .orderBy('first_seen_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const hints = out.get(r.lead_id) ?? { phones: [], emails: [] };
      (r.kind === 'phone' ? hints.phones : hints.emails).push(r.value_hint);
      out.set(r.lead_id, hints);
    }
  }
  return out;
}

/** Which of the given ids are leads of the account. */
export async function existingLeadIds(
  db: Kysely<Database>,
  accountId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk([...new Set(ids)], 5000)) {
    const rows = await db
      .selectFrom('leads')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** Lead ids of the account starting with `prefix` (at most `limit`), for short ids on the CLI. */
export async function leadIdsByPrefix(
  db: Kysely<Database>,
  accountId: string,
  prefix: string,
  limit = 2,
): Promise<string[]> {
  // Letters, digits and hyphens only, so the LIKE pattern holds no wildcard but the last.
  if (!/^[0-9A-Za-z-]+$/.test(prefix)) return [];
  const rows = await db
    .selectFrom('leads')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'like', `${prefix}%`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** One lead of the account, every column. */
export async function getLead(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<Selectable<LeadsTable> | undefined> {
  return db
    .selectFrom('leads')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A contact point as shown to people: its hint and flags, never its value. */
export interface ContactSummary {
  kind: string;
  hint: string;
  type: string;
  is_primary: boolean;
  verified: boolean;
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
  source_provider: string;
}

/** A lead's phones then emails, primary first. */
export async function contactSummaries(db: Kysely<Database>, leadId: string): Promise<ContactSummary[]> {
  const rows = await db
    .selectFrom('contact_points')
    .select([
      'kind',
      'value_hint',
      'type',
      'is_primary',
      'verified',
      'dnc',
      'tcpa',
      'litigator',
      'source_provider',
    ])
    .where('lead_id', '=', leadId)
    .orderBy('kind', 'desc')
    .orderBy('is_primary', 'desc')
    .orderBy('first_seen_at')
    .orderBy('id')
    .execute();
  return rows.map((c) => ({
    kind: c.kind,
    hint: c.value_hint,
    type: c.type,
    is_primary: c.is_primary === 1,
    verified: c.verified === 1,
    dnc: c.dnc === 1,
    tcpa: c.tcpa === 1,
    litigator: c.litigator === 1,
    source_provider: c.source_provider,
  }));
}

/** The people known for a lead (owner, co-owner, business contact), first found first. */
export async function personsOfLead(
  db: Kysely<Database>,
  leadId: string,
): Promise<{ role: string; full: string | null; source_provider: string | null }[]> {
  const rows = await db
    .selectFrom('persons')
    .select(['role', 'full', 'first', 'last', 'source_provider'])
    .where('lead_id', '=', leadId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((p) => ({
    role: p.role,
    full: p.full ?? ([p.first, p.last].filter(Boolean).join(' ') || null),
    source_provider: p.source_provider,
  }));
}
