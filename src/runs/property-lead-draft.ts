/**
 * Property-search results as lead drafts for the store's dedupe-on-upsert: a full property
 * record (address, owners, facts, distress flags), or a bare vendor id from an ids_only pull
 * (seed 004: "leads with only propertyId", enrichment pending). Both carry the vendor id as
 * `vendor_record_id` under the search's source, so an ids pull and a later full pull of the
 * same property meet on the (source, vendor_record_id) key and never make two leads.
 */
import { normalizeAddress } from '../domain/address/normalize-address.js';
import type { NormalizedAddress, RawAddress } from '../domain/address/types.js';
import type { LeadDraft, LeadOwner } from '../domain/lead.js';
import { normalizeOwner } from '../domain/person/normalize-person.js';
import type { PropertyOwner, PropertyRecord } from '../providers/contract.js';

const NO_FACTS: LeadDraft['facts'] = {
  propertyType: null,
  beds: null,
  baths: null,
  sqft: null,
  yearBuilt: null,
  estimatedValue: null,
  estimatedEquity: null,
  equityPercent: null,
  ownerOccupied: null,
  absenteeOwner: null,
  ownerAge: null,
};

const NO_DISTRESS: LeadDraft['distress'] = {
  preForeclosure: null,
  foreclosure: null,
  taxLien: null,
  bankruptcy: null,
  vacant: null,
  highEquity: null,
  freeClear: null,
};

/** A lead that is only a vendor id (ids_only): everything else arrives with enrichment. */
export function vendorIdLeadDraft(source: string, vendorId: string, rowNumber: number): LeadDraft {
  return {
    rowNumber,
    source,
    address: null,
    rawAddress: {},
    owner: null,
    coOwner: null,
    mailingAddress: null,
    apn: null,
    fips: null,
    mak: null,
    vendorRecordId: vendorId,
    propertyId: vendorId,
    facts: { ...NO_FACTS },
    distress: { ...NO_DISTRESS },
    inputPhones: [],
    inputEmails: [],
    inputRow: {},
  };
}

function addressOf(raw: RawAddress): NormalizedAddress | null {
  return raw.street && raw.street.trim() !== '' ? normalizeAddress(raw) : null;
}

/**
 * The vendor's owner in our words. The name decides first (normalizeOwner tells entities from
 * people); when the vendor calls the owner an entity ("Company", "Other" → trust…) and the
 * name alone reads as a person, the vendor's word wins.
 */
function ownerOf(owner: PropertyOwner | undefined): LeadOwner | null {
  if (!owner) return null;
  const normalized = normalizeOwner({ first: owner.first, last: owner.last, full: owner.full });
  if (!normalized) return null;
  const vendorSaysEntity = owner.ownerType !== 'individual' && owner.ownerType !== 'unknown';
  if (normalized.ownerType === 'individual' && vendorSaysEntity) {
    const name = normalized.full ?? (owner.full ?? '').toUpperCase();
    return { first: null, middle: null, last: null, full: name, company: name, ownerType: owner.ownerType };
  }
  return normalized;
}

/** A full property record (PropertySearch full mode or PropertyDetail) as a lead draft. */
export function propertyLeadDraft(source: string, record: PropertyRecord, rowNumber: number): LeadDraft {
  const a = record.address;
  const rawAddress: RawAddress = {
    street: a.street,
    line2: a.unit,
    city: a.city,
    state: a.state,
    zip: a.zip,
  };
  const m = record.mailingAddress;
  return {
    rowNumber,
    source,
    address: addressOf(rawAddress),
    rawAddress,
    owner: ownerOf(record.owners[0]),
    coOwner: ownerOf(record.owners[1]),
    mailingAddress: m ? addressOf({ street: m.street, city: m.city, state: m.state, zip: m.zip }) : null,
    apn: record.apn,
    fips: record.fips,
    mak: record.mak,
    vendorRecordId: record.propertyId,
    propertyId: record.propertyId,
    facts: {
      propertyType: record.propertyType,
      beds: record.beds,
      baths: record.baths,
      sqft: record.sqft,
      yearBuilt: record.yearBuilt,
      estimatedValue: record.estimatedValue,
      estimatedEquity: record.estimatedEquity,
      equityPercent: record.equityPercent,
      ownerOccupied: record.ownerOccupied,
      absenteeOwner: record.absenteeOwner,
      ownerAge: null,
    },
    distress: {
      preForeclosure: record.preForeclosure,
      foreclosure: record.foreclosure,
      taxLien: record.taxLien,
      bankruptcy: record.bankruptcy,
      vacant: record.vacant,
      highEquity: record.highEquity,
      freeClear: record.freeClear,
    },
    inputPhones: [],
    inputEmails: [],
    inputRow: {},
  };
}
