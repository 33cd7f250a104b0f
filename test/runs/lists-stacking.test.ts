/**
 * Issue 5 acceptance: two CSVs with overlapping properties (the same address spelled two
 * ways; one property known only by its APN in the second file) imported into two lists →
 * each property stored once and stacked on both lists (stack count 2), list stats correct;
 * deleting one list keeps the shared leads and removes the leads that were only on it,
 * with everything they own, while spend history stays.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { piiHint } from '../../src/domain/pii/cipher.js';
import { ImportError } from '../../src/runs/import/errors.js';
import { changeLeadStatus, recordActivity, tagLeadByRef } from '../../src/runs/lifecycle.js';
import {
  createNamedList,
  deleteListByRef,
  importIntoList,
  listsWithStats,
  showList,
  type ListContext,
} from '../../src/runs/lists.js';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { queryLeads } from '../../src/store/repos/lead-queries.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';
import { ManualClock } from '../helpers/clock.js';

const FILE_A = [
  'Property Address,City,State,Zip,Owner First Name,Owner Last Name,APN',
  '101 Main Street,Springfield,IL,62704,Ann,Lee,',
  '202 North Oak Avenue,Springfield,IL,62704,Bo,Kim,',
  '303 Pine Rd,Chicago,IL,60614,Cy,Diaz,14-21-100-015',
  '404 Elm Dr,Chicago,IL,60614,Di,Fox,',
].join('\n');

// The same first two properties spelled differently; the third by its APN alone.
const FILE_B = [
  'Address,City,State,Zip Code,First Name,Last Name,Parcel Number',
  '101 MAIN ST.,Springfield,il,62704-1234,Ann,Lee,',
  '202 N Oak Ave,SPRINGFIELD,IL,62704,Bo,Kim,',
  ',,,,,,1421100015',
  '909 Park Pl,Tampa,FL,33602,Ira,Kent,',
].join('\n');

const pgOk = await postgresAvailable();
const cipher = testCipher();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`lists stacking on ${dialect}`, () => {
    let store: TestStore;
    let dir: string;
    let ctx: ListContext;
    let clock: ManualClock;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'leadtrace-lists-'));
      writeFileSync(join(dir, 'a.csv'), `${FILE_A}\n`);
      writeFileSync(join(dir, 'b.csv'), `${FILE_B}\n`);
      clock = new ManualClock();
      ctx = { db: store.db, dialect: store.dialect, accountId: LOCAL_ACCOUNT_ID, clock };
    });
    afterEach(async () => {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const leadByLine1 = async () => {
      const rows = await store.db.selectFrom('leads').select(['id', 'address_line1', 'apn']).execute();
      return new Map(rows.map((r) => [r.address_line1, r]));
    };

    async function addContact(leadId: string, kind: 'phone' | 'email', value: string) {
      const at = '2026-11-25T12:00:00.000Z';
      await store.db
        .insertInto('contact_points')
        .values({
          id: `cp-${leadId}-${kind}`,
          account_id: LOCAL_ACCOUNT_ID,
          lead_id: leadId,
          person_id: null,
          kind,
          value_enc: cipher.encrypt(value),
          value_hash: cipher.blindIndex(kind, value),
          value_hint: piiHint(kind, value),
          type: kind === 'phone' ? 'mobile' : 'unknown',
          carrier: null,
          is_primary: 1,
          confidence: 90,
          verified: 1,
          verification_status: null,
          dnc: 0,
          tcpa: 0,
          litigator: 0,
          compliance_source: null,
          compliance_checked_at: null,
          compliance_expires_at: null,
          source_provider: 'batchdata',
          provider_call_id: null,
          first_seen_at: at,
          last_seen_at: at,
        })
        .execute();
    }

    it('stores each property once, stacks it on both lists, and counts stats from the leads', async () => {
      await createNamedList(ctx, { name: 'Springfield absentee', source: 'propstream' });
      clock.advance(1000);
      await createNamedList(ctx, { name: 'Tax liens' });
      clock.advance(1000);
      const a = await importIntoList(ctx, 'Springfield absentee', {
        path: join(dir, 'a.csv'),
        reportsDir: join(dir, 'reports'),
      });
      clock.advance(1000);
      const b = await importIntoList(ctx, 'Tax liens', {
        path: join(dir, 'b.csv'),
        reportsDir: join(dir, 'reports'),
      });

      expect([a.rows, a.created, a.duplicates, a.addedToList]).toEqual([4, 4, 0, 4]);
      expect([b.rows, b.created, b.duplicates, b.addedToList]).toEqual([4, 1, 3, 4]);
      expect(b.duplicatesBy).toEqual({ vendor_record_id: 0, apn: 1, mak: 0, address_key: 2 });
      // Five properties, each stored once; the staging lists of the imports are gone.
      const leads = await leadByLine1();
      expect([...leads.keys()].sort()).toEqual([
        '101 MAIN ST',
        '202 N OAK AVE',
        '303 PINE RD',
        '404 ELM DR',
        '909 PARK PL',
      ]);
      expect(leads.get('303 PINE RD')!.apn).toBe('1421100015');
      const lists = await listsWithStats(ctx);
      expect(lists.map((l) => l.name)).toEqual(['Springfield absentee', 'Tax liens']);

      // Stack counts: the three shared properties are on two lists.
      const page = await queryLeads(store.db, LOCAL_ACCOUNT_ID, {});
      expect(page.leads.map((l) => [l.address_line1, l.stack_count])).toEqual([
        ['101 MAIN ST', 2],
        ['202 N OAK AVE', 2],
        ['303 PINE RD', 2],
        ['404 ELM DR', 1],
        ['909 PARK PL', 1],
      ]);
      const stacked = await queryLeads(store.db, LOCAL_ACCOUNT_ID, { minStack: 2 });
      expect(stacked.leads.map((l) => l.address_line1)).toEqual([
        '101 MAIN ST',
        '202 N OAK AVE',
        '303 PINE RD',
      ]);
      expect(stacked.totalMatching).toBe(3);

      // Give the leads some enrichment, outreach and contacts, then read the stats.
      const id = (line1: string) => leads.get(line1)!.id;
      await store.db
        .updateTable('leads')
        .set({ enrichment_status: 'completed' })
        .where('id', '=', id('101 MAIN ST'))
        .execute();
      await store.db
        .updateTable('leads')
        .set({ enrichment_status: 'partial' })
        .where('id', '=', id('909 PARK PL'))
        .execute();
      await store.db
        .updateTable('leads')
        .set({ enrichment_status: 'failed' })
        .where('id', '=', id('404 ELM DR'))
        .execute();
      await changeLeadStatus(ctx, id('202 N OAK AVE'), 'contacted');
      await addContact(id('101 MAIN ST'), 'phone', '+12175550101');
      await addContact(id('101 MAIN ST'), 'email', 'ann@example.com');
      await addContact(id('303 PINE RD'), 'phone', '+13125550103');
      await addContact(id('909 PARK PL'), 'email', 'ira@example.com');

      const [statsA, statsB] = (await listsWithStats(ctx)).map((l) => l.stats);
      const noDistress = {
        pre_foreclosure: 0,
        foreclosure: 0,
        tax_lien: 0,
        bankruptcy: 0,
        vacant: 0,
        high_equity: 0,
        free_clear: 0,
      };
      expect(statsA).toEqual({
        total: 4,
        enriched: 1,
        queued: 2,
        contacted: 1,
        withPhone: 2,
        withEmail: 1,
        stacked: 3,
        distress: noDistress,
      });
      expect(statsB).toEqual({
        total: 4,
        enriched: 2,
        queued: 2,
        contacted: 1,
        withPhone: 2,
        withEmail: 2,
        stacked: 3,
        distress: noDistress,
      });
    });

    it('deleting a list keeps the shared leads and removes the leads only on it, with what they own', async () => {
      await createNamedList(ctx, { name: 'A' });
      await createNamedList(ctx, { name: 'B' });
      await importIntoList(ctx, 'A', { path: join(dir, 'a.csv'), reportsDir: join(dir, 'reports') });
      await importIntoList(ctx, 'B', { path: join(dir, 'b.csv'), reportsDir: join(dir, 'reports') });
      const leads = await leadByLine1();
      const only = leads.get('404 ELM DR')!.id;
      const shared = leads.get('101 MAIN ST')!.id;
      // Everything a lead owns, on the lead only on A and on a shared one.
      for (const leadId of [only, shared]) {
        await addContact(leadId, 'phone', leadId === only ? '+13125550104' : '+12175550101');
        await store.db
          .insertInto('persons')
          .values({
            id: `p-${leadId}`,
            lead_id: leadId,
            role: 'owner',
            first: 'X',
            middle: null,
            last: 'Y',
            full: 'X Y',
            source_provider: 'batchdata',
            created_at: '2026-11-25T12:00:00.000Z',
          })
          .execute();
        await tagLeadByRef(ctx, leadId, ['hot']);
        await recordActivity(ctx, leadId, { kind: 'call', outcome: 'voicemail' });
        await store.db
          .insertInto('provider_calls')
          .values({
            id: `call-${leadId}`,
            account_id: LOCAL_ACCOUNT_ID,
            provider: 'batchdata',
            idempotency_key: `key-${leadId}`,
            generation: 0,
            lead_id: leadId,
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
            cost_micros: 70_000,
            error_code: null,
            error_text: null,
            duration_ms: 10,
            created_at: '2026-11-25T12:00:00.000Z',
            completed_at: '2026-11-25T12:00:00.000Z',
          })
          .execute();
      }

      const deleted = await deleteListByRef(ctx, 'A');
      expect(deleted).toMatchObject({ memberships: 4, leads: 1 });

      expect([...(await leadByLine1()).keys()].sort()).toEqual([
        '101 MAIN ST',
        '202 N OAK AVE',
        '303 PINE RD',
        '909 PARK PL',
      ]);
      const owned = async (leadId: string) => ({
        contacts: (
          await store.db.selectFrom('contact_points').select('id').where('lead_id', '=', leadId).execute()
        ).length,
        persons: (await store.db.selectFrom('persons').select('id').where('lead_id', '=', leadId).execute())
          .length,
        tags: (
          await store.db.selectFrom('lead_tags').select('tag_id').where('lead_id', '=', leadId).execute()
        ).length,
        activities: (
          await store.db.selectFrom('activities').select('id').where('lead_id', '=', leadId).execute()
        ).length,
        calls: (
          await store.db.selectFrom('provider_calls').select('id').where('lead_id', '=', leadId).execute()
        ).length,
      });
      // Call + the automatic new->contacted move: two activities on a kept lead.
      expect(await owned(shared)).toEqual({ contacts: 1, persons: 1, tags: 1, activities: 2, calls: 1 });
      // Gone with its lead, except the spend history.
      expect(await owned(only)).toEqual({ contacts: 0, persons: 0, tags: 0, activities: 0, calls: 1 });

      const remaining = await listsWithStats(ctx);
      expect(remaining.map((l) => l.name)).toEqual(['B']);
      expect(remaining[0]!.stats).toMatchObject({ total: 4, stacked: 0, withPhone: 1, contacted: 1 });
      const page = await queryLeads(store.db, LOCAL_ACCOUNT_ID, {});
      expect(page.leads.map((l) => l.stack_count)).toEqual([1, 1, 1, 1]);
      await expect(showList(ctx, 'A')).rejects.toThrow('no list "A" (see leadtrace lists ls)');
    });

    it('a file failing part way still lands the rows committed before the failure on the list', async () => {
      const rows = Array.from({ length: 1005 }, (_, i) => `${i + 1} Oak Ave,Austin,TX,78701`);
      writeFileSync(
        join(dir, 'bad.csv'),
        ['Address,City,State,Zip', ...rows, '"9999 Oak Ave,Austin,TX,78701'].join('\n'),
      );
      const list = await createNamedList(ctx, { name: 'T' });
      const err = await importIntoList(ctx, 'T', {
        path: join(dir, 'bad.csv'),
        reportsDir: join(dir, 'r'),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).code).toBe('malformed_csv');
      // importCsv commits whole batches of 1,000 read before the failure (all of them on SQLite).
      const leads = (await store.db.selectFrom('leads').select('id').execute()).length;
      expect(leads % 1000).toBe(0);
      if (dialect === 'sqlite') expect(leads).toBe(1000);
      const lists = await listsWithStats(ctx);
      expect(lists.map((l) => [l.id, l.stats.total])).toEqual([[list.id, leads]]);
    });

    it('finds a list by id or unique name and refuses an ambiguous name or a taken one', async () => {
      const first = await createNamedList(ctx, { name: 'Dup' });
      await expect(createNamedList(ctx, { name: 'Dup' })).rejects.toThrow(
        `a list named "Dup" already exists (${first.id})`,
      );
      // `leadtrace run` names lists after files, so two lists may share a name.
      await store.db
        .insertInto('lists')
        .values({
          ...(await store.db.selectFrom('lists').selectAll().executeTakeFirstOrThrow()),
          id: 'list-2',
        })
        .execute();
      await expect(showList(ctx, 'Dup')).rejects.toThrow(
        `2 lists are named "Dup": use an id (${first.id}, list-2)`,
      );
      expect((await showList(ctx, 'list-2')).id).toBe('list-2');
      expect((await showList(ctx, first.id)).stats.total).toBe(0);
    });

    it('refuses to delete a list while a run over it is running, and drops unfinished items of removed leads', async () => {
      const list = await createNamedList(ctx, { name: 'A' });
      await importIntoList(ctx, 'A', { path: join(dir, 'a.csv'), reportsDir: join(dir, 'reports') });
      const leadIds = (await store.db.selectFrom('leads').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      const run = {
        run_id: 'run-1',
        account_id: LOCAL_ACCOUNT_ID,
        list_id: list.id,
        source_label: 'a.csv',
        policy_json: '{}',
        status: 'running' as const,
        total: 4,
        queued: 3,
        in_flight: 0,
        done: 1,
        failed: 0,
        cached_hits: 0,
        spent_micros: 0,
        reserved_micros: 0,
        soft_paused: 0,
        reason: null,
        created_at: '2026-11-25T12:00:00.000Z',
        started_at: '2026-11-25T12:00:00.000Z',
        finished_at: null,
      };
      await store.db.insertInto('runs').values(run).execute();
      await store.db
        .insertInto('run_items')
        .values(
          leadIds.map((leadId, i) => ({
            id: `item-${i}`,
            run_id: 'run-1',
            lead_id: leadId,
            status: i === 0 ? ('done' as const) : ('queued' as const),
            stage: 'skip-trace',
            attempt: i === 0 ? 1 : 0,
            idem_key: `k${i}`,
            sanitized_idem_key: null,
            normalized_address: null,
            normalized_person: null,
            cached: 0,
            provider_call_id: null,
            last_error: null,
            next_attempt_at: null,
            updated_at: '2026-11-25T12:00:00.000Z',
          })),
        )
        .execute();
      await expect(deleteListByRef(ctx, 'A')).rejects.toThrow(
        'run run-1 over list "A" is running: stop it first (a run left running by a crash: leadtrace resume run-1)',
      );
      expect((await store.db.selectFrom('leads').select('id').execute()).length).toBe(4);

      await store.db.updateTable('runs').set({ status: 'paused' }).where('run_id', '=', 'run-1').execute();
      expect(await deleteListByRef(ctx, 'A')).toMatchObject({ memberships: 4, leads: 4 });
      // The done item stays as the run's history; queued work for leads that are gone does not.
      const items = await store.db.selectFrom('run_items').select(['id', 'status']).execute();
      expect(items).toEqual([{ id: 'item-0', status: 'done' }]);
    });
  });
}
