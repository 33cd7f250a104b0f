/**
 * One CSV row → a LeadDraft, or the first reason it cannot be one.
 *
 * Hot path (every imported row): the column layout is compiled once per mapping and cached;
 * cell parsing uses character loops and module-level regexes; no spreads on the common path.
 *
 * Rules where the row is kept or rejected:
 * - A row needs one of: a property address with a house number, an owner, an APN, a phone or
 *   an email. Otherwise it is rejected on field "row".
 * - A street without a house number ("MAIN ST", "PO BOX 12") is rejected on "street" (or
 *   "fullAddress") unless the row has an owner, APN, phone or email; then the lead is kept with
 *   `address: null` and the street stays in `rawAddress` for display and manual repair.
 * - City/state/ZIP without a street give `address: null` (kept in `rawAddress`).
 * - A street cell holding a whole address ("123 Main St, Springfield, IL 62701") while the city
 *   and ZIP cells are empty is split with parseAddressLine, as a one-string address would be.
 * - Validation failures (ZIP, state, number, yes/no, phone, email, FIPS) reject the whole row.
 *   Reasons quote the bad value except for phones and emails (PII): at most the last 4
 *   digits or the email's domain.
 */
import type { LeadDraft, LeadOwner, RowOutcome } from '../lead.js';
import type { NormalizedAddress, RawAddress } from '../address/types.js';
import { isValidZipInput, normalizeAddress, normalizeState } from '../address/normalize-address.js';
import { parseAddressLine } from '../address/parse-address-line.js';
import { normalizeOwner } from '../person/normalize-person.js';
import { EMAIL_FIELDS, LEAD_FIELDS, PHONE_FIELDS, type LeadField } from './field-aliases.js';

/** Column index per field, -1 when unmapped; plus the inputRow key of every column. */
interface RowPlan {
  headers: string[];
  col: Record<LeadField, number>;
  /** Mapped phone/email columns and, at the same position, the slot each feeds. */
  phoneCols: number[];
  phoneSlots: LeadField[];
  emailCols: number[];
  emailSlots: LeadField[];
  /** Unique inputRow key per header column (duplicates get " (2)", blanks "column N"). */
  keys: string[];
  /** Column whose key is "__proto__", or -1. */
  protoIndex: number;
}

const plans = new WeakMap<ReadonlyMap<number, LeadField>, RowPlan>();

/** Cells that mean "no value" in numeric, yes/no, identifier and contact columns. */
const NULL_TOKENS = new Set(['', 'n/a', 'na', '-', '--', 'null', 'none', '#n/a']);

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const NUMBER_NOISE_RE = /[$,%\s]/g;
const LIST_SEPARATORS_RE = /[;,|]/;

/** Longest quoted value in a rejection reason, so a runaway cell cannot flood the report. */
const MAX_QUOTED = 40;

