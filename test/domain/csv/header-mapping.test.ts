import { describe, expect, it } from 'vitest';
import { ALIASES, LEAD_FIELDS, normalizeHeader } from '../../../src/domain/csv/field-aliases.js';
import {
  MapOptionError,
  hasAddressColumn,
  mapHeaders,
  parseMapOption,
  type LeadField,
} from '../../../src/domain/csv/header-mapping.js';

/** header → field, for readable assertions. */
function mapped(headers: string[], overrides?: Record<string, string>): Record<string, LeadField> {
  const { mapping } = mapHeaders(headers, overrides);
  return Object.fromEntries([...mapping].map(([i, f]) => [headers[i] as string, f]));
}

describe('normalizeHeader', () => {
  it('drops case and punctuation', () => {
    expect(normalizeHeader('Property Address')).toBe('propertyaddress');
    expect(normalizeHeader('property_address')).toBe('propertyaddress');
    expect(normalizeHeader('PROPERTY-ADDRESS')).toBe('propertyaddress');
    expect(normalizeHeader(' Est. Value ')).toBe('estvalue');
    expect(normalizeHeader('Unit #')).toBe('unit');
  });

  it('spells "%" out so "Equity %" is not "Equity"', () => {
    expect(normalizeHeader('Equity %')).toBe('equitypercent');
  });
});

describe('alias table', () => {
  it('targets only known fields or the phone/email groups', () => {
    const known = new Set<string>([...LEAD_FIELDS, 'phone', 'email']);
    for (const { target } of ALIASES.values()) expect(known.has(target)).toBe(true);
  });
});

