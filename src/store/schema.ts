/**
 * Kysely table types (DATA-MODEL.md). Conventions, so both dialects agree:
 * - ids are text (UUIDs made by the application), times ISO-8601 UTC text;
 * - booleans are integers 0/1; money is integer micro-dollars (`*_micros`, bigint in PG —
 *   converted to number in the store, see `db.ts`);
 * - JSON is text (`*_json`); PII is encrypted text (`*_enc`) with a blind index (`*_hash`).
 */
import type { Generated } from 'kysely';

export type Bool = number;

export interface AccountsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface LeadsTable {
  id: string;
  account_id: string;
  source: string;
  vendor_record_id: string | null;
  vendor_list_id: string | null;
  property_id: string | null;
  apn: string | null;
  fips: string | null;
  mak: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  zip5: string | null;
  zip4: string | null;
  address_key: string | null;
  owner_first: string | null;
  owner_middle: string | null;
  owner_last: string | null;
  owner_full: string | null;
  owner_company: string | null;
  owner_type: string | null;
  mailing_line1: string | null;
  mailing_line2: string | null;
  mailing_city: string | null;
  mailing_state: string | null;
  mailing_zip5: string | null;
  property_type: string | null;
  beds: number | null;
  baths: number | null;
  sqft: number | null;
  year_built: number | null;
  estimated_value: number | null;
  estimated_equity: number | null;
  equity_percent: number | null;
  owner_occupied: Bool | null;
  absentee_owner: Bool | null;
  owner_age: number | null;
  pre_foreclosure: Bool | null;
  foreclosure: Bool | null;
  tax_lien: Bool | null;
  bankruptcy: Bool | null;
  vacant: Bool | null;
  high_equity: Bool | null;
  free_clear: Bool | null;
  status: string;
  enrichment_status: string;
  enrichment_error: string | null;
  quality_score: number | null;
  quality_status: string | null;
  first_seen_at: string;
  last_seen_at: string;
  enriched_at: string | null;
  skip_traced_at: string | null;
}

export interface ListsTable {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  source: string | null;
  filters_json: string | null;
  signals_json: string | null;
  /** Union of the CSV headers imported into this list, in first-seen order (JSON array). */
  input_columns_json: string | null;
  created_at: string;
}

export interface ListMembersTable {
  list_id: string;
  lead_id: string;
  added_at: string;
  /** 1-based data row of the import that added this lead. */
  row_number: number | null;
  /**
   * The original CSV columns of that import, for export: a JSON array of the row's cells
   * when `input_header_id` is set (in the order of that header's keys; cells past its end
   * are "column N"), else a JSON object, header → cell (memberships from before migration 013,
   * or added without an import's header). Read them through repos/list-inputs.ts.
   */
  input_row_json: string | null;
  /** The import header `input_row_json` lines up with (input_headers.id). */
  input_header_id: number | null;
}

/** One import's input keys (its header, duplicate and blank names made unique). */
export interface InputHeadersTable {
  id: Generated<number>;
  /** JSON array of strings, in column order. */
  columns_json: string;
  created_at: string;
}

export interface PersonsTable {
  id: string;
  lead_id: string;
  role: string;
  first: string | null;
  middle: string | null;
  last: string | null;
  full: string | null;
  source_provider: string | null;
  created_at: string;
}

