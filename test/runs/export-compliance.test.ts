/**
 * Compliance at export: suppressed numbers and emails never appear, DNC/TCPA numbers only
 * with include_dnc, litigator numbers never; every row carries the lead's time zone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { createRunForList } from '../../src/runs/create-run.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { writeRunArtifacts } from '../../src/runs/outputs.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import { loadContacts } from '../../src/store/repos/contact-points.js';
import { addSuppressions } from '../../src/store/repos/suppressions.js';

const CSV = [
  'Property Address,City,State,Zip',
  ...Array.from({ length: 30 }, (_, i) => `${i + 10} Elm St,Austin,TX,78701`),
].join('\n');

describe('export compliance', () => {
  let dir: string;
  let rt: Runtime;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-export-'));
    writeFileSync(join(dir, 'in.csv'), `${CSV}\n`);
  });
  afterEach(async () => {
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWith(includeDnc: boolean) {
    rt = await openRuntime(
      loadConfig({ SQLITE_DB_PATH: join(dir, 'lt.db'), RUN_REPORTS_DIR: join(dir, 'r') }),
      { sandbox: { hitRate: 1, dncRate: 0.3, tcpaRate: 0.2, maxPhones: 5, litigatorRate: 0 } },
    );
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: join(dir, 'in.csv'),
      listName: 'in',
      rejectedPath: join(dir, 'rej.csv'),
    });
    const { runId } = await createRunForList(rt.store.db, {
      accountId: rt.accountId,
      listId: imported.listId,
      sourceLabel: 'in',
      clock: rt.clock,
      policy: { force: false, retry_sanitized: true, include_dnc: includeDnc },
    });
    await executeRun(rt.workerDeps(), runId);
    return { runId, leadIds: imported.leadIds };
  }

  const exported = async (runId: string) => {
    const a = await writeRunArtifacts(rt.store.db, {
      accountId: rt.accountId,
      runId,
      reportsDir: join(dir, 'r'),
      clock: rt.clock,
      cipher: rt.cipher,
      dailyCapMicros: rt.dailyCapMicros,
    });
    const [header, ...rows] = parse(readFileSync(a.csvPath), { bom: true }) as string[][];
    return { header: header!, rows };
  };

  it('leaves out DNC/TCPA numbers by default and suppressed values always', async () => {
    const { runId, leadIds } = await runWith(false);
    const contacts = await loadContacts(rt.store.db, rt.cipher, leadIds);
    // Flags belong to a lead's contact (the same number may be listed for two leads).
    const blockedOf = (leadId: string) =>
      new Set(
        (contacts.get(leadId) ?? [])
          .filter((c) => c.kind === 'phone' && (c.dnc || c.tcpa))
          .map((c) => c.value),
      );
    expect(leadIds.some((id) => blockedOf(id).size > 0)).toBe(true);
    const first = await exported(runId);
    const header = first.header;
    let rows = first.rows;
    expect(header.at(-1)).toBe('TimeZone');
    expect(rows.every((r) => r.at(-1) === 'America/Chicago')).toBe(true);
    const phonesOut = rows.flatMap((r) => r.slice(3, 6)).filter(Boolean);
    expect(phonesOut.length).toBeGreaterThan(0);
    expect(rows.flatMap((r) => r.slice(3, 6).filter((p) => blockedOf(r[0]!).has(p)))).toEqual([]);

    // Suppress one exported phone and one exported email: both disappear from the export.
    const phone = phonesOut[0]!;
    const email = rows.flatMap((r) => r.slice(6, 9)).find(Boolean)!;
    await addSuppressions(
      rt.store.db,
      rt.accountId,
      [
        { kind: 'phone', valueHash: rt.cipher.blindIndex('phone', phone), reason: 'STOP' },
        { kind: 'email', valueHash: rt.cipher.blindIndex('email', email), reason: 'unsubscribed' },
      ],
      '2026-11-25T00:00:00.000Z',
    );
    ({ rows } = await exported(runId));
    expect(rows.flatMap((r) => r.slice(3, 6))).not.toContain(phone);
    expect(rows.flatMap((r) => r.slice(6, 9))).not.toContain(email);
  });

  it('exports DNC/TCPA numbers only with include_dnc', async () => {
    const { runId } = await runWith(true);
    const { rows } = await exported(runId);
    const contacts = await loadContacts(
      rt.store.db,
      rt.cipher,
      rows.map((r) => r[0]!),
    );
    const dncOut = rows.flatMap((r) =>
      r
        .slice(3, 6)
        .filter((p) => (contacts.get(r[0]!) ?? []).some((c) => c.value === p && (c.dnc || c.tcpa))),
    );
    expect(dncOut.length).toBeGreaterThan(0);
  });
});