class Rejection {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

/**
 * Builds a lead from one row. `mapping` comes from mapHeaders and is treated as immutable:
 * its compiled layout is cached per mapping object.
 */
export function rowToLead(
  cells: string[],
  headers: string[],
  mapping: ReadonlyMap<number, LeadField>,
  rowNumber: number,
  source: string,
): RowOutcome {
  const plan = planFor(headers, mapping);
  try {
    return { ok: true, draft: buildDraft(cells, plan, rowNumber, source) };
  } catch (err) {
    if (err instanceof Rejection)
      return { ok: false, rejection: { rowNumber, field: err.field, reason: err.reason } };
    throw err;
  }
}

function buildDraft(cells: string[], plan: RowPlan, rowNumber: number, source: string): LeadDraft {
  const col = plan.col;

  // Property address.
  const streetField = col.street >= 0 && text(cells, col.street) !== null ? 'street' : 'fullAddress';
  const rawAddress = readAddress(cells, col.street, col.line2, col.city, col.state, col.zip, col.fullAddress);
  checkZip(rawAddress.zip, 'zip');
  checkState(rawAddress.state, 'state');
  let address: NormalizedAddress | null = null;
  let streetWithoutNumber = false;
  if (rawAddress.street) {
    const normalized = normalizeAddress(rawAddress);
    if (normalized.houseNumber !== null) address = normalized;
    else streetWithoutNumber = true;
  }

  // Owners.
  let owner = readOwner(cells, col.ownerFirst, col.ownerLast, col.ownerFull);
  const company = text(cells, col.company);
  if (company !== null) owner = withCompany(owner, company);
  const coOwner = readOwner(cells, col.owner2First, col.owner2Last, col.owner2Full);

  // Identifiers and contacts.
  const apn = token(cells, col.apn);
  const fips = readFips(cells, col.fips);
  const inputPhones = readPhones(cells, plan.phoneCols, plan.phoneSlots);
  const inputEmails = readEmails(cells, plan.emailCols, plan.emailSlots);

  const hasOther = owner !== null || apn !== null || inputPhones.length > 0 || inputEmails.length > 0;
  if (streetWithoutNumber && !hasOther) throw new Rejection(streetField, 'no house number');
  if (address === null && !hasOther) {
    throw new Rejection('row', 'no address, owner, APN or contact in this row');
  }

  // Mailing address: kept whenever it has a street line (PO boxes have no house number).
  const rawMailing = readAddress(
    cells,
    col.mailingStreet,
    col.mailingLine2,
    col.mailingCity,
    col.mailingState,
    col.mailingZip,
    -1,
  );
  checkZip(rawMailing.zip, 'mailingZip');
  checkState(rawMailing.state, 'mailingState');
  let mailingAddress: NormalizedAddress | null = null;
  if (rawMailing.street) {
    // Owner-occupied rows repeat the property address: copy its standardization instead of
    // parsing the same text twice (a copy, so the two objects stay independent).
    mailingAddress =
      address !== null && sameRawAddress(rawMailing, rawAddress)
        ? copyAddress(address)
        : normalizeAddress(rawMailing);
  }

  return {
    rowNumber,
    source,
    address,
    rawAddress,
    owner,
    coOwner,
    mailingAddress,
    apn,
    fips,
    mak: token(cells, col.mak),
    vendorRecordId: token(cells, col.vendorRecordId),
    propertyId: token(cells, col.propertyId),
    facts: {
      propertyType: token(cells, col.propertyType),
      beds: num(cells, col.beds, 'beds'),
      baths: num(cells, col.baths, 'baths'),
      sqft: num(cells, col.sqft, 'sqft'),
      yearBuilt: num(cells, col.yearBuilt, 'yearBuilt'),
      estimatedValue: num(cells, col.estimatedValue, 'estimatedValue'),
      estimatedEquity: num(cells, col.estimatedEquity, 'estimatedEquity'),
      equityPercent: num(cells, col.equityPercent, 'equityPercent'),
      ownerOccupied: bool(cells, col.ownerOccupied, 'ownerOccupied'),
      absenteeOwner: bool(cells, col.absenteeOwner, 'absenteeOwner'),
      ownerAge: num(cells, col.ownerAge, 'ownerAge'),
    },
    distress: {
      preForeclosure: bool(cells, col.preForeclosure, 'preForeclosure'),
      foreclosure: bool(cells, col.foreclosure, 'foreclosure'),
      taxLien: bool(cells, col.taxLien, 'taxLien'),
      bankruptcy: bool(cells, col.bankruptcy, 'bankruptcy'),
      vacant: bool(cells, col.vacant, 'vacant'),
      highEquity: bool(cells, col.highEquity, 'highEquity'),
      freeClear: bool(cells, col.freeClear, 'freeClear'),
    },
    inputPhones,
    inputEmails,
    // Built when first read: an import stores the cells as they are (lead-batches.ts), so
    // most drafts never need the header → cell object.
    get inputRow(): Record<string, string> {
      const row = inputRow(cells, plan);
      Object.defineProperty(this, 'inputRow', {
        value: row,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return row;
    },
  };
}

// ---- layout -------------------------------------------------------------------------------

function planFor(headers: string[], mapping: ReadonlyMap<number, LeadField>): RowPlan {
  const cached = plans.get(mapping);
  if (cached && (cached.headers === headers || sameHeaders(cached.headers, headers))) return cached;
  const col = Object.fromEntries(LEAD_FIELDS.map((f) => [f, -1])) as Record<LeadField, number>;
  for (const [index, field] of mapping) col[field] = index;
  const keys = inputRowKeys(headers);
  const plan: RowPlan = {
    headers,
    col,
    phoneSlots: PHONE_FIELDS.filter((f) => col[f] >= 0),
    phoneCols: PHONE_FIELDS.filter((f) => col[f] >= 0).map((f) => col[f]),
    emailSlots: EMAIL_FIELDS.filter((f) => col[f] >= 0),
    emailCols: EMAIL_FIELDS.filter((f) => col[f] >= 0).map((f) => col[f]),
    keys,
    protoIndex: keys.indexOf('__proto__'),
  };
  plans.set(mapping, plan);
  return plan;
}

/**
 * The key of each column in a draft's inputRow: the header, made unique — a duplicate gets
 * " (2)", " (3)", …, a blank one "column N" (N counted from 1).
 */
export function inputRowKeys(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((header, i) => {
    const base = header.trim() === '' ? `column ${i + 1}` : header;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

function sameHeaders(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function inputRow(cells: string[], plan: RowPlan): Record<string, string> {
  const keys = plan.keys;
  const row: Record<string, string> = {};
  const n = keys.length;
  for (let i = 0; i < n; i++) row[keys[i] as string] = cells[i] ?? '';
  // Assigning to "__proto__" does nothing (a string is not a prototype); define it as a key.
  if (plan.protoIndex >= 0) {
    Object.defineProperty(row, '__proto__', {
      value: cells[plan.protoIndex] ?? '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  for (let i = n; i < cells.length; i++) row[`column ${i + 1}`] = cells[i] as string;
  return row;
}

// ---- cells --------------------------------------------------------------------------------

/** Trimmed cell text, null when the column is unmapped or the cell blank. */
function text(cells: string[], index: number): string | null {
  if (index < 0) return null;
  const cell = cells[index];
  if (cell === undefined) return null;
  const trimmed = cell.trim();
  return trimmed === '' ? null : trimmed;
}

/** Like text(), with "N/A", "null", "-" … also meaning no value. */
function token(cells: string[], index: number): string | null {
  const t = text(cells, index);
  return t === null || isNullToken(t) ? null : t;
}

function isNullToken(t: string): boolean {
  return t.length <= 4 && NULL_TOKENS.has(t.toLowerCase());
}

function quote(value: string): string {
  return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
}

function readAddress(
  cells: string[],
  streetCol: number,
  line2Col: number,
  cityCol: number,
  stateCol: number,
  zipCol: number,
  fullCol: number,
): RawAddress {
  const street = text(cells, streetCol);
  const line2 = text(cells, line2Col);
  const city = text(cells, cityCol);
  const state = token(cells, stateCol);
  const zip = token(cells, zipCol);
  let oneString: string | null = null;
  if (street === null) oneString = text(cells, fullCol);
  else if (city === null && zip === null && street.includes(',')) oneString = street;
  if (oneString === null) return { street, line2, city, state, zip };
  // Columns fill what the one-string address lacks.
  const parsed = parseAddressLine(oneString);
  return {
    street: parsed.street ?? null,
    line2: parsed.line2 ?? line2,
    city: parsed.city ?? city,
    state: parsed.state ?? state,
    zip: parsed.zip ?? zip,
  };
}

function sameRawAddress(a: RawAddress, b: RawAddress): boolean {
  return (
    a.street === b.street &&
    a.line2 === b.line2 &&
    a.city === b.city &&
    a.state === b.state &&
    a.zip === b.zip
  );
}

function copyAddress(a: NormalizedAddress): NormalizedAddress {
  return {
    houseNumber: a.houseNumber,
    preDirectional: a.preDirectional,
    streetName: a.streetName,
    suffix: a.suffix,
    postDirectional: a.postDirectional,
    unitDesignator: a.unitDesignator,
    unitNumber: a.unitNumber,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    zip5: a.zip5,
    zip4: a.zip4,
  };
}

function checkZip(zip: string | null | undefined, field: string): void {
  if (zip && !isValidZipInput(zip)) throw new Rejection(field, `not a ZIP code: ${quote(zip)}`);
}

function checkState(state: string | null | undefined, field: string): void {
  if (state && normalizeState(state) === null) throw new Rejection(field, `unknown state: ${quote(state)}`);
}

function readOwner(cells: string[], firstCol: number, lastCol: number, fullCol: number): LeadOwner | null {
  const first = text(cells, firstCol);
  const last = text(cells, lastCol);
  const full = text(cells, fullCol);
  if (first === null && last === null && full === null) return null;
  return normalizeOwner({ first, last, full });
}

/**
 * A company column makes the lead's owner an entity. When the row also names a person, the
 * person stays the owner (the one to skip-trace) and the company is recorded beside them.
 */
function withCompany(owner: LeadOwner | null, company: string): LeadOwner | null {
  if (owner !== null) {
    return owner.company !== null ? owner : { ...owner, company: company.toUpperCase() };
  }
  const entity = normalizeOwner({ full: company });
  if (entity === null) return null;
  if (entity.company !== null && entity.ownerType !== 'individual' && entity.ownerType !== 'unknown')
    return entity;
  const name = entity.full ?? company.toUpperCase();
  return {
    first: null,
    middle: null,
    last: null,
    full: name,
    company: name,
    ownerType:
      entity.ownerType === 'individual' || entity.ownerType === 'unknown' ? 'corporate' : entity.ownerType,
  };
}

function readFips(cells: string[], index: number): string | null {
  const t = token(cells, index);
  if (t === null) return null;
  if (!isDigits(t) || t.length < 4 || t.length > 5)
    throw new Rejection('fips', `not a FIPS code: ${quote(t)}`);
  // Spreadsheets drop the leading zero of Alabama..Connecticut codes (01001 → 1001).
  return t.length === 4 ? `0${t}` : t;
}

function num(cells: string[], index: number, field: LeadField): number | null {
  const t = token(cells, index);
  if (t === null) return null;
  const n = parseNumber(t);
  if (n === null) throw new Rejection(field, `not a number: ${quote(t)}`);
  return n;
}

/**
 * "$250,000" → 250000, "72%" → 72, "-1,200.50" and "(1,200.50)" → -1200.5. Returns null when
 * the text is not a number. Commas only before the decimal point, "$" only before the digits,
 * "%" only at the end; no exponents or hex.
 */
export function parseNumber(t: string): number | null {
  let start = 0;
  let end = t.length;
  let negative = false;
  if (t.charCodeAt(0) === 40 /* ( */ && t.charCodeAt(end - 1) === 41 /* ) */) {
    negative = true;
    start++;
    end--;
  }
  let digits = 0;
  let dot = false;
  let noise = false;
  for (let i = start; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 /* . */ && !dot) dot = true;
    else if (c === 44 /* , */ && digits > 0 && !dot) noise = true;
    else if (c === 36 /* $ */ && digits === 0 && !dot) noise = true;
    else if (c === 37 /* % */ && digits > 0 && isTrailing(t, i + 1, end)) noise = true;
    else if (c === 32 || c === 9) noise = true;
    else if ((c === 45 /* - */ || c === 43) /* + */ && digits === 0 && !dot && !negative && i === start) {
      if (c === 45) negative = true;
      start++;
    } else return null;
  }
  if (digits === 0) return null;
  let body = t.slice(start, end);
  if (noise) body = body.replace(NUMBER_NOISE_RE, '');
  const n = Number(body);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

function isTrailing(t: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function bool(cells: string[], index: number, field: LeadField): boolean | null {
  const t = token(cells, index);
  if (t === null) return null;
  switch (t.toLowerCase()) {
    case 'y':
    case 'yes':
    case 'true':
    case 't':
    case '1':
    case 'x':
      return true;
    case 'n':
    case 'no':
    case 'false':
    case 'f':
    case '0':
      return false;
    default:
      throw new Rejection(field, `not a yes/no value: ${quote(t)}`);
  }
}

/** Phones as 10 digits (a leading US country code 1 dropped), deduplicated. */
function readPhones(cells: string[], cols: number[], slots: LeadField[]): string[] {
  const phones: string[] = [];
  for (let k = 0; k < cols.length; k++) {
    const t = token(cells, cols[k] as number);
    if (t === null) continue;
    for (const part of LIST_SEPARATORS_RE.test(t) ? t.split(LIST_SEPARATORS_RE) : [t]) {
      if (part.trim() === '') continue;
      const digits = onlyDigits(part);
      let phone: string | null = null;
      if (digits.length === 10) phone = digits;
      else if (digits.length === 11 && digits.charCodeAt(0) === 49 /* 1 */) phone = digits.slice(1);
      if (phone === null) {
        const hint = digits.length >= 4 ? ` (ends in ${digits.slice(-4)})` : '';
        throw new Rejection(slots[k] as string, `not a US phone number${hint}`);
      }
      if (!phones.includes(phone)) phones.push(phone);
    }
  }
  return phones;
}

/** Emails lower-cased and deduplicated. */
function readEmails(cells: string[], cols: number[], slots: LeadField[]): string[] {
  const emails: string[] = [];
  for (let k = 0; k < cols.length; k++) {
    const t = token(cells, cols[k] as number);
    if (t === null) continue;
    for (const part of LIST_SEPARATORS_RE.test(t) ? t.split(LIST_SEPARATORS_RE) : [t]) {
      const email = part.trim().toLowerCase();
      if (email === '') continue;
      if (!EMAIL_RE.test(email)) {
        const at = email.lastIndexOf('@');
        const domain = at >= 0 ? email.slice(at + 1) : '';
        const hint = domain !== '' ? ` (domain ${quote(domain)})` : '';
        throw new Rejection(slots[k] as string, `not an email address${hint}`);
      }
      if (!emails.includes(email)) emails.push(email);
    }
  }
  return emails;
}

function onlyDigits(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}