export interface ContactPointsTable {
  id: string;
  account_id: string;
  lead_id: string;
  person_id: string | null;
  kind: 'phone' | 'email';
  value_enc: string;
  value_hash: string;
  value_hint: string;
  type: string;
  carrier: string | null;
  is_primary: Bool;
  confidence: number | null;
  verified: Bool;
  verification_status: string | null;
  dnc: Bool;
  tcpa: Bool;
  litigator: Bool;
  compliance_source: string | null;
  compliance_checked_at: string | null;
  compliance_expires_at: string | null;
  source_provider: string;
  provider_call_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface ProviderCallsTable {
  id: string;
  account_id: string;
  provider: string;
  idempotency_key: string;
  generation: number;
  lead_id: string;
  run_id: string | null;
  /** Groups the items that travelled in one HTTP request. */
  http_request_id: string | null;
  attempt_reason: string;
  attempts: number;
  request_json: string;
  response_enc: string | null;
  payload_hash: string | null;
  status: 'intent' | 'ok' | 'no_match' | 'error';
  status_code: number | null;
  billable_units: number;
  cost_micros: number;
  error_code: string | null;
  error_text: string | null;
  duration_ms: number | null;
  created_at: string;
  completed_at: string | null;
}

export interface SkiptraceCacheTable {
  id: string;
  account_id: string;
  provider: string;
  idempotency_key: string;
  generation: number;
  outcome: 'hit' | 'no_match';
  payload_hash: string;
  response_enc: string;
  parsed_contacts_enc: string;
  provider_call_id: string;
  ttl_expires_at: string;
  created_at: string;
  last_seen: string | null;
}

export interface SpendDaysTable {
  account_id: string;
  day: string;
  spent_micros: number;
  reserved_micros: number;
}

export interface DlqTable {
  id: string;
  account_id: string;
  stage: string;
  run_id: string | null;
  lead_id: string | null;
  payload_json: string;
  error: string;
  attempts: number;
  retry_after: string | null;
  created_at: string;
}

export interface RunsTable {
  run_id: string;
  account_id: string;
  list_id: string | null;
  source_label: string;
  policy_json: string;
  status: 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
  total: number;
  queued: number;
  in_flight: number;
  done: number;
  failed: number;
  cached_hits: number;
  spent_micros: number;
  reserved_micros: number;
  soft_paused: Bool;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunItemsTable {
  id: string;
  run_id: string;
  lead_id: string;
  status: 'queued' | 'in_flight' | 'done' | 'failed';
  stage: string;
  attempt: number;
  idem_key: string;
  sanitized_idem_key: string | null;
  normalized_address: string | null;
  normalized_person: string | null;
  cached: Bool;
  provider_call_id: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  updated_at: string;
}

export interface SuppressionsTable {
  account_id: string;
  kind: string;
  value_hash: string;
  reason: string | null;
  created_at: string;
}

export interface BudgetReservationsTable {
  id: string;
  account_id: string;
  day: string;
  run_id: string | null;
  micros: number;
  items: number;
  owner: string;
  created_at: string;
  expires_at: string;
}

/** One touch of a lead (seed 004): call, sms, email, note, or a lifecycle `status` change. */
export interface ActivitiesTable {
  id: string;
  account_id: string;
  lead_id: string;
  kind: string;
  /** When it happened (ISO-8601 UTC); may precede created_at when logged afterwards. */
  occurred_at: string;
  outcome: string | null;
  notes: string | null;
  created_at: string;
}

/** Account-scoped tag names (lowercase). */
export interface TagsTable {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
}

export interface LeadTagsTable {
  lead_id: string;
  tag_id: string;
  created_at: string;
}

/** A named lead selection: the JSON of a LeadQuery's filters (runs/lead-filters.ts). */
export interface SavedQueriesTable {
  id: string;
  account_id: string;
  name: string;
  filters_json: string;
  created_at: string;
  updated_at: string;
}

/** A company website to enrich by domain (seed 003). Unique per account by domain. */
export interface SitesTable {
  id: string;
  account_id: string;
  /** Normalized: lower case, no scheme, path or `www.` (domain/sites/site-keys.ts). */
  domain: string;
  /** Company name; matched against leads' owner_company for automatic linking. */
  name: string | null;
  /** 'new' when added; 'enrichment' once a domain-enrichment job included it. */
  pipeline_stage: string;
  enrichment_status: 'pending' | 'enriching' | 'enriched' | 'error';
  enrichment_error: string | null;
  last_enriched_at: string | null;
  created_at: string;
}

/** One email found at a site's domain. Unique per site by the email's blind index. */
export interface SiteContactsTable {
  id: string;
  account_id: string;
  site_id: string;
  email_enc: string;
  email_hash: string;
  email_hint: string;
  first_name: string | null;
  last_name: string | null;
  position: string | null;
  seniority: string | null;
  department: string | null;
  type: 'personal' | 'generic' | null;
  /** 0–100, the vendor's. */
  confidence: number | null;
  linkedin_url: string | null;
  twitter: string | null;
  phone_enc: string | null;
  verification_status: string | null;
  verification_date: string | null;
  /** Provider id that found (or last refreshed) it. */
  enrichment_source: string;
  /** The job that found or last refreshed it. */
  enrichment_job_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A background job that is not a skip-trace run (domain enrichment, …). */
export interface JobsTable {
  id: string;
  account_id: string;
  /** 'enrichment' for domain enrichment. */
  type: string;
  config_json: string;
  status: 'queued' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';
  progress_json: string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The process running it (host:pid:start), set when it starts running. */
  owner: string | null;
  /** Until when the owner is trusted without news (renewed after each unit of work). */
  lease_expires_at: string | null;
}

/**
 * leads.site_id (migration 007): the company site of a corporate-owned lead. Kept out of
 * LeadsTable because repos/leads.ts requires every LeadsTable column in LEAD_COLUMNS; the
 * sites repository reads it through `db.withTables<{ leads: LeadSiteColumns }>()`.
 */
export interface LeadSiteColumns {
  site_id: string | null;
}

/** Where the last pull of one search stood (migration 006). */
export interface SourceBookmarksTable {
  account_id: string;
  source: string;
  query_sig: string;
  /** The normalized search as canonical JSON. */
  query_json: string;
  /** page_number of the last page the last pull stored (0: none yet). */
  last_page_fetched: number;
  last_seen_vendor_id: string | null;
  last_pull_id: string | null;
  /** The vendor's result count at the last pull. */
  result_total: number | null;
  /** Where a page walk beyond the free ids window stopped short; null: nothing to resume. */
  resume_index: number | null;
  updated_at: string;
}

/** One stored page of a pull and the vendor ids it held (migration 006). */
export interface LeadSourceEventsTable {
  id: string;
  account_id: string;
  source: string;
  query_sig: string;
  pull_id: string;
  mode: 'ids' | 'full';
  pull_params_json: string;
  /** 1-based, in fetch order within the pull. */
  page_number: number;
  /** Position of the page's first record in the vendor's result set. */
  result_index: number;
  /** JSON array of vendor ids, in vendor order. */
  seen_vendor_ids: string;
  first_id: string | null;
  last_id: string | null;
  new_leads: number;
  provider_call_id: string | null;
  created_at: string;
}

export interface MigrationsLedger {
  name: string;
  applied_at: string;
}

/** 'auto' learning per lead state (migration 009, pipeline/continuation.ts). */
export interface AutoStatsTable {
  account_id: string;
  stage: string;
  provider: string;
  state: string;
  tries: number;
  hits: number;
  contactable: number;
  updated_at: string;
}

export interface Database {
  accounts: AccountsTable;
  leads: LeadsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  input_headers: InputHeadersTable;
  persons: PersonsTable;
  contact_points: ContactPointsTable;
  provider_calls: ProviderCallsTable;
  skiptrace_cache: SkiptraceCacheTable;
  spend_days: SpendDaysTable;
  dlq: DlqTable;
  runs: RunsTable;
  run_items: RunItemsTable;
  suppressions: SuppressionsTable;
  budget_reservations: BudgetReservationsTable;
  activities: ActivitiesTable;
  tags: TagsTable;
  lead_tags: LeadTagsTable;
  saved_queries: SavedQueriesTable;
  sites: SitesTable;
  site_contacts: SiteContactsTable;
  jobs: JobsTable;
  source_bookmarks: SourceBookmarksTable;
  lead_source_events: LeadSourceEventsTable;
  auto_stats: AutoStatsTable;
  leadtrace_migrations: MigrationsLedger;
}

export type { Generated };
