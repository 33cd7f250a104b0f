/**
 * enriched.csv rows: the dialer export. Columns, in this exact order: LeadID, Address,
 * Owner, Phone1–3, Email1–3, then Phone1_source, Email1_source, Cached (seed 002 Epic D),
 * then the original input columns. Phones are E.164, primary first then by confidence;
 * litigator numbers are never exported, DNC/TCPA numbers only with `includeDnc`. Every
 * cell goes through the formula-injection guard.
 *
 * Contacts are read through `value` only when exported, so a contact whose value is
 * decrypted on first read (outputs.ts) is decrypted only if it reaches a Phone/Email cell.
 */
import { dialable, isComplianceExpired } from '../domain/compliance/rules.js';
import { timeZoneFor } from '../domain/compliance/time-zone.js';
import { neutralizeCell } from '../domain/csv/neutralize.js';
import type { TraceLead } from '../store/repos/leads.js';

/** What the export reads of a contact. */
export interface ExportContact {
  kind: 'phone' | 'email';
  /** Read only for the contacts that are exported. */
  readonly value: string;
  isPrimary: boolean;
  confidence: number | null;
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
  /** On the account's suppression list (opt-outs): never exported. */
  suppressed: boolean;
  sourceProvider: string;
  /** Phones: when the compliance check stops counting (null: never checked). */
  complianceExpiresAt: string | null;
}

export const DIALER_COLUMNS = [
  'LeadID',
  'Address',
  'Owner',
  'Phone1',
  'Phone2',
  'Phone3',
  'Email1',
  'Email2',
  'Email3',
  'Phone1_source',
  'Email1_source',
  'Cached',
] as const;

/**
 * The lead's IANA time zone (from state and ZIP) so a dialer can keep to calling hours.
 * Last, after the input columns, so the seed 002 column order above stays exact.
 */
export const TIME_ZONE_COLUMN = 'TimeZone';

const OURS = new Set<string>([...DIALER_COLUMNS, TIME_ZONE_COLUMN]);

/** Our columns, then the input columns (a name that collides with ours gets "input_"), then TimeZone. */
export function csvHeader(inputColumns: readonly string[]): string[] {
  return [
    ...DIALER_COLUMNS,
    ...inputColumns.map((c) => (OURS.has(c) ? `input_${c}` : c)),
    TIME_ZONE_COLUMN,
  ].map(neutralizeCell);
}

/** Primary first, then highest confidence, then first seen. */
function ranked<C extends ExportContact>(contacts: readonly C[]): C[] {
  return contacts
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        Number(b.c.isPrimary) - Number(a.c.isPrimary) ||
        (b.c.confidence ?? -1) - (a.c.confidence ?? -1) ||
        a.i - b.i,
    )
    .map(({ c }) => c);
}

/**
 * Litigator and suppressed numbers never; DNC/TCPA-flagged ones, and ones whose 31-day check
 * expired or never happened, only with includeDnc (domain/compliance/rules.ts).
 */
export function dialablePhones<C extends ExportContact>(
  contacts: readonly C[],
  includeDnc: boolean,
  nowIso: string,
): C[] {
  return ranked(contacts.filter((c) => c.kind === 'phone')).filter(
    (c) =>
      dialable(
        {
          dnc: c.dnc,
          tcpa: c.tcpa,
          litigator: c.litigator,
          suppressed: c.suppressed,
          current: !isComplianceExpired(c.complianceExpiresAt, nowIso),
        },
        { includeDnc },
      ).ok,
  );
}

function addressOf(lead: TraceLead): string {
  const street = [lead.address_line1, lead.address_line2].filter(Boolean).join(' ');
  const tail = [lead.state, lead.zip5].filter(Boolean).join(' ');
  return [street, lead.city, tail].filter((s) => s && s.length > 0).join(', ');
}

export function csvRecord(
  lead: TraceLead,
  cached: boolean,
  contacts: readonly ExportContact[],
  includeDnc: boolean,
  inputColumns: readonly string[],
  /** The row's cells of `inputColumns`, in their order (InputColumnsReader); none: blanks. */
  input: readonly string[] | undefined,
  nowIso: string,
): string[] {
  const phones = dialablePhones(contacts, includeDnc, nowIso);
  const emails = ranked(contacts.filter((c) => c.kind === 'email' && !c.suppressed));
  const record = [
    lead.id,
    addressOf(lead),
    lead.owner_company ?? lead.owner_full ?? [lead.owner_first, lead.owner_last].filter(Boolean).join(' '),
    phones[0]?.value ?? '',
    phones[1]?.value ?? '',
    phones[2]?.value ?? '',
    emails[0]?.value ?? '',
    emails[1]?.value ?? '',
    emails[2]?.value ?? '',
    phones[0]?.sourceProvider ?? '',
    emails[0]?.sourceProvider ?? '',
    cached ? 'true' : 'false',
  ];
  for (let k = 0; k < inputColumns.length; k++) record.push(input?.[k] ?? '');
  record.push(timeZoneFor(lead.state, lead.zip5) ?? '');
  return record.map(neutralizeCell);
}

/** The UTF-8 byte order mark enriched.csv starts with (spreadsheets then read it as UTF-8). */
export const CSV_BOM = '\ufeff';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line, CRLF-terminated: a cell is quoted (quotes doubled) when it holds a quote, a
 * comma, CR or LF — what csv-stringify writes with `quote_record_delimiter: true`, without
 * its per-record stream machinery. (The csv-stringify setup this replaced left a cell with a
 * bare LF or CR unquoted, which split the row in spreadsheets and dialers; input columns can
 * hold multi-line cells.)
 */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${line}\r\n`;
}
