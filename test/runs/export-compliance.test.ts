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
import { rescrubCompliance } from '../../src/runs/compliance-rescrub.js';
import { ManualClock } from '../helpers/clock.js';

const DAY = 86_400_000;

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

  async function runWith(includeDnc: boolean, clock?: ManualClock) {
    rt = await openRuntime(
      loadConfig({ SQLITE_DB_PATH: join(dir, 'lt.db'), RUN_REPORTS_DIR: join(dir, 'r') }),
      {
        sandbox: { hitRate: 1, dncRate: 0.3, tcpaRate: 0.2, maxPhones: 5, litigatorRate: 0 },
        ...(clock ? { clock } : {}),
      },
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
    return { runId, leadIds: imported.leadIds, includeDnc };
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

  it('holds back numbers whose 31-day compliance check expired until a re-scrub, unless include_dnc', async () => {
    const clock = new ManualClock(Date.parse('2026-11-25T12:00:00.000Z'));
    const { runId } = await runWith(false, clock);
    const phonesOf = (rows: string[][]) => rows.flatMap((r) => r.slice(3, 6)).filter(Boolean);
    const fresh = phonesOf((await exported(runId)).rows);
    expect(fresh.length).toBeGreaterThan(0);
    // One millisecond before the expiry every number still goes out; at the expiry none does.
    clock.advance(31 * DAY - 1);
    expect(phonesOf((await exported(runId)).rows)).toEqual(fresh);
    clock.advance(1);
    const expired = await exported(runId);
    expect(phonesOf(expired.rows)).toEqual([]);
    // Emails carry no DNC question and stay.
    expect(expired.rows.flatMap((r) => r.slice(6, 9)).filter(Boolean).length).toBeGreaterThan(0);
    // The re-scrub dates the numbers again (and may change flags): numbers go out again,
    // each with a check that counts now and no DNC/TCPA flag.
    const summary = await rescrubCompliance(rt.workerDeps());
    expect(summary.status).toBe('completed');
    expect(summary.fresh).toBe(summary.numbers);
    const after = await exported(runId);
    const contacts = await loadContacts(
      rt.store.db,
      rt.cipher,
      after.rows.map((r) => r[0]!),
    );
    const out = after.rows.flatMap((r) =>
      r
        .slice(3, 6)
        .filter(Boolean)
        .map((p) => (contacts.get(r[0]!) ?? []).find((c) => c.value === p)!),
    );
    expect(out.length).toBeGreaterThan(fresh.length * 0.8);
    const nowIso = new Date(clock.now()).toISOString();
    expect(out.filter((c) => c.dnc || c.tcpa)).toEqual([]);
    expect(out.every((c) => c.complianceCheckedAt === nowIso)).toBe(true);
  });

  it('exports numbers whose check expired with include_dnc (the user takes the DNC question)', async () => {
    const clock = new ManualClock(Date.parse('2026-11-25T12:00:00.000Z'));
    const { runId } = await runWith(true, clock);
    const phonesOf = (rows: string[][]) => rows.flatMap((r) => r.slice(3, 6)).filter(Boolean);
    const fresh = phonesOf((await exported(runId)).rows);
    expect(fresh.length).toBeGreaterThan(0);
    clock.advance(40 * DAY);
    expect(phonesOf((await exported(runId)).rows)).toEqual(fresh);
  });
});
