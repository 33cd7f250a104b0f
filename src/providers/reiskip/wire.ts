/**
 * REISkip skip-trace wire format. No public REISkip spec exists (vendors.md §2): this follows
 * the project's own earlier client (seed 000), which posted `{address, city, state, zip,
 * ownerName?}` to POST /v1/skip-trace with a Bearer key, read 404 as "not found", and
 * handled two response shapes — `matches[].phones[]` and top-level `phones[]` — in camelCase
 * and snake_case, with `isPrimary` and `confidence` on contacts.
 *
 * The seed names those containers and flags, not every field: the aliases below (`number` /
 * `phone` / `phoneNumber`, `type` / `lineType`, …) are our reading, accepted in either casing.
 * A phone without any number key, or a body without `matches`, `phones` or `emails`, fails
 * the parse: the parser fails closed.
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const nullableBoolean = z.boolean().nullish();
const nullableNumber = z.number().nullish();
const digits = z.union([z.string(), z.number()]).transform((n) => String(n));

// ---------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------

export interface ReiSkipRequest {
  address: string;
  city?: string;
  state?: string;
  zip?: string;
  /** "First Last", or the entity's name; sent only when known. */
  ownerName?: string;
}

/** What the sandbox accepts. */
export const reiSkipRequestSchema = z.looseObject({
  address: nullableString,
  city: nullableString,
  state: nullableString,
  zip: nullableString,
  ownerName: nullableString,
  owner_name: nullableString,
});

// ---------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------

/** A phone object in either casing; strings are accepted as bare numbers. */
export const phoneObjectSchema = z
  .looseObject({
    number: digits.nullish(),
    phone: digits.nullish(),
    phoneNumber: digits.nullish(),
    phone_number: digits.nullish(),
    type: nullableString,
    lineType: nullableString,
    line_type: nullableString,
    phoneType: nullableString,
    phone_type: nullableString,
    carrier: nullableString,
    isPrimary: nullableBoolean,
    is_primary: nullableBoolean,
    /** 0–100, or 0–1 (read as a fraction when every confidence in the answer is ≤ 1). */
    confidence: nullableNumber,
    dnc: nullableBoolean,
    isDnc: nullableBoolean,
    is_dnc: nullableBoolean,
  })
  .refine((p) => [p.number, p.phone, p.phoneNumber, p.phone_number].some((n) => n != null && n !== ''), {
    message: 'phone without a number (number / phone / phoneNumber / phone_number)',
  });
export const phoneSchema = z.union([digits, phoneObjectSchema]);
export type ReiSkipPhone = z.infer<typeof phoneSchema>;

export const emailObjectSchema = z
  .looseObject({
    email: nullableString,
    address: nullableString,
    isPrimary: nullableBoolean,
    is_primary: nullableBoolean,
    confidence: nullableNumber,
  })
  .refine((e) => !!(e.email || e.address), { message: 'email without an address (email / address)' });
export const emailSchema = z.union([z.string(), emailObjectSchema]);
export type ReiSkipEmail = z.infer<typeof emailSchema>;

const personFields = {
  ownerName: nullableString,
  owner_name: nullableString,
  name: nullableString,
  fullName: nullableString,
  full_name: nullableString,
  firstName: nullableString,
  first_name: nullableString,
  lastName: nullableString,
  last_name: nullableString,
  deceased: nullableBoolean,
  isDeceased: nullableBoolean,
  is_deceased: nullableBoolean,
  phones: z.array(phoneSchema).nullish(),
  emails: z.array(emailSchema).nullish(),
};

export const matchSchema = z.looseObject(personFields);
export type ReiSkipMatch = z.infer<typeof matchSchema>;

/** Shape A `{matches:[…]}`, shape B `{phones:[…], emails:[…]}` (owner fields at the root). */
export const responseSchema = z.looseObject({
  ...personFields,
  matches: z.array(matchSchema).nullish(),
  requestId: nullableString,
  request_id: nullableString,
});
export type ReiSkipResponse = z.infer<typeof responseSchema>;

/** Keys that mark a body as REISkip's (a 404 without them is a wrong route, not a miss). */
export const REISKIP_BODY_KEYS = ['matches', 'phones', 'emails', 'error', 'message', 'found'] as const;
