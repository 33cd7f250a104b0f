/**
 * A deterministic CSV that exercises every import outcome: duplicates by address (unit and
 * repeated house numbers), APN with and without FIPS, MAK and vendor record id; rows that fill
 * fields of an earlier lead; rejections (ZIP, number, yes/no, phone, email, no house number);
 * blank lines, quoted commas and newlines, a repeated header and rows longer than the header.
 */
export function trickyCsv(n: number): string {
  const header =
    'Property Address,City,State,Zip,Owner First Name,Owner Last Name,APN,FIPS,MAK,Record ID,Property ID,Estimated Value,Bedrooms,Owner Occupied,Phone,Email,Notes,Notes';
  const rows: string[] = [header];
  const cities = [
    ['Springfield', 'IL', '62704'],
    ['Chicago', 'IL', '60614'],
    ['Austin', 'TX', '78701'],
  ] as const;
  for (let i = 0; i < n; i++) {
    const [city, st, zip] = cities[i % 3]!;
    const k = i % 23;
    const house = 100 + (i % 997);
    let street = `${house} Main St`;
    if (k === 1) street = `${house} Main St Apt ${i % 5}`;
    if (k === 20) street = 'MAIN ST';
    const apn = k === 2 || k === 3 ? `5544-${i % 50}` : k === 4 ? '' : `A-${i}`;
    const fips = k === 2 ? '17031' : k === 3 ? (i % 2 ? '48453' : '') : '';
    const mak = k === 5 ? `MAK${i % 40}` : '';
    const recordId = k === 6 ? `R${i % 60}` : '';
    const propertyId = k === 7 ? `P${i}` : '';
    const first = k === 8 ? '' : ['Ann', 'Bo', 'Cy'][i % 3]!;
    const last = k === 8 ? '' : k === 9 ? 'Smith LLC' : ['Lee', 'Kim', 'Diaz'][i % 3]!;
    const value = k === 10 ? '$1,200' : k === 11 ? 'lots' : String(100000 + i);
    const beds = k === 12 ? '' : String(i % 6);
    const occupied = k === 13 ? 'maybe' : i % 2 ? 'Y' : 'N';
    const phone = k === 14 ? '555-0123' : k === 15 ? '(217) 555-0199' : '';
    const email = k === 16 ? `a${i}@example.com` : k === 17 ? 'not-an-email' : '';
    const notes = k === 18 ? '"has, a comma\nand a newline"' : k === 19 ? '"quote ""x"""' : '';
    if (k === 21) rows.push('');
    const zipCell = k === 22 ? '6270' : zip;
    rows.push(
      [street, city, st, zipCell, first, last, apn, fips, mak, recordId, propertyId, value, beds, occupied]
        .concat([phone, email, notes, i % 4 === 0 ? 'x' : ''])
        .join(','),
    );
    // A bare duplicate of this address that fills no name but bedrooms, with extra cells.
    if (i % 97 === 0) rows.push(`${house} Main St,${city},${st},${zip},,,,,,,,,3,,,,,extra,cells,here`);
  }
  return `${rows.join('\n')}\n`;
}
