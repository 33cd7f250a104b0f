/**
 * Writes a run's artifacts under `<reportsDir>/<run_id>/`: report.json (seed 002 schema)
 * and enriched.csv (dialer order), in one streaming pass over the run's items in keyset
 * pages, so memory stays flat for 100k-lead runs. Safe to call again: files are rebuilt
 * from the store.
 *
 * Speed (bench/outputs.bench.ts): a page is two queries (items with their leads and input
 * rows, then their contacts; store/repos/run-export.ts), a contact's value is decrypted only
 * when it is exported or sampled (a suppressed, DNC or fourth phone never is), and a page's
 * CSV lines go to the file as one write.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type { Database } from '../store/schema.js';
import { getRun } from '../store/repos/runs.js';
import { InputColumnsReader, InputHeaders, listInputColumns } from '../store/repos/list-inputs.js';
import { runExportContacts, runExportItems, type RunExportContact } from '../store/repos/run-export.js';
import { ReportBuilder, type RunReport } from './report.js';
import { CSV_BOM, csvHeader, csvLine, csvRecord } from './enriched-csv.js';
import type { RunPolicy } from './create-run.js';

export interface RunArtifacts {
  dir: string;
  reportPath: string;
  csvPath: string;
  report: RunReport;
}

/**
 * Run items per page. Pages are index ranges, so small ones cost no more per item; what a
 * page allocates lives until it is written, and 500 instead of 2,000 kept ~30 MB of it from
 * being promoted into the old generation (peak RSS) at the same speed.
 */
const PAGE = 500;

export function runDir(reportsDir: string, runId: string): string {
  return join(reportsDir, runId);
}

const NO_CONTACTS: readonly RunExportContact[] = [];

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
  let failed: Error | null = null;
  out.on('error', (err) => (failed = err));
  // Back-pressure: wait for 'drain' (events.once rejects if the stream fails meanwhile).
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    await write(CSV_BOM + csvLine(csvHeader(inputColumns)));

    const report = new ReportBuilder();
    // Phones are exported for dialing only while their compliance check counts at this instant.
    const nowIso = toIso(o.clock.now());
    let after: string | null = null;
    const headers = new InputHeaders();
    const inputReader = new InputColumnsReader(inputColumns);
    for (;;) {
      const items = await runExportItems(db, {
        runId: o.runId,
        listId: run.list_id,
        afterId: after,
        limit: PAGE,
      });
      if (items.length === 0) break;
      const lastId = items[items.length - 1]!.itemId;
      const contacts = new Map<string, RunExportContact[]>();
      for (const contact of await runExportContacts(db, o.cipher, {
        // Opt-outs are honored at every export: each contact is checked as it is read.
        accountId: o.accountId,
        runId: o.runId,
        afterId: after,
        lastId,
      })) {
        let list = contacts.get(contact.leadId);
        if (!list) contacts.set(contact.leadId, (list = []));
        list.push(contact);
      }
      after = lastId;
      await headers.load(
        db,
        items.map((i) => i.inputHeaderId),
      );
      let lines = '';
      for (const item of items) {
        const leadContacts = contacts.get(item.leadId) ?? NO_CONTACTS;
        report.add(item, leadContacts);
        if (!item.lead) continue;
        const input = inputReader.cells(item.inputRowJson, headers.of(item.inputHeaderId));
        lines += csvLine(
          csvRecord(
            item.lead,
            item.cached === 1,
            leadContacts,
            policy.include_dnc,
            inputColumns,
            input,
            nowIso,
          ),
        );
      }
      await write(lines);
    }
    out.end();
    await once(out, 'finish');

    const built = await report.build(db, {
      accountId: o.accountId,
      run,
      clock: o.clock,
      dailyCapMicros: o.dailyCapMicros,
    });
    const reportPath = join(dir, 'report.json');
    writeFileSync(reportPath, `${JSON.stringify(built, null, 2)}\n`);
    return { dir, reportPath, csvPath, report: built };
  } finally {
    if (!out.writableFinished) out.destroy();
  }
}
