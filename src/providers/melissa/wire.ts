/**
 * Melissa Personator Consumer wire format (vendors.md §7), all [SEEN-3P]:
 * GET /v3/WEB/ContactVerify/doContactVerify?id=&act=&cols=&format=json&t=&full|first|last
 * &a1&a2&city&state&postal&ctry → `{Records: [...], TotalRecords: "1",
 * TransmissionReference, TransmissionResults, Version}`.
 *
 * Values arrive as strings (TotalRecords "1", MAK "2153275541"); numbers are tolerated.
 */
import { z } from 'zod';

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v).trim()));

export const personatorRecordSchema = z.looseObject({
  RecordID: text,
  /** Comma-separated result codes, e.g. "AS01,PS01,PS07,ES01". */
  Results: z.string(),
  AddressLine1: text,
  City: text,
  State: text,
  PostalCode: text,
  NameFull: text,
  NameFirst: text,
  NameLast: text,
  PhoneNumber: text,
  EmailAddress: text,
  /** Melissa Address Key: a stable 10-digit address id. */
  MelissaAddressKey: text,
  MelissaAddressKeyBase: text,
  MelissaIdentityKey: text,
});

export const personatorResponseSchema = z.looseObject({
  Records: z.array(personatorRecordSchema),
  TotalRecords: text,
  /** Our `t` echoed back. */
  TransmissionReference: text,
  /** Request-level codes (GE…/SE…); empty when the request was fine. */
  TransmissionResults: text,
  Version: text,
});
export type PersonatorRecord = z.infer<typeof personatorRecordSchema>;
