/**
 * The benchmarks' synthetic property list: `rows` distinct leads (house numbers are unique
 * per row) in eight cities, 1 in 17 with a unit, with owner names, APN and value. Written in
 * chunks, so generating 100k rows does not hold the file in memory (which would inflate the
 * benchmarks' peak RSS before the measured phases even start).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const CITIES = [
  ['CHICAGO', 'IL', '60614'],
  ['SPRINGFIELD', 'IL', '62704'],
  ['AUSTIN', 'TX', '78701'],
  ['PHOENIX', 'AZ', '85004'],
  ['DENVER', 'CO', '80202'],
  ['ATLANTA', 'GA', '30303'],
  ['TAMPA', 'FL', '33602'],
  ['COLUMBUS', 'OH', '43215'],
];
const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park'];
const SUFFIXES = ['St', 'Ave', 'Blvd', 'Dr', 'Ln', 'Rd', 'Ct', 'Way'];
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis'];

export const SYNTHETIC_HEADER =
  'Property Address,City,State,Zip,Owner First Name,Owner Last Name,APN,Estimated Value';

/** One data row (0-based `i`). */
export function syntheticRow(i: number): string {
  const [city, state, zip] = CITIES[i % CITIES.length]!;
  const street = `${i + 1} ${STREETS[(i >> 3) % STREETS.length]} ${SUFFIXES[(i >> 6) % SUFFIXES.length]}${i % 17 === 0 ? ` Apt ${(i % 40) + 1}` : ''}`;
  return `${street},${city},${state},${zip}-${String(i % 10_000).padStart(4, '0')},${FIRST[i % 8]},${LAST[(i >> 2) % 8]},APN-${i},${150_000 + (i % 500) * 1000}`;
}

/**
 * The extra columns of a wide export (`wide`): 42 more, named as a PropStream export names
 * them but prefixed "Extra " so that none feeds a lead field (County and Owner 2 First/Last
 * Name would): the import does the same lead work as for the narrow file and only the kept
 * original columns grow (~50 columns in all, as real exports).
 */
const WIDE_EXTRA = [
  'County',
  'Owner 2 First Name',
  'Owner 2 Last Name',
  'Mailing Care of Name',
  'Do Not Mail',
  'Lot Size Sqft',
  'Total Assessed Value',
  'Last Sale Recording Date',
  'Last Sale Amount',
  'Total Open Loans',
  'Est. Remaining balance of Open Loans',
  'Est. Loan-to-Value',
  'Monthly Rent',
  'Listing Status',
  'MLS Status',
  'MLS Date',
  'MLS Amount',
  'Lien Amount',
  'Tax Delinquent Year',
  'Lender Name',
  'Loan Type',
  'Recording Date',
  'Maturity Date',
  'Loan Amount',
  'School District',
  'Subdivision',
  'Zoning',
  'Land Use',
  'Legal Description',
  'Census Tract',
  'Flood Zone',
  'Units Count',
  'Stories',
  'Garage Type',
  'Pool',
  'Heating Type',
  'Air Conditioning',
  'Roof Type',
  'Exterior Walls',
  'Basement',
  'Fireplaces',
  'Parking Spaces',
].map((name) => `Extra ${name}`);

/** One row's wide cells (0-based `i`): short values, some empty, as such exports have. */
function wideCells(i: number): string {
  let out = '';
  for (let k = 0; k < WIDE_EXTRA.length; k++) out += `,${(i + k) % 3 === 0 ? '' : `v${(i * 7 + k) % 1000}`}`;
  return out;
}

export function writeSyntheticCsv(path: string, rows: number, shape: 'narrow' | 'wide' = 'narrow'): void {
  const wide = shape === 'wide';
  const fd = openSync(path, 'w');
  try {
    let lines = [wide ? `${SYNTHETIC_HEADER},${WIDE_EXTRA.join(',')}` : SYNTHETIC_HEADER];
    for (let i = 0; i < rows; i++) {
      lines.push(wide ? syntheticRow(i) + wideCells(i) : syntheticRow(i));
      if (lines.length === 5000) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}
