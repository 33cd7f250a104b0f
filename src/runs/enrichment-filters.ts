/**
 * The filters of a domain-enrichment job, as stored in jobs.config_json: Hunter's own
 * parameter names (seed 003 HunterDomainSearchConfig; vendors.md §3), validated when the
 * job is created so a bad value fails before any site is touched or any credit is spent.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../domain/errors.js';
import type { DomainSearchFilters } from '../providers/contract.js';

export interface EnrichmentFilters {
  /** personal or generic addresses only. */
  type?: 'personal' | 'generic';
  /** junior, senior, executive. */
  seniority?: string[];
  /** executive, it, finance, management, sales, legal, support, hr, marketing, … */
  department?: string[];
  /** full_name, position or phone_number: only contacts that have it. */
  required_field?: string;
  /** Emails per site, 1–100 (Hunter's default 10). One request per site: one page. */
  limit?: number;
  /** Skip this many of the domain's emails. */
  offset?: number;
  /** Passed to Hunter untouched (its include/exclude location filter). */
  location?: string;
  /** Only positions containing one of these words. */
  job_titles?: string[];
}

export const SENIORITIES = ['junior', 'senior', 'executive'] as const;
export const DEPARTMENTS = [
  'executive',
  'it',
  'finance',
  'management',
  'sales',
  'legal',
  'support',
  'hr',
  'marketing',
  'communication',
  'education',
  'design',
  'health',
  'operations',
] as const;
export const REQUIRED_FIELDS = ['full_name', 'position', 'phone_number'] as const;

/** Hunter's page size when `limit` is not sent (vendors.md §3). */
export const DEFAULT_LIMIT = 10;

/** Checks and normalizes filters (lower-cased lists, no empty entries); throws UserError. */
export function validateEnrichmentFilters(input: EnrichmentFilters): EnrichmentFilters {
  const bad = (message: string): never => {
    throw new UserError(message, 'bad_filter');
  };
  const list = (values: string[] | undefined): string[] | undefined => {
    const out = (values ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
    return out.length > 0 ? [...new Set(out)] : undefined;
  };
  const out: EnrichmentFilters = {};
  if (input.type !== undefined) {
    if (input.type !== 'personal' && input.type !== 'generic') bad('type must be personal or generic');
    out.type = input.type;
  }
  const seniority = list(input.seniority);
  if (seniority) {
    const unknown = seniority.filter((s) => !(SENIORITIES as readonly string[]).includes(s));
    if (unknown.length > 0) bad(`unknown seniority ${unknown.join(', ')} (use ${SENIORITIES.join(', ')})`);
    out.seniority = seniority;
  }
  const department = list(input.department);
  if (department) {
    const unknown = department.filter((d) => !(DEPARTMENTS as readonly string[]).includes(d));
    if (unknown.length > 0) bad(`unknown department ${unknown.join(', ')} (use ${DEPARTMENTS.join(', ')})`);
    out.department = department;
  }
  if (input.required_field !== undefined && input.required_field.trim() !== '') {
    const field = input.required_field.trim().toLowerCase();
    if (!(REQUIRED_FIELDS as readonly string[]).includes(field))
      bad(`required_field must be one of ${REQUIRED_FIELDS.join(', ')}`);
    out.required_field = field;
  }
  if (input.limit !== undefined) {
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 100)
      bad('limit must be an integer from 1 to 100');
    out.limit = input.limit;
  }
  if (input.offset !== undefined) {
    if (!Number.isInteger(input.offset) || input.offset < 0) bad('offset must be a non-negative integer');
    out.offset = input.offset;
  }
  if (input.location !== undefined && input.location.trim() !== '') out.location = input.location.trim();
  const titles = list(input.job_titles);
  if (titles) out.job_titles = titles;
  return out;
}

/** The provider contract's form of stored filters. */
export function toDomainSearchFilters(f: EnrichmentFilters): DomainSearchFilters {
  return {
    ...(f.type ? { type: f.type } : {}),
    ...(f.seniority ? { seniority: f.seniority } : {}),
    ...(f.department ? { department: f.department } : {}),
    ...(f.required_field ? { requiredField: f.required_field } : {}),
    ...(f.limit !== undefined ? { limit: f.limit } : {}),
    ...(f.offset !== undefined ? { offset: f.offset } : {}),
    ...(f.location ? { location: f.location } : {}),
    ...(f.job_titles ? { jobTitles: f.job_titles } : {}),
  };
}

/**
 * Idempotency key of one domain search: the domain and a hash of the filters (keys
 * sorted), so the same search is one key whose generation moves with each new job.
 */
export function domainSearchKey(domain: string, f: EnrichmentFilters): string {
  const canonical = JSON.stringify(
    Object.keys(f)
      .sort()
      .map((k) => [k, f[k as keyof EnrichmentFilters]]),
  );
  return `${domain}|${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
