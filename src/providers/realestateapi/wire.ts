/**
 * RealEstateAPI wire format for the three endpoints we call: POST /v1/SkipTrace,
 * POST /v2/PropertyDetail and POST /v2/PropertySearch. Field names and nesting follow
 * /work/shared/reference/vendors.md §5 (the developer.realestateapi.com export and its
 * OpenAPI files); what the docs leave open is marked [INFERRED] where it is decided.
 *
 * Schemas are loose objects: fields we do not read pass through, but the containers we
 * rely on (`match`, `data`, `resultCount`) are required, so the parser fails closed on drift.
 * The vendor mixes numbers and numeric strings ("lastSalePrice": "350000"); both are read.
 */
import { z } from 'zod';

const nullableString = z.string().nullish();
const nullableBoolean = z.boolean().nullish();
/** A number, or a numeric string ("350000"); anything else fails the parse. */
const looseNumber = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .transform((v) => Number(v))
  .nullish();
/** Property ids are strings in search results and numbers in detail answers. */
const propertyId = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const phoneNumber = z.union([z.string(), z.number()]).transform((n) => String(n));

// ---------------------------------------------------------------------------------------
// Errors: hapi/Joi style (handling-property-detail-errors.md, rate-limiting-1.md)
// ---------------------------------------------------------------------------------------

/** `{"statusCode":400,"error":"Bad Request","message":"...","validation":{...}}`, also 401/429. */
export const hapiErrorSchema = z.looseObject({
  statusCode: z.number(),
  error: nullableString,
  message: nullableString,
  validation: z.looseObject({ source: nullableString, keys: z.array(z.string()).nullish() }).nullish(),
});

/** The verbatim phrase of the daily credit cap 429 (as opposed to a per-second limit). */
export const DAILY_CREDIT_LIMIT_PHRASE = 'daily credit limit';

// ---------------------------------------------------------------------------------------
// POST /v1/SkipTrace
// ---------------------------------------------------------------------------------------

/**
 * One lead per request. Names are required by the recipe except for an entity owner (LLC),
 * where they are omitted; the address set is `address, city, state, zip` (or `mail_*`).
 */
export interface SkipTraceRequest {
  first_name?: string;
  last_name?: string;
  address: string;
  city?: string;
  state?: string;
  zip?: string;
}

/** What the sandbox accepts. */
export const skipTraceRequestSchema = z.looseObject({
  first_name: nullableString,
  middle_name: nullableString,
  last_name: nullableString,
  address: nullableString,
  unit: nullableString,
  city: nullableString,
  state: nullableString,
  zip: nullableString,
  mail_address: nullableString,
  mail_city: nullableString,
  mail_state: nullableString,
  mail_zip: nullableString,
  phone: nullableString,
  email: nullableString,
});
export type SkipTraceRequestBody = z.infer<typeof skipTraceRequestSchema>;

export const skipTracePhoneSchema = z.looseObject({
  phone: phoneNumber,
  phoneDisplay: nullableString,
  /** "mobile", "landline", … */
  phoneType: nullableString,
  telcoName: nullableString,
  isConnected: nullableBoolean,
  doNotCall: nullableBoolean,
  lastSeen: nullableString,
});

export const skipTraceEmailSchema = z.looseObject({
  email: z.string(),
  emailType: nullableString,
});

export const skipTraceNameSchema = z.looseObject({
  firstName: nullableString,
  middleName: nullableString,
  lastName: nullableString,
  fullName: nullableString,
});

export const skipTraceIdentitySchema = z.looseObject({
  names: z.array(skipTraceNameSchema).nullish(),
  phones: z.array(skipTracePhoneSchema).nullish(),
  emails: z.array(skipTraceEmailSchema).nullish(),
});

export const skipTraceResponseSchema = z.looseObject({
  requestId: nullableString,
  responseCode: z.number().nullish(),
  responseMessage: nullableString,
  /** Required: the only documented hit/miss signal. A miss is `match: false` [INFERRED: its output]. */
  match: z.boolean(),
  output: z
    .looseObject({
      identity: skipTraceIdentitySchema.nullish(),
      demographics: z.looseObject({ deceased: nullableBoolean }).nullish(),
    })
    .nullish(),
  statusCode: z.number().nullish(),
  statusMessage: nullableString,
  credits: z.number().nullish(),
});
export type SkipTraceResponse = z.infer<typeof skipTraceResponseSchema>;

// ---------------------------------------------------------------------------------------
// POST /v2/PropertyDetail
// ---------------------------------------------------------------------------------------

/** Exactly one way to name the property: by id, by APN + FIPS, by address parts or string. */
export type PropertyDetailRequest =
  | { id: string }
  | { apn: string; fips: string }
  | { house: string; street: string; unit?: string; city?: string; state: string; zip: string }
  | { address: string };

export const propertyDetailRequestSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  address: nullableString,
  house: nullableString,
  unit: nullableString,
  street: nullableString,
  city: nullableString,
  state: nullableString,
  zip: nullableString,
  apn: nullableString,
  fips: nullableString,
  county: nullableString,
});
export type PropertyDetailRequestBody = z.infer<typeof propertyDetailRequestSchema>;

/**
 * Detail addresses (`propertyInfo.address`, `ownerInfo.mailAddress`): `address` is the street
 * line ("1433 Canyon Rd"), `street` only the street name ("Canyon"), `label` the full line.
 */
