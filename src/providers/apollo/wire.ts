/**
 * Apollo.io POST /api/v1/people/bulk_match wire format (vendors.md §4).
 *
 * Request [SEEN-3P]: `{details: [...≤10], reveal_personal_emails, reveal_phone_number}`
 * with `x-api-key`. Response top level [SEEN-3P in four independent clients]:
 * `status, error_code, error_message, total_requested_enrichments, unique_enriched_records,
 * missing_records, credits_consumed, matches[]` where `matches[i]` answers `details[i]` and
 * is null for a miss. Person fields from a table storing Apollo payloads [SEEN-3P].
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const nullableNumber = z.number().nullish();

export interface ApolloDetail {
  first_name?: string;
  last_name?: string;
  name?: string;
  organization_name?: string;
  domain?: string;
}

export interface ApolloBulkMatchRequest {
  details: ApolloDetail[];
  /** Off: personal emails cost extra and are not business contacts. */
  reveal_personal_emails: false;
  /** Off: phones would arrive only by webhook, which the waterfall cannot wait for. */
  reveal_phone_number: false;
}

export const apolloPhoneSchema = z.looseObject({
  raw_number: nullableString,
  sanitized_number: nullableString,
  /** mobile, work_hq, home, other… */
  type_cd: nullableString,
  type: nullableString,
  status_cd: nullableString,
  dnc_status_cd: nullableString,
});

export const apolloPersonSchema = z.looseObject({
  id: nullableString,
  first_name: nullableString,
  last_name: nullableString,
  name: nullableString,
  title: nullableString,
  email: nullableString,
  /** verified, guessed, unavailable, … */
  email_status: nullableString,
  linkedin_url: nullableString,
  phone_numbers: z.array(apolloPhoneSchema).nullish(),
  organization: z
    .looseObject({
      id: nullableString,
      name: nullableString,
      primary_domain: nullableString,
      website_url: nullableString,
    })
    .nullish(),
});
export type ApolloPerson = z.infer<typeof apolloPersonSchema>;

export const apolloBulkMatchResponseSchema = z.looseObject({
  status: nullableString,
  error_code: nullableString,
  error_message: nullableString,
  credits_consumed: nullableNumber,
  /** Positionally aligned with `details`; null for a miss. */
  matches: z.array(apolloPersonSchema.nullable()),
});

/** Error bodies: `{"error": "...", "error_code": "API_INACCESSIBLE"}` (403 on a free plan). */
export const apolloErrorSchema = z.looseObject({
  error: nullableString,
  error_code: nullableString,
  error_message: nullableString,
  message: nullableString,
});
