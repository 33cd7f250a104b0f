/**
 * The waterfall engine (issue 4 items 3–5) through real runs: the store (SQLite, and
 * PostgreSQL for gap-only, cooldown and the stored policy), every vendor served by the
 * sandbox over HTTP, a ManualClock, instant sleeps. The sandbox is seeded, so every count
 * below is what that seed gives; each test also asserts the relation the count stands for
 * (leads called by provider 2 = leads not contactable after provider 1, and so on).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { toIso } from '../../src/domain/clock.js';
import type { MergedContact } from '../../src/domain/contacts/merge-contacts.js';
import { normalizeEmail, normalizePhone } from '../../src/domain/contacts/normalize-contact.js';
import { UserError } from '../../src/domain/errors.js';
import { scoreLead } from '../../src/domain/quality/score.js';
import { ContinuationLearner } from '../../src/pipeline/continuation.js';
import { DEFAULT_WATERFALL, type WaterfallPolicy } from '../../src/pipeline/waterfall-policy.js';
import type { ParsedPerson, PhoneVerification } from '../../src/providers/contract.js';
import type { SandboxOptions } from '../../src/providers/sandbox/options.js';
import { resolveSandboxOptions } from '../../src/providers/sandbox/options.js';
import { propertyAt } from '../../src/providers/sandbox/properties.js';
import { createRunForList } from '../../src/runs/create-run.js';
import { importCsv } from '../../src/runs/import/import-csv.js';
import { availableProviders, buildWaterfall } from '../../src/runs/run-policy.js';
import { executeRun } from '../../src/runs/run-worker.js';
import { openRuntime, type Runtime } from '../../src/runs/runtime.js';
import {
  applyPhoneVerification,
  canBecomeContactable,
  patchFromRecord,
  phonesToVerify,
} from '../../src/runs/waterfall-contacts.js';
import { ManualClock } from '../helpers/clock.js';
import { DIALECTS, PG_URL, dropSchema, postgresAvailable, type TestDialect } from '../helpers/stores.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-25T12:00:00.000Z');
const pgOk = await postgresAvailable();

/** The waterfall with nothing but the given stages (no property detail unless asked). */
const policyOf = (part: Partial<WaterfallPolicy>): WaterfallPolicy => ({
  ...DEFAULT_WATERFALL,
  property_detail: [],
  ...part,
});

/** Property detail for every lead, then BatchData: the identity-clash tests' waterfall. */
const detailForEveryLead = (): WaterfallPolicy =>
  policyOf({
    property_detail: ['realestateapi-property-detail'],
    skip_trace: ['batchdata'],
    detail_when: 'always',
  });

/** `n` individual owners on Main St, Springfield IL (the sandbox draws each address's people). */
function mainStreet(n: number): string[] {
  const rows = ['Property Address,City,State,Zip,Owner First Name,Owner Last Name'];
  for (let i = 0; i < n; i++)
    rows.push(`${100 + i} Main St,Springfield,IL,62704,Ann${'ABCDEFGHIJKLMNOP'[i]},Lee`);
  return rows;
}

