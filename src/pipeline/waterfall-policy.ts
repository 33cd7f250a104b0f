/**
 * The waterfall policy: which providers each stage may use, in which order, and the rules
 * between them. It is stored on the run (runs.policy_json → `waterfall`), so a run resumes
 * and reports with the policy it started with.
 *
 * Stages run in this order for every lead of a chunk:
 *   1. property_detail — fills property facts, owners and owner type; only for leads that
 *      need it (`detail_when`: 'missing' = no street address, e.g. a property-search id pull;
 *      'always'; 'never').
 *   2. skip_trace — people, phones and emails at the lead's address.
 *   3. business — people at the owning company, for owners of `business_owner_types`.
 *   4. verification (verify_phone, verify_email) — runs after every contact-producing
 *      provider, on the lead's best unverified contacts, so "contactable after validation"
 *      is known before the next provider is considered.
 *   5. score — seed 001 quality score and status, written to the lead.
 *
 * Gap-only fallback (`gap_only`, default true): within a stage a later provider runs only
 * for leads that are still not contactable after validation. `gap_only: false` calls every
 * provider of every stage for every lead (the "call every provider" baseline).
 *
 * Cooldown (`cooldown_days`, default 14): a provider that answered a lead in an earlier run
 * within the cooldown is not paid again for it; its cached answer is still used when the
 * cache has it. `--force` overrides both the cache and the cooldown.
 *
 * An order of 'auto' sorts a stage's providers by expected cost per contactable lead from
 * the vendor scorecard (pipeline/auto-order.ts), with a prior from the cost model until a
 * provider has enough samples.
 */
import type { ProviderKind } from '../providers/contract.js';
import { DEFAULT_STAGE_PROVIDERS } from '../providers/default-order.js';

export type StageName = 'property_detail' | 'skip_trace' | 'business' | 'verify_phone' | 'verify_email';

/** The provider kind each stage draws from. */
export const STAGE_KIND: Readonly<Record<StageName, ProviderKind>> = {
  property_detail: 'property-detail',
  skip_trace: 'skip-trace',
  business: 'business-people',
  verify_phone: 'phone-verify',
  verify_email: 'email-verify',
};

export const STAGE_NAMES = Object.keys(STAGE_KIND) as StageName[];

/**
 * A stage's providers in order; or 'auto' (scorecard order over every built provider of the
 * stage's kind); or `{ auto: [...] }` ("auto:a,b,c": scorecard order over those providers).
 */
export type StageOrder = readonly string[] | 'auto' | { readonly auto: readonly string[] };

/** The providers an order names (none for a bare 'auto'). */
export function namedProviders(order: StageOrder): readonly string[] {
  return order === 'auto' ? [] : Array.isArray(order) ? order : (order as { auto: readonly string[] }).auto;
}

export interface WaterfallPolicy {
  property_detail: StageOrder;
  skip_trace: StageOrder;
  business: StageOrder;
  verify_phone: StageOrder;
  verify_email: StageOrder;
  gap_only: boolean;
  cooldown_days: number;
  detail_when: 'missing' | 'always' | 'never';
  /** Owner types the business stage serves. */
  business_owner_types: readonly string[];
  /** Most unverified phones (mobile/VoIP/unknown first, best score first) verified per lead per round. */
  verify_phones_per_lead: number;
  /** Most unverified emails verified per lead per round. */
  verify_emails_per_lead: number;
  /**
   * 'auto' skip-trace only: stop paying for a lead once the cheapest expected cost of making
   * it contactable through any remaining provider is above this many dollars (learned per
   * lead state, pipeline/continuation.ts). null: never stop early (plain gap-only).
   */
  auto_stop_usd: number | null;
}

/**
 * The default is the main job: BatchData skip-trace, property detail only for leads that
 * have no street address (property-search id pulls), no paid verification. The skip-trace
 * vendor's own checks count as verification (a reachable phone, a tested email; see
 * runs/waterfall-contacts.ts), so default runs still score leads contactable.
 */
/** The default for `auto_stop_usd`; see docs/waterfall.md for how it was chosen. */
export const AUTO_STOP_USD = 0.4;

export const DEFAULT_WATERFALL: WaterfallPolicy = {
  property_detail: DEFAULT_STAGE_PROVIDERS.property_detail,
  skip_trace: DEFAULT_STAGE_PROVIDERS.skip_trace,
  business: [],
  verify_phone: [],
  verify_email: [],
  gap_only: true,
  cooldown_days: 14,
  detail_when: 'missing',
  business_owner_types: ['llc', 'corporate', 'trust'],
  verify_phones_per_lead: 2,
  verify_emails_per_lead: 1,
  auto_stop_usd: AUTO_STOP_USD,
};

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** "a,b,c" or "auto" or "none" → a stage order. */
export function parseStageOrder(stage: StageName, text: string): StageOrder {
  const t = text.trim();
  if (t === 'auto') return 'auto';
  if (t.startsWith('auto:')) {
    const ids = parseStageOrder(stage, t.slice(5));
    if (!Array.isArray(ids) || ids.length === 0)
      throw new PolicyError(`${stage}: "auto:" needs provider ids`);
    return { auto: ids as string[] };
  }
  if (t === '' || t === 'none') return [];
  const ids = t.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '')) throw new PolicyError(`${stage}: empty provider name in "${text}"`);
  if (new Set(ids).size !== ids.length)
    throw new PolicyError(`${stage}: a provider is listed twice in "${text}"`);
  return ids;
}

