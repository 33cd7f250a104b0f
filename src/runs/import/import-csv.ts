/**
 * Imports a CSV into a list: stream rows, map headers, normalize, dedupe-upsert in
 * batches of 1,000 (seed 004), add list memberships with the original columns, and give
 * every row an outcome — created, duplicate (of which lead, by which key) or rejected
 * (row, field, reason) into rejected.csv. Batches are committed together, up to 10,000 rows
 * a transaction, and a failure while reading commits the whole batches read before it, so a
 * failure later in the file never loses rows already accepted.
 *
 * Speed (bench/import.bench.ts, docs/performance.md): a large file is parsed on a second
 * thread while this one writes, when a core is idle (parser-thread.ts); on SQLite the store
 * writes through prepared statements (Store.sqlite); lead ids are time-ordered (domain/ids.ts)
 * so inserts append to the id indexes; each batch dedupes with a key index of its own
 * (earlier batches are found in the database), so memory does not grow with the file.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify';
import type { ControlledTransaction, Kysely } from 'kysely';
import { toIso, type Clock } from '../../domain/clock.js';
import type { RowRejection } from '../../domain/lead.js';
import { sqliteHandleOf } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { LeadKeyIndex, upsertLeadValues, type DedupeKey } from '../../store/repos/leads.js';
import { createInputHeader, recordListInputColumns } from '../../store/repos/list-inputs.js';
import { addListMembers, createList, type NewMember } from '../../store/repos/lists.js';
import { ImportError } from './errors.js';
import { readLeadBatches, type CsvLead, type HeaderItem, type LeadBatch } from './lead-batches.js';
import { createOrderedIdGenerator as createLeadIdGenerator } from '../../domain/ids.js';
import { parallelLeadBatches } from './parser-thread.js';

/** Files from this size on may be parsed on a second thread (it takes ~0.5 s to start). */
export const PARALLEL_PARSE_MIN_BYTES = 2 * 1024 * 1024;

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
  /** Rows deduplicated and upserted together (default 1,000). */
  batchSize?: number;
  /** Whole batches are committed together up to this many accepted rows (default 10,000). */
  commitRows?: number;
  /**
   * Parse on a second thread: true always, false never; by default for a file that
   * mayParseInParallel accepts, once a core proved idle (parser-thread.ts).
   */
  parallel?: boolean;
  /** Called after each commit and at the end with the data rows read so far. */
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
  /** A parser thread parsed the file from this data row on (null: all parsed by the import). */
  parserThreadFrom: number | null;
}

export async function importCsv(o: ImportOptions): Promise<ImportSummary> {
  const batchSize = o.batchSize ?? 1000;
  const commitRows = o.commitRows ?? 10_000;
  const source = o.source ?? 'csv';
  // SQLite: lookups and inserts as prepared statements on the connection under o.db.
  const sqlite = sqliteHandleOf(o.db);
  const newId = createLeadIdGenerator(o.clock);
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
    parserThreadFrom: null,
  };
  const seenLeads = new Set<string>();
  const rejections: RowRejection[] = [];
  let headerSeen = false;
  /** The input rows' keys: the header, duplicate and blank names made unique. */
  let inputKeys: string[] = [];
  let listCreated = false;
  /** The input_headers row this import's memberships line up with (created with the list). */
  let inputHeaderId: number | null = null;

  const storeBatch = async (trx: Kysely<Database>, leads: CsvLead[]) => {
    const nowIso = toIso(o.clock.now());
    if (!listCreated) {
      await createList(trx, { id: summary.listId, accountId: o.accountId, name: o.listName, source }, nowIso);
      await recordListInputColumns(trx, summary.listId, inputKeys);
      inputHeaderId = await createInputHeader(trx, inputKeys, nowIso);
      listCreated = true;
    }
    // A fresh key index per batch: earlier batches are in the database (this transaction or
    // committed), where the batch's lookups find them, so memory does not grow with the file.
    const index = new LeadKeyIndex();
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
          inputHeaderId,
        });
      }
    }
    await addListMembers(trx, summary.listId, members, nowIso, sqlite);
  };

  // Each batch is stored as it arrives, in a transaction left open until it holds
  // `commitRows` rows (or the file ends): a batch's arrays then die young instead of waiting
  // for the commit, which kept ~10 MB alive through every scavenge.
  let trx: ControlledTransaction<Database> | null = null;
  let trxRows = 0;
  let listWasCreated = listCreated;
  /** Ends the open transaction: committed, or (when that or anything before failed) rolled back. */
  const end = async (how: 'commit' | 'rollback') => {
    const open = trx;
    if (!open) return;
    trx = null;
    trxRows = 0;
    let commitFailed: { error: unknown } | null = null;
    if (how === 'commit') {
      try {
        await open.commit().execute();
        return;
      } catch (error) {
        commitFailed = { error };
      }
    }
    listCreated = listWasCreated; // rolled back with the rest
    await open.rollback().execute();
    if (commitFailed) throw commitFailed.error;
  };
  const store = async (leads: CsvLead[]) => {
    if (!trx) {
      trx = await o.db.startTransaction().execute();
      listWasCreated = listCreated;
    }
    try {
      await storeBatch(trx, leads);
    } catch (err) {
      await end('rollback');
      throw err;
    }
    trxRows += leads.length;
  };
  const commit = () => end('commit');

  const options = { overrides: o.overrides, source, batchSize, signal: o.signal };
  const items =
    o.parallel === false || (o.parallel === undefined && !(await mayParseInParallel(o.path)))
      ? readLeadBatches(o.path, options)
      : parallelLeadBatches(o.path, options, {
          ifIdle: o.parallel === undefined,
          onHandOff: (rows) => (summary.parserThreadFrom = rows + 1),
        });
  try {
    for (;;) {
      let next: IteratorResult<HeaderItem | LeadBatch>;
      try {
        next = await items.next();
      } catch (err) {
        // The file failed (or the import was aborted) here: keep the whole batches before it.
        await commit();
        throw err;
      }
      if (next.done) break;
      const item = next.value;
      if ('headers' in item) {
        headerSeen = true;
        inputKeys = item.inputKeys;
        summary.unmapped = item.unmapped;
        continue;
      }
      summary.rows = item.rows;
      for (const r of item.rejections) rejections.push(r);
      if (item.leads.length > 0) await store(item.leads);
      if (trxRows >= commitRows || item.last) {
        await commit();
        o.onProgress?.(summary.rows);
      }
    }
  } finally {
    // Only an error thrown while storing or by the caller's loop can leave it open.
    await end('rollback');
    await items.return(undefined);
  }
  if (!headerSeen) throw new ImportError('no_header', `no header row in ${o.path}`);
  if (!listCreated) {
    await createList(
      o.db,
      { id: summary.listId, accountId: o.accountId, name: o.listName, source },
      toIso(o.clock.now()),
    );
    await recordListInputColumns(o.db, summary.listId, inputKeys);
  }
  summary.rejected = rejections.length;
  if (rejections.length > 0) {
    await writeRejected(o.rejectedPath, rejections);
    summary.rejectedPath = o.rejectedPath;
  }
  return summary;
}

/** A parser thread can pay off: a large file and more than one core. */
export async function mayParseInParallel(path: string): Promise<boolean> {
  if (availableParallelism() < 2) return false;
  try {
    const info = await stat(path);
    return info.isFile() && info.size >= PARALLEL_PARSE_MIN_BYTES;
  } catch {
    return false; // the reader reports why
  }
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