/** One test's stores and runtimes: a temp dir, and a PostgreSQL schema per runtime. */
class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'leadtrace-wf-'));
  readonly clock = new ManualClock(T0);
  private opened: Runtime[] = [];
  private stores = 0;
  constructor(
    readonly dialect: TestDialect,
    private readonly schema: string,
  ) {}

  /** A runtime over store `store` (a new one by default; the same number reopens it). */
  async open(
    sandbox: SandboxOptions,
    store = ++this.stores,
    env: Record<string, string> = {},
  ): Promise<Runtime> {
    const rt = await openRuntime(
      loadConfig({
        ...(this.dialect === 'postgres'
          ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: `${this.schema}_${store}` }
          : {}),
        SQLITE_DB_PATH: join(this.dir, `lt${store}.db`),
        RUN_REPORTS_DIR: join(this.dir, 'reports'),
        SANDBOX_RPS: '100000',
        SKIP_TRACE_CONCURRENCY: '1',
        LOG_LEVEL: 'silent',
        ...env,
      }),
      { clock: this.clock, sandbox, sleep: async () => {}, random: () => 0.5, env: {} },
    );
    this.opened.push(rt);
    return rt;
  }

  /** Imports CSV rows into a new list of `rt`'s store; returns the list id. */
  async importRows(rt: Runtime, rows: readonly string[], name = 'in'): Promise<string> {
    const path = join(this.dir, `${name}.csv`);
    writeFileSync(path, `${rows.join('\n')}\n`);
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path,
      listName: name,
      rejectedPath: join(this.dir, `${name}-rejected.csv`),
    });
    expect(imported.rejected).toBe(0);
    return imported.listId;
  }

  /** Closes one runtime (a process ending) before the test does. */
  async release(rt: Runtime): Promise<void> {
    this.opened = this.opened.filter((r) => r !== rt);
    await rt.close();
  }

  async close(): Promise<void> {
    for (const rt of this.opened.splice(0)) await rt.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startRun(
  rt: Runtime,
  listId: string,
  waterfall: WaterfallPolicy,
  extra: { force?: boolean; max_spend_usd?: number } = {},
): Promise<string> {
  const { runId } = await createRunForList(rt.store.db, {
    accountId: rt.accountId,
    listId,
    sourceLabel: 'test',
    clock: rt.clock,
    policy: {
      force: extra.force ?? false,
      retry_sanitized: true,
      include_dnc: false,
      ...(extra.max_spend_usd !== undefined ? { max_spend_usd: extra.max_spend_usd } : {}),
      waterfall,
    },
  });
  return runId;
}

async function run(rt: Runtime, listId: string, waterfall: WaterfallPolicy, extra = {}) {
  const runId = await startRun(rt, listId, waterfall, extra);
  const outcome = await executeRun(rt.workerDeps(), runId);
  return { runId, outcome };
}

/**
 * Each lead's street line → its provider calls as `provider:status`, sorted (ids are ordered
 * per generator, not across providers; the order of calls is read from the sandbox's log).
 */
async function callsByStreet(rt: Runtime, runId?: string): Promise<Map<string, string[]>> {
  const db = rt.store.db;
  let q = db
    .selectFrom('provider_calls as pc')
    .innerJoin('leads as l', 'l.id', 'pc.lead_id')
    .select(['l.address_line1 as street', 'pc.provider as provider', 'pc.status as status']);
  if (runId) q = q.where('pc.run_id', '=', runId);
  const out = new Map<string, string[]>();
  for (const r of await q.execute()) {
    const list = out.get(r.street ?? '') ?? [];
    list.push(`${r.provider}:${r.status}`);
    out.set(r.street ?? '', list.sort());
  }
  return out;
}

async function leadsByStreet(rt: Runtime) {
  const rows = await rt.store.db.selectFrom('leads').selectAll().orderBy('address_line1').execute();
  return new Map(rows.map((r) => [r.address_line1 ?? r.id, r]));
}

/** The streets whose value passes, sorted (row order of an unordered query is not stable). */
const streetsWhere = <V>(m: Map<string, V>, pred: (v: V) => boolean) =>
  [...m]
    .filter(([, v]) => pred(v))
    .map(([k]) => k)
    .sort();

/** Seed 001 score from what is stored (contact points, lead facts, suppressions) = the lead's columns. */
async function expectStoredScores(rt: Runtime): Promise<number> {
  const db = rt.store.db;
  const leads = await db.selectFrom('leads').selectAll().execute();
  const contacts = await db.selectFrom('contact_points').selectAll().execute();
  const suppressed = new Set(
    (await db.selectFrom('suppressions').select(['value_hash']).execute()).map((r) => r.value_hash),
  );
  let scored = 0;
  for (const l of leads) {
    if (l.quality_score === null) continue;
    scored++;
    const q = scoreLead({
      contacts: contacts
        .filter((c) => c.lead_id === l.id)
        .map((c) => ({
          kind: c.kind,
          type: c.type,
          verified: c.verified === 1,
          dnc: c.dnc === 1,
          tcpa: c.tcpa === 1,
          litigator: c.litigator === 1,
          suppressed: suppressed.has(c.value_hash),
        })),
      mak: l.mak,
      apn: l.apn,
      ownerOccupied: l.owner_occupied === null ? null : l.owner_occupied === 1,
      ownerAge: l.owner_age,
      estimatedValue: l.estimated_value,
      estimatedEquity: l.estimated_equity,
    });
    expect({ id: l.id, score: l.quality_score, status: l.quality_status }).toEqual({
      id: l.id,
      score: q.score,
      status: q.status,
    });
  }
  return scored;
}

// ---- over every dialect: gap-only, every provider, cooldown, the stored policy ------------

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`waterfall on ${dialect}`, () => {
    const schema = `t_wf_${process.pid}_${Date.now().toString(36)}`;
    let testNo = 0;
    let h: Harness;
    beforeEach(() => {
      h = new Harness(dialect, `${schema}_${++testNo}`);
    });
    afterEach(async () => {
      await h.close();
    });
    afterAll(async () => {
      if (dialect === 'postgres') await dropSchema(schema);
    });

    // BatchData finds half the addresses (its own draw), REISkip every one.
    const twoVendors: SandboxOptions = {
      seed: 3,
      vendorProfiles: { batchdata: { hitRate: 0.5 }, reiskip: { hitRate: 1 } },
    };

    it('gap-only: the second provider gets exactly the leads the first left not contactable', async () => {
      // Provider 1 alone, on its own store: which leads it makes contactable.
      const alone = await h.open(twoVendors);
      const first = await run(
        alone,
        await h.importRows(alone, mainStreet(16)),
        policyOf({ skip_trace: ['batchdata'] }),
      );
      expect(first.outcome.status).toBe('completed');
      const afterOne = await leadsByStreet(alone);
      const contactableAfterOne = streetsWhere(afterOne, (l) => l.quality_status === 'contactable');
      const notContactableAfterOne = streetsWhere(afterOne, (l) => l.quality_status !== 'contactable');
      expect(contactableAfterOne).toEqual(['101 MAIN ST', '105 MAIN ST', '106 MAIN ST', '113 MAIN ST']);

      // Both, gap-only, on a fresh store.
      const rt = await h.open(twoVendors);
      const { outcome } = await run(
        rt,
        await h.importRows(rt, mainStreet(16)),
        policyOf({ skip_trace: ['batchdata', 'reiskip'] }),
      );
      expect(outcome.counters).toEqual({
        total: 16,
        queued: 0,
        in_flight: 0,
        done: 16,
        failed: 0,
        cached_hits: 0,
      });
      const calls = await callsByStreet(rt);
      // Every lead went to BatchData, once; all of BatchData's answers came before REISkip's.
      for (const street of afterOne.keys())
        expect(calls.get(street)!.filter((c) => c.startsWith('batchdata:'))).toHaveLength(1);
      const billedVendors = rt.sandbox!.billing.entries().map((e) => e.vendor);
      expect(billedVendors.lastIndexOf('batchdata')).toBeLessThan(billedVendors.indexOf('reiskip'));
      // REISkip saw exactly the leads BatchData left not contactable: misses and hits alike.
      const toReiskip = streetsWhere(calls, (c) => c.some((x) => x.startsWith('reiskip:')));
      expect(toReiskip).toEqual(notContactableAfterOne);
      expect(toReiskip).toHaveLength(12);
      const hitNotContactable = toReiskip.filter((s) => calls.get(s)!.includes('batchdata:ok'));
      expect(hitNotContactable).toEqual(['104 MAIN ST', '110 MAIN ST', '111 MAIN ST', '112 MAIN ST']);
      // The contactable ones were never sent on, and kept what BatchData gave them.
      for (const street of contactableAfterOne) expect(calls.get(street)).toEqual(['batchdata:ok']);
      const after = await leadsByStreet(rt);
      for (const street of contactableAfterOne) {
        expect(after.get(street)!.quality_score).toBe(afterOne.get(street)!.quality_score);
      }
      const spent = await rt.store.db
        .selectFrom('provider_calls')
        .select((eb) => eb.fn.sum<number>('cost_micros').as('c'))
        .executeTakeFirstOrThrow();
      expect(Number(spent.c)).toBe(8 * 70_000 + 12 * 150_000);
      expect(await expectStoredScores(rt)).toBe(16);
    });

    it('gap_only false calls every provider for every lead', async () => {
      const rt = await h.open(twoVendors);
      const { outcome } = await run(
        rt,
        await h.importRows(rt, mainStreet(16)),
        policyOf({ skip_trace: ['batchdata', 'reiskip'], gap_only: false }),
      );
      expect(outcome.status).toBe('completed');
      const calls = await callsByStreet(rt);
      expect(calls.size).toBe(16);
      for (const [, c] of calls) {
        expect(c.map((x) => x.split(':')[0])).toEqual(['batchdata', 'reiskip']);
        expect(c[1]).toBe('reiskip:ok');
      }
      // Contactable leads too: the four BatchData makes contactable were still sent on.
      for (const street of ['101 MAIN ST', '105 MAIN ST', '106 MAIN ST', '113 MAIN ST']) {
        expect(calls.get(street)).toEqual(['batchdata:ok', 'reiskip:ok']);
      }
      expect(await expectStoredScores(rt)).toBe(16);
    });

    it('cooldown: nothing paid again within 14 days although the cache expired; force overrides; then due again', async () => {
      const rt = await h.open({ seed: 1, vendorProfiles: { batchdata: { hitRate: 0.5 } } });
      const listId = await h.importRows(rt, mainStreet(8));
      const wf = policyOf({ skip_trace: ['batchdata'] });
      const billed = () => rt.sandbox!.billing.requestCount();
      const rowsOf = (runId: string) =>
        rt.store.db
          .selectFrom('provider_calls')
          .select(['lead_id', 'status', 'cost_micros', 'generation'])
          .where('run_id', '=', runId)
          .orderBy('lead_id')
          .execute();

      const r1 = await run(rt, listId, wf);
      const calls1 = await rowsOf(r1.runId);
      expect(calls1.map((c) => c.status).sort()).toEqual([
        'no_match',
        'no_match',
        'no_match',
        'no_match',
        'no_match',
        'no_match',
        'no_match',
        'ok',
      ]);
      const statusAfter1 = [...(await leadsByStreet(rt))].map(([s, l]) => [s, l.quality_status]);
      expect(statusAfter1.filter(([, q]) => q === 'contactable')).toEqual([]);

      // Day 8: past the hit (7 days) and no-match (3 days) cache TTLs, inside the cooldown.
      h.clock.advance(8 * DAY);
      const cache = await rt.store.db.selectFrom('skiptrace_cache').select(['ttl_expires_at']).execute();
      expect(cache).toHaveLength(8);
      expect(cache.every((c) => Date.parse(c.ttl_expires_at) < h.clock.now())).toBe(true);
      const requestsBefore = billed();
      const r2 = await run(rt, listId, wf);
      expect(r2.outcome.counters).toMatchObject({ total: 8, done: 8, failed: 0 });
      expect(await rowsOf(r2.runId)).toEqual([]);
      expect(billed()).toBe(requestsBefore);
      expect([...(await leadsByStreet(rt))].map(([s, l]) => [s, l.quality_status])).toEqual(statusAfter1);
      const run2 = await rt.store.db
        .selectFrom('runs')
        .select(['spent_micros'])
        .where('run_id', '=', r2.runId)
        .executeTakeFirstOrThrow();
      expect(Number(run2.spent_micros)).toBe(0);

      // Still day 8, forced: every lead is called again, in the key's next generation.
      const r3 = await run(rt, listId, wf, { force: true });
      const calls3 = await rowsOf(r3.runId);
      expect(calls3).toHaveLength(8);
      expect(calls3.every((c) => c.generation === 1)).toBe(true);
      expect(calls3.map((c) => [c.lead_id, c.status])).toEqual(calls1.map((c) => [c.lead_id, c.status]));
      expect(billed()).toBe(requestsBefore + 1);

      // Day 15: 7 days after the forced answers, so still cooling down: nothing.
      h.clock.advance(7 * DAY);
      const r4 = await run(rt, listId, wf);
      expect(await rowsOf(r4.runId)).toEqual([]);

      // Day 23: 15 days after the last answers: every lead may be called again.
      h.clock.advance(8 * DAY);
      const r5 = await run(rt, listId, wf);
      const calls5 = await rowsOf(r5.runId);
      expect(calls5).toHaveLength(8);
      expect(calls5.every((c) => c.generation === 2)).toBe(true);
      expect(calls5.filter((c) => c.cost_micros > 0)).toHaveLength(1);
    });

    it('the resolved policy is stored on the run, and a resume in a new process uses it', async () => {
      const sandbox: SandboxOptions = { seed: 3, hitRate: 1 };
      const rt = await h.open(sandbox, 1);
      const policy = buildWaterfall(
        availableProviders(rt.providers, [[rt.provider.id, 'skip-trace']]),
        { skip_trace: 'reiskip', cooldown_days: 3, verify_phone: 'none' },
        {},
      );
      expect(policy).toEqual({ ...DEFAULT_WATERFALL, skip_trace: ['reiskip'], cooldown_days: 3 });
      const listId = await h.importRows(rt, mainStreet(6));
      // Room for two REISkip matches ($0.15 each): the run pauses on its own cap.
      const runId = await startRun(rt, listId, policy, { max_spend_usd: 0.3 });
      const stored = await rt.store.db
        .selectFrom('runs')
        .select(['policy_json'])
        .where('run_id', '=', runId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.policy_json).waterfall).toEqual(policy);

      const paused = await executeRun(rt.workerDeps(), runId);
      expect(paused).toMatchObject({ status: 'paused', reason: 'run_budget' });
      expect(paused.counters).toMatchObject({ total: 6, done: 0, queued: 6 });
      const paidBefore = await rt.store.db
        .selectFrom('provider_calls')
        .select(['provider', 'status', 'cost_micros'])
        .where('status', '!=', 'intent')
        .execute();
      expect(paidBefore).toEqual([
        { provider: 'reiskip', status: 'ok', cost_micros: 150_000 },
        { provider: 'reiskip', status: 'ok', cost_micros: 150_000 },
      ]);
      await h.release(rt);

      // A new process over the same store: the run's own policy (REISkip), not the default.
      const rt2 = await h.open(sandbox, 1);
      const resumed = await executeRun(rt2.workerDeps(), runId, { overrideBudget: true });
      expect(resumed).toMatchObject({ status: 'completed', reason: null });
      expect(resumed.counters).toEqual({
        total: 6,
        queued: 0,
        in_flight: 0,
        done: 6,
        failed: 0,
        cached_hits: 2,
      });
      const calls = await callsByStreet(rt2, runId);
      expect(calls.size).toBe(6);
      for (const [, c] of calls) expect(c).toEqual(['reiskip:ok']);
      expect(rt2.sandbox!.billing.requestCount()).toBe(4);
    });
  });
}

