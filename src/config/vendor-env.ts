/**
 * Every vendor's environment variables except BatchData skip-trace's (config.ts's own),
 * merged into `configSchema`. Kept in its own module so config.ts can import it without a
 * cycle. Rules: see providers-env.ts.
 */
import { z } from 'zod';

/** A dollar amount with up to 6 decimals; no default (the facts figure applies). */
const usd = (name: string) =>
  z
    .string()
    .refine((s) => /^\s*\d+(\.\d{1,6})?\s*$/.test(s), {
      error: `${name} must be a dollar amount like 0.025`,
    })
    .optional();

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((s) => s === 'true' || s === '1' || s === 'yes');

const secret = z.string().min(1).optional();
const baseUrl = z.url().optional();

export const vendorEnvSchema = z.object({
  // ---- BatchData phone checks (same key and host as the skip-trace) ---------------------
  /** Per phone verified (carrier, line type, reachability, DNC, TCPA). Default $0.007. */
  BATCHDATA_PHONE_VERIFICATION_COST_USD: usd('BATCHDATA_PHONE_VERIFICATION_COST_USD'),
  /** Per phone checked against the national DNC registry. Default $0.002. */
  BATCHDATA_PHONE_DNC_COST_USD: usd('BATCHDATA_PHONE_DNC_COST_USD'),
  /** Per phone checked against the TCPA litigator list. Default $0.002. */
  BATCHDATA_PHONE_TCPA_COST_USD: usd('BATCHDATA_PHONE_TCPA_COST_USD'),

  // ---- RealEstateAPI: skip-trace, property detail, property search (one key) ------------
  REALESTATEAPI_API_KEY: secret,
  /** Default https://api.realestateapi.com. */
  REALESTATEAPI_BASE_URL: baseUrl,
  /** Optional `x-user-id` header (attributes usage to one of your users). */
  REALESTATEAPI_USER_ID: z.string().min(1).optional(),
  /** Per skip-trace match. Default $0.05 (third-party figure). */
  REALESTATEAPI_SKIPTRACE_COST_PER_MATCH_USD: usd('REALESTATEAPI_SKIPTRACE_COST_PER_MATCH_USD'),
  /** Per property credit (a detail found, a search record returned). Default $0: not published. */
  REALESTATEAPI_COST_PER_CREDIT_USD: usd('REALESTATEAPI_COST_PER_CREDIT_USD'),

  // ---- REISkip ---------------------------------------------------------------------------
  REISKIP_API_KEY: secret,
  /** Default https://api.reiskip.com (inferred: no public spec; set the host you were given). */
  REISKIP_BASE_URL: baseUrl,
  /** Per match; misses are free. Default $0.15 (third-party figure). */
  REISKIP_COST_PER_MATCH_USD: usd('REISKIP_COST_PER_MATCH_USD'),

  // ---- Melissa Personator ---------------------------------------------------------------
  MELISSA_LICENSE_KEY: secret,
  /** Default https://personator.melissadata.net. */
  MELISSA_BASE_URL: baseUrl,
  /** Per record sent, verified or not. Default $0.05 (seed 001 figure). */
  MELISSA_COST_PER_RECORD_USD: usd('MELISSA_COST_PER_RECORD_USD'),

  // ---- Apollo ----------------------------------------------------------------------------
  APOLLO_API_KEY: secret,
  /** Default https://api.apollo.io. */
  APOLLO_BASE_URL: baseUrl,
  /** Per Apollo credit. Default $0.02 (unverified estimate). */
  APOLLO_COST_PER_CREDIT_USD: usd('APOLLO_COST_PER_CREDIT_USD'),

  // ---- Hunter: domain search, email verifier (one key) ----------------------------------
  HUNTER_API_KEY: secret,
  /** Default https://api.hunter.io. */
  HUNTER_BASE_URL: baseUrl,
  /** 'header' sends X-API-KEY (keeps the key out of URLs and logs); 'query' sends api_key=. */
  HUNTER_AUTH_STYLE: z.enum(['header', 'query']).default('header'),
  /** Per Hunter credit. Default $0.025 (unverified estimate). */
  HUNTER_COST_PER_CREDIT_USD: usd('HUNTER_COST_PER_CREDIT_USD'),

  // ---- Twilio Lookup v2 (both or neither) -------------------------------------------------
  /** Account SID, or an API key SID. */
  TWILIO_ACCOUNT_SID: secret,
  /** Auth Token, or the API key's secret. */
  TWILIO_AUTH_TOKEN: secret,
  /** Default https://lookups.twilio.com. */
  TWILIO_LOOKUP_BASE_URL: baseUrl,
  /** Per Line Type Intelligence lookup, valid or not. Default $0.01 (third-party figure). */
  TWILIO_LOOKUP_COST_USD: usd('TWILIO_LOOKUP_COST_USD'),

  // ---- leadtrace's own email check (real DNS + SMTP from this machine) -------------------
  /**
   * Off by default: the check talks to the recipients' real mail servers, which the
   * sandbox cannot stand in for. Off → the Hunter verifier (sandbox without a key) verifies.
   */
  EMAIL_CHECK_ENABLED: bool(false),
  /** Our name in EHLO; use one whose A and PTR records match. Default: this machine's host name. */
  EMAIL_CHECK_HELO_NAME: z.string().min(1).optional(),
  /** MAIL FROM address. Default: the null sender <>. */
  EMAIL_CHECK_MAIL_FROM: z.string().min(1).optional(),
  /** DNS servers for MX lookups, comma-separated (`1.1.1.1,8.8.8.8:53`). Default: the system's. */
  EMAIL_CHECK_DNS_SERVERS: z
    .string()
    .regex(/^[^,\s]+(,[^,\s]+)*$/, { error: 'EMAIL_CHECK_DNS_SERVERS must be a comma-separated list' })
    .optional(),
  /** SMTP port of the mail exchangers. Default 25. */
  EMAIL_CHECK_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
});
