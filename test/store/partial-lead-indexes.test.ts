/**
 * Migration 010: the campaign and site indexes hold only leads with a quality status or a
 * site, and SQLite still plans the queries they serve through them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';

describe('partial lead indexes (sqlite)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const insert = store.sqlite!.prepare(
      `insert into leads (id, account_id, source, address_key, quality_status, quality_score, first_seen_at, last_seen_at)
       values (?, ?, 'csv', ?, ?, ?, '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z')`,
    );
    insert.run('a', LOCAL_ACCOUNT_ID, 'k1', null, null);
    insert.run('b', LOCAL_ACCOUNT_ID, 'k2', 'contactable', 70);
    insert.run('c', LOCAL_ACCOUNT_ID, 'k3', null, null);
  });
  afterAll(() => store.dispose());

  const plan = (query: string, ...params: unknown[]) =>
    (store.sqlite!.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');

  it('campaign-ready selections use ix_leads_campaign', () => {
    expect(
      plan(
        `select id from leads where account_id = ? and quality_status = 'contactable' and quality_score >= 60
         order by quality_score desc, first_seen_at, id`,
        LOCAL_ACCOUNT_ID,
      ),
    ).toMatch(/USING (COVERING )?INDEX ix_leads_campaign/);
  });

  it('site lookups use ix_leads_site', () => {
    expect(plan('select id from leads where site_id = ?', 's1')).toMatch(
      /USING (COVERING )?INDEX ix_leads_site/,
    );
  });

  it('both indexes are partial: only scored leads (and leads with a site) are in them', () => {
    const sqlOf = (name: string) =>
      (store.sqlite!.prepare('select sql from sqlite_master where name = ?').get(name) as { sql: string })
        .sql;
    expect(sqlOf('ix_leads_campaign')).toMatch(/where "quality_status" is not null$/i);
    expect(sqlOf('ix_leads_site')).toMatch(/where "site_id" is not null$/i);
    const inCampaign = store
      .sqlite!.prepare(
        `select id from leads indexed by ix_leads_campaign where account_id = ? and quality_status is not null`,
      )
      .all(LOCAL_ACCOUNT_ID);
    expect(inCampaign).toEqual([{ id: 'b' }]);
  });
});