// ---- SQLite: verification, business, property detail, merge, auto order, errors ------------

/** A provider's parsed answer for a lead, from its cache row (what the engine merged). */
async function cachedPersons(rt: Runtime, provider: string, callId: string): Promise<ParsedPerson[]> {
  const row = await rt.store.db
    .selectFrom('skiptrace_cache')
    .select(['parsed_contacts_enc'])
    .where('provider', '=', provider)
    .where('provider_call_id', '=', callId)
    .executeTakeFirstOrThrow();
  const value = JSON.parse(rt.cipher.decrypt(row.parsed_contacts_enc)) as
    | ParsedPerson[]
    | { p: ParsedPerson[] };
  return Array.isArray(value) ? value : value.p;
}

async function contactsOf(rt: Runtime, leadId: string) {
  const rows = await rt.store.db
    .selectFrom('contact_points')
    .selectAll()
    .where('lead_id', '=', leadId)
    .orderBy('kind')
    .orderBy('value_hash')
    .execute();
  return rows.map((r) => ({ ...r, value: rt.cipher.decrypt(r.value_enc) }));
}

describe('waterfall on sqlite', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness('sqlite', 'unused');
  });
  afterEach(async () => {
    await h.close();
  });

  /** Melissa appends one person with one phone (and one email unless emailRate is 0); it says nothing about DNC. */
  const melissa = (extra: SandboxOptions): SandboxOptions => ({
    seed: 1,
    hitRate: 1,
    mobileShare: 1,
    phoneInvalidRate: 0,
    emailRate: 1,
    emailValidRate: 1,
    melissaAppendRate: 1,
    melissaVerifyRate: 1,
    ...extra,
  });
  /** Ann has nothing but contacts; Bo's lead has 30 points of facts (MAK+APN, owner occupied, demographics). */
  const annAndBo = [
    'Property Address,City,State,Zip,Owner First Name,Owner Last Name,APN,MAK,Owner Occupied,Owner Age,Estimated Value,Estimated Equity',
    '100 Main St,Springfield,IL,62704,Ann,Lee,,,,,,',
    '101 Main St,Springfield,IL,62704,Bo,Kim,5544-003-021,1234567890,Yes,70,300000,100000',
  ];
  const verifying = (verify_phone: string[]) =>
    policyOf({ skip_trace: ['melissa-personator'], verify_phone, verify_email: ['hunter-email-verifier'] });
  const checkedAt = toIso(T0);
  const expiresAt = toIso(T0 + 31 * DAY);

  it('verifies phones and emails through the verifiers; a DNC answer dates the compliance flags for 31 days', async () => {
    const rt = await h.open(melissa({ dncRate: 0 }));
    await run(rt, await h.importRows(rt, annAndBo), verifying(['batchdata-phone-verification']));
    const leads = await leadsByStreet(rt);
    const ann = leads.get('100 MAIN ST')!;
    const bo = leads.get('101 MAIN ST')!;
    expect(
      (await contactsOf(rt, ann.id)).map((c) => [
        c.kind,
        c.verified,
        c.verification_status,
        c.dnc,
        c.compliance_source,
        c.compliance_checked_at,
        c.compliance_expires_at,
        c.source_provider,
      ]),
    ).toEqual([
      ['email', 1, 'valid', 0, null, null, null, 'melissa-personator'],
      ['phone', 1, 'valid', 0, 'batchdata-phone-verification', checkedAt, expiresAt, 'melissa-personator'],
    ]);
    expect([ann.quality_score, ann.quality_status]).toEqual([70, 'contactable']);
    // Bo's verified phone plus his facts make 60: his email was not worth paying for.
    expect((await contactsOf(rt, bo.id)).map((c) => [c.kind, c.verified, c.verification_status])).toEqual([
      ['email', 0, null],
      ['phone', 1, 'valid'],
    ]);
    expect([bo.quality_score, bo.quality_status]).toEqual([60, 'contactable']);
    const calls = await callsByStreet(rt);
    expect(calls.get('100 MAIN ST')).toEqual([
      'batchdata-phone-verification:ok',
      'hunter-email-verifier:ok',
      'melissa-personator:ok',
    ]);
    expect(calls.get('101 MAIN ST')).toEqual(['batchdata-phone-verification:ok', 'melissa-personator:ok']);
    expect(await expectStoredScores(rt)).toBe(2);

    // Every number on the DNC registry: the verifier's DNC answer is kept, with its date.
    const dnc = await h.open(melissa({ dncRate: 1 }));
    await run(dnc, await h.importRows(dnc, annAndBo), verifying(['batchdata-phone-verification']));
    const after = await leadsByStreet(dnc);
    const annPhone = (await contactsOf(dnc, after.get('100 MAIN ST')!.id)).find((c) => c.kind === 'phone')!;
    expect([annPhone.verified, annPhone.verification_status, annPhone.dnc]).toEqual([1, 'valid', 1]);
    expect([
      annPhone.compliance_source,
      annPhone.compliance_checked_at,
      annPhone.compliance_expires_at,
    ]).toEqual(['batchdata-phone-verification', checkedAt, expiresAt]);
    // Ann's best case is now 40 (a DNC phone earns nothing): her email is not verified.
    const dncCalls = await callsByStreet(dnc);
    expect(dncCalls.get('100 MAIN ST')).toEqual(['batchdata-phone-verification:ok', 'melissa-personator:ok']);
    expect([after.get('100 MAIN ST')!.quality_score, after.get('100 MAIN ST')!.quality_status]).toEqual([
      0,
      'do_not_contact',
    ]);
    // Bo's facts (30) + a verified email (40) still make him contactable.
    expect(dncCalls.get('101 MAIN ST')).toEqual([
      'batchdata-phone-verification:ok',
      'hunter-email-verifier:ok',
      'melissa-personator:ok',
    ]);
    expect([after.get('101 MAIN ST')!.quality_score, after.get('101 MAIN ST')!.quality_status]).toEqual([
      70,
      'contactable',
    ]);
    expect(await expectStoredScores(dnc)).toBe(2);
  });

  it('a DNC-only check dates the flags but verifies nothing', async () => {
    const rt = await h.open(melissa({ dncRate: 1 }));
    await run(rt, await h.importRows(rt, annAndBo), verifying(['batchdata-phone-dnc']));
    const leads = await leadsByStreet(rt);
    for (const street of ['100 MAIN ST', '101 MAIN ST']) {
      const phone = (await contactsOf(rt, leads.get(street)!.id)).find((c) => c.kind === 'phone')!;
      expect([
        phone.verified,
        phone.verification_status,
        phone.dnc,
        phone.compliance_source,
        phone.compliance_checked_at,
        phone.compliance_expires_at,
      ]).toEqual([0, null, 1, 'batchdata-phone-dnc', checkedAt, expiresAt]);
    }
    expect(await expectStoredScores(rt)).toBe(2);

    const clean = await h.open(melissa({ dncRate: 0 }));
    await run(clean, await h.importRows(clean, annAndBo), verifying(['batchdata-phone-dnc']));
    const after = await leadsByStreet(clean);
    const ann = after.get('100 MAIN ST')!;
    const annContacts = await contactsOf(clean, ann.id);
    expect(
      annContacts.map((c) => [c.kind, c.verified, c.verification_status, c.dnc, c.compliance_source]),
    ).toEqual([
      ['email', 1, 'valid', 0, null],
      ['phone', 0, null, 0, 'batchdata-phone-dnc'],
    ]);
    // An unverified phone earns nothing: the email alone is 40.
    expect([ann.quality_score, ann.quality_status]).toEqual([40, 'enriched']);
  });

  it('skips verification for a lead that cannot become contactable (no email, no facts: at most 30)', async () => {
    const rt = await h.open(melissa({ dncRate: 0, emailRate: 0 }));
    await run(rt, await h.importRows(rt, annAndBo), verifying(['batchdata-phone-verification']));
    const calls = await callsByStreet(rt);
    expect(calls.get('100 MAIN ST')).toEqual(['melissa-personator:ok']);
    expect(calls.get('101 MAIN ST')).toEqual(['batchdata-phone-verification:ok', 'melissa-personator:ok']);
    const leads = await leadsByStreet(rt);
    expect([leads.get('100 MAIN ST')!.quality_score, leads.get('100 MAIN ST')!.quality_status]).toEqual([
      0,
      'do_not_contact',
    ]);
    expect([leads.get('101 MAIN ST')!.quality_score, leads.get('101 MAIN ST')!.quality_status]).toEqual([
      60,
      'contactable',
    ]);
    expect(await expectStoredScores(rt)).toBe(2);
  });

  it('pays to verify only phones that can earn points: never one a source flagged DNC', async () => {
    const rt = await h.open({
      seed: 1,
      hitRate: 1,
      mobileShare: 1,
      dncRate: 0.5,
      emailRate: 1,
      phoneInvalidRate: 0,
      emailValidRate: 1,
    });
    await run(
      rt,
      await h.importRows(rt, mainStreet(6)),
      policyOf({
        skip_trace: ['reiskip'],
        verify_phone: ['batchdata-phone-verification'],
        verify_email: ['hunter-email-verifier'],
      }),
    );
    const db = rt.store.db;
    const verifications = await db
      .selectFrom('provider_calls')
      .select(['lead_id', 'idempotency_key'])
      .where('provider', '=', 'batchdata-phone-verification')
      .execute();
    let clean = 0;
    for (const lead of (await leadsByStreet(rt)).values()) {
      const trace = await db
        .selectFrom('provider_calls')
        .select(['id'])
        .where('lead_id', '=', lead.id)
        .where('provider', '=', 'reiskip')
        .executeTakeFirstOrThrow();
      const phones = (await cachedPersons(rt, 'reiskip', trace.id)).flatMap((p) => p.phones);
      const cleanKeys = phones
        .filter((p) => !p.dnc && !p.tcpa)
        .map((p) => rt.cipher.blindIndex('phone', normalizePhone(p.number)!));
      const asked = verifications.filter((v) => v.lead_id === lead.id).map((v) => v.idempotency_key);
      // Only clean numbers were sent, at most two per lead, and none was left out for a flagged one.
      expect(asked.every((k) => cleanKeys.includes(k))).toBe(true);
      if (lead.quality_status !== 'contactable') expect(asked).toHaveLength(Math.min(2, cleanKeys.length));
      clean += cleanKeys.length;
    }
    expect(verifications).toHaveLength(7);
    expect(clean).toBe(8);
    const statuses = [...(await leadsByStreet(rt)).values()].map((l) => l.quality_status);
    expect(statuses).toEqual([
      'contactable',
      'contactable',
      'contactable',
      'contactable',
      'contactable',
      'do_not_contact',
    ]);
    expect(await expectStoredScores(rt)).toBe(6);
  });

  it('business stage: entity owners go to Apollo with the person behind them; individuals do not', async () => {
    // BatchData matches every address but knows none of the contacts: nobody is contactable after it.
    const rt = await h.open({
      seed: 1,
      hitRate: 1,
      apolloMatchRate: 1,
      vendorProfiles: { batchdata: { hitRate: 1, phoneShare: 0, emailShare: 0 } },
    });
    const rows = [
      'Property Address,City,State,Zip,Owner Name',
      '101 Main St,Springfield,IL,62704,ACME HOLDINGS LLC',
      '202 Oak Ave,Springfield,IL,62704,Bo Kim',
      '303 Pine Rd,Springfield,IL,62704,Smith Family Trust',
    ];
    await run(
      rt,
      await h.importRows(rt, rows),
      policyOf({ skip_trace: ['batchdata'], business: ['apollo-bulk-match'] }),
    );
    const leads = await leadsByStreet(rt);
    expect([...leads.values()].map((l) => [l.address_line1, l.owner_type, l.owner_company])).toEqual([
      ['101 MAIN ST', 'llc', 'ACME HOLDINGS LLC'],
      ['202 OAK AVE', 'individual', null],
      ['303 PINE RD', 'trust', 'SMITH FAMILY TRUST'],
    ]);
    const calls = await callsByStreet(rt);
    expect(calls.get('101 MAIN ST')).toEqual(['apollo-bulk-match:ok', 'batchdata:ok']);
    expect(calls.get('202 OAK AVE')).toEqual(['batchdata:ok']);
    expect(calls.get('303 PINE RD')).toEqual(['apollo-bulk-match:ok', 'batchdata:ok']);
    const apollo = await rt.store.db
      .selectFrom('provider_calls')
      .select(['lead_id', 'request_json', 'cost_micros'])
      .where('provider', '=', 'apollo-bulk-match')
      .orderBy('lead_id')
      .execute();
    // The company and the person the skip-trace named at the property (initials only on record).
    expect(apollo.map((a) => [JSON.parse(a.request_json), a.cost_micros])).toEqual([
      [
        {
          organization: 'ACME HOLDINGS LLC',
          domain: null,
          first: 'W.',
          last: 'R.',
          attempt_reason: 'primary',
        },
        20_000,
      ],
      [
        {
          organization: 'SMITH FAMILY TRUST',
          domain: null,
          first: 'J.',
          last: 'D.',
          attempt_reason: 'primary',
        },
        20_000,
      ],
    ]);
    const persons = await rt.store.db
      .selectFrom('persons')
      .select(['lead_id', 'role', 'full', 'source_provider'])
      .orderBy('lead_id')
      .orderBy('role')
      .execute();
    const acme = leads.get('101 MAIN ST')!.id;
    const trust = leads.get('303 PINE RD')!.id;
    const bo = leads.get('202 OAK AVE')!.id;
    expect(persons).toEqual([
      { lead_id: acme, role: 'business_contact', full: 'William Roe', source_provider: 'apollo-bulk-match' },
      { lead_id: acme, role: 'owner', full: 'William J Roe', source_provider: 'batchdata' },
      { lead_id: bo, role: 'owner', full: 'BO J KIM', source_provider: 'batchdata' },
      {
        lead_id: trust,
        role: 'business_contact',
        full: 'John Dummyton',
        source_provider: 'apollo-bulk-match',
      },
      { lead_id: trust, role: 'owner', full: 'John B Dummyton', source_provider: 'batchdata' },
    ]);
    // Apollo's verified work address counts as a verified email (40 points).
    expect(
      (await contactsOf(rt, acme)).map((c) => [
        c.kind,
        c.value,
        c.verified,
        c.verification_status,
        c.source_provider,
      ]),
    ).toEqual([
      ['email', 'william.roe@acme-holdings-llc.example.com', 1, 'source_tested', 'apollo-bulk-match'],
    ]);
    expect([leads.get('101 MAIN ST')!.quality_score, leads.get('101 MAIN ST')!.quality_status]).toEqual([
      40,
      'enriched',
    ]);
    expect(await expectStoredScores(rt)).toBe(3);

    // Without a skip-trace nobody is named behind the LLC: a company alone is never sent.
    const alone = await h.open({ seed: 1, hitRate: 1, apolloMatchRate: 1 });
    await run(
      alone,
      await h.importRows(alone, rows),
      policyOf({ skip_trace: [], business: ['apollo-bulk-match'] }),
    );
    expect(await alone.store.db.selectFrom('provider_calls').select(['id']).execute()).toEqual([]);
    expect(alone.sandbox!.billing.requestCount()).toBe(0);
  });

  it('property detail fills a property-id lead, which is then traced at that address; a taken address is not given', async () => {
    const world = resolveSandboxOptions({ seed: 1 });
    const taken = propertyAt('62704', 0, world);
    const free = propertyAt('62704', 1, world);
    const rows = [
      'Property Address,City,State,Zip,Owner Name,Property ID',
      `${taken.street},${taken.city},${taken.state},${taken.zip},Jo Smith,`,
      `,,,,Some Owner,${taken.id}`,
      `,,,,Other Owner,${free.id}`,
    ];
    const rt = await h.open({ seed: 1, hitRate: 1 });
    const listId = await h.importRows(rt, rows);
    const ids = (await rt.store.db.selectFrom('leads').select(['id', 'owner_full']).execute()).reduce(
      (m, r) => m.set(r.owner_full!, r.id),
      new Map<string, string>(),
    );
    const { runId, outcome } = await run(
      rt,
      listId,
      policyOf({ property_detail: ['realestateapi-property-detail'], skip_trace: ['batchdata'] }),
    );
    expect(outcome.status).toBe('completed');
    const items = await rt.store.db
      .selectFrom('run_items')
      .select(['lead_id', 'status', 'stage'])
      .where('run_id', '=', runId)
      .execute();
    expect(new Map(items.map((i) => [i.lead_id, [i.status, i.stage]]))).toEqual(
      new Map([
        [ids.get('JO SMITH')!, ['done', 'skip-trace']],
        [ids.get('SOME OWNER')!, ['done', 'property-detail']],
        [ids.get('OTHER OWNER')!, ['done', 'property-detail']],
      ]),
    );
    const lead = async (id: string) =>
      rt.store.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const calls = async (id: string) =>
      (
        await rt.store.db
          .selectFrom('provider_calls')
          .select(['provider', 'request_json'])
          .where('lead_id', '=', id)
          .orderBy('provider')
          .execute()
      ).map((c) => [c.provider, JSON.parse(c.request_json)]);

    // The free property: filled from detail (APN in the stored, separator-free form), then traced there.
    const other = await lead(ids.get('OTHER OWNER')!);
    expect([other.address_line1, other.city, other.state, other.zip5, other.apn, other.fips]).toEqual([
      '100 FIXTURE AVE',
      free.city.toUpperCase(),
      'IL',
      '62704',
      '6270400001',
      free.fips,
    ]);
    expect(other.address_key).not.toBeNull();
    expect(other.enrichment_error).toBeNull();
    expect(await calls(other.id)).toEqual([
      [
        'batchdata',
        {
          street: '100 FIXTURE AVE',
          city: free.city.toUpperCase(),
          state: 'IL',
          zip: '62704',
          first: 'O.',
          last: 'O.',
          attempt_reason: 'primary',
        },
      ],
      [
        'realestateapi-property-detail',
        {
          property_id: free.id,
          street: null,
          city: null,
          state: null,
          zip: null,
          apn: null,
          attempt_reason: 'primary',
        },
      ],
    ]);
    expect(other.skip_traced_at).toBe(checkedAt);

    // The taken property: its address stays with Jo's lead; Some Owner's lead is not traced there.
    const jo = await lead(ids.get('JO SMITH')!);
    const some = await lead(ids.get('SOME OWNER')!);
    expect([some.address_line1, some.city, some.zip5, some.address_key, some.apn, some.property_id]).toEqual([
      null,
      null,
      null,
      null,
      null,
      taken.id,
    ]);
    expect(some.enrichment_error).toBe(`address already on lead ${jo.id}`);
    expect(some.skip_traced_at).toBeNull();
    expect((await calls(some.id)).map(([p]) => p)).toEqual(['realestateapi-property-detail']);
    expect((await calls(jo.id)).map(([p]) => p)).toEqual(['batchdata']);
    expect(await expectStoredScores(rt)).toBe(3);
  });

  it('detail for every lead: two leads of one property do not break the unique indexes', async () => {
    const taken = propertyAt('62704', 0, resolveSandboxOptions({ seed: 1 }));
    const rt = await h.open({ seed: 1, hitRate: 1 });
    const listId = await h.importRows(rt, [
      'Property Address,City,State,Zip,Owner Name,Property ID',
      `${taken.street},${taken.city},${taken.state},${taken.zip},Jo Smith,`,
      `,,,,Some Owner,${taken.id}`,
    ]);
    const { outcome } = await run(rt, listId, detailForEveryLead());
    expect(outcome).toMatchObject({ status: 'completed', counters: { done: 2, failed: 0 } });
    const leads = await rt.store.db
      .selectFrom('leads')
      .select(['id', 'owner_full', 'address_line1', 'apn', 'fips', 'enrichment_error'])
      .orderBy('owner_full')
      .execute();
    const jo = leads[0]!;
    expect(leads).toEqual([
      {
        id: jo.id,
        owner_full: 'JO SMITH',
        address_line1: '100 SAMPLE ST',
        apn: '6270400000',
        fips: taken.fips,
        enrichment_error: null,
      },
      {
        id: leads[1]!.id,
        owner_full: 'SOME OWNER',
        address_line1: null,
        apn: null,
        fips: null,
        enrichment_error: `address already on lead ${jo.id}; apn already on lead ${jo.id}`,
      },
    ]);
  });

  it('detail for every lead: two leads of one property in chunks running at once do not break the unique indexes', async () => {
    const taken = propertyAt('62704', 0, resolveSandboxOptions({ seed: 1 }));
    const rt = await h.open({ seed: 1, hitRate: 1 });
    const listId = await h.importRows(rt, [
      'Property Address,City,State,Zip,Owner Name,Property ID',
      `,,,,Jo Smith,${taken.id}`,
      `,,,,Some Owner,${taken.id}`,
    ]);
    // One lead per chunk, both in flight: each reads who holds the property's keys before
    // either writes, so the later write must find the earlier one at persist time.
    const runId = await startRun(rt, listId, detailForEveryLead());
    const outcome = await executeRun({ ...rt.workerDeps(), batchSize: 1, concurrency: 2 }, runId);
    expect(outcome).toMatchObject({ status: 'completed', counters: { done: 2, failed: 0 } });
    const leads = await rt.store.db
      .selectFrom('leads')
      .select(['id', 'address_line1', 'apn', 'enrichment_error'])
      .orderBy('address_line1')
      .execute();
    // Which of the two got the property is timing; exactly one did, the other says which.
    const holder = leads.find((l) => l.address_line1 !== null)!;
    const other = leads.find((l) => l.address_line1 === null)!;
    expect(holder).toMatchObject({
      address_line1: '100 SAMPLE ST',
      apn: '6270400000',
      enrichment_error: null,
    });
    expect(other).toMatchObject({
      address_line1: null,
      apn: null,
      enrichment_error: `address already on lead ${holder.id}; apn already on lead ${holder.id}`,
    });
  });

  it('merges two providers by value: first provenance, best-of flags, one primary; co-owners are persons of their own', async () => {
    const rt = await h.open({
      seed: 2,
      hitRate: 1,
      vendorProfiles: {
        batchdata: { hitRate: 1, phoneShare: 0.5, emailShare: 0.5 },
        reiskip: { hitRate: 1 },
      },
    });
    await run(
      rt,
      await h.importRows(rt, mainStreet(8)),
      policyOf({ skip_trace: ['batchdata', 'reiskip'], gap_only: false }),
    );
    const db = rt.store.db;
    const RANK: Record<string, number> = { unknown: 0, landline: 1, voip: 2, mobile: 3 };
    let coOwners = 0;
    let fromReiskipOnly = 0;
    let merged = 0;
    for (const lead of (await leadsByStreet(rt)).values()) {
      const calls = await db
        .selectFrom('provider_calls')
        .select(['id', 'provider'])
        .where('lead_id', '=', lead.id)
        .execute();
      const callOf = new Map(calls.map((c) => [c.provider, c.id]));
      expect([...callOf.keys()].sort()).toEqual(['batchdata', 'reiskip']);
      // What each vendor said, in waterfall order; the expected merge, computed here.
      const expected = new Map<
        string,
        {
          kind: string;
          source: string;
          callId: string;
          verified: boolean;
          dnc: boolean;
          type: string;
          confidence: number | null;
          by: string[];
        }
      >();
      const expectedPersons: { role: string; full: string; source_provider: string }[] = [];
      for (const provider of ['batchdata', 'reiskip']) {
        const persons = await cachedPersons(rt, provider, callOf.get(provider)!);
        persons.forEach((p, i) =>
          expectedPersons.push({
            role: i === 0 ? 'owner' : 'co_owner',
            full: p.full ?? [p.first, p.last].filter(Boolean).join(' '),
            source_provider: provider,
          }),
        );
        const found = persons.flatMap((p) => [
          ...p.phones.map((x) => ({
            kind: 'phone',
            value: normalizePhone(x.number)!,
            verified: x.reachable === true,
            dnc: x.dnc,
            type: x.type,
            confidence: x.score,
          })),
          ...p.emails.map((x) => ({
            kind: 'email',
            value: normalizeEmail(x.address)!,
            verified: x.tested === true,
            dnc: false,
            type: 'unknown',
            confidence: null,
          })),
        ]);
        for (const f of found) {
          const e = expected.get(f.value);
          if (!e) {
            expected.set(f.value, { ...f, source: provider, callId: callOf.get(provider)!, by: [provider] });
            continue;
          }
          e.by.push(provider);
          e.verified ||= f.verified;
          e.dnc ||= f.dnc;
          if (RANK[f.type]! > RANK[e.type]!) e.type = f.type;
          if (f.confidence !== null && (e.confidence === null || f.confidence > e.confidence))
            e.confidence = f.confidence;
        }
      }
      const stored = await contactsOf(rt, lead.id);
      expect(stored.map((c) => c.value).sort()).toEqual([...expected.keys()].sort());
      for (const c of stored) {
        const e = expected.get(c.value)!;
        expect({
          value: c.value,
          source: c.source_provider,
          callId: c.provider_call_id,
          verified: c.verified === 1,
          dnc: c.dnc === 1,
          type: c.type,
          confidence: c.confidence,
        }).toEqual({
          value: c.value,
          source: e.source,
          callId: e.callId,
          verified: e.verified,
          dnc: e.dnc,
          type: e.type,
          confidence: e.confidence,
        });
        if (e.by.length === 2) merged++;
        if (e.source === 'reiskip') fromReiskipOnly++;
      }
      for (const kind of ['phone', 'email']) {
        const ofKind = stored.filter((c) => c.kind === kind);
        if (ofKind.length > 0) expect(ofKind.filter((c) => c.is_primary === 1)).toHaveLength(1);
      }
      const persons = await db
        .selectFrom('persons')
        .select(['role', 'full', 'source_provider'])
        .where('lead_id', '=', lead.id)
        .execute();
      const key = (p: { role: string; full: string | null; source_provider: string | null }) =>
        `${p.source_provider}|${p.role}|${p.full}`;
      expect(persons.map(key).sort()).toEqual(expectedPersons.map(key).sort());
      coOwners += persons.filter((p) => p.role === 'co_owner').length;
    }
    // The seed gives: values both vendors found, values only REISkip knew, and co-owners.
    expect({ merged, fromReiskipOnly, coOwners }).toEqual({ merged: 13, fromReiskipOnly: 18, coOwners: 2 });
    expect(await expectStoredScores(rt)).toBe(8);
  });

  it("'auto:a,b' asks first the provider the scorecard finds cheaper per contactable lead", async () => {
    const sandbox: SandboxOptions = {
      seed: 3,
      vendorProfiles: { batchdata: { hitRate: 1 }, reiskip: { hitRate: 1 } },
    };
    const auto = policyOf({ skip_trace: { auto: ['batchdata', 'reiskip'] } });
    const firstVendors = (rt: Runtime) => [...new Set(rt.sandbox!.billing.entries().map((e) => e.vendor))];

    // No history: the cost model's prior, BatchData ($0.07 a hit) before REISkip ($0.15).
    const fresh = await h.open(sandbox);
    await run(fresh, await h.importRows(fresh, mainStreet(4)), auto);
    expect(firstVendors(fresh)).toEqual(['batchdata', 'reiskip']);

    // History: 20 earlier leads each paid to both; only REISkip's verified phones made them contactable.
    const rt = await h.open(sandbox);
    const history = await h.importRows(
      rt,
      [
        'Property Address,City,State,Zip',
        ...Array.from({ length: 20 }, (_, i) => `${i + 1} History Rd,Austin,TX,78701`),
      ],
      'history',
    );
    const db = rt.store.db;
    const past = toIso(T0 - 30 * DAY);
    const historyLeads = await db
      .selectFrom('list_members')
      .select(['lead_id'])
      .where('list_id', '=', history)
      .execute();
    expect(historyLeads).toHaveLength(20);
    let n = 0;
    for (const { lead_id } of historyLeads) {
      for (const [provider, cost] of [
        ['batchdata', 70_000],
        ['reiskip', 150_000],
      ] as const) {
        await db
          .insertInto('provider_calls')
          .values({
            id: `seed-${provider}-${n}`,
            account_id: rt.accountId,
            provider,
            idempotency_key: `seed-key-${n}`,
            generation: 0,
            lead_id,
            run_id: null,
            http_request_id: null,
            attempt_reason: 'primary',
            attempts: 1,
            request_json: '{}',
            response_enc: null,
            payload_hash: null,
            status: 'ok',
            status_code: 200,
            billable_units: 1,
            cost_micros: cost,
            error_code: null,
            error_text: null,
            duration_ms: 1,
            created_at: past,
            completed_at: past,
          })
          .execute();
      }
      const phone = `+1312555${String(100 + n).padStart(4, '0')}`;
      await db
        .insertInto('contact_points')
        .values({
          id: `seed-cp-${n}`,
          account_id: rt.accountId,
          lead_id,
          person_id: null,
          kind: 'phone',
          value_enc: rt.cipher.encrypt(phone),
          value_hash: rt.cipher.blindIndex('phone', phone),
          value_hint: phone.slice(-4),
          type: 'mobile',
          carrier: null,
          is_primary: 1,
          confidence: 90,
          verified: 1,
          verification_status: 'valid',
          dnc: 0,
          tcpa: 0,
          litigator: 0,
          compliance_source: null,
          compliance_checked_at: null,
          compliance_expires_at: null,
          source_provider: 'reiskip',
          provider_call_id: `seed-reiskip-${n}`,
          first_seen_at: past,
          last_seen_at: past,
        })
        .execute();
      await db
        .updateTable('leads')
        .set({ quality_score: 60, quality_status: 'contactable' })
        .where('id', '=', lead_id)
        .execute();
      n++;
    }
    const { runId } = await run(rt, await h.importRows(rt, mainStreet(4)), auto);
    expect(firstVendors(rt)).toEqual(['reiskip', 'batchdata']);
    const billed = rt.sandbox!.billing.entries().map((e) => e.vendor);
    expect(billed.lastIndexOf('reiskip')).toBeLessThan(billed.indexOf('batchdata'));
    // REISkip's phones are unverified, so every lead went on to BatchData (gap-only).
    const calls = await callsByStreet(rt, runId);
    expect([...calls.values()]).toEqual(Array.from({ length: 4 }, () => ['batchdata:ok', 'reiskip:ok']));
  });

  it('a cached answer dates compliance by its call, not by the run that reads it', async () => {
    const rt = await h.open({ seed: 3, hitRate: 1 });
    const list = await h.importRows(rt, mainStreet(3));
    await run(rt, list, policyOf({}));
    const checkedAt = async () =>
      (
        await rt.store.db
          .selectFrom('contact_points')
          .select(['compliance_checked_at'])
          .where('kind', '=', 'phone')
          .execute()
      )
        .map((r) => r.compliance_checked_at)
        .sort();
    const first = await checkedAt();
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first)).toEqual(new Set([toIso(T0)]));
    h.clock.advance(5 * DAY);
    const billed = rt.sandbox!.billing.entries().length;
    await run(rt, list, policyOf({}));
    expect(rt.sandbox!.billing.entries().length).toBe(billed);
    expect(await checkedAt()).toEqual(first);
  });

  it("'auto' stops paying for a lead once the next provider is expected to cost more than auto_stop_usd per contactable lead", async () => {
    const sandbox: SandboxOptions = {
      seed: 3,
      vendorProfiles: { batchdata: { hitRate: 1, emailShare: 0 }, reiskip: { hitRate: 1 } },
    };
    /** A learner that has seen BatchData make half its leads contactable and REISkip none of 50. */
    const taught = () => {
      const learner = new ContinuationLearner({ minSamples: 10, random: () => 0.5 });
      for (let i = 0; i < 50; i++) {
        learner.record('skip_trace', 'batchdata', 'earlier|', true, i % 2 === 0);
        learner.record('skip_trace', 'reiskip', 'earlier|', true, false);
      }
      return learner;
    };
    const auto = (stop: number | null) =>
      policyOf({ skip_trace: { auto: ['batchdata', 'reiskip'] }, auto_stop_usd: stop });
    const runWith = async (stop: number | null) => {
      const rt = await h.open(sandbox);
      const continuation = taught();
      const runId = await startRun(rt, await h.importRows(rt, mainStreet(6)), auto(stop));
      const outcome = await executeRun({ ...rt.workerDeps(), continuation }, runId);
      expect(outcome.status).toBe('completed');
      return { rt, runId, continuation };
    };

    // REISkip: $0.15 a hit / (0.5 / 51) = $15.30 per contactable lead, above a $0.50 limit.
    const stopped = await runWith(0.5);
    const calls = await callsByStreet(stopped.rt, stopped.runId);
    expect([...calls.values()]).toEqual(Array.from({ length: 6 }, () => ['batchdata:ok']));
    // BatchData finds no emails here, so no lead became contactable; each was one try of BatchData.
    const leads = await leadsByStreet(stopped.rt);
    expect(streetsWhere(leads, (l) => l.quality_status === 'contactable')).toEqual([]);
    const tried = stopped.continuation
      .snapshot()
      .filter((c) => c.state !== 'earlier|')
      .reduce((n, c) => n + c.tries, 0);
    expect(tried).toBe(6);
    // What it learned is stored for later runs and other workers: the taught 100 tries and these 6.
    const stored = await stopped.rt.store.db.selectFrom('auto_stats').selectAll().execute();
    expect(stored.reduce((n, r) => n + r.tries, 0)).toBe(106);
    expect(stored.filter((r) => r.state !== 'earlier|').map((r) => r.provider)).toEqual(
      expect.arrayContaining(['batchdata']),
    );
    expect(stopped.continuation.drain()).toEqual([]);

    // No limit: the same leads go on to REISkip (plain gap-only).
    const unlimited = await runWith(null);
    const all = await callsByStreet(unlimited.rt, unlimited.runId);
    expect([...all.values()]).toEqual(Array.from({ length: 6 }, () => ['batchdata:ok', 'reiskip:ok']));
  });
});

