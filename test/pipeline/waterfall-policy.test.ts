/**
 * The waterfall policy, pure: stage orders ("a,b", "auto", "auto:a,b", "none"), layering a
 * partial policy over a base, and every validation error with its exact message.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WATERFALL,
  namedProviders,
  parseStageOrder,
  PolicyError,
  resolveWaterfall,
  STAGE_KIND,
  STAGE_NAMES,
  storedWaterfall,
  validateProviders,
  type WaterfallPolicy,
} from '../../src/pipeline/waterfall-policy.js';
import type { ProviderKind } from '../../src/providers/contract.js';

/** What a process with every vendor built offers (a subset of the registry, in its order). */
const AVAILABLE = new Map<string, ProviderKind>([
  ['batchdata', 'skip-trace'],
  ['batchdata-phone-verification', 'phone-verify'],
  ['batchdata-phone-dnc', 'phone-verify'],
  ['realestateapi-skiptrace', 'skip-trace'],
  ['realestateapi-property-detail', 'property-detail'],
  ['reiskip', 'skip-trace'],
  ['apollo-bulk-match', 'business-people'],
  ['hunter-email-verifier', 'email-verify'],
]);

const resolve = (partial: Record<string, unknown>, base: WaterfallPolicy = DEFAULT_WATERFALL) =>
  resolveWaterfall(base, partial, AVAILABLE);

function policyError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error('expected a PolicyError');
}

describe('stage orders', () => {
  it('parses lists, auto, auto over a set, and none', () => {
    expect(parseStageOrder('skip_trace', 'batchdata, reiskip')).toEqual(['batchdata', 'reiskip']);
    expect(parseStageOrder('skip_trace', ' auto ')).toBe('auto');
    expect(parseStageOrder('skip_trace', 'auto:reiskip,batchdata')).toEqual({
      auto: ['reiskip', 'batchdata'],
    });
    expect(parseStageOrder('skip_trace', 'none')).toEqual([]);
    expect(parseStageOrder('skip_trace', '')).toEqual([]);
  });

  it('names the providers an order lists (none for a bare auto)', () => {
    expect(namedProviders(['a', 'b'])).toEqual(['a', 'b']);
    expect(namedProviders({ auto: ['c'] })).toEqual(['c']);
    expect(namedProviders('auto')).toEqual([]);
  });

  it('refuses empty names, duplicates and an empty auto set', () => {
    expect(policyError(() => parseStageOrder('skip_trace', 'batchdata,,reiskip'))).toBe(
      'skip_trace: empty provider name in "batchdata,,reiskip"',
    );
    expect(policyError(() => parseStageOrder('verify_phone', 'a,b,a'))).toBe(
      'verify_phone: a provider is listed twice in "a,b,a"',
    );
    expect(policyError(() => parseStageOrder('business', 'auto:'))).toBe(
      'business: "auto:" needs provider ids',
    );
    expect(policyError(() => parseStageOrder('business', 'auto:none'))).toBe(
      'business: "auto:" needs provider ids',
    );
  });

  it('every stage draws from one provider kind', () => {
    expect(STAGE_NAMES).toEqual([
      'property_detail',
      'skip_trace',
      'business',
      'verify_phone',
      'verify_email',
    ]);
    expect(STAGE_KIND).toEqual({
      property_detail: 'property-detail',
      skip_trace: 'skip-trace',
      business: 'business-people',
      verify_phone: 'phone-verify',
      verify_email: 'email-verify',
    });
  });
});

