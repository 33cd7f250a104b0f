/**
 * Writes a run's artifacts under `<reportsDir>/<run_id>/`: report.json (seed 002 schema)
 * and enriched.csv (dialer order), in one streaming pass over the run's items in pages, so
 * memory stays flat for 100k-lead runs. Safe to call again: files are rebuilt from the store.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type { Database } from '../store/schema.js';
import { loadContacts } from '../store/repos/contact-points.js';
import { getTraceLeads } from '../store/repos/leads.js';
import { getRun, runItemsPage } from '../store/repos/runs.js';
import { suppressedHashes } from '../store/repos/suppressions.js';
import { listInputColumns, listInputRowsFor } from '../store/repos/list-inputs.js';
import { ReportBuilder, type RunReport } from './report.js';
import { csvHeader, csvRecord } from './enriched-csv.js';
import type { RunPolicy } from './create-run.js';

export interface RunArtifacts {
  dir: string;
  reportPath: string;
  csvPath: string;
  report: RunReport;
}

const PAGE = 2000;

export function runDir(reportsDir: string, runId: string): string {
  return join(reportsDir, runId);
}

export async function writeRunArtifacts(
  db: Kysely<Database>,
  o: {
    accountId: string;
    runId: string;
    reportsDir: string;
    clock: Clock;
    cipher: PiiCipher;
    dailyCapMicros: number;
  },
): Promise<RunArtifacts> {
  const run = await getRun(db, o.accountId, o.runId);
  if (!run) throw new Error(`no run ${o.runId}`);
  const policy = JSON.parse(run.policy_json) as RunPolicy;
  const dir = runDir(o.reportsDir, o.runId);
  mkdirSync(dir, { recursive: true });

  const inputColumns = run.list_id ? await listInputColumns(db, run.list_id) : [];
  const csvPath = join(dir, 'enriched.csv');
  const out = createWriteStream(csvPath);
  const csv = stringify({ header: false, record_delimiter: '\r\n', bom: true });
  csv.pipe(out);
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  csv.write(csvHeader(inputColumns));

  // Opt-outs are honored at every export.
  const suppressed = await suppressedHashes(db, o.accountId);
  const report = new ReportBuilder();
  let after: string | null = null;
  for (;;) {
    const items = await runItemsPage(db, o.runId, after, PAGE);
    if (items.length === 0) break;
    after = items[items.length - 1]!.id;
    const leadIds = items.map((i) => i.lead_id);
    const [leads, contacts, inputs] = await Promise.all([
      getTraceLeads(db, leadIds),
      loadContacts(db, o.cipher, leadIds),
      run.list_id
        ? listInputRowsFor(db, run.list_id, leadIds)
        : Promise.resolve(new Map<string, Record<string, string>>()),
    ]);
    const byId = new Map(leads.map((l) => [l.id, l]));
    for (const item of items) {
      const lead = byId.get(item.lead_id);
      const leadContacts = contacts.get(item.lead_id) ?? [];
      report.add(item, leadContacts);
      if (!lead) continue;
      const record = csvRecord(
        lead,
        item.cached === 1,
        leadContacts,
        policy.include_dnc,
        inputColumns,
        inputs.get(lead.id),
        suppressed,
      );
      if (!csv.write(record)) await new Promise((r) => csv.once('drain', r));
    }
  }
  csv.end();
  await finished;

  const built = await report.build(db, {
    accountId: o.accountId,
    run,
    clock: o.clock,
    dailyCapMicros: o.dailyCapMicros,
  });
  const reportPath = join(dir, 'report.json');
  writeFileSync(reportPath, `${JSON.stringify(built, null, 2)}\n`);
  return { dir, reportPath, csvPath, report: built };
}