// ---- the policy of a run: file, flags, errors; the CLI -------------------------------------

describe('run policy from a file and flags', () => {
  const available = new Map([
    ['batchdata', 'skip-trace'],
    ['reiskip', 'skip-trace'],
    ['realestateapi-property-detail', 'property-detail'],
    ['batchdata-phone-verification', 'phone-verify'],
  ] as const);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-policy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  function userError(fn: () => unknown): { message: string; code: string } {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return { message: (error as UserError).message, code: (error as UserError).code };
    }
    throw new Error('expected a UserError');
  }

  it('flags override the file, the file overrides the default; LEADTRACE_POLICY_FILE when no --policy', () => {
    const path = file('p.json', JSON.stringify({ skip_trace: ['reiskip', 'batchdata'], cooldown_days: 7 }));
    expect(
      buildWaterfall(available, { policyFile: path, skip_trace: 'batchdata', gap_only: false }, {}),
    ).toEqual({
      ...DEFAULT_WATERFALL,
      skip_trace: ['batchdata'],
      cooldown_days: 7,
      gap_only: false,
    });
    expect(buildWaterfall(available, {}, { LEADTRACE_POLICY_FILE: path })).toEqual({
      ...DEFAULT_WATERFALL,
      skip_trace: ['reiskip', 'batchdata'],
      cooldown_days: 7,
    });
    // A default provider this process did not build is dropped silently.
    expect(buildWaterfall(new Map([['reiskip', 'skip-trace']]), {}, {})).toEqual({
      ...DEFAULT_WATERFALL,
      property_detail: [],
      skip_trace: [],
    });
  });

  it('fails with one readable line naming the problem', () => {
    expect(userError(() => buildWaterfall(available, { skip_trace: 'nope' }, {}))).toEqual({
      message:
        'policy: skip_trace: provider "nope" is not available (available skip-trace providers: batchdata, reiskip)',
      code: 'bad_policy',
    });
    expect(userError(() => buildWaterfall(available, { verify_phone: 'reiskip' }, {}))).toEqual({
      message:
        'policy: verify_phone: provider "reiskip" is a skip-trace provider, not phone-verify (use one of: batchdata-phone-verification)',
      code: 'bad_policy',
    });
    const bad = file('bad.json', JSON.stringify({ gap_only: 'no' }));
    expect(userError(() => buildWaterfall(available, { policyFile: bad }, {})).message).toBe(
      `policy (${bad} or flags): gap_only: expected true or false`,
    );
    expect(
      userError(() => buildWaterfall(available, { policyFile: join(dir, 'missing.json') }, {})).message,
    ).toBe(`policy file ${join(dir, 'missing.json')} cannot be read`);
    const list = file('list.json', '["batchdata"]');
    expect(userError(() => buildWaterfall(available, { policyFile: list }, {})).message).toBe(
      `policy file ${list}: expected a JSON object`,
    );
    const broken = file('broken.json', '{"skip_trace": ');
    expect(userError(() => buildWaterfall(available, { policyFile: broken }, {})).message).toMatch(
      new RegExp(`^policy file ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} not valid JSON \\(.+\\)$`),
    );
  });
});

