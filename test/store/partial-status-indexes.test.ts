/**
 * Migration 012: the status, enrichment and APN lead indexes hold only the leads a query can
 * find through them (none of a fresh import's), and the lead filters still get the right
 * leads, planned through them on SQLite.
 */
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { queryLeads, type LeadFilters } from '../../src/store/repos/lead-queries.js';
import type { Database } from '../../src/store/schema.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';

describe('partial status indexes (sqlite)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const insert = store.sqlite!.prepare(
      `insert into leads (id, account_id, source, address_key, apn, status, enrichment_status, first_seen_at, last_seen_at)
       values (?, ?, 'csv', ?, ?, ?, ?, '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z')`,
    );
    insert.run('a', LOCAL_ACCOUNT_ID, 'k1', null, 'new', 'pending');
    insert.run('b', LOCAL_ACCOUNT_ID, 'k2', 'A-1', 'dead', 'completed');
    insert.run('c', LOCAL_ACCOUNT_ID, 'k3', 'A-2', 'new', 'partial');
    insert.run('d', LOCAL_ACCOUNT_ID, 'k4', null, 'contacted', 'pending');
  });
  afterAll(() => store.dispose());

  const plan = (query: string, params: readonly unknown[]) =>
    (store.sqlite!.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
  const indexed = (name: string) =>
    (
      store
        .sqlite!.prepare(`select id from leads indexed by ${name} where account_id = ?`)
        .all(LOCAL_ACCOUNT_ID) as { id: string }[]
    ).map((r) => r.id);

  /** The leads queryLeads finds, and the plan of the query it ran. */
  async function query(filters: LeadFilters) {
    const ran: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: store.sqlite! }),
      log: (e) => {
        ran.push(e.query);
      },
    });
    const page = await queryLeads(db, LOCAL_ACCOUNT_ID, filters);
    const first = ran[0]!;
    return { ids: page.leads.map((l) => l.id), plan: plan(first.sql, first.parameters) };
  }

  it('hold only leads that are not new, not pending, with an APN', () => {
    const sqlOf = (name: string) =>
      (store.sqlite!.prepare('select sql from sqlite_master where name = ?').get(name) as { sql: string })
        .sql;
    expect(sqlOf('ix_leads_status')).toMatch(/where "status" <> 'new'$/i);
    expect(sqlOf('ix_leads_enrichment')).toMatch(/where "enrichment_status" <> 'pending'$/i);
    expect(sqlOf('ix_leads_apn_only')).toMatch(/where "apn" is not null$/i);
    // `indexed by` fails unless the query's terms let the planner use the index.
    expect(
      store
        .sqlite!.prepare(
          `select id from leads indexed by ix_leads_status where account_id = ? and status <> 'new' order by id`,
        )
        .all(LOCAL_ACCOUNT_ID),
    ).toEqual([{ id: 'b' }, { id: 'd' }]);
    expect(() => indexed('ix_leads_status')).toThrow(/no query solution/);
  });

  it('a status filter without new finds its leads through ix_leads_status', async () => {
    const r = await query({ status: ['dead', 'contacted'] });
    expect(r.ids).toEqual(['b', 'd']);
    expect(r.plan).toMatch(/USING (COVERING )?INDEX ix_leads_status/);
  });

  it('a status filter with new still finds the new leads', async () => {
    expect((await query({ status: ['new', 'dead'] })).ids).toEqual(['a', 'b', 'c']);
  });

  it('the enriched filter finds its leads through ix_leads_enrichment', async () => {
    const r = await query({ enrichedOnly: true });
    expect(r.ids).toEqual(['b', 'c']);
    expect(r.plan).toMatch(/USING (COVERING )?INDEX ix_leads_enrichment/);
  });

  it('APN lookups use ix_leads_apn_only', () => {
    expect(
      plan(`select id from leads where account_id = ? and apn in (?, ?)`, [LOCAL_ACCOUNT_ID, 'A-1', 'X']),
    ).toMatch(/USING (COVERING )?INDEX ix_leads_apn_only/);
  });
});
