/**
 * Writes a run's artifacts under `<reportsDir>/<run_id>/`: report.json (seed 002 schema)
 * and enriched.csv (dialer order). Safe to call again: files are rewritten from the store.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { PiiCipher } from '../domain/pii/cipher.js';
import type { Database } from '../store/schema.js';
import { loadContacts } from '../store/repos/contact-points.js';
import { listInputRows } from '../store/repos/lists.js';
import { getRun, runItems } from '../store/repos/runs.js';
import { buildRunReport, type RunReport } from './report.js';
import { writeEnrichedCsv } from './enriched-csv.js';
import type { RunPolicy } from './create-run.js';

export interface RunArtifacts {
  dir: string;
  reportPath: string;
  csvPath: string;
  report: RunReport;
}

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
  const items = await runItems(db, o.runId);
  const contacts = await loadContacts(
    db,
    o.cipher,
    items.map((i) => i.lead_id),
  );
  const inputRows = run.list_id ? await listInputRows(db, run.list_id) : new Map();
  const dir = runDir(o.reportsDir, o.runId);
  mkdirSync(dir, { recursive: true });
  const report = await buildRunReport(db, {
    accountId: o.accountId,
    runId: o.runId,
    clock: o.clock,
    dailyCapMicros: o.dailyCapMicros,
    contacts,
  });
  const reportPath = join(dir, 'report.json');
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  const csvPath = join(dir, 'enriched.csv');
  await writeEnrichedCsv(db, {
    runId: o.runId,
    path: csvPath,
    includeDnc: policy.include_dnc,
    contacts,
    inputRows,
  });
  return { dir, reportPath, csvPath, report };
}