describe('resolveWaterfall', () => {
  it('the default: BatchData skip-trace, detail only where the street is missing, gap-only, 14-day cooldown', () => {
    expect(DEFAULT_WATERFALL).toEqual({
      property_detail: ['realestateapi-property-detail'],
      skip_trace: ['batchdata'],
      business: [],
      verify_phone: [],
      verify_email: [],
      gap_only: true,
      cooldown_days: 14,
      detail_when: 'missing',
      business_owner_types: ['llc', 'corporate', 'trust'],
      verify_phones_per_lead: 2,
      verify_emails_per_lead: 1,
      auto_stop_usd: 0.4,
    });
    expect(resolve({})).toEqual(DEFAULT_WATERFALL);
  });

  it('layers each given field over the base and leaves the rest', () => {
    const file = resolve({
      skip_trace: ['batchdata', 'reiskip'],
      verify_phone: 'batchdata-phone-verification',
      verify_email: { auto: ['hunter-email-verifier'] },
      cooldown_days: 3,
      business_owner_types: ['LLC', 'Estate'],
    });
    const flags = resolve(
      { skip_trace: 'auto', gap_only: false, detail_when: 'never', auto_stop_usd: 1.25 },
      file,
    );
    expect(flags).toEqual({
      ...DEFAULT_WATERFALL,
      skip_trace: 'auto',
      verify_phone: ['batchdata-phone-verification'],
      verify_email: { auto: ['hunter-email-verifier'] },
      cooldown_days: 3,
      business_owner_types: ['llc', 'estate'],
      gap_only: false,
      detail_when: 'never',
      auto_stop_usd: 1.25,
    });
    expect(resolve({ auto_stop_usd: null }).auto_stop_usd).toBeNull();
    // The base is not changed.
    expect(file.skip_trace).toEqual(['batchdata', 'reiskip']);
  });

  it('checks every provider against the built ones and its stage kind', () => {
    expect(policyError(() => resolve({ skip_trace: 'nope' }))).toBe(
      'skip_trace: provider "nope" is not available (available skip-trace providers: batchdata, realestateapi-skiptrace, reiskip)',
    );
    expect(policyError(() => resolve({ skip_trace: 'hunter-email-verifier' }))).toBe(
      'skip_trace: provider "hunter-email-verifier" is an email-verify provider, not skip-trace (use one of: batchdata, realestateapi-skiptrace, reiskip)',
    );
    expect(policyError(() => resolve({ verify_email: 'auto:batchdata' }))).toBe(
      'verify_email: provider "batchdata" is a skip-trace provider, not email-verify (use one of: hunter-email-verifier)',
    );
    expect(
      policyError(() =>
        validateProviders({ ...DEFAULT_WATERFALL, business: ['apollo-bulk-match'] }, new Map()),
      ),
    ).toBe(
      'property_detail: provider "realestateapi-property-detail" is not available (available property-detail providers: none)',
    );
  });

  it('refuses unknown fields and bad values, naming the field', () => {
    expect(policyError(() => resolve({ cooldown: 3 }))).toBe(
      'unknown policy field "cooldown" (known: property_detail, skip_trace, business, verify_phone, verify_email, gap_only, cooldown_days, detail_when, business_owner_types, verify_phones_per_lead, verify_emails_per_lead, auto_stop_usd)',
    );
    expect(policyError(() => resolve({ gap_only: 'yes' }))).toBe('gap_only: expected true or false');
    expect(policyError(() => resolve({ cooldown_days: -1 }))).toBe(
      'cooldown_days: expected a whole number from 0 to 3650',
    );
    expect(policyError(() => resolve({ cooldown_days: 1.5 }))).toBe(
      'cooldown_days: expected a whole number from 0 to 3650',
    );
    expect(policyError(() => resolve({ verify_phones_per_lead: 11 }))).toBe(
      'verify_phones_per_lead: expected a whole number from 0 to 10',
    );
    expect(policyError(() => resolve({ detail_when: 'sometimes' }))).toBe(
      'detail_when: expected "missing", "always" or "never"',
    );
    expect(policyError(() => resolve({ skip_trace: 5 }))).toBe(
      'skip_trace: expected "auto", "auto:a,b", {"auto": [...]} or a list of provider ids',
    );
    expect(policyError(() => resolve({ skip_trace: [1] }))).toBe(
      'skip_trace: expected "auto", "auto:a,b", {"auto": [...]} or a list of provider ids',
    );
    for (const bad of [0, -1, 1001, '0.5', Number.NaN])
      expect(policyError(() => resolve({ auto_stop_usd: bad }))).toBe(
        'auto_stop_usd: expected a dollar amount above 0 and up to 1000, or null',
      );
    expect(policyError(() => resolve({ business_owner_types: 'llc' }))).toBe(
      'business_owner_types: expected a list of owner types',
    );
  });
});

describe('storedWaterfall', () => {
  it('a run stored before waterfalls existed gets the default; a partial one is completed', () => {
    expect(storedWaterfall(undefined)).toEqual(DEFAULT_WATERFALL);
    expect(storedWaterfall(null)).toEqual(DEFAULT_WATERFALL);
    expect(storedWaterfall({ skip_trace: ['reiskip'], gap_only: false })).toEqual({
      ...DEFAULT_WATERFALL,
      skip_trace: ['reiskip'],
      gap_only: false,
    });
  });
});
