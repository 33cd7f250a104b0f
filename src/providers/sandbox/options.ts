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
  /**
   * When set, only this credential is accepted: BatchData `Bearer <apiKey>` (another token
   * gets 403), Hunter `api_key` / X-API-KEY, Apollo x-api-key, Twilio's Basic-auth secret,
   * Melissa's `id`. Default null: any non-empty credential.
   */
  apiKey: z.string().min(1).nullable().default(null),

  // ---- phone checks: BatchData phone verification / DNC / TCPA, Twilio Lookup ---------
  // DNC and TCPA shares reuse dncRate / tcpaRate; line types reuse mobileShare.
  /**
   * Share of fictional (NPA-555-01XX) numbers reported not found (BatchData) or invalid
   * (Twilio). Any other number is always answered not found / invalid, so the sandbox
   * never vouches for a real subscriber. Default 0.05.
   */
  phoneInvalidRate: rate.default(0.05),

  // ---- Melissa Personator ---------------------------------------------------------------
  /** Share of well-formed addresses verified (AS01); the rest get an address error (AE…). Default 0.9. */
  melissaVerifyRate: rate.default(0.9),
  /** Share of verified addresses for which the owner's name, a phone and an email are appended. Default 0.5. */
  melissaAppendRate: rate.default(0.5),

  // ---- Apollo bulk_match ----------------------------------------------------------------
  /** Share of details with a name and a company (domain or organization name) that match. Default 0.7. */
  apolloMatchRate: rate.default(0.7),

  // ---- Hunter -----------------------------------------------------------------------------
  /** Share of domains for which domain-search knows no email. Default 0.1. */
  hunterEmptyDomainRate: rate.default(0.1),
  /** Most emails domain-search knows per domain; each domain gets 1..max. Default 30. */
  hunterMaxEmailsPerDomain: z.number().int().min(1).max(500).default(30),
  /**
   * Share of email-verifier answers `valid` for addresses on example.com/.org/.net (the rest:
   * invalid, accept_all, unknown, disposable). Other domains are always `unknown`. Default 0.7.
   */
  emailValidRate: rate.default(0.7),
  /** The first N email-verifier calls for one address answer 202 (still verifying). Default 0. */
  hunterVerifyPendingPolls: z.number().int().min(0).default(0),
  /**
   * Hunter credits left since the options were last set: once this many have been billed,
   * every Hunter call answers 429 "usage limit" (quota exhausted). Rate limiting (Hunter's
   * 403) comes from `rateLimit429`, answered 403 on Hunter routes. Default null: unlimited.
   */
  hunterQuotaAfter: z.number().int().min(0).nullable().default(null),

  // ---- RealEstateAPI (PropertySearch / PropertyDetail) -------------------------------------
  /**
   * New properties put at the front of every search result set (newest first), so a
   * re-pull of the same query discovers them before the ones it already has. Default 0.
   */
  newListings: z.number().int().min(0).max(50_000).default(0),
  /** Share of PropertyDetail address lookups off the sandbox's own streets that find a property. Default 0.9. */
  propertyHitRate: rate.default(0.9),
  /**
   * RealEstateAPI property credits left since the options were last set: once this many
   * detail/search records have been billed, PropertyDetail and PropertySearch (full mode)
   * answer 429 "daily credit limit" (count and ids_only stay free). Default null: unlimited.
   */
  realEstateApiCreditsAfter: z.number().int().min(0).nullable().default(null),

  // ---- REISkip (wire format per seed 000, the project's earlier client) -------------------
  /**
   * Response shape: 'matches' (`matches[].phones[]`), 'top-level' (`phones[]` at the root) or
   * 'mixed' (chosen per address). Default 'mixed'.
   */
  reiskipShape: z.enum(['matches', 'top-level', 'mixed']).default('mixed'),
  /** Key casing: 'camel' (isPrimary), 'snake' (is_primary) or 'mixed' (chosen per address). Default 'mixed'. */
  reiskipCasing: z.enum(['camel', 'snake', 'mixed']).default('mixed'),

  // ---- per-vendor skip-trace coverage (cost benchmark, waterfall tests) ---------------------
  // By default every skip-trace route answers from the same truth with the same hit draw.
  // A profile gives one route ('batchdata', 'reiskip', 'realestateapi') its own hit rate
  // (an independent draw per address and vendor) and the share of the truth's phones and
  // emails it knows (drawn per contact and vendor), so vendors differ as real ones do.
  vendorProfiles: z
    .record(z.string(), z.object({ hitRate: rate, phoneShare: rate.default(1), emailShare: rate.default(1) }))
    .default({}),

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
