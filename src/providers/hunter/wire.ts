/**
 * Hunter.io v2 wire format (vendors.md §3). Envelope `{data, meta}` on success and
 * `{errors: [{id, code, details}]}` on failure [SEEN-DOC]; domain-search fields from a
 * struct generated from a real answer (alpkeskin/mosint) [SEEN-3P]; verifier fields from
 * the API Evangelist example and the emailhunter gem [SEEN-3P].
 *
 * Loose objects: fields we do not read pass through, but a missing `data.emails` or
 * `data.status` fails the parse, so drift never reads as "no emails".
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const nullableNumber = z.number().nullish();
const nullableBoolean = z.boolean().nullish();

/** `{"errors":[{"id":"wrong_params","code":400,"details":"You are missing the domain parameter"}]}` */
export const hunterErrorsSchema = z.looseObject({
  errors: z
    .array(z.looseObject({ id: nullableString, code: nullableNumber, details: nullableString }))
    .min(1),
});

// ---- GET /v2/domain-search ---------------------------------------------------------------

export const hunterDomainEmailSchema = z.looseObject({
  value: z.string(),
  type: nullableString,
  confidence: nullableNumber,
  first_name: nullableString,
  last_name: nullableString,
  position: nullableString,
  seniority: nullableString,
  department: nullableString,
  /** null or a handle/URL; typed interface{} in the generated struct. */
  linkedin: z.unknown().optional(),
  twitter: z.unknown().optional(),
  phone_number: z.unknown().optional(),
  /** `{date, status}`; may be null [INFERRED]. */
  verification: z.looseObject({ date: nullableString, status: nullableString }).nullish(),
});

export const hunterDomainSearchSchema = z.looseObject({
  data: z.looseObject({
    domain: z.string(),
    organization: nullableString,
    emails: z.array(hunterDomainEmailSchema),
  }),
  meta: z.looseObject({
    /** Total emails matching the filters, all pages. */
    results: z.number(),
    limit: nullableNumber,
    offset: nullableNumber,
  }),
});
export type HunterDomainEmail = z.infer<typeof hunterDomainEmailSchema>;

// ---- GET /v2/email-verifier ----------------------------------------------------------------

export const hunterVerifierStatuses = [
  'valid',
  'invalid',
  'accept_all',
  'webmail',
  'disposable',
  'unknown',
] as const;

export const hunterEmailVerifierSchema = z.looseObject({
  data: z.looseObject({
    /** One of hunterVerifierStatuses; another word fails closed. */
    status: z.enum(hunterVerifierStatuses),
    /** Legacy: deliverable / undeliverable / risky [INFERRED]. */
    result: nullableString,
    score: nullableNumber,
    email: z.string(),
    regexp: nullableBoolean,
    gibberish: nullableBoolean,
    disposable: nullableBoolean,
    webmail: nullableBoolean,
    mx_records: nullableBoolean,
    smtp_server: nullableBoolean,
    smtp_check: nullableBoolean,
    accept_all: nullableBoolean,
    block: nullableBoolean,
  }),
});
export type HunterVerifierData = z.infer<typeof hunterEmailVerifierSchema>['data'];
