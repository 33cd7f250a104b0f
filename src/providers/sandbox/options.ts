/**
 * Sandbox tunables, each with a documented default. Validated with zod so a typo in a
 * test or a CLI flag fails loudly instead of silently running the default.
 */
import { z } from 'zod';

const rate = z.number().min(0).max(1);

export const sandboxOptionsSchema = z.object({
  /** Seeds every answer and the fault PRNG. Default 1. */
  seed: z.number().int().default(1),
  /** Share of well-formed US addresses that match a person. Default 0.8. */
  hitRate: rate.default(0.8),
  /** Delay before each answer; when > 0, a deterministic jitter of ±20% is added. Default 0. */
  latencyMs: z.number().min(0).default(0),
  /** Share of phones that are mobile; the rest are 3/4 landline, 1/4 VoIP. Default 0.6. */
  mobileShare: rate.default(0.6),
  /** Share of phones on the national DNC registry. Default 0.15. */
  dncRate: rate.default(0.15),
  /** Share of phones on the TCPA blacklist (dropped unless includeTCPABlacklistedPhones). Default 0.05. */
  tcpaRate: rate.default(0.05),
  /** Share of persons flagged litigator; a litigator comes back without phones. Default 0.01. */
  litigatorRate: rate.default(0.01),
  /** Share of persons flagged deceased. Default 0.02. */
  deceasedRate: rate.default(0.02),
  /** Share of persons with at least one email (1–2, on example.com/.org/.net). Default 0.6. */
  emailRate: rate.default(0.6),
  /** Most phones per person (1–5, the vendor's documented max is 5); each gets 1..max. Default 3. */
  maxPhones: z.number().int().min(1).max(5).default(3),
  /**
   * Share of addresses with a unit (APT, UNIT, STE, SUITE, FL, FLOOR, #) that miss although
   * the same address without the unit hits: exercises the sanitized retry. Default 0.5.
   */
  unitMissRate: rate.default(0.5),
  /** When set, only `Bearer <apiKey>` is accepted (another token gets 403). Default null: any token. */
  apiKey: z.string().min(1).nullable().default(null),

  // ---- fault modes: all off by default ------------------------------------------------
  /** Share of requests answered 500. Default 0. */
  errorRate: rate.default(0),
  /** Every Nth request starts a run of `length` 503s (requests N..N+length-1, 2N.., …). Default null. */
  burst5xx: z
    .object({ everyNth: z.number().int().min(1), length: z.number().int().min(1) })
    .nullable()
    .default(null),
  /**
   * 429 answers: with `probability` per request, and/or after `afterRequests` accepted
   * requests within a fixed window of `windowMs` (default 60 000). Retry-After is
   * `retryAfterS` when given, else the seconds left in the window (probability mode: 1),
   * sent as delta-seconds or as an HTTP date (`retryAfterFormat`). Default null.
   */
  rateLimit429: z
    .object({
      probability: rate.optional(),
      afterRequests: z.number().int().min(0).optional(),
      windowMs: z.number().int().min(1).default(60_000),
      retryAfterS: z.number().int().min(0).optional(),
      retryAfterFormat: z.enum(['seconds', 'http-date']).default('seconds'),
    })
    .nullable()
    .default(null),
  /** Share of requests never answered (released when the sandbox closes). Default 0. */
  timeoutRate: rate.default(0),
  /** Share of 200s whose JSON body is cut in half. Default 0. */
  malformedJsonRate: rate.default(0),
  /** Share of 200s with an unknown shape (`{"data":{"records":[...]}}`). Default 0. */
  driftRate: rate.default(0),
  /** Share of 200s carrying an error status in the body and no results. Default 0. */
  bodyErrorRate: rate.default(0),
  /** The status code put in those bodies (500 → "Internal Error", 401 → "Unauthorized"). Default 500. */
  bodyErrorStatus: z.number().int().min(400).max(599).default(500),
  /** Clock for billing entries, 429 windows and Retry-After dates. Default Date.now. */
  now: z.custom<() => number>((v) => typeof v === 'function').default(() => Date.now),
});

export type SandboxOptions = z.input<typeof sandboxOptionsSchema>;
export type ResolvedSandboxOptions = z.output<typeof sandboxOptionsSchema>;

export function resolveSandboxOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  return sandboxOptionsSchema.parse(options);
}
