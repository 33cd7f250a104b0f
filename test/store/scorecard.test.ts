/**
 * The vendor scorecard query over both dialects: calls, hits, errors, attempted leads,
 * contactable leads credited by contact-point provenance, and spend — overall, per state,
 * per owner type, and since a time; other accounts' calls never count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureAccount, LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { insertCallIntents } from '../../src/store/repos/provider-calls.js';
import { providerScorecard, scorecardRatios, type ScorecardRow } from '../../src/store/repos/scorecard.js';
import type { Store } from '../../src/store/db.js';
import { DIALECTS, openTestStore, postgresAvailable, testCipher, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const cipher = testCipher();

interface LeadSpec {
  id: string;
  account?: string;
  state: string | null;
  ownerType: string | null;
  quality: string | null;
  /** Providers its contact points came from (one phone each). */
  contactsFrom: string[];
}

interface CallSpec {
  id: string;
  account?: string;
  provider: string;
  lead: string;
  status: 'intent' | 'ok' | 'no_match' | 'error';
  cost: number;
  day: string;
  generation?: number;
}

const LEADS: LeadSpec[] = [
  { id: 'L1', state: 'TX', ownerType: 'individual', quality: 'contactable', contactsFrom: ['alpha'] },
  { id: 'L2', state: 'TX', ownerType: 'llc', quality: 'contactable', contactsFrom: ['beta', 'alpha'] },
  { id: 'L3', state: 'CA', ownerType: 'individual', quality: 'enriched', contactsFrom: ['alpha'] },
  { id: 'L4', state: 'CA', ownerType: null, quality: 'contactable', contactsFrom: ['beta'] },
  { id: 'L5', state: null, ownerType: 'individual', quality: 'contactable', contactsFrom: ['alpha'] },
  {
    id: 'L6',
    account: 'other',
    state: 'TX',
    ownerType: 'individual',
    quality: 'contactable',
    contactsFrom: ['alpha'],
  },
];

const CALLS: CallSpec[] = [
  { id: 'a1', provider: 'alpha', lead: 'L1', status: 'ok', cost: 70_000, day: '01' },
  { id: 'a2', provider: 'alpha', lead: 'L2', status: 'ok', cost: 70_000, day: '02' },
  { id: 'a3', provider: 'alpha', lead: 'L3', status: 'no_match', cost: 0, day: '03' },
  // L4 is contactable, but through beta's contact only: not credited to alpha.
  { id: 'a4', provider: 'alpha', lead: 'L4', status: 'error', cost: 0, day: '04' },
  { id: 'a5', provider: 'alpha', lead: 'L5', status: 'ok', cost: 70_000, day: '05' },
  // L1 again in a later generation: a second call, the same attempted lead.
  { id: 'a6', provider: 'alpha', lead: 'L1', status: 'ok', cost: 70_000, day: '10', generation: 1 },
  // A row taken over for another attempt: not a call, but its earlier cost was spent.
  { id: 'a7', provider: 'alpha', lead: 'L3', status: 'intent', cost: 20_000, day: '11', generation: 1 },
  { id: 'b1', provider: 'beta', lead: 'L2', status: 'ok', cost: 50_000, day: '02' },
  { id: 'b2', provider: 'beta', lead: 'L4', status: 'ok', cost: 50_000, day: '04' },
  // L1 is contactable, but beta gave it nothing.
  { id: 'b3', provider: 'beta', lead: 'L1', status: 'no_match', cost: 50_000, day: '06' },
  { id: 'x1', account: 'other', provider: 'alpha', lead: 'L6', status: 'ok', cost: 70_000, day: '06' },
];

/** Writes LEADS, their contact points and CALLS (plain inserts and the provider-calls repo). */
async function seedScorecard(store: Store): Promise<void> {
  const at = (day: string) => `2026-11-${day}T09:00:00.000Z`;
  await ensureAccount(store.db, 'other', 'Other', at('01'));
  for (const [i, l] of LEADS.entries()) {
    await store.db
      .insertInto('leads')
      .values({
        id: l.id,
        account_id: l.account ?? LOCAL_ACCOUNT_ID,
        source: 'csv',
        state: l.state,
        owner_type: l.ownerType,
        quality_status: l.quality,
        status: 'new',
        enrichment_status: 'completed',
        first_seen_at: at('01'),
        last_seen_at: at('01'),
      })
      .execute();
    for (const [j, provider] of l.contactsFrom.entries()) {
      const phone = `+131255501${i}${j}`;
      await store.db
        .insertInto('contact_points')
        .values({
          id: `${l.id}-cp${j}`,
          account_id: l.account ?? LOCAL_ACCOUNT_ID,
          lead_id: l.id,
          kind: 'phone',
          value_enc: cipher.encrypt(phone),
          value_hash: cipher.blindIndex('phone', phone),
          value_hint: phone.slice(-4),
          type: 'mobile',
          is_primary: j === 0 ? 1 : 0,
          verified: 1,
          dnc: 0,
          tcpa: 0,
          litigator: 0,
          source_provider: provider,
          first_seen_at: at('01'),
          last_seen_at: at('01'),
        })
        .execute();
    }
  }
  await insertCallIntents(
    store.db,
    CALLS.map((c) => ({
      id: c.id,
      account_id: c.account ?? LOCAL_ACCOUNT_ID,
      provider: c.provider,
      idempotency_key: `key-${c.lead}`,
      generation: c.generation ?? 0,
      lead_id: c.lead,
      attempt_reason: 'primary',
      attempts: 1,
      request_json: '{}',
      status: c.status,
      billable_units: c.status === 'ok' ? 1 : 0,
      cost_micros: c.cost,
      created_at: at(c.day),
    })),
  );
}