export const detailAddressSchema = z.looseObject({
  address: nullableString,
  house: nullableString,
  unit: nullableString,
  street: nullableString,
  streetType: nullableString,
  city: nullableString,
  county: nullableString,
  state: nullableString,
  zip: nullableString,
  zip4: nullableString,
  fips: nullableString,
  label: nullableString,
});

export const ownerInfoSchema = z.looseObject({
  owner1FirstName: nullableString,
  owner1LastName: nullableString,
  owner1FullName: nullableString,
  /** "Individual" | "Company" | "Other" (owner-types.md). */
  owner1Type: nullableString,
  /** owner2* are seen in search and comps records; in detail they are [INFERRED]. */
  owner2FirstName: nullableString,
  owner2LastName: nullableString,
  owner2FullName: nullableString,
  owner2Type: nullableString,
  mailAddress: detailAddressSchema.nullish(),
  equity: looseNumber,
  ownershipLength: looseNumber,
});

/** Distress and ownership flags shared by detail data and search records. */
const flagFields = {
  absenteeOwner: nullableBoolean,
  ownerOccupied: nullableBoolean,
  corporateOwned: nullableBoolean,
  vacant: nullableBoolean,
  preForeclosure: nullableBoolean,
  /** In search records; detail answers carry `foreclosureInfo[]` instead (field guide). */
  foreclosure: nullableBoolean,
  taxLien: nullableBoolean,
  /** Not in the docs for either endpoint; read when present. */
  bankruptcy: nullableBoolean,
  highEquity: nullableBoolean,
  freeClear: nullableBoolean,
  equityPercent: looseNumber,
  estimatedValue: looseNumber,
  estimatedEquity: looseNumber,
  propertyType: nullableString,
};

export const detailDataSchema = z.looseObject({
  id: propertyId,
  ...flagFields,
  ownerInfo: ownerInfoSchema.nullish(),
  propertyInfo: z
    .looseObject({
      address: detailAddressSchema.nullish(),
      bedrooms: looseNumber,
      bathrooms: looseNumber,
      livingSquareFeet: looseNumber,
      buildingSquareFeet: looseNumber,
      yearBuilt: looseNumber,
    })
    .nullish(),
  lotInfo: z.looseObject({ apn: nullableString, apnUnformatted: nullableString }).nullish(),
  foreclosureInfo: z.array(z.unknown()).nullish(),
});
export type DetailData = z.infer<typeof detailDataSchema>;

export const detailResponseSchema = z.looseObject({
  input: z.unknown().optional(),
  data: detailDataSchema,
  statusCode: z.number().nullish(),
  statusMessage: nullableString,
  credits: z.number().nullish(),
});

// ---------------------------------------------------------------------------------------
// POST /v2/PropertySearch
// ---------------------------------------------------------------------------------------

/** Mode and paging switches; every other key of the body is a search filter. */
export const SEARCH_CONTROL_KEYS = [
  'size',
  'resultIndex',
  'count',
  'ids_only',
  'summary',
  'obfuscate',
] as const;

export type PropertySearchRequest = Record<string, unknown> & {
  zip?: string;
  city?: string;
  state?: string;
  /** [INFERRED] `{ <field>: 'asc' | 'desc' }`; the docs export does not show the sort syntax. */
  sort?: Record<string, 'asc' | 'desc'>;
  count?: boolean;
  ids_only?: boolean;
  /** Default 50, at most 250 per call. */
  size?: number;
  resultIndex?: number;
};

/** Search addresses: `address` is the full line, `street` the street line. */
export const searchAddressSchema = z.looseObject({
  address: nullableString,
  street: nullableString,
  city: nullableString,
  county: nullableString,
  state: nullableString,
  zip: nullableString,
  fips: nullableString,
});

export const searchRecordSchema = z.looseObject({
  id: propertyId,
  propertyId: propertyId.nullish(),
  address: searchAddressSchema.nullish(),
  mailAddress: searchAddressSchema.nullish(),
  owner1FirstName: nullableString,
  owner1LastName: nullableString,
  owner2FirstName: nullableString,
  owner2LastName: nullableString,
  ...flagFields,
  bedrooms: looseNumber,
  bathrooms: looseNumber,
  squareFeet: looseNumber,
  yearBuilt: looseNumber,
});
export type SearchRecord = z.infer<typeof searchRecordSchema>;

/**
 * The envelope of every mode. `resultCount` is the total (the only answer of a count call);
 * `recordCount` the records in this page. Whether `resultIndex` in the answer is this page's
 * start or the next cursor is not pinned down by the docs: the adapter pages from its own
 * request (`resultIndex += recordCount`, the paging recipe) and ignores it.
 */
export const searchResponseSchema = z.looseObject({
  input: z.unknown().optional(),
  data: z.array(z.unknown()),
  resultCount: z.number().int().nonnegative(),
  resultIndex: z.number().nullish(),
  recordCount: z.number().int().nonnegative().nullish(),
  statusCode: z.number().nullish(),
  statusMessage: nullableString,
});

/** ids_only `data`: a flat id array [INFERRED]; the docs' placeholder `[[int],...]` is read too. */
export const idsOnlyDataSchema = z.array(z.union([propertyId, z.array(propertyId)]));
