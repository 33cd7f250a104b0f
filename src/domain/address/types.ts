/**
 * Address shapes shared by normalization, import, signatures and providers.
 * Everything here is pure data: no I/O.
 */

/** An address as it arrives from a CSV row or a JSON line, before normalization. */
export interface RawAddress {
  /** Street line, possibly with the unit in it ("123 Main St Apt 4"). */
  street?: string | null;
  /** A separate secondary line ("Apt 4", "#4", "Unit B"), when the source has one. */
  line2?: string | null;
  city?: string | null;
  /** Two-letter code or full state name ("Illinois"). */
  state?: string | null;
  /** ZIP5 or ZIP+4 in any common spelling ("60606-6306", "606066306", "60606 6306"). */
  zip?: string | null;
}

/** A USPS Publication 28 standardized address. All text is upper case; null when absent. */
export interface NormalizedAddress {
  /** House number exactly as given, letters and fractions kept ("123", "123A", "12-14", "1/2"). */
  houseNumber: string | null;
  /** Pre-directional (N, S, E, W, NE, NW, SE, SW). */
  preDirectional: string | null;
  /** Street name without suffix or directionals ("MAIN", "MARTIN LUTHER KING JR"). */
  streetName: string | null;
  /** Standard suffix abbreviation from Pub 28 C1 ("ST", "AVE"). */
  suffix: string | null;
  /** Post-directional. */
  postDirectional: string | null;
  /** Standard unit designator from Pub 28 C2 ("APT", "STE", "#"). */
  unitDesignator: string | null;
  /** Unit number ("4B"); null for designators that take none (REAR, PH…). */
  unitNumber: string | null;
  /** Primary line without the unit: "123 N MAIN ST". */
  line1: string | null;
  /** Secondary line: "APT 4B", "# 7", "REAR". */
  line2: string | null;
  city: string | null;
  /** Two-letter USPS code (Pub 28 Appendix B). */
  state: string | null;
  zip5: string | null;
  zip4: string | null;
}

/** A person's name parts after normalization (upper case, punctuation stripped). */
export interface NormalizedPerson {
  first: string | null;
  middle: string | null;
  last: string | null;
  /** Full display name, upper case. */
  full: string | null;
}

export type OwnerType = 'individual' | 'trust' | 'llc' | 'corporate' | 'estate' | 'government' | 'unknown';
