/**
 * `leadtrace estimate`: what a CSV or a stored list would cost, with nothing written.
 * For a CSV: rows are parsed and normalized exactly as the import does, duplicates within
 * the file and leads already stored are counted (by address key and APN — the import also
 * matches MAK and vendor ids, so the real duplicate count can be a little higher), and the
 * traceable leads' idempotency keys are quoted against the cache.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { hasAddressColumn, mapHeaders } from '../domain/csv/header-mapping.js';
import { rowToLead } from '../domain/csv/row-to-lead.js';
import { addressKey, computeSignatures } from '../domain/signatures.js';
import type { ProviderCost } from '../providers/contract.js';
import type { Database } from '../store/schema.js';
import { knownLeadKeys } from '../store/repos/lead-lookup.js';
import { getTraceLeads, normalizeApn } from '../store/repos/leads.js';
import { listLeadIds } from '../store/repos/lists.js';
import { ImportError } from './import/errors.js';
import { readCsvRows } from './import/read-csv.js';
import { traceKeysOfLead } from './lead-signatures.js';
import { quoteKeys, type RunQuote } from './quote.js';

export interface Estimate {
  rows: number;
  rejected: number;
  /** Rows repeating an earlier row of the same file. */
  duplicatesInFile: number;
  /** Leads already stored for the account (a run would reuse them). */
  alreadyKnown: number;
  /** Leads the import would create. */
  newLeads: number;
  /** Leads without a street address (not traceable by address). */
  untraceable: number;
  quote: RunQuote;
}

interface EstimateContext {
  db: Kysely<Database>;
  accountId: string;
  clock: Clock;
  provider: string;
  cost: ProviderCost;
  sanitizedRetry: boolean;
}

export async function estimateCsv(
  o: EstimateContext & { path: string; overrides?: Record<string, string> },
): Promise<Estimate> {
  let headers: string[] | null = null;
  let mapping: ReturnType<typeof mapHeaders>['mapping'] | null = null;
  let rows = 0;
  let rejected = 0;
  let duplicatesInFile = 0;
  const seenAddress = new Set<string>();
  const seenApn = new Set<string>();
  const leads: {
    addressKey: string | null;
    apn: string | null;
    key: string | null;
    sanitizedKey: string | null;
  }[] = [];
  for await (const event of readCsvRows(o.path)) {
    if ('headers' in event) {
      headers = event.headers;
      const mapped = mapHeaders(headers, o.overrides);
      if (mapped.errors.length > 0) throw new ImportError('bad_map_option', mapped.errors.join('; '));
      if (!hasAddressColumn(mapped.mapping) && ![...mapped.mapping.values()].includes('apn')) {
        throw new ImportError(
          'no_address_column',
          `no address column in ${o.path}: use --map "<column>=street"`,
        );
      }
      mapping = mapped.mapping;
      continue;
    }
    if (!headers || !mapping) continue;
    rows++;
    const outcome = rowToLead(event.cells, headers, mapping, event.rowNumber, 'csv');
    if (!outcome.ok) {
      rejected++;
      continue;
    }
    const d = outcome.draft;
    const aKey = d.address ? addressKey(d.address) : null;
    const apn = normalizeApn(d.apn);
    if ((aKey && seenAddress.has(aKey)) || (apn && seenApn.has(apn))) {
      duplicatesInFile++;
      continue;
    }
    if (aKey) seenAddress.add(aKey);
    if (apn) seenApn.add(apn);
    const sig = d.address && d.address.line1 ? computeSignatures(d.address, d.owner) : null;
    leads.push({
      addressKey: aKey,
      apn,
      key: sig?.idempotencyKey ?? null,
      sanitizedKey: sig?.hasUnit ? sig.sanitizedIdempotencyKey : null,
    });
  }
  if (!headers) throw new ImportError('no_header', `no header row in ${o.path}`);
  const known = await knownLeadKeys(o.db, o.accountId, {
    addressKeys: leads.flatMap((l) => (l.addressKey ? [l.addressKey] : [])),
    apns: leads.flatMap((l) => (l.apn ? [l.apn] : [])),
  });
  const alreadyKnown = leads.filter(
    (l) => (l.addressKey && known.addressKeys.has(l.addressKey)) || (l.apn && known.apns.has(l.apn)),
  ).length;
  const traceable = leads.flatMap((l) => (l.key ? [{ key: l.key, sanitizedKey: l.sanitizedKey }] : []));
  return {
    rows,
    rejected,
    duplicatesInFile,
    alreadyKnown,
    newLeads: leads.length - alreadyKnown,
    untraceable: leads.length - traceable.length,
    quote: await quoteKeys(o.db, o, traceable),
  };
}

export async function estimateList(o: EstimateContext & { listId: string }): Promise<Estimate> {
  const ids = await listLeadIds(o.db, o.listId);
  const leads = await getTraceLeads(o.db, ids);
  const keys = leads.flatMap((l) => {
    const k = traceKeysOfLead(l);
    return k ? [{ key: k.idempotencyKey, sanitizedKey: k.sanitizedIdempotencyKey }] : [];
  });
  return {
    rows: ids.length,
    rejected: 0,
    duplicatesInFile: 0,
    alreadyKnown: ids.length,
    newLeads: 0,
    untraceable: leads.length - keys.length,
    quote: await quoteKeys(o.db, o, keys),
  };
}
