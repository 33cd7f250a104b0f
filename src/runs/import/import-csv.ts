/**
 * Imports a CSV into a list: stream rows, map headers, normalize, dedupe-upsert in
 * batches of 1,000 (seed 004), add list memberships with the original columns, and give
 * every row an outcome — created, duplicate (of which lead, by which key) or rejected
 * (row, field, reason) into rejected.csv. Each batch commits on its own, so a failure
 * later in the file never loses rows already accepted.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../../domain/clock.js';
import type { RowRejection } from '../../domain/lead.js';
import { sqliteHandleOf } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { LeadKeyIndex, upsertLeadValues, type DedupeKey } from '../../store/repos/leads.js';
import { addListMembers, createList, type NewMember } from '../../store/repos/lists.js';
import { ImportError } from './errors.js';
import { readLeadBatches, type CsvLead } from './lead-batches.js';
import { createLeadIdGenerator } from './lead-id.js';

export interface ImportOptions {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
  path: string;
  listName: string;
  /** `--map column=field` overrides. */
  overrides?: Record<string, string>;
  /** Where rejected rows go; written only when there are any. */
  rejectedPath: string;
  source?: string;
  batchSize?: number;
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
}

export interface ImportSummary {
  listId: string;
  rows: number;
  created: number;
  duplicates: number;
  /** Duplicates by the key that matched. */
  duplicatesBy: Record<DedupeKey, number>;
  rejected: number;
  rejectedPath: string | null;
  /** Headers that fed no field. */
  unmapped: string[];
  /** Lead ids in first-seen order (each once). */
  leadIds: string[];
}

export async function importCsv(o: ImportOptions): Promise<ImportSummary> {
  const batchSize = o.batchSize ?? 1000;
  const source = o.source ?? 'csv';
  // SQLite: lookups and inserts as prepared statements on the connection under o.db.
  const sqlite = sqliteHandleOf(o.db);
  const newId = createLeadIdGenerator(o.clock);
  const index = new LeadKeyIndex();
  const summary: ImportSummary = {
    listId: randomUUID(),
    rows: 0,
    created: 0,
    duplicates: 0,
    duplicatesBy: { vendor_record_id: 0, apn: 0, mak: 0, address_key: 0 },
    rejected: 0,
    rejectedPath: null,
    unmapped: [],
    leadIds: [],
  };
  const seenLeads = new Set<string>();
  const rejections: RowRejection[] = [];
  let headerSeen = false;
  let listCreated = false;

  const flush = async (leads: CsvLead[]) => {
    if (leads.length === 0) return;
    const nowIso = toIso(o.clock.now());
    await o.db.transaction().execute(async (trx) => {
      if (!listCreated) {
        await createList(
          trx,
          { id: summary.listId, accountId: o.accountId, name: o.listName, source },
          nowIso,
        );
        listCreated = true;
      }
      const outcomes = await upsertLeadValues(trx, o.accountId, leads, nowIso, newId, index, sqlite);
      const members: NewMember[] = [];
      for (let i = 0; i < outcomes.length; i++) {
        const out = outcomes[i]!;
        if (out.created) summary.created++;
        else {
          summary.duplicates++;
          if (out.duplicate) summary.duplicatesBy[out.duplicate.by]++;
        }
        if (!seenLeads.has(out.leadId)) {
          seenLeads.add(out.leadId);
          summary.leadIds.push(out.leadId);
          members.push({
            leadId: out.leadId,
            rowNumber: out.rowNumber,
            inputRow: null,
            inputRowJson: leads[i]!.inputRowJson,
          });
        }
      }
      await addListMembers(trx, summary.listId, members, nowIso, sqlite);
    });
  };

  const batches = readLeadBatches(o.path, { overrides: o.overrides, source, batchSize, signal: o.signal });
  for await (const item of batches) {
    if ('headers' in item) {
      headerSeen = true;
      summary.unmapped = item.unmapped;
      continue;
    }
    summary.rows = item.rows;
    for (const r of item.rejections) rejections.push(r);
    await flush(item.leads);
    o.onProgress?.(summary.rows);
  }
  if (!headerSeen) throw new ImportError('no_header', `no header row in ${o.path}`);
  if (!listCreated) {
    await createList(
      o.db,
      { id: summary.listId, accountId: o.accountId, name: o.listName, source },
      toIso(o.clock.now()),
    );
  }
  summary.rejected = rejections.length;
  if (rejections.length > 0) {
    await writeRejected(o.rejectedPath, rejections);
    summary.rejectedPath = o.rejectedPath;
  }
  return summary;
}

async function writeRejected(path: string, rejections: readonly RowRejection[]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: ['row', 'field', 'reason'] });
  csv.pipe(out);
  for (const r of rejections) csv.write([r.rowNumber, r.field, r.reason]);
  csv.end();
  await new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
}
