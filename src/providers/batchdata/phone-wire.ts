/**
 * BatchData phone checks wire format: POST /api/v1/phone/verification, /phone/dnc and
 * /phone/tcpa (vendors.md §1 "Related BatchData endpoints", ADHS endpoint pages).
 *
 * Request [SEEN-DOC]: `{"requests": ["2024561111", ...], "options": {...}}` — 10-digit US
 * numbers as strings; `options` carries webhook URLs for the /async variants only.
 *
 * Response per phone [SEEN-DOC]: verification → number, carrier, dnc, notFound, reachable,
 * tcpa, tested, type; dnc → number, dnc; tcpa → number, tcpa.
 * Envelope [INFERRED]: the scrape documents only the async acknowledgement, so the sync
 * envelope is taken from the v1 skip-trace's (`status` + `results.<list>` + `results.meta`),
 * with the list named `phoneNumbers` like v1's per-person phones. The parser fails closed on
 * anything else, so a different real envelope shows up as `unrecognized_response`, never as
 * a batch of silent misses.
 */
import { z } from 'zod';
import { resultCountsSchema, statusSchema } from './wire.js';

const nullableString = z.string().nullish();
const nullableBoolean = z.boolean().nullish();
/** Numbers are strings in the docs; tolerate a JSON number too. */
const phoneNumber = z.union([z.string(), z.number()]).transform((n) => String(n));

export type PhoneCheck = 'verification' | 'dnc' | 'tcpa';

// ---- request ----------------------------------------------------------------------------

export interface PhoneCheckRequest {
  /** 10-digit US numbers, at most 100 (third-party figure for sync endpoints). */
  requests: string[];
}

/** What the sandbox accepts: strings or numbers, options ignored. */
export const phoneCheckRequestSchema = z.looseObject({
  requests: z.array(phoneNumber),
  options: z.looseObject({}).nullish(),
});

// ---- response ---------------------------------------------------------------------------

export const phoneVerificationItemSchema = z.looseObject({
  number: phoneNumber,
  carrier: nullableString,
  dnc: nullableBoolean,
  /** The number is not known to be assigned (read as "not valid"). */
  notFound: nullableBoolean,
  reachable: nullableBoolean,
  tcpa: nullableBoolean,
  tested: nullableBoolean,
  /** "Mobile", "Land Line", "VoIP", … as in the skip-trace. */
  type: nullableString,
});

export const phoneDncItemSchema = z.looseObject({ number: phoneNumber, dnc: z.boolean() });
export const phoneTcpaItemSchema = z.looseObject({ number: phoneNumber, tcpa: z.boolean() });

const itemSchemas = {
  verification: phoneVerificationItemSchema,
  dnc: phoneDncItemSchema,
  tcpa: phoneTcpaItemSchema,
} as const;

export function phoneCheckResponseSchema<C extends PhoneCheck>(check: C) {
  return z.looseObject({
    status: statusSchema,
    results: z.looseObject({
      phoneNumbers: z.array(itemSchemas[check]),
      meta: z.looseObject({ results: resultCountsSchema.optional() }).optional(),
    }),
  });
}

export type PhoneVerificationItem = z.infer<typeof phoneVerificationItemSchema>;
export type PhoneDncItem = z.infer<typeof phoneDncItemSchema>;
export type PhoneTcpaItem = z.infer<typeof phoneTcpaItemSchema>;
