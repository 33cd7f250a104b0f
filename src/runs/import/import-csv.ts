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
import { hasAddressColumn, mapHeaders, type HeaderMapping } from '../../domain/csv/header-mapping.js';
import { rowToLead } from '../../domain/csv/row-to-lead.js';
import type { LeadDraft, RowRejection } from '../../domain/lead.js';
import type { Database } from '../../store/schema.js';
import { LeadKeyIndex, upsertLeadBatch, type DedupeKey } from '../../store/repos/leads.js';
import { addListMembers, createList } from '../../store/repos/lists.js';
import { ImportError } from './errors.js';
import { readCsvRows } from './read-csv.js';

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
  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  let unmapped: string[] = [];
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
  let batch: LeadDraft[] = [];
  let listCreated = false;

  const flush = async () => {
    if (batch.length === 0) return;
    const drafts = batch;
    batch = [];
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
      const outcomes = await upsertLeadBatch(trx, o.accountId, drafts, nowIso, randomUUID, index);
      const members = [];
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
          members.push({ leadId: out.leadId, rowNumber: out.rowNumber, inputRow: drafts[i]!.inputRow });
        }
      }
      await addListMembers(trx, summary.listId, members, nowIso);
    });
  };

  for await (const event of readCsvRows(o.path, o.signal ? { signal: o.signal } : undefined)) {
    if ('headers' in event) {
      headers = event.headers;
      const mapped = mapHeaders(headers, o.overrides);
      if (mapped.errors.length > 0) throw new ImportError('bad_map_option', mapped.errors.join('; '));
      if (!hasAddressColumn(mapped.mapping) && !hasAnyIdentity(mapped.mapping)) {
        throw new ImportError(
          'no_address_column',
          `no address column in ${o.path}: expected a header such as "Property Address" or "Address" (found: ${headers.slice(0, 8).join(', ')}); use --map "<column>=street"`,
        );
      }
      mapping = mapped.mapping;
      unmapped = mapped.unmapped;
      continue;
    }
    if (!headers || !mapping) continue;
    summary.rows++;
    const outcome = rowToLead(event.cells, headers, mapping, event.rowNumber, source);
    if (outcome.ok) batch.push(outcome.draft);
    else rejections.push(outcome.rejection);
    if (batch.length >= batchSize) {
      await flush();
      o.onProgress?.(summary.rows);
    }
  }
  if (!headers) throw new ImportError('no_header', `no header row in ${o.path}`);
  await flush();
  o.onProgress?.(summary.rows);
  if (!listCreated) {
    await createList(
      o.db,
      { id: summary.listId, accountId: o.accountId, name: o.listName, source },
      toIso(o.clock.now()),
    );
  }
  summary.rejected = rejections.length;
  summary.unmapped = unmapped;
  if (rejections.length > 0) {
    await writeRejected(o.rejectedPath, rejections);
    summary.rejectedPath = o.rejectedPath;
  }
  return summary;
}

/** A parcel list (APN column, no address) is importable too; anything else needs an address. */
function hasAnyIdentity(mapping: HeaderMapping): boolean {
  for (const field of mapping.values()) if (field === 'apn') return true;
  return false;
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
