/**
 * The lead fields a CSV column can feed, and the column names each vendor export uses for them.
 *
 * Aliases are stored normalized (see `normalizeHeader`): "Property Address", "property_address"
 * and "PROPERTY-ADDRESS" are all "propertyaddress". Matching is exact on the normalized form —
 * never by substring — so "Mailing Address" can only ever reach mailingStreet.
 *
 * Within one field the aliases run from most to least specific. When two columns of one file
 * both match a field ("Property Address" and "Address"), the column whose alias comes first
 * here wins and the other is reported as unmapped.
 */

export const LEAD_FIELDS = [
  'street',
  'line2',
  'city',
  'state',
  'zip',
  'fullAddress',
  'ownerFirst',
  'ownerLast',
  'ownerFull',
  'owner2First',
  'owner2Last',
  'owner2Full',
  'company',
  'mailingStreet',
  'mailingLine2',
  'mailingCity',
  'mailingState',
  'mailingZip',
  'apn',
  'fips',
  'county',
  'mak',
  'vendorRecordId',
  'propertyId',
  'propertyType',
  'beds',
  'baths',
  'sqft',
  'yearBuilt',
  'estimatedValue',
  'estimatedEquity',
  'equityPercent',
  'ownerOccupied',
  'absenteeOwner',
  'ownerAge',
  'preForeclosure',
  'foreclosure',
  'taxLien',
  'bankruptcy',
  'vacant',
  'highEquity',
  'freeClear',
  'phone1',
  'phone2',
  'phone3',
  'phone4',
  'phone5',
  'email1',
  'email2',
  'email3',
] as const;

/** A lead field a CSV column can be mapped to. */
export type LeadField = (typeof LEAD_FIELDS)[number];

export const PHONE_FIELDS = ['phone1', 'phone2', 'phone3', 'phone4', 'phone5'] as const;
export const EMAIL_FIELDS = ['email1', 'email2', 'email3'] as const;

/**
 * An alias target: one field, or a group ("phone", "email") meaning "the first phone/email
 * slot no other column has taken" — for exports with "Phone", "Mobile" and "Landline" columns.
 */
export type AliasTarget = LeadField | 'phone' | 'email';

/**
 * Lower-case a header and keep only letters and digits. "%" becomes "percent" first so
 * "Equity %" (equityPercent) does not collapse into "Equity" (estimatedEquity).
 */
export function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .replaceAll('%', 'percent')
    .replace(/[^a-z0-9]+/g, '');
}