describe('leadtrace run policy flags', () => {
  const ROOT = resolve(import.meta.dirname, '../..');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrace-wf-cli-'));
    writeFileSync(join(dir, 'x.csv'), 'Property Address,City,State,Zip\n1 Main St,Springfield,IL,62704\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/leadtrace.js'), ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        BATCHDATA_API_KEY: '',
        LEADTRACE_POLICY_FILE: '',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('an unknown provider exits 1 with one line, before anything is imported', () => {
    const r = cli('run', join(dir, 'x.csv'), '--skip-trace', 'nope');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(
      'error: policy: skip_trace: provider "nope" is not available (available skip-trace providers: batchdata, realestateapi-skiptrace, reiskip, melissa-personator)',
    );
    expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('imported'))).toBe(false);
    const days = cli('run', join(dir, 'x.csv'), '--cooldown-days', 'abc');
    expect(days.status).toBe(1);
    expect(days.stderr.trim().split('\n').at(-1)).toBe(
      'error: bad --cooldown-days "abc": expected a whole number of days',
    );
    const stop = cli('run', join(dir, 'x.csv'), '--auto-stop', '-1');
    expect(stop.status).toBe(1);
    expect(stop.stderr.trim().split('\n').at(-1)).toBe(
      'error: bad --auto-stop "-1": expected a dollar amount like 0.50, or "none"',
    );
  });

  it('stores the policy the flags resolve to on the run', async () => {
    const r = cli(
      'run',
      join(dir, 'x.csv'),
      '--skip-trace',
      'reiskip,batchdata',
      '--verify-phones',
      'batchdata-phone-verification',
      '--every-provider',
      '--cooldown-days',
      '3',
      '--auto-stop',
      'none',
      '--json',
      '--yes',
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { run_id: string; status: string };
    expect(summary.status).toBe('completed');
    const rt = await openRuntime(
      loadConfig({
        SQLITE_DB_PATH: join(dir, 'lt.db'),
        RUN_REPORTS_DIR: join(dir, 'reports'),
        LOG_LEVEL: 'silent',
      }),
      { needProvider: false, env: {} },
    );
    try {
      const stored = await rt.store.db
        .selectFrom('runs')
        .select(['policy_json'])
        .where('run_id', '=', summary.run_id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.policy_json).waterfall).toEqual({
        ...DEFAULT_WATERFALL,
        skip_trace: ['reiskip', 'batchdata'],
        verify_phone: ['batchdata-phone-verification'],
        gap_only: false,
        cooldown_days: 3,
        auto_stop_usd: null,
      });
      const providers = await rt.store.db.selectFrom('provider_calls').select(['provider']).execute();
      expect(providers.map((p) => p.provider).sort()).toContain('reiskip');
      expect(providers.map((p) => p.provider).sort()).toContain('batchdata');
    } finally {
      await rt.close();
    }
  });
});