const POLICY_KEYS = new Set<string>([
  ...STAGE_NAMES,
  'gap_only',
  'cooldown_days',
  'detail_when',
  'business_owner_types',
  'verify_phones_per_lead',
  'verify_emails_per_lead',
  'auto_stop_usd',
]);

/**
 * Layers a partial policy (a policy file's JSON, flags) over a base and checks every field
 * and every provider id against the built providers (id → kind). Errors name the field.
 */
export function resolveWaterfall(
  base: WaterfallPolicy,
  partial: Record<string, unknown>,
  available: ReadonlyMap<string, ProviderKind>,
): WaterfallPolicy {
  for (const key of Object.keys(partial)) {
    if (!POLICY_KEYS.has(key))
      throw new PolicyError(`unknown policy field "${key}" (known: ${[...POLICY_KEYS].join(', ')})`);
  }
  const out: WaterfallPolicy = { ...base };
  for (const stage of STAGE_NAMES) {
    const v = partial[stage];
    if (v === undefined) continue;
    let order: StageOrder;
    if (typeof v === 'string') order = parseStageOrder(stage, v);
    else if (
      v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Array.isArray((v as { auto?: unknown }).auto)
    )
      order = parseStageOrder(stage, `auto:${(v as { auto: unknown[] }).auto.join(',')}`);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      order = parseStageOrder(stage, v.join(','));
    else
      throw new PolicyError(
        `${stage}: expected "auto", "auto:a,b", {"auto": [...]} or a list of provider ids`,
      );
    out[stage] = order;
  }
  const bool = (k: 'gap_only') => {
    const v = partial[k];
    if (v === undefined) return;
    if (typeof v !== 'boolean') throw new PolicyError(`${k}: expected true or false`);
    out[k] = v;
  };
  bool('gap_only');
  const int = (k: 'cooldown_days' | 'verify_phones_per_lead' | 'verify_emails_per_lead', max: number) => {
    const v = partial[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
      throw new PolicyError(`${k}: expected a whole number from 0 to ${max}`);
    out[k] = v;
  };
  int('cooldown_days', 3650);
  int('verify_phones_per_lead', 10);
  int('verify_emails_per_lead', 10);
  if (partial.auto_stop_usd !== undefined) {
    const v = partial.auto_stop_usd;
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1000))
      throw new PolicyError('auto_stop_usd: expected a dollar amount above 0 and up to 1000, or null');
    out.auto_stop_usd = v;
  }
  if (partial.detail_when !== undefined) {
    const v = partial.detail_when;
    if (v !== 'missing' && v !== 'always' && v !== 'never')
      throw new PolicyError('detail_when: expected "missing", "always" or "never"');
    out.detail_when = v;
  }
  if (partial.business_owner_types !== undefined) {
    const v = partial.business_owner_types;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new PolicyError('business_owner_types: expected a list of owner types');
    out.business_owner_types = v.map((x: string) => x.toLowerCase());
  }
  validateProviders(out, available);
  return out;
}

/** Every named provider exists and is of its stage's kind. */
export function validateProviders(
  policy: WaterfallPolicy,
  available: ReadonlyMap<string, ProviderKind>,
): void {
  for (const stage of STAGE_NAMES) {
    for (const id of namedProviders(policy[stage])) {
      const kind = available.get(id);
      const ofKind = [...available].filter(([, k]) => k === STAGE_KIND[stage]).map(([i]) => i);
      if (kind === undefined)
        throw new PolicyError(
          `${stage}: provider "${id}" is not available (available ${STAGE_KIND[stage]} providers: ${ofKind.join(', ') || 'none'})`,
        );
      if (kind !== STAGE_KIND[stage])
        throw new PolicyError(
          `${stage}: provider "${id}" is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} provider, not ${STAGE_KIND[stage]} (use one of: ${ofKind.join(', ') || 'none'})`,
        );
    }
  }
}

/**
 * The policy a run stored before waterfalls existed (or a partial one) as a full policy:
 * missing fields take the default's value. Stored policies are not re-validated against
 * today's providers here; a provider that is gone fails its calls with a clear error.
 */
export function storedWaterfall(value: unknown): WaterfallPolicy {
  if (!value || typeof value !== 'object') return DEFAULT_WATERFALL;
  return { ...DEFAULT_WATERFALL, ...(value as Partial<WaterfallPolicy>) };
}
