/**
 * Lead filters as data: one validated shape for command-line flags, saved queries (stored
 * as JSON) and the built-in presets, so a saved query means tomorrow what it meant today.
 *
 * Built-in presets are seed 004's campaign selections ("Lead Selection for Campaigns"):
 * - `sms-ready`: enriched, has a phone, lifecycle status new (not yet contacted);
 * - `high-value`: enriched, has a phone, estimated value >= $500,000, high equity,
 *   sorted by estimated equity, highest first (the seed took the first 100: one default page).
 * The seed scoped both to one bucket; add `--list` to scope a preset. Compliance (DNC,
 * TCPA, litigators, opt-outs) is applied when leads are exported to a dialer, not here.
 */
import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import { DISTRESS_FLAGS, LEAD_SORTS, type LeadFilters } from '../store/repos/lead-queries.js';
import { LEAD_STATUSES } from '../store/repos/lifecycle.js';

const QUALITY_STATUSES = ['contactable', 'enriched', 'do_not_contact'] as const;

/** Tag names: lowercase letters, digits and `_ . : -`, 1 to 40 characters. */
export const TAG_NAME = /^[a-z0-9][a-z0-9_.:-]{0,39}$/;

/** Names of saved queries (and presets). */
export const QUERY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const dollars = z.number().int().min(-1e12).max(1e12);
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1);

export const leadFiltersSchema = z.strictObject({
  listId: z.string().min(1).optional(),
  needsSkipTrace: z.boolean().optional(),
  needsBusiness: z.boolean().optional(),
  enrichedOnly: z.boolean().optional(),
  status: nonEmpty(z.enum(LEAD_STATUSES)).optional(),
  state: nonEmpty(z.string().regex(/^[A-Z]{2}$/, 'a two-letter state code')).optional(),
  qualityStatus: nonEmpty(z.enum(QUALITY_STATUSES)).optional(),
  minValue: dollars.optional(),
  maxValue: dollars.optional(),
  minEquity: dollars.optional(),
  maxEquity: dollars.optional(),
  minEquityPercent: z.number().min(-1000).max(1000).optional(),
  distress: nonEmpty(z.enum(DISTRESS_FLAGS)).optional(),
  minStack: z.number().int().min(1).max(10_000).optional(),
  hasPhone: z.boolean().optional(),
  hasEmail: z.boolean().optional(),
  tags: nonEmpty(z.string().regex(TAG_NAME, 'a tag name')).optional(),
  campaignReady: z.boolean().optional(),
  sort: z.enum(LEAD_SORTS).optional(),
});

export const LEAD_QUERY_PRESETS: Readonly<Record<string, { description: string; filters: LeadFilters }>> = {
  'sms-ready': {
    description: 'seed 004 SMS campaign: enriched, has a phone, not yet contacted',
    filters: { enrichedOnly: true, hasPhone: true, status: ['new'] },
  },
  'high-value': {
    description: 'seed 004 phone outreach: enriched, has a phone, value >= $500,000, high equity; by equity',
    filters: {
      enrichedOnly: true,
      hasPhone: true,
      minValue: 500_000,
      distress: ['high_equity'],
      sort: 'equity_desc',
    },
  },
};

export const isPresetName = (name: string): boolean => Object.hasOwn(LEAD_QUERY_PRESETS, name);

/**
 * Validates filters from any source (flags, stored JSON). State codes are upper-cased and
 * tags lower-cased first; list and tag values keep their order but lose repeats.
 */
export function parseLeadFilters(raw: unknown, where = 'filters'): LeadFilters {
  const input = normalize(raw);
  const parsed = leadFiltersSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw new UserError(`bad ${where}: ${path ? `${path}: ` : ''}${issue.message}`, 'bad_filter');
  }
  const f = parsed.data;
  if (f.minValue !== undefined && f.maxValue !== undefined && f.minValue > f.maxValue) {
    throw new UserError(`bad ${where}: minValue ${f.minValue} is over maxValue ${f.maxValue}`, 'bad_filter');
  }
  if (f.minEquity !== undefined && f.maxEquity !== undefined && f.minEquity > f.maxEquity) {
    throw new UserError(
      `bad ${where}: minEquity ${f.minEquity} is over maxEquity ${f.maxEquity}`,
      'bad_filter',
    );
  }
  // Drop false booleans: they do not filter, and equal selections should print equal.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== false) out[k] = v;
  return out as LeadFilters;
}

function normalize(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const o = { ...(raw as Record<string, unknown>) };
  const uniq = (xs: unknown) => (Array.isArray(xs) ? [...new Set(xs)] : xs);
  const mapStrings = (xs: unknown, fn: (s: string) => string) =>
    Array.isArray(xs) ? xs.map((x) => (typeof x === 'string' ? fn(x.trim()) : x)) : xs;
  if ('state' in o) o.state = uniq(mapStrings(o.state, (s) => s.toUpperCase()));
  if ('tags' in o) o.tags = uniq(mapStrings(o.tags, (s) => s.toLowerCase()));
  for (const k of ['status', 'qualityStatus', 'distress']) if (k in o) o[k] = uniq(o[k]);
  return o;
}

/** Checks tag names given on the command line (lower-cased); throws one readable error. */
export function parseTagNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (!TAG_NAME.test(name)) {
      throw new UserError(
        `bad tag "${raw}": use 1 to 40 lowercase letters, digits or _ . : - (starting with a letter or digit)`,
        'bad_tag',
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
