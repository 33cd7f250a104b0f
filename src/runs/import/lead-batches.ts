/**
 * The parsing half of an import: CSV rows → header mapping → rowToLead → store values, in
 * batches of `batchSize` accepted rows. No database access, so it runs on the import's own
 * thread or on a parser thread (parser-worker.ts) alike; both cut batches at the same rows
 * (the importing thread's last batch before a parser thread takes over is cut short, `cut`).
 */
import { hasAddressColumn, mapHeaders, type HeaderMapping } from '../../domain/csv/header-mapping.js';
import { inputRowKeys, rowToLead } from '../../domain/csv/row-to-lead.js';
import type { RowRejection } from '../../domain/lead.js';
import { draftToValues, type PreparedLead } from '../../store/repos/leads.js';
import { ImportError } from './errors.js';
import { readCsvRowBatches } from './read-csv.js';

/** An accepted row, ready for upsertLeadValues and the list membership. */
export interface CsvLead extends PreparedLead {
  /**
   * The original columns as the membership stores them: the row's cells as a JSON array,
   * lined up with the header item's `inputKeys` (store/repos/list-inputs.ts).
   */
  inputRowJson: string;
}

export interface HeaderItem {
  headers: string[];
  /** The headers made unique (inputRowKeys): the keys of the rows' original columns. */
  inputKeys: string[];
  /** Headers that feed no field. */
  unmapped: string[];
}

export interface LeadBatch {
  /** Data rows read so far, this batch's included. */
  rows: number;
  /** `batchSize` accepted rows; fewer only in the last batch. */
  leads: CsvLead[];
  /** Rows rejected since the previous batch, in file order. */
  rejections: RowRejection[];
  /** The file has no more rows. */
  last: boolean;
}

export interface LeadBatchOptions {
  overrides?: Record<string, string> | undefined;
  source: string;
  batchSize: number;
  signal?: AbortSignal | undefined;
  /**
   * Data rows already imported by someone else: they are parsed (to find where rows start)
   * but neither mapped nor yielded, and the first batch starts after them. Must be the
   * `rows` of a batch that was not the last.
   */
  skipRows?: number;
  /**
   * Set by the caller while batches are read: the batch in progress is cut short when the
   * data rows read reach `cut.rows` exactly (a parser thread goes on from there).
   */
  cut?: { rows: number };
}

/** Yields the header once, then batches until the last. Whole-file failures are ImportErrors. */
export async function* readLeadBatches(
  path: string,
  o: LeadBatchOptions,
): AsyncGenerator<HeaderItem | LeadBatch> {
  const skipRows = o.skipRows ?? 0;
  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  let rows = 0;
  let leads: CsvLead[] = [];
  let rejections: RowRejection[] = [];
  for await (const batch of readCsvRowBatches(path, o.signal ? { signal: o.signal } : undefined)) {
    if ('headers' in batch) {
      headers = batch.headers;
      const mapped = mapHeaders(headers, o.overrides);
      if (mapped.errors.length > 0) throw new ImportError('bad_map_option', mapped.errors.join('; '));
      if (!hasAddressColumn(mapped.mapping) && !hasAnyIdentity(mapped.mapping)) {
        throw new ImportError(
          'no_address_column',
          `no address column in ${path}: expected a header such as "Property Address" or "Address" (found: ${headers.slice(0, 8).join(', ')}); use --map "<column>=street"`,
        );
      }
      mapping = mapped.mapping;
      yield { headers, inputKeys: inputRowKeys(headers), unmapped: mapped.unmapped };
      continue;
    }
    if (!headers || !mapping) continue;
    // Rows before skipRows are counted, not mapped.
    const from = Math.min(Math.max(skipRows - rows, 0), batch.rows.length);
    rows += from;
    for (let i = from; i < batch.rows.length; i++) {
      rows++;
      const outcome = rowToLead(batch.rows[i]!, headers, mapping, batch.firstRowNumber + i, o.source);
      if (outcome.ok) {
        const d = outcome.draft;
        leads.push({
          rowNumber: d.rowNumber,
          values: draftToValues(d),
          inputRowJson: JSON.stringify(batch.rows[i]),
        });
      } else rejections.push(outcome.rejection);
      if (leads.length >= o.batchSize || rows === o.cut?.rows) {
        yield { rows, leads, rejections, last: false };
        leads = [];
        rejections = [];
      }
    }
  }
  if (!headers) throw new ImportError('no_header', `no header row in ${path}`);
  yield { rows, leads, rejections, last: true };
}

/** A parcel list (APN column, no address) is importable too; anything else needs an address. */
function hasAnyIdentity(mapping: HeaderMapping): boolean {
  for (const field of mapping.values()) if (field === 'apn') return true;
  return false;
}
