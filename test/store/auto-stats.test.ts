/**
 * 'auto' learning per lead state (auto_stats) over both dialects: counts added as increments
 * (a new state starts at its counts), per account; the learner reloads the totals and keeps
 * what it recorded but has not drained.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContinuationLearner } from '../../src/pipeline/continuation.js';
import { ensureAccount, LOCAL_ACCOUNT_ID } from '../../src/store/repos/accounts.js';
import { addAutoStats, loadAutoStats } from '../../src/store/repos/auto-stats.js';
import { DIALECTS, openTestStore, postgresAvailable, type TestStore } from '../helpers/stores.js';

const pgOk = await postgresAvailable();
const T = '2026-11-25T12:00:00.000Z';
const FRESH = 's0 e:none p:none|';
const AFTER = 's30 e:none p:ok|batchdata:h';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgOk)(`auto_stats on ${dialect}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(dialect);
      await ensureAccount(store.db, 'other', 'Other', T);
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('adds counts to the stored totals, per account, stage, provider and state', async () => {
      await addAutoStats(
        store.db,
        LOCAL_ACCOUNT_ID,
        [
          { stage: 'skip_trace', provider: 'batchdata', state: FRESH, tries: 3, hits: 2, contactable: 1 },
          { stage: 'skip_trace', provider: 'reiskip', state: AFTER, tries: 1, hits: 1, contactable: 0 },
        ],
        T,
      );
      await store.db
        .transaction()
        .execute((trx) =>
          addAutoStats(
            trx,
            LOCAL_ACCOUNT_ID,
            [{ stage: 'skip_trace', provider: 'batchdata', state: FRESH, tries: 2, hits: 1, contactable: 1 }],
            T,
          ),
        );
      await addAutoStats(
        store.db,
        'other',
        [{ stage: 'skip_trace', provider: 'batchdata', state: FRESH, tries: 9, hits: 9, contactable: 9 }],
        T,
      );
      const rows = await loadAutoStats(store.db, LOCAL_ACCOUNT_ID);
      expect(rows.sort((a, b) => a.provider.localeCompare(b.provider))).toEqual([
        { stage: 'skip_trace', provider: 'batchdata', state: FRESH, tries: 5, hits: 3, contactable: 2 },
        { stage: 'skip_trace', provider: 'reiskip', state: AFTER, tries: 1, hits: 1, contactable: 0 },
      ]);
    });

    it('a learner drains what it recorded, and a second learner starts from the totals', async () => {
      const first = new ContinuationLearner({ minSamples: 2, random: () => 0.99 });
      first.record('skip_trace', 'batchdata', FRESH, true, true);
      first.record('skip_trace', 'batchdata', FRESH, false, false);
      const drained = first.drain();
      expect(drained).toEqual([
        { stage: 'skip_trace', provider: 'batchdata', state: FRESH, tries: 2, hits: 1, contactable: 1 },
      ]);
      expect(first.drain()).toEqual([]);
      await addAutoStats(store.db, LOCAL_ACCOUNT_ID, drained, T);

      const second = new ContinuationLearner({ minSamples: 2, random: () => 0.99 });
      second.record('skip_trace', 'reiskip', AFTER, true, false); // recorded before the load
      second.load(await loadAutoStats(store.db, LOCAL_ACCOUNT_ID));
      const cost = { perCallMicros: 0, perHitMicros: 70_000, perItemMicros: 0 };
      // 70,000 × 1/2 hit rate / ((1 + 0.5) / 3) = 70,000
      expect(second.marginalMicros('skip_trace', 'batchdata', FRESH, cost)).toBeCloseTo(70_000, 6);
      expect(
        second
          .snapshot()
          .map((c) => `${c.provider}:${c.tries}`)
          .sort(),
      ).toEqual(['batchdata:2', 'reiskip:1']);
      // Only its own record is left to drain.
      expect(second.drain()).toEqual([
        { stage: 'skip_trace', provider: 'reiskip', state: AFTER, tries: 1, hits: 1, contactable: 0 },
      ]);
    });
  });
}