const row = (
  provider: string,
  by: ScorecardRow['by'],
  segment: string | null,
  calls: number,
  hits: number,
  errors: number,
  leads: number,
  contactableLeads: number,
  costMicros: number,
): ScorecardRow => ({ provider, by, segment, calls, hits, errors, leads, contactableLeads, costMicros });

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`vendor scorecard on ${dialect}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('is empty before any call', async () => {
      expect(await providerScorecard(store.db, LOCAL_ACCOUNT_ID)).toEqual([]);
      expect(await providerScorecard(store.db, LOCAL_ACCOUNT_ID, { by: 'state' })).toEqual([]);
    });

    it('counts per provider: calls, hits, errors, leads, credited contactable leads, spend', async () => {
      await seedScorecard(store);
      expect(await providerScorecard(store.db, LOCAL_ACCOUNT_ID)).toEqual([
        row('alpha', null, null, 6, 4, 1, 5, 3, 300_000),
        row('beta', null, null, 3, 2, 0, 3, 2, 150_000),
      ]);
      expect(await providerScorecard(store.db, 'other')).toEqual([
        row('alpha', null, null, 1, 1, 0, 1, 1, 70_000),
      ]);
    });

    it('segments by state (a lead without one is the null segment, listed first)', async () => {
      await seedScorecard(store);
      expect(await providerScorecard(store.db, LOCAL_ACCOUNT_ID, { by: 'state' })).toEqual([
        row('alpha', 'state', null, 1, 1, 0, 1, 1, 70_000),
        row('alpha', 'state', 'CA', 2, 0, 1, 2, 0, 20_000),
        row('alpha', 'state', 'TX', 3, 3, 0, 2, 2, 210_000),
        row('beta', 'state', 'CA', 1, 1, 0, 1, 1, 50_000),
        row('beta', 'state', 'TX', 2, 1, 0, 2, 1, 100_000),
      ]);
    });

    it('segments by owner type', async () => {
      await seedScorecard(store);
      expect(await providerScorecard(store.db, LOCAL_ACCOUNT_ID, { by: 'owner_type' })).toEqual([
        row('alpha', 'owner_type', null, 1, 0, 1, 1, 0, 0),
        row('alpha', 'owner_type', 'individual', 4, 3, 0, 3, 2, 230_000),
        row('alpha', 'owner_type', 'llc', 1, 1, 0, 1, 1, 70_000),
        row('beta', 'owner_type', null, 1, 1, 0, 1, 1, 50_000),
        row('beta', 'owner_type', 'individual', 1, 0, 0, 1, 0, 50_000),
        row('beta', 'owner_type', 'llc', 1, 1, 0, 1, 1, 50_000),
      ]);
    });

    it('keeps calls made at or after `since`', async () => {
      await seedScorecard(store);
      expect(
        await providerScorecard(store.db, LOCAL_ACCOUNT_ID, { since: '2026-11-04T09:00:00.000Z' }),
      ).toEqual([
        row('alpha', null, null, 3, 2, 1, 3, 2, 160_000),
        row('beta', null, null, 2, 1, 0, 2, 1, 100_000),
      ]);
      expect(
        await providerScorecard(store.db, LOCAL_ACCOUNT_ID, { since: '2026-12-01T00:00:00.000Z' }),
      ).toEqual([]);
    });
  });
}

describe('scorecard ratios', () => {
  it('divides by calls, hits and contactable leads, rounding money to whole micro-dollars', () => {
    expect(scorecardRatios(row('alpha', null, null, 6, 4, 1, 5, 3, 300_001))).toEqual({
      hitRate: 4 / 6,
      errorRate: 1 / 6,
      costPerHitMicros: 75_000,
      costPerContactableMicros: 100_000,
    });
  });
  it('is null where nothing was counted', () => {
    expect(scorecardRatios(row('alpha', null, null, 0, 0, 0, 0, 0, 20_000))).toEqual({
      hitRate: null,
      errorRate: null,
      costPerHitMicros: null,
      costPerContactableMicros: null,
    });
  });
});