describe('mapHeaders — vendor exports', () => {
  it('maps a PropStream export', () => {
    const headers = [
      'Address', 'Unit #', 'City', 'State', 'Zip', 'County', 'APN', 'Owner Occupied',
      'Owner 1 First Name', 'Owner 1 Last Name', 'Owner 2 First Name', 'Owner 2 Last Name',
      'Mailing Care of Name', 'Mailing Address', 'Mailing Unit #', 'Mailing City', 'Mailing State',
      'Mailing Zip', 'Property Type', 'Bedrooms', 'Total Bathrooms', 'Building Sqft',
      'Effective Year Built', 'Est. Value', 'Est. Equity', 'Pre-Foreclosure', 'Vacant',
    ]; // prettier-ignore
    const result = mapHeaders(headers);
    expect(Object.fromEntries([...result.mapping].map(([i, f]) => [headers[i], f]))).toEqual({
      Address: 'street',
      'Unit #': 'line2',
      City: 'city',
      State: 'state',
      Zip: 'zip',
      County: 'county',
      APN: 'apn',
      'Owner Occupied': 'ownerOccupied',
      'Owner 1 First Name': 'ownerFirst',
      'Owner 1 Last Name': 'ownerLast',
      'Owner 2 First Name': 'owner2First',
      'Owner 2 Last Name': 'owner2Last',
      'Mailing Address': 'mailingStreet',
      'Mailing Unit #': 'mailingLine2',
      'Mailing City': 'mailingCity',
      'Mailing State': 'mailingState',
      'Mailing Zip': 'mailingZip',
      'Property Type': 'propertyType',
      Bedrooms: 'beds',
      'Total Bathrooms': 'baths',
      'Building Sqft': 'sqft',
      'Effective Year Built': 'yearBuilt',
      'Est. Value': 'estimatedValue',
      'Est. Equity': 'estimatedEquity',
      'Pre-Foreclosure': 'preForeclosure',
      Vacant: 'vacant',
    });
    expect(result.unmapped).toEqual(['Mailing Care of Name']);
    expect(result.errors).toEqual([]);
  });

  it('maps PropStream "Foreclosure Factor" to preForeclosure', () => {
    expect(mapped(['Address', 'Foreclosure Factor'])).toEqual({
      Address: 'street',
      'Foreclosure Factor': 'preForeclosure',
    });
  });

  it('maps a BatchLeads export', () => {
    const headers = [
      'Property Address', 'Property City', 'Property State', 'Property Zip', 'First Name', 'Last Name',
      'Mailing Address', 'Mailing City', 'Mailing State', 'Mailing Zip', 'Estimated Value',
      'Equity Percent', 'Phone 1', 'Phone 2', 'Phone 1 Type', 'Email 1',
    ]; // prettier-ignore
    const result = mapHeaders(headers);
    expect(mapped(headers)).toEqual({
      'Property Address': 'street',
      'Property City': 'city',
      'Property State': 'state',
      'Property Zip': 'zip',
      'First Name': 'ownerFirst',
      'Last Name': 'ownerLast',
      'Mailing Address': 'mailingStreet',
      'Mailing City': 'mailingCity',
      'Mailing State': 'mailingState',
      'Mailing Zip': 'mailingZip',
      'Estimated Value': 'estimatedValue',
      'Equity Percent': 'equityPercent',
      'Phone 1': 'phone1',
      'Phone 2': 'phone2',
      'Email 1': 'email1',
    });
    expect(result.unmapped).toEqual(['Phone 1 Type']);
  });

  it('maps a REISift export', () => {
    expect(
      mapped([
        'Property street', 'Property city', 'Property state', 'Property zip', 'Owner first name',
        'Owner last name', 'Mailing street', 'Mailing city', 'Mailing state', 'Mailing zip', 'Phone 1', 'Email 1',
      ]), // prettier-ignore
    ).toEqual({
      'Property street': 'street',
      'Property city': 'city',
      'Property state': 'state',
      'Property zip': 'zip',
      'Owner first name': 'ownerFirst',
      'Owner last name': 'ownerLast',
      'Mailing street': 'mailingStreet',
      'Mailing city': 'mailingCity',
      'Mailing state': 'mailingState',
      'Mailing zip': 'mailingZip',
      'Phone 1': 'phone1',
      'Email 1': 'email1',
    });
  });

  it('maps a DealMachine export', () => {
    expect(
      mapped([
        'property_address_line_1', 'property_address_city', 'property_address_state', 'property_address_zipcode',
        'owner_1_name', 'owner_1_firstname', 'owner_address_line_1', 'owner_address_city', 'owner_address_state',
        'owner_address_zip', 'estimated_value', 'equity_percent', 'equity_amount', 'lead_id', 'property_id',
      ]), // prettier-ignore
    ).toEqual({
      property_address_line_1: 'street',
      property_address_city: 'city',
      property_address_state: 'state',
      property_address_zipcode: 'zip',
      owner_1_name: 'ownerFull',
      owner_1_firstname: 'ownerFirst',
      owner_address_line_1: 'mailingStreet',
      owner_address_city: 'mailingCity',
      owner_address_state: 'mailingState',
      owner_address_zip: 'mailingZip',
      estimated_value: 'estimatedValue',
      equity_percent: 'equityPercent',
      equity_amount: 'estimatedEquity',
      lead_id: 'vendorRecordId',
      property_id: 'propertyId',
    });
  });

  it('maps generic spellings', () => {
    expect(mapped(['address1', 'zip code', 'owner name', 'parcel number'])).toEqual({
      address1: 'street',
      'zip code': 'zip',
      'owner name': 'ownerFull',
      'parcel number': 'apn',
    });
    expect(mapped(['street', 'postal code', 'owner', 'parcel id'])).toEqual({
      street: 'street',
      'postal code': 'zip',
      owner: 'ownerFull',
      'parcel id': 'apn',
    });
    expect(mapped(['Full Address', 'Equity %', 'Free & Clear', 'Tax Delinquent'])).toEqual({
      'Full Address': 'fullAddress',
      'Equity %': 'equityPercent',
      'Free & Clear': 'freeClear',
      'Tax Delinquent': 'taxLien',
    });
  });

  it('never maps "Mailing Address" to street, even alone', () => {
    expect(mapped(['Mailing Address'])).toEqual({ 'Mailing Address': 'mailingStreet' });
    expect(mapped(['Mailing Address', 'Address'])).toEqual({
      'Mailing Address': 'mailingStreet',
      Address: 'street',
    });
  });

  it('ignores case and punctuation', () => {
    expect(mapped(['PROPERTY-ADDRESS', 'property_city', ' Est. Value '])).toEqual({
      'PROPERTY-ADDRESS': 'street',
      property_city: 'city',
      ' Est. Value ': 'estimatedValue',
    });
  });

  it('returns the mapping in column order', () => {
    const { mapping } = mapHeaders(['Zip', 'Notes', 'Address']);
    expect([...mapping]).toEqual([
      [0, 'zip'],
      [2, 'street'],
    ]);
  });
});

describe('mapHeaders — contests', () => {
  it('lets the more specific alias win a field, whatever the column order', () => {
    const result = mapHeaders(['Address', 'Property Address']);
    expect([...result.mapping]).toEqual([[1, 'street']]);
    expect(result.unmapped).toEqual(['Address']);
  });

  it('lets the leftmost column win between equally specific aliases', () => {
    const result = mapHeaders(['Zip', 'zip']);
    expect([...result.mapping]).toEqual([[0, 'zip']]);
    expect(result.unmapped).toEqual(['zip']);
  });

  it('fills phone and email slots from bare columns after numbered ones', () => {
    expect(mapped(['Mobile', 'Phone 1', 'Landline', 'Email', 'Email 1'])).toEqual({
      Mobile: 'phone2',
      'Phone 1': 'phone1',
      Landline: 'phone3',
      Email: 'email2',
      'Email 1': 'email1',
    });
  });

  it('reports bare phone columns beyond the fifth slot as unmapped', () => {
    const headers = ['Phone', 'Phone', 'Phone', 'Phone', 'Phone', 'Phone'];
    const result = mapHeaders(headers);
    expect([...result.mapping.values()]).toEqual(['phone1', 'phone2', 'phone3', 'phone4', 'phone5']);
    expect(result.unmapped).toEqual(['Phone']);
  });

  it('reports unknown headers as unmapped, blanks included', () => {
    expect(mapHeaders(['Address', 'Notes', '', 'Last Sale Date']).unmapped).toEqual([
      'Notes',
      '',
      'Last Sale Date',
    ]);
  });
});

