/**
 * RealEstateAPI JSON for the sandbox: fictional people and properties written in the
 * vendor's field names (skiptrace-response-object.md, property-detail-response-object.md,
 * property-search-response-object.md), with its habit of numbers as strings where the docs
 * show them ("lastSalePrice": "350000").
 */
import type { SkipTraceRequestBody } from '../realestateapi/wire.js';
import type { FictionalPerson, FictionalPhoneType } from './people.js';
import type { FictionalOwner, FictionalProperty } from './properties.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** hapi's error body: `{"statusCode":400,"error":"Bad Request","message":"..."}`. */
export function hapiError(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, ...extra };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- SkipTrace -----------------------------------------------------------------------------

const PHONE_TYPE: Record<FictionalPhoneType, string> = {
  Mobile: 'mobile',
  'Land Line': 'landline',
  VoIP: 'voip',
};

/** `output` of a SkipTrace match: the identity, demographics, stats. */
export function skipTraceIdentityJson(p: FictionalPerson, input: SkipTraceRequestBody) {
  const [, house = '', street = input.address ?? ''] = /^(\d+)\s+(.*)$/.exec(input.address ?? '') ?? [];
  return {
    identity: {
      names: [{ firstName: p.first, middleName: p.middle, lastName: p.last, fullName: p.full }],
      address: {
        house,
        street,
        city: input.city ?? '',
        state: input.state ?? '',
        zip: input.zip ?? '',
        formattedAddress: [input.address, input.city, [input.state, input.zip].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', '),
      },
      addressHistory: [],
      phones: p.phones.map((ph) => ({
        phone: ph.number,
        telcoName: ph.carrier,
        phoneDisplay: `(${ph.number.slice(0, 3)}) ${ph.number.slice(3, 6)}-${ph.number.slice(6)}`,
        phoneExtension: '',
        isConnected: ph.reachable,
        doNotCall: ph.dnc,
        phoneType: PHONE_TYPE[ph.type],
        lastSeen: ph.lastReportedDate,
        validSince: '',
      })),
      emails: p.emails.map((e) => ({ email: e.email, emailType: 'personal' })),
    },
    demographics: { deceased: p.deceased, dod: '', images: [], social: [], education: [], jobs: [] },
    relationships: [],
    stats: {
      searchResults: 1,
      names: 1,
      addresses: 1,
      phoneNumbers: p.phones.length,
      emailAddresses: p.emails.length,
      associates: 0,
      jobs: 0,
      socialProfiles: 0,
      images: 0,
    },
  };
}

// ---- PropertyDetail ------------------------------------------------------------------------

function ownerKeys(owners: FictionalOwner[]) {
  const keys: Record<string, unknown> = {};
  owners.slice(0, 2).forEach((o, i) => {
    const n = i + 1;
    if (o.first) keys[`owner${n}FirstName`] = o.first;
    keys[`owner${n}LastName`] = o.last;
    keys[`owner${n}FullName`] = o.full;
    keys[`owner${n}Type`] = o.type;
  });
  return keys;
}

/** Detail addresses: `address` is the street line, `street` the name, `label` the full line. */
function detailAddress(a: { street: string; city: string; state: string; zip: string }, extra = {}) {
  const m = /^(\d+)\s+(.+?)(?:\s+(\S+))?$/.exec(a.street);
  return {
    address: a.street,
    house: m?.[1] ?? '',
    street: m?.[2] ?? a.street,
    streetType: m?.[3] ?? '',
    city: a.city,
    state: a.state,
    zip: a.zip,
    label: `${a.street}, ${a.city}, ${a.state} ${a.zip}`,
    ...extra,
  };
}

export function detailJson(p: FictionalProperty) {
  const data: Record<string, unknown> = {
    id: Number(p.id),
    propertyType: p.propertyType,
    absenteeOwner: p.absenteeOwner,
    ownerOccupied: p.ownerOccupied,
    corporateOwned: p.corporateOwned,
    vacant: p.vacant,
    preForeclosure: p.preForeclosure,
    taxLien: p.taxLien,
    highEquity: p.highEquity,
    freeClear: p.freeClear,
    auction: false,
    equity: null,
    estimatedValue: p.estimatedValue,
    estimatedEquity: p.estimatedEquity,
    equityPercent: p.equityPercent,
    estimatedMortgageBalance: String(p.openMortgageBalance),
    openMortgageBalance: p.openMortgageBalance,
    lastSaleDate: p.lastSaleDate,
    lastSalePrice: String(p.lastSalePrice),
    ownerInfo: {
      ...ownerKeys(p.owners),
      ownershipLength: p.ownershipLengthMonths,
      equity: null,
      mailAddress: detailAddress(p.mail),
    },
    propertyInfo: {
      address: detailAddress(p, { unit: p.unit ?? undefined, county: p.county, fips: p.fips }),
      bedrooms: p.bedrooms,
      bathrooms: p.bathrooms,
      livingSquareFeet: p.squareFeet,
      buildingSquareFeet: p.squareFeet,
      lotSquareFeet: p.lotSquareFeet,
      yearBuilt: p.yearBuilt,
    },
    lotInfo: { apn: p.apn, apnUnformatted: p.apn.replace(/-/g, ''), lotSquareFeet: p.lotSquareFeet },
    // No `foreclosure` flag in detail answers: foreclosure documents are listed instead.
    foreclosureInfo: p.foreclosure
      ? [
          {
            foreclosureId: p.id.slice(-8),
            documentType: 'Notice of Trustee Sale',
            recordingDate: p.lastSaleDate,
            active: true,
          },
        ]
      : [],
    currentMortgages: p.freeClear ? [] : [{ amount: p.openMortgageBalance, position: 'First', seq: 0 }],
    saleHistory: [],
    mortgageHistory: [],
  };
  return data;
}

// ---- PropertySearch ------------------------------------------------------------------------

function searchAddress(a: { street: string; city: string; state: string; zip: string }, extra = {}) {
  return {
    address: `${a.street}, ${a.city}, ${a.state} ${a.zip}`,
    street: a.street,
    city: a.city,
    state: a.state,
    zip: a.zip,
    ...extra,
  };
}

export function searchRecordJson(p: FictionalProperty) {
  const [o1, o2] = p.owners;
  const record: Record<string, unknown> = {
    id: p.id,
    propertyId: p.id,
    address: searchAddress(p, { county: p.county, fips: p.fips }),
    mailAddress: searchAddress(p.mail),
    absenteeOwner: p.absenteeOwner,
    ownerOccupied: p.ownerOccupied,
    corporateOwned: p.corporateOwned,
    vacant: p.vacant,
    preForeclosure: p.preForeclosure,
    foreclosure: p.foreclosure,
    highEquity: p.highEquity,
    freeClear: p.freeClear,
    equityPercent: p.equityPercent,
    estimatedValue: p.estimatedValue,
    estimatedEquity: p.estimatedEquity,
    openMortgageBalance: p.openMortgageBalance,
    lastSaleDate: p.lastSaleDate,
    lastSaleAmount: String(p.lastSalePrice),
    propertyType: p.propertyType,
    bedrooms: p.bedrooms,
    bathrooms: p.bathrooms,
    squareFeet: p.squareFeet,
    lotSquareFeet: p.lotSquareFeet,
    yearBuilt: p.yearBuilt,
  };
  if (o1?.first) record.owner1FirstName = o1.first;
  if (o1) record.owner1LastName = o1.last;
  if (o2?.first) record.owner2FirstName = o2.first;
  if (o2) record.owner2LastName = o2.last;
  return record;
}
