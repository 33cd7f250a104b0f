/**
 * A lead as import produces it, before it is stored: normalized, validated, not yet deduped.
 * Pure data shared by CSV import (domain/csv), acquisition and the store's upsert.
 */
import type { NormalizedAddress, OwnerType, RawAddress } from './address/types.js';

export interface LeadOwner {
  first: string | null;
  middle: string | null;
  last: string | null;
  /** Display name ("JOHN Q SMITH" or "ACME HOLDINGS LLC"), upper case. */
  full: string | null;
  /** Set when the owner is an entity (LLC, trust, corporation, estate…). */
  company: string | null;
  ownerType: OwnerType;
}

/** Property facts; whole dollars for values (these are not vendor spend). */
export interface LeadFacts {
  propertyType: string | null;
  beds: number | null;
  baths: number | null;
  sqft: number | null;
  yearBuilt: number | null;
  estimatedValue: number | null;
  estimatedEquity: number | null;
  equityPercent: number | null;
  ownerOccupied: boolean | null;
  absenteeOwner: boolean | null;
  ownerAge: number | null;
}

export interface LeadDistress {
  preForeclosure: boolean | null;
  foreclosure: boolean | null;
  taxLien: boolean | null;
  bankruptcy: boolean | null;
  vacant: boolean | null;
  highEquity: boolean | null;
  freeClear: boolean | null;
}

export interface LeadDraft {
  /** 1-based data row number in the source file (the header is not counted). */
  rowNumber: number;
  /** Where the lead came from: 'csv', 'propstream', 'realestateapi', … */
  source: string;
  /** Property address, normalized; null when the row has none. */
  address: NormalizedAddress | null;
  /** The address as given, for display and audit. */
  rawAddress: RawAddress;
  owner: LeadOwner | null;
  /** Secondary owner from exports with "Owner 2" columns. */
  coOwner: LeadOwner | null;
  mailingAddress: NormalizedAddress | null;
  apn: string | null;
  fips: string | null;
  mak: string | null;
  vendorRecordId: string | null;
  propertyId: string | null;
  facts: LeadFacts;
  distress: LeadDistress;
  /** Phones given in the input, as written (normalized to E.164 when stored). */
  inputPhones: string[];
  /** Emails given in the input, lower-cased. */
  inputEmails: string[];
  /** The original CSV columns of this row, header → cell, kept for export. */
  inputRow: Record<string, string>;
}

/** Why one input row was not accepted: which row, which field, why. */
export interface RowRejection {
  rowNumber: number;
  field: string;
  reason: string;
}

export type RowOutcome = { ok: true; draft: LeadDraft } | { ok: false; rejection: RowRejection };
