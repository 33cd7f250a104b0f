/**
 * enriched.csv: the dialer export. Columns, in this exact order: LeadID, Address, Owner,
 * Phone1–3, Email1–3, then Phone1_source, Email1_source, Cached (seed 002 Epic D), then the
 * original input columns. Phones are E.164, primary first then by confidence; litigator
 * and suppressed numbers are never exported, DNC/TCPA numbers only with `includeDnc`.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import { neutralizeCell } from '../domain/csv/neutralize.js';
import type { Database } from '../store/schema.js';
import type { LeadContact } from '../store/repos/contact-points.js';
import { getLeadsByIds, type LeadRow } from '../store/repos/leads.js';
import { runItems } from '../store/repos/runs.js';

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

/** Primary first, then highest confidence, then first seen. */
function ranked(contacts: readonly LeadContact[]): LeadContact[] {
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

export function dialablePhones(contacts: readonly LeadContact[], includeDnc: boolean): LeadContact[] {
  return ranked(contacts.filter((c) => c.kind === 'phone')).filter(
    (c) => !c.litigator && (includeDnc || (!c.dnc && !c.tcpa)),
  );
}

function addressOf(lead: LeadRow): string {
  const street = [lead.address_line1, lead.address_line2].filter(Boolean).join(' ');
  const tail = [lead.state, lead.zip5].filter(Boolean).join(' ');
  return [street, lead.city, tail].filter((s) => s && s.length > 0).join(', ');
}

export async function writeEnrichedCsv(
  db: Kysely<Database>,
  o: {
    runId: string;
    path: string;
    includeDnc: boolean;
    contacts: Map<string, LeadContact[]>;
    inputRows: Map<string, Record<string, string>>;
  },
): Promise<{ rows: number }> {
  const items = await runItems(db, o.runId);
  const leads = new Map(
    (
      await getLeadsByIds(
        db,
        items.map((i) => i.lead_id),
      )
    ).map((l) => [l.id, l]),
  );
  // Input columns in first-seen order; a name that collides with ours gets an "input_" prefix.
  const inputColumns: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    for (const col of Object.keys(o.inputRows.get(item.lead_id) ?? {})) {
      if (!seen.has(col)) {
        seen.add(col);
        inputColumns.push(col);
      }
    }
  }
  const ours = new Set<string>(DIALER_COLUMNS);
  const header = [...DIALER_COLUMNS, ...inputColumns.map((c) => (ours.has(c) ? `input_${c}` : c))];

  mkdirSync(dirname(o.path), { recursive: true });
  const out = createWriteStream(o.path);
  const csv = stringify({ header: false, record_delimiter: '\r\n', bom: true });
  csv.pipe(out);
  csv.write(header.map(neutralizeCell));
  let rows = 0;
  for (const item of items) {
    const lead = leads.get(item.lead_id);
    if (!lead) continue;
    const contacts = o.contacts.get(lead.id) ?? [];
    const phones = dialablePhones(contacts, o.includeDnc).slice(0, 3);
    const emails = ranked(contacts.filter((c) => c.kind === 'email')).slice(0, 3);
    const input = o.inputRows.get(lead.id) ?? {};
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
      item.cached === 1 ? 'true' : 'false',
      ...inputColumns.map((c) => input[c] ?? ''),
    ];
    if (!csv.write(record.map(neutralizeCell))) await new Promise((r) => csv.once('drain', r));
    rows++;
  }
  csv.end();
  await new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  return { rows };
}
