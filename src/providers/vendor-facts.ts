/**
 * Provider facts as validated data for every vendor other than the BatchData skip-trace
 * (whose older schema lives in batchdata/facts.ts): where it lives, how it authenticates,
 * how fast and how much, each figure with its source and whether the vendor's own pages
 * say so (`verified`). Parsed at import time, so a typo fails the first test that loads it.
 *
 * The fields map one-to-one onto ProviderDescriptor (contract.ts), so an adapter builds its
 * descriptor from its facts plus the caller's cost overrides.
 */
import { z } from 'zod';
import type { ProviderCost, ProviderDescriptor, ProviderKind } from './contract.js';
import type { ProviderErrorCode } from './errors.js';

const ERROR_CODES = [
  'network',
  'timeout',
  'rate_limited',
  'server_error',
  'auth',
  'invalid_request',
  'quota_exhausted',
  'unrecognized_response',
] as const satisfies readonly ProviderErrorCode[];

const KINDS = [
  'property-search',
  'property-detail',
  'skip-trace',
  'business-people',
  'domain-search',
  'phone-verify',
  'email-verify',
] as const satisfies readonly ProviderKind[];

const sourced = { source: z.string().min(1), verified: z.boolean() };
const micros = z.number().int().nonnegative();
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/);

export const vendorFactsSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  displayName: z.string().min(1),
  kind: z.enum(KINDS),
  baseUrl: z.url(),
  endpoints: z.record(z.string(), z.string().startsWith('/')),
  auth: z.object({
    style: z.enum(['bearer', 'header', 'query', 'basic']),
    /** The header or query parameter carrying the key ('authorization' for bearer/basic). */
    name: z.string().min(1),
    ...sourced,
  }),
  flags: z.object({
    /** Most inputs one HTTP request carries. */
    batchSize: z.number().int().positive(),
    billsOnMiss: z.boolean(),
    returnsLineType: z.boolean(),
    returnsMak: z.boolean().default(false),
    returnsCompliance: z.boolean().default(false),
    asyncOnly: z.boolean().default(false),
  }),
  rateLimit: z.object({
    requestsPerSecond: z.number().positive(),
    requestsPerMinute: z.number().positive().optional(),
    ...sourced,
  }),
  /** Error codes worth retrying (with backoff, honouring retryAfterMs). */
  retryableCodes: z.array(z.enum(ERROR_CODES)).min(1),
  cost: z.object({ perCallMicros: micros, perHitMicros: micros, perItemMicros: micros, ...sourced }),
  /** Environment variables that configure it, the key first. */
  envKeys: z.array(envName).min(1),
});
export type VendorFacts = z.output<typeof vendorFactsSchema>;

/** The descriptor part of a provider, from its facts; `cost` replaces the default figures. */
export function descriptorFromFacts(
  facts: VendorFacts,
  cost: Partial<ProviderCost> = {},
): Omit<ProviderDescriptor, 'kind'> {
  const { perCallMicros, perHitMicros, perItemMicros } = facts.cost;
  const rateLimit: ProviderDescriptor['rateLimit'] = { requestsPerSecond: facts.rateLimit.requestsPerSecond };
  if (facts.rateLimit.requestsPerMinute !== undefined) {
    rateLimit.requestsPerMinute = facts.rateLimit.requestsPerMinute;
  }
  return {
    id: facts.id,
    flags: { ...facts.flags },
    cost: { perCallMicros, perHitMicros, perItemMicros, ...definedOnly(cost) },
    rateLimit,
    authStyle: facts.auth.style,
    envKeys: [...facts.envKeys],
  };
}

/** Overrides that are set, each checked to be integer micro-dollars (never a float of USD). */
function definedOnly(cost: Partial<ProviderCost>): Partial<ProviderCost> {
  const set = Object.entries(cost).filter(([, v]) => v !== undefined);
  for (const [name, value] of set) {
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new RangeError(`${name} must be a non-negative integer of micro-dollars, got ${String(value)}`);
    }
  }
  return Object.fromEntries(set);
}