describe('mapHeaders — overrides', () => {
  it('maps an unknown column', () => {
    const result = mapHeaders(['Site Addr', 'Town'], { 'Site Addr': 'street', town: 'city' });
    expect([...result.mapping]).toEqual([
      [0, 'street'],
      [1, 'city'],
    ]);
    expect(result.unmapped).toEqual([]);
    expect(result.errors).toEqual([]);
  });

  it('wins over auto-mapping and takes the field away from the auto-mapped column', () => {
    const result = mapHeaders(['Address', 'Situs'], { SITUS: 'street' });
    expect([...result.mapping]).toEqual([[1, 'street']]);
    expect(result.unmapped).toEqual(['Address']);
  });

  it('re-targets an auto-mappable column', () => {
    const result = mapHeaders(['Address', 'Mailing Address'], {
      address: 'mailingStreet',
      'mailing address': 'street',
    });
    expect([...result.mapping]).toEqual([
      [0, 'mailingStreet'],
      [1, 'street'],
    ]);
  });

  it('matches field names case- and punctuation-insensitively', () => {
    expect(mapped(['A', 'B'], { A: 'OWNER_FIRST', B: 'mailing-zip' })).toEqual({
      A: 'ownerFirst',
      B: 'mailingZip',
    });
  });

  it('accepts "phone", "email" and "ignore"', () => {
    const result = mapHeaders(['Tel', 'Mail', 'Address'], { Tel: 'phone', Mail: 'email', Address: 'ignore' });
    expect([...result.mapping]).toEqual([
      [0, 'phone1'],
      [1, 'email1'],
    ]);
    expect(result.unmapped).toEqual(['Address']);
  });

  it('reports an unknown field', () => {
    const { errors, mapping } = mapHeaders(['Address'], { Address: 'streeet' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^--map "Address=streeet": unknown field "streeet" \(fields: street, line2, /);
    expect(mapping.size).toBe(0);
  });

  it('reports an unknown column, listing the columns', () => {
    expect(mapHeaders(['Address', 'City'], { Adress: 'street' }).errors).toEqual([
      '--map "Adress=street": no column "Adress" in the header (columns: "Address", "City")',
    ]);
  });

  it('reports both problems of one override', () => {
    expect(mapHeaders(['Address'], { Nope: 'nada' }).errors).toHaveLength(2);
  });

  it('reports two overrides claiming one field', () => {
    expect(mapHeaders(['A', 'B'], { A: 'street', B: 'street' }).errors).toEqual([
      '--map "B=street": field street is already mapped by another --map',
    ]);
  });

  it('reports two overrides naming one column', () => {
    expect(mapHeaders(['Site Addr'], { 'Site Addr': 'street', site_addr: 'fullAddress' }).errors).toEqual([
      '--map "site_addr=fullAddress": column "Site Addr" is already mapped by another --map',
    ]);
  });

  it('prefers the exact header text when two columns normalize alike', () => {
    expect(mapped(['Zip', 'ZIP'], { ZIP: 'mailingZip' })).toEqual({ Zip: 'zip', ZIP: 'mailingZip' });
    expect(mapHeaders(['Zip', 'ZIP'], { zip_: 'mailingZip' }).errors).toEqual([
      '--map "zip_=mailingZip": column "zip_" matches 2 columns ("Zip", "ZIP"); use the exact header text',
    ]);
  });
});

describe('hasAddressColumn', () => {
  it('is true for a street or a one-string address', () => {
    expect(hasAddressColumn(mapHeaders(['Address']).mapping)).toBe(true);
    expect(hasAddressColumn(mapHeaders(['Full Address']).mapping)).toBe(true);
  });

  it('is false for city/state/zip or a mailing address only', () => {
    expect(hasAddressColumn(mapHeaders(['City', 'State', 'Zip', 'Mailing Address']).mapping)).toBe(false);
  });
});

describe('parseMapOption', () => {
  it('splits column=field and trims both', () => {
    expect(parseMapOption('Site Addr=street')).toEqual(['Site Addr', 'street']);
    expect(parseMapOption(' Site Addr = street ')).toEqual(['Site Addr', 'street']);
  });

  it('splits at the last "=" so a column may contain one', () => {
    expect(parseMapOption('a=b=street')).toEqual(['a=b', 'street']);
  });

  it('rejects strings that are not column=field', () => {
    expect(() => parseMapOption('street')).toThrow(
      new MapOptionError('bad --map option "street": expected column=field, e.g. "Site Addr=street"'),
    );
    expect(() => parseMapOption('=street')).toThrow(
      'bad --map option "=street": the column name before "=" is empty',
    );
    expect(() => parseMapOption('Address=')).toThrow(
      'bad --map option "Address=": the field name after "=" is empty',
    );
    try {
      parseMapOption('bad');
    } catch (err) {
      expect(err).toBeInstanceOf(MapOptionError);
      expect((err as MapOptionError).code).toBe('bad_map_option');
    }
  });
});