/** Raw spellings per field, most specific first. Normalized into ALIASES below. */
const RAW_ALIASES: Record<AliasTarget, readonly string[]> = {
  // Property address. DealMachine's snake_case and BatchLeads' "Property …" come before the
  // bare PropStream/generic names, which are the least specific.
  street: [
    'property_address_line_1',
    'Property Address Line 1',
    'Property Street Address',
    'Property Street',
    'Property Address',
    'Site Address',
    'Situs Address',
    'Street Address',
    'Address Line 1',
    'Address 1',
    'Street',
    'Address',
  ],
  line2: [
    'property_address_line_2',
    'Property Address Line 2',
    'Property Unit',
    'Property Unit #',
    'Unit #',
    'Unit Number',
    'Unit',
    'Address Line 2',
    'Address 2',
    'Apt',
    'Apartment',
    'Suite',
  ],
  city: ['property_address_city', 'Property City', 'Site City', 'Situs City', 'City'],
  state: ['property_address_state', 'Property State', 'Site State', 'Situs State', 'State'],
  zip: [
    'property_address_zipcode',
    'property_address_zip',
    'Property Zip Code',
    'Property Zip',
    'Property Postal Code',
    'Site Zip',
    'Situs Zip',
    'Zip Code',
    'Zipcode',
    'Zip',
    'Postal Code',
    'Postal',
  ],
  fullAddress: [
    'property_address_full',
    'Property Full Address',
    'Property Address Full',
    'Full Property Address',
    'Full Address',
    'Complete Address',
    'One Line Address',
  ],

  // Owners. PropStream numbers its owners ("Owner 1 First Name"); BatchLeads uses bare
  // "First Name"; REISift "Owner first name"; DealMachine "owner_1_firstname".
  ownerFirst: ['Owner 1 First Name', 'Owner First Name', 'Owner First', 'First Name', 'First'],
  ownerLast: ['Owner 1 Last Name', 'Owner Last Name', 'Owner Last', 'Last Name', 'Last'],
  ownerFull: [
    'Owner 1 Full Name',
    'owner_1_name',
    'Owner Full Name',
    'Owner Name',
    'Owner Names',
    'Owner 1',
    'Owner',
    'Full Name',
    'Name',
  ],
  owner2First: ['Owner 2 First Name', 'Co-Owner First Name', 'Second Owner First Name'],
  owner2Last: ['Owner 2 Last Name', 'Co-Owner Last Name', 'Second Owner Last Name'],
  owner2Full: [
    'Owner 2 Full Name',
    'owner_2_name',
    'Co-Owner Name',
    'Second Owner Name',
    'Owner 2',
    'Co-Owner',
    'Second Owner',
  ],
  company: ['Owner Company', 'Company Name', 'Business Name', 'Entity Name', 'Corporate Owner', 'Company'],

  // Mailing (owner) address. DealMachine calls it the owner address.
  mailingStreet: [
    'owner_address_line_1',
    'Mailing Address Line 1',
    'Mailing Street Address',
    'Owner Mailing Address',
    'Mailing Address',
    'Mailing Street',
    'Mail Address',
    'Mail Street',
  ],
  mailingLine2: [
    'owner_address_line_2',
    'Mailing Address Line 2',
    'Mailing Unit #',
    'Mailing Unit',
    'Mailing Address 2',
    'Mail Unit',
  ],
  mailingCity: ['owner_address_city', 'Owner Mailing City', 'Mailing City', 'Mail City'],
  mailingState: ['owner_address_state', 'Owner Mailing State', 'Mailing State', 'Mail State'],
  mailingZip: [
    'owner_address_zipcode',
    'owner_address_zip',
    'Owner Mailing Zip',
    'Mailing Zip Code',
    'Mailing Zipcode',
    'Mailing Zip',
    'Mailing Postal Code',
    'Mail Zip',
  ],

  // Identifiers.
  apn: [
    'APN',
    "Assessor's Parcel Number",
    'Assessor Parcel Number',
    'Parcel Number',
    'Parcel No',
    'Parcel ID',
    'Parcel',
    'APN Formatted',
  ],
  fips: ['FIPS', 'FIPS Code', 'County FIPS', 'FIPS County Code'],
  county: ['Property County', 'County'],
  mak: ['MAK', 'Master Address Key', 'Melissa Address Key'],
  vendorRecordId: ['lead_id', 'Record ID', 'Lead ID', 'BatchLeads ID', 'ID'],
  propertyId: ['property_id', 'Property ID', 'PropStream ID', 'ATTOM ID'],

  // Property facts.
  propertyType: ['Property Type', 'Prop Type', 'Property Use', 'Land Use'],
  beds: ['Bedrooms', 'Total Bedrooms', 'Beds', 'Bedroom Count', 'Bed'],
  baths: ['Total Bathrooms', 'Bathrooms', 'Baths', 'Bathroom Count', 'Bath'],
  sqft: [
    'Building Sqft',
    'building_square_feet',
    'Living Sqft',
    'Living Square Feet',
    'Living Area',
    'Square Footage',
    'Square Feet',
    'Sqft',
  ],
  yearBuilt: ['Year Built', 'Effective Year Built', 'Built Year'],
  estimatedValue: [
    'Est. Value',
    'Estimated Value',
    'Estimated Market Value',
    'Est. Market Value',
    'Market Value',
    'AVM',
  ],
  estimatedEquity: [
    'Est. Equity',
    'Estimated Equity',
    'Estimated Equity Amount',
    'equity_amount',
    'Equity Amount',
    'Equity',
  ],
  equityPercent: ['Equity Percent', 'Equity Percentage', 'Est. Equity %', 'Equity %', 'Equity Pct'],
  ownerOccupied: ['Owner Occupied', 'Is Owner Occupied', 'Owner Occupancy'],
  absenteeOwner: ['Absentee Owner', 'Is Absentee Owner', 'Absentee'],
  ownerAge: ['Owner Age', 'Owner 1 Age', 'Age'],

  // Distress flags.
  preForeclosure: ['Pre-Foreclosure', 'Is Pre-Foreclosure', 'Foreclosure Factor'],
  foreclosure: ['Foreclosure', 'In Foreclosure', 'Is Foreclosure'],
  taxLien: ['Tax Lien', 'Tax Liens', 'Tax Delinquent', 'Tax Default'],
  bankruptcy: ['Bankruptcy', 'Bankrupt'],
  vacant: ['Vacant', 'Is Vacant', 'Property Vacant', 'Vacancy'],
  highEquity: ['High Equity', 'Is High Equity'],
  freeClear: ['Free & Clear', 'Free and Clear', 'Free Clear', 'Is Free and Clear'],

  // Contacts. Numbered columns take their own slot; bare "Phone"/"Mobile"/"Email" columns
  // take the first free slot (group targets).
  phone1: ['Phone 1', 'Phone Number 1', 'Owner Phone 1', 'phone_1'],
  phone2: ['Phone 2', 'Phone Number 2', 'Owner Phone 2', 'phone_2'],
  phone3: ['Phone 3', 'Phone Number 3', 'Owner Phone 3', 'phone_3'],
  phone4: ['Phone 4', 'Phone Number 4', 'Owner Phone 4', 'phone_4'],
  phone5: ['Phone 5', 'Phone Number 5', 'Owner Phone 5', 'phone_5'],
  phone: [
    'Phone',
    'Phone Number',
    'Phone #',
    'Owner Phone',
    'Primary Phone',
    'Telephone',
    'Mobile',
    'Mobile Phone',
    'Cell',
    'Cell Phone',
    'Wireless',
    'Landline',
    'Home Phone',
  ],
  email1: ['Email 1', 'Email Address 1', 'Owner Email 1', 'email_1'],
  email2: ['Email 2', 'Email Address 2', 'Owner Email 2', 'email_2'],
  email3: ['Email 3', 'Email Address 3', 'Owner Email 3', 'email_3'],
  email: ['Email', 'Email Address', 'E-mail', 'Owner Email', 'Primary Email'],
};

/** One alias: the field it feeds and its specificity rank within that field (0 = most specific). */
export interface AliasEntry {
  target: AliasTarget;
  rank: number;
}

function buildAliasIndex(): ReadonlyMap<string, AliasEntry> {
  const index = new Map<string, AliasEntry>();
  for (const [target, spellings] of Object.entries(RAW_ALIASES) as [AliasTarget, readonly string[]][]) {
    spellings.forEach((spelling, rank) => {
      const key = normalizeHeader(spelling);
      const existing = index.get(key);
      // Two fields claiming one normalized alias would make mapping order-dependent.
      if (existing && existing.target !== target) {
        throw new Error(`alias "${spelling}" is claimed by both ${existing.target} and ${target}`);
      }
      if (!existing) index.set(key, { target, rank });
    });
  }
  return index;
}

/** Normalized header → the field it feeds. */
export const ALIASES: ReadonlyMap<string, AliasEntry> = buildAliasIndex();

/** Slots a group target may fill, in order. */
export const GROUP_SLOTS: Readonly<Record<'phone' | 'email', readonly LeadField[]>> = {
  phone: PHONE_FIELDS,
  email: EMAIL_FIELDS,
};