// ---- the pure helpers the engine decides with ----------------------------------------------

describe('waterfall contact rules', () => {
  const phone = (over: Partial<MergedContact>): MergedContact => ({
    kind: 'phone',
    value: '+13125550100',
    type: 'mobile',
    carrier: null,
    dnc: false,
    tcpa: false,
    litigator: false,
    confidence: 50,
    verified: false,
    sourcePrimary: false,
    sourceProvider: 'reiskip',
    providerCallId: 'c1',
    id: null,
    isPrimary: false,
    firstSeenAt: toIso(T0),
    lastSeenAt: toIso(T0),
    changed: true,
    ...over,
  });

  it('phonesToVerify: flagged, verified or answered phones are not paid for; mobiles and best scores first', () => {
    const list = [
      phone({ value: '+1', type: 'landline', confidence: 99 }),
      phone({ value: '+2', dnc: true, confidence: 98 }),
      phone({ value: '+3', tcpa: true }),
      phone({ value: '+4', litigator: true }),
      phone({ value: '+5', verified: true }),
      phone({ value: '+6', verificationStatus: 'invalid' }),
      phone({ value: '+7', type: 'voip', confidence: 90 }),
      phone({ value: '+8', type: 'mobile', confidence: 10 }),
      phone({ value: '+9', type: 'unknown', confidence: 95 }),
    ];
    expect(phonesToVerify(list, 10).map((c) => c.value)).toEqual(['+8', '+7', '+9', '+1']);
    expect(phonesToVerify(list, 2).map((c) => c.value)).toEqual(['+8', '+7']);
  });

  it('applyPhoneVerification: a line check verifies or rules out; a list-only check only dates the flags', () => {
    const answer = (over: Partial<PhoneVerification>): PhoneVerification => ({
      number: '+13125550100',
      valid: null,
      type: null,
      carrier: null,
      reachable: null,
      dnc: null,
      tcpa: null,
      litigator: null,
      billableUnits: 1,
      ...over,
    });
    const now = toIso(T0);
    const full = phone({ type: 'unknown' });
    applyPhoneVerification(
      full,
      answer({ valid: true, reachable: true, type: 'mobile', dnc: true, tcpa: false, litigator: false }),
      'v',
      now,
    );
    expect([
      full.verified,
      full.verificationStatus,
      full.type,
      full.dnc,
      full.complianceSource,
      full.complianceCheckedAt,
    ]).toEqual([true, 'valid', 'mobile', true, 'v', now]);
    const dead = phone({});
    applyPhoneVerification(dead, answer({ valid: true, reachable: false }), 'v', now);
    expect([dead.verified, dead.verificationStatus, dead.complianceSource]).toEqual([
      false,
      'unreachable',
      undefined,
    ]);
    const listOnly = phone({ dnc: false });
    applyPhoneVerification(listOnly, answer({ dnc: false }), 'dnc-check', now);
    expect([listOnly.verified, listOnly.verificationStatus, listOnly.dnc, listOnly.complianceSource]).toEqual(
      [false, undefined, false, 'dnc-check'],
    );
    // A verifier never clears a flag a source raised.
    const flagged = phone({ dnc: true });
    applyPhoneVerification(flagged, answer({ valid: true, dnc: false }), 'v', now);
    expect(flagged.dnc).toBe(true);
  });

  it('canBecomeContactable: the best case of verifying everything, flags and ruled-out contacts excluded', () => {
    const facts = {
      mak: null,
      apn: null,
      fips: null,
      property_id: null,
      owner_occupied: null,
      owner_age: null,
      estimated_value: null,
      estimated_equity: null,
    };
    const email = (over: Partial<MergedContact>): MergedContact => ({
      ...phone({}),
      kind: 'email',
      value: 'a@example.com',
      type: 'unknown',
      ...over,
    });
    const none = () => false;
    expect(canBecomeContactable(facts, [phone({})], none)).toBe(false);
    expect(canBecomeContactable(facts, [phone({}), email({})], none)).toBe(true);
    expect(canBecomeContactable(facts, [phone({ type: 'unknown' }), email({})], none)).toBe(true);
    expect(canBecomeContactable(facts, [phone({ dnc: true }), email({})], none)).toBe(false);
    expect(canBecomeContactable(facts, [phone({}), email({ verificationStatus: 'invalid' })], none)).toBe(
      false,
    );
    expect(canBecomeContactable(facts, [phone({}), email({})], (c) => c.kind === 'email')).toBe(false);
    const rich = {
      ...facts,
      mak: 'M',
      apn: 'A',
      owner_occupied: 1,
      owner_age: 70,
      estimated_value: 200_000,
      estimated_equity: 1,
    };
    expect(canBecomeContactable(rich, [phone({})], none)).toBe(true);
  });

  it('patchFromRecord: identity fills blanks only, in the stored APN form; facts replace', () => {
    const lead = {
      address_line1: null,
      apn: null,
      fips: null,
      mak: 'KEEP',
      property_id: null,
      owner_first: null,
      owner_last: null,
      owner_full: null,
      owner_company: null,
      owner_type: null,
    };
    const patch = patchFromRecord(lead, {
      propertyId: '16270400001',
      apn: '627-04-00001',
      fips: '17129',
      mak: 'OTHER',
      address: { street: '100 Fixture Ave', unit: null, city: 'X', state: 'IL', zip: '62704' },
      owners: [{ first: null, last: null, full: 'ACME LLC', ownerType: 'llc' }],
      mailingAddress: null,
      corporateOwned: true,
      propertyType: 'SFR',
      beds: 3,
      baths: null,
      sqft: null,
      yearBuilt: null,
      estimatedValue: 250_000.4,
      estimatedEquity: null,
      equityPercent: null,
      ownerOccupied: false,
      absenteeOwner: null,
      preForeclosure: null,
      foreclosure: null,
      taxLien: null,
      bankruptcy: null,
      vacant: null,
      highEquity: null,
      freeClear: null,
    });
    expect(patch).toEqual({
      property_id: '16270400001',
      apn: '6270400001',
      fips: '17129',
      owner_first: null,
      owner_last: null,
      owner_full: 'ACME LLC',
      owner_company: 'ACME LLC',
      owner_type: 'llc',
      property_type: 'SFR',
      beds: 3,
      estimated_value: 250_000,
      owner_occupied: 0,
    });
  });
});
