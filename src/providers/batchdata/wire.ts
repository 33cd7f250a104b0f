/**
 * BatchData property skip-trace wire format: the request body and both response shapes
 * (v1 `results.persons[]`, v3 `result.data[]`). Field names and nesting follow
 * /work/shared/reference/vendors.md §1 (developer.batchdata.com scrape, data dictionary).
 *
 * Schemas are loose objects: vendor fields we do not read pass through untouched, but a
 * missing container (`results.persons`, `result.data`, an item's `meta`) fails the parse,
 * so the parser fails closed on drift instead of reading an empty answer.
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const nullableBoolean = z.boolean().nullish();
const nullableNumber = z.number().nullish();
/** Phone numbers are 10-digit strings in the docs; tolerate a JSON number too. */
const phoneNumber = z.union([z.string(), z.number()]).transform((n) => String(n));

// ---------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------

export interface BatchDataAddress {
  street: string;
  city?: string;
  state?: string;
  /** ZIP5 or ZIP+4 ("11010-2507" is accepted). */
  zip?: string;
}

export interface BatchDataRequestItem {
  /** Echoed back by the vendor (v3 `input.requestId`; v1 on the person when echoed). */
  requestId: string;
  propertyAddress: BatchDataAddress;
  /** Sent only when known; overrides the owner only if the vendor confirms the association. */
  name?: { first?: string; last?: string };
}

export interface BatchDataRequestOptions {
  /** v1 default false (TCPA phones removed); v3 default true (phones flagged `tcpa`). */
  includeTCPABlacklistedPhones: boolean;
  /** Ask the vendor to echo the request (and its requestId) in the response. */
  showRequests: boolean;
}

export interface BatchDataSkipTraceRequest {
  /** At most 100 items per call. */
  requests: BatchDataRequestItem[];
  options: BatchDataRequestOptions;
}

/** What the sandbox accepts: lenient per item (APN requests exist), strict on the envelope. */
export const skipTraceRequestSchema = z.looseObject({
  requests: z.array(
    z.looseObject({
      requestId: nullableString,
      propertyAddress: z
        .looseObject({
          street: nullableString,
          city: nullableString,
          state: nullableString,
          zip: nullableString,
        })
        .nullish(),
      name: z.looseObject({ first: nullableString, last: nullableString }).nullish(),
    }),
  ),
  options: z
    .looseObject({ includeTCPABlacklistedPhones: nullableBoolean, showRequests: nullableBoolean })
    .nullish(),
});
export type SkipTraceRequestBody = z.infer<typeof skipTraceRequestSchema>;

// ---------------------------------------------------------------------------------------
// Shared response parts
// ---------------------------------------------------------------------------------------

/** `status` block; also the whole body of an error answer (`{"status":{"code":403,...}}`). */
export const statusSchema = z.looseObject({
  code: z.number(),
  text: nullableString,
  message: nullableString,
});

export const addressSchema = z.looseObject({
  street: nullableString,
  city: nullableString,
  state: nullableString,
  zip: nullableString,
  zipPlus4: nullableString,
});

export const nameSchema = z.looseObject({
  first: nullableString,
  last: nullableString,
  middle: nullableString,
  full: nullableString,
});

/** Per-item match flags; `error` is true when the vendor failed on that item. */
export const itemMetaSchema = z.looseObject({
  matched: z.boolean(),
  error: z.boolean().optional(),
});

export const resultCountsSchema = z.looseObject({
  requestCount: z.number(),
  matchCount: z.number(),
  noMatchCount: z.number(),
  errorCount: z.number(),
});

export const responseMetaSchema = z.looseObject({
  apiVersion: nullableString,
  requestId: nullableString,
  results: resultCountsSchema.optional(),
});

// ---------------------------------------------------------------------------------------
// v1: results.persons[] — one entry per matched person, or a placeholder for a miss
// ---------------------------------------------------------------------------------------

export const v1PhoneSchema = z.looseObject({
  number: phoneNumber,
  /** "Mobile", "Land Line", … (exact strings not pinned down by the docs). */
  type: nullableString,
  carrier: nullableString,
  tested: nullableBoolean,
  reachable: nullableBoolean,
  /** National DNC registry. */
  dnc: nullableBoolean,
  /** Ranked highest first; the top score is not necessarily 100. */
  score: nullableNumber,
  lastReportedDate: nullableString,
  /** Not in the v1 data dictionary per phone; read when present. */
  tcpa: nullableBoolean,
});

export const emailSchema = z.looseObject({
  email: z.string(),
  tested: nullableBoolean,
});

export const v1PersonSchema = z.looseObject({
  _id: nullableString,
  /** Echoed request id; where v1 echoes it is not documented (perhaps only with showRequests). */
  requestId: nullableString,
  propertyAddress: addressSchema.nullish(),
  name: nameSchema.nullish(),
  phoneNumbers: z.array(v1PhoneSchema).nullish(),
  emails: z.array(emailSchema).nullish(),
  litigator: nullableBoolean,
  deceased: nullableBoolean,
  /** Person-level TCPA flag (data dictionary). */
  tcpa: nullableBoolean,
  meta: itemMetaSchema,
});

export const v1ResponseSchema = z.looseObject({
  status: statusSchema,
  results: z.looseObject({
    persons: z.array(v1PersonSchema),
    meta: responseMetaSchema.optional(),
  }),
});
export type V1Response = z.infer<typeof v1ResponseSchema>;
export type V1Person = z.infer<typeof v1PersonSchema>;

// ---------------------------------------------------------------------------------------
// v3: result.data[] — one element per request item, up to 3 persons each
// ---------------------------------------------------------------------------------------

export const v3PhoneSchema = z.looseObject({
  /** 0 is best; v3 phones carry no score. */
  rank: nullableNumber,
  number: phoneNumber,
  type: nullableString,
  carrier: nullableString,
  tested: nullableBoolean,
  reachable: nullableBoolean,
  dnc: nullableBoolean,
  tcpa: nullableBoolean,
});

export const v3EmailSchema = emailSchema.extend({ rank: nullableNumber });

export const v3PersonSchema = z.looseObject({
  propertyOwner: nullableBoolean,
  name: nameSchema.nullish(),
  phones: z.array(v3PhoneSchema).nullish(),
  emails: z.array(v3EmailSchema).nullish(),
  litigator: nullableBoolean,
  deceased: nullableBoolean,
});

export const v3DataItemSchema = z.looseObject({
  inputIndex: nullableNumber,
  input: z
    .looseObject({
      requestId: nullableString,
      inputIndex: nullableNumber,
      propertyAddress: addressSchema.nullish(),
    })
    .nullish(),
  property: z.unknown().optional(),
  persons: z.array(v3PersonSchema),
  meta: itemMetaSchema,
});

export const v3ResponseSchema = z.looseObject({
  status: statusSchema,
  result: z.looseObject({
    data: z.array(v3DataItemSchema),
    meta: responseMetaSchema.optional(),
  }),
});
export type V3Response = z.infer<typeof v3ResponseSchema>;
export type V3DataItem = z.infer<typeof v3DataItemSchema>;
