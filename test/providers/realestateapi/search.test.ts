/**
 * RealEstateAPI PropertySearch against the sandbox: count / ids_only / full modes, the
 * paging recipe, determinism, new listings for stop-when-known pulls, credits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PropertySearchProvider, PropertySearchQuery } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  createRealEstateApiPropertyDetail,
  createRealEstateApiPropertySearch,
  type RealEstateApiPropertyOptions,
} from '../../../src/providers/realestateapi/adapter.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { API_KEY, BASELINE, rewriting } from './baseline.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(BASELINE));

const search = (overrides: Partial<RealEstateApiPropertyOptions> = {}) =>
  createRealEstateApiPropertySearch({ baseUrl: sandbox.url, apiKey: API_KEY, ...overrides });

const CHICAGO: PropertySearchQuery = { zips: ['60614'], filters: { property_type: 'SFR' } };
const billed = () => sandbox.billing.entries().filter((e) => e.vendor === 'realestateapi').length;

/** Every page, following nextIndex from 0. */
async function pullAll(p: PropertySearchProvider, query: PropertySearchQuery, size = 250) {
  const ids: string[] = [];
  const pages = [];
  let next: number | null = 0;
  while (next !== null) {
    const page = await p.search(query, { kind: 'full', size, resultIndex: next });
    pages.push(page);
    ids.push(...page.ids);
    next = page.nextIndex;
  }
  return { ids, pages };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('createRealEstateApiPropertySearch', () => {
  it('declares its facts', () => {
    expect(search()).toMatchObject({
      id: 'realestateapi-property-search',
      kind: 'property-search',
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
      cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 0 },
      rateLimit: { requestsPerSecond: 10 },
      authStyle: 'header',
    });
    expect(search({ costPerCreditMicros: 1_500 }).cost.perHitMicros).toBe(1_500);
  });
});

describe('count and ids_only', () => {
  it('count: a total from the query hash (150–2,500), free, the same every time', async () => {
    const before = billed();
    const a = await search().search(CHICAGO, { kind: 'count' });
    expect(a.total).toBeGreaterThanOrEqual(150);
    expect(a.total).toBeLessThanOrEqual(2_500);
    expect(a).toMatchObject({ records: [], ids: [], nextIndex: null, billableUnits: 0 });
    expect((await search().search(CHICAGO, { kind: 'count' })).total).toBe(a.total);
    expect(billed()).toBe(before);
  });

  it('another query is another result set', async () => {
    const totals = new Set<number>();
    for (const property_type of ['SFR', 'CONDO', 'MFR', 'LAND']) {
      totals.add(
        (await search().search({ ...CHICAGO, filters: { property_type } }, { kind: 'count' })).total,
      );
    }
    expect(totals.size).toBeGreaterThan(1);
  });

  it('ids_only: every id once, in one free call, ids naming the ZIP', async () => {
    const before = billed();
    const { total } = await search().search(CHICAGO, { kind: 'count' });
    const page = await search().search(CHICAGO, { kind: 'ids' });
    expect(page.total).toBe(total);
    expect(page.ids).toHaveLength(total);
    expect(new Set(page.ids).size).toBe(total);
    expect(page.ids.every((id) => /^160614\d{5}$/.test(id))).toBe(true);
    expect(page).toMatchObject({ records: [], nextIndex: null, billableUnits: 0 });
    expect(billed()).toBe(before);
  });
});

describe('full mode and paging', () => {
  it('following nextIndex pulls exactly the ids_only set, in order, billing one credit per record', async () => {
    const before = billed();
    const { ids, pages } = await pullAll(search(), CHICAGO);
    const all = (await search().search(CHICAGO, { kind: 'ids' })).ids;
    expect(ids).toEqual(all);
    expect(pages.at(-1)!.nextIndex).toBe(null);
    expect(pages.slice(0, -1).every((p) => p.records.length === 250)).toBe(true);
    expect(pages.every((p) => p.billableUnits === p.records.length && p.total === all.length)).toBe(true);
    expect(billed() - before).toBe(all.length);
  });

  it('pages are consistent across calls and sizes', async () => {
    const p = search();
    const a = await p.search(CHICAGO, { kind: 'full', size: 50, resultIndex: 100 });
    const b = await p.search(CHICAGO, { kind: 'full', size: 50, resultIndex: 100 });
    expect(b).toEqual(a);
    const wide = await p.search(CHICAGO, { kind: 'full', size: 200, resultIndex: 0 });
    expect(wide.ids.slice(100, 150)).toEqual(a.ids);
    expect(a.nextIndex).toBe(150);
    expect(a.records.map((r) => r.propertyId)).toEqual(a.ids);
  });

  it('determinism: a fresh sandbox pages the same records', async () => {
    const first = await search().search(CHICAGO, { kind: 'full', size: 25, resultIndex: 75 });
    const other = await startSandbox(BASELINE);
    try {
      const again = await createRealEstateApiPropertySearch({ baseUrl: other.url, apiKey: 'k' }).search(
        CHICAGO,
        {
          kind: 'full',
          size: 25,
          resultIndex: 75,
        },
      );
      expect(again).toEqual(first);
    } finally {
      await other.close();
    }
  });

  it('a size above 250 sent anyway comes back as 250 records, and paging still adds recordCount', async () => {
    const p = search({ fetch: rewriting({ body: (b) => ({ ...b, size: 400 }) }) });
    const page = await p.search(CHICAGO, { kind: 'full', size: 10, resultIndex: 0 });
    expect(page.records).toHaveLength(250);
    expect(page.nextIndex).toBe(250);
  });

  it('records are plausible and fictional: the asked ZIP, Illinois, sandbox streets and cities', async () => {
    const page = await search().search(CHICAGO, { kind: 'full', size: 250, resultIndex: 0 });
    for (const r of page.records) {
      expect(r.address).toMatchObject({ zip: '60614', state: 'IL', unit: null });
      expect(r.address.street).toMatch(/^\d+ [A-Z][a-z-A-Z]+ (St|Ave|Rd|Ln|Dr|Ct|Way|Pl|Blvd|Ter)$/);
      expect(r.owners.length).toBeGreaterThanOrEqual(1);
      expect(r.estimatedValue).toBeGreaterThanOrEqual(80_000);
      expect(r.equityPercent).toBe(Math.round((100 * r.estimatedEquity!) / r.estimatedValue!));
      expect(r.absenteeOwner).toBe(!r.ownerOccupied);
      if (r.propertyType === 'LAND') expect(r.beds).toBe(null);
      else expect(r.yearBuilt).toBeGreaterThanOrEqual(1905);
    }
    const types = new Set(page.records.flatMap((r) => r.owners.map((o) => o.ownerType)));
    expect(types.has('individual') && types.has('llc')).toBe(true);
    expect(page.records.some((r) => r.preForeclosure)).toBe(true);
  });

  it('a city + state query is answered from one stable ZIP in that state', async () => {
    const query = { city: 'Springfield', state: 'IL' };
    const a = await search().search(query, { kind: 'full', size: 5, resultIndex: 0 });
    const b = await search().search(query, { kind: 'full', size: 5, resultIndex: 0 });
    expect(b.ids).toEqual(a.ids);
    expect(a.records.every((r) => r.address.state === 'IL' && /^6[0-2]\d{3}$/.test(r.address.zip!))).toBe(
      true,
    );
  });

  it('search ids resolve with PropertyDetail to the same property', async () => {
    const page = await search().search(CHICAGO, { kind: 'full', size: 5, resultIndex: 10 });
    const detail = createRealEstateApiPropertyDetail({ baseUrl: sandbox.url, apiKey: API_KEY });
    for (const r of page.records) {
      const [item] = await detail.propertyDetail([{ requestId: r.propertyId!, propertyId: r.propertyId }]);
      const { apn: _apn, taxLien: _t, bankruptcy: _b, ...shared } = item!.record!;
      const { apn: _a2, taxLien: _t2, bankruptcy: _b2, ...fromSearch } = r;
      expect(shared).toEqual(fromSearch);
    }
  });
});

describe('new listings (stop-when-known paging)', () => {
  it('newListings puts N unseen ids first, newest first; everything known follows in the old order', async () => {
    const known = (await search().search(CHICAGO, { kind: 'ids' })).ids;
    sandbox.setOptions({ newListings: 5 });
    const five = await search().search(CHICAGO, { kind: 'full', size: 10, resultIndex: 0 });
    expect(five.total).toBe(known.length + 5);
    expect(five.ids.slice(0, 5).filter((id) => known.includes(id))).toEqual([]);
    expect(five.ids.slice(5)).toEqual(known.slice(0, 5));
    sandbox.setOptions({ newListings: 8 });
    const eight = (await search().search(CHICAGO, { kind: 'ids' })).ids;
    expect(eight.slice(3, 8)).toEqual(five.ids.slice(0, 5));
    expect(eight.slice(8)).toEqual(known);
  });

  it('a re-pull that stops at the first known id spends only the new credits', async () => {
    const known = new Set((await search().search(CHICAGO, { kind: 'ids' })).ids);
    sandbox.setOptions({ newListings: 3 });
    const before = billed();
    const page = await search().search(CHICAGO, { kind: 'full', size: 3, resultIndex: 0 });
    expect(page.ids.every((id) => !known.has(id))).toBe(true);
    const next = await search().search(CHICAGO, { kind: 'full', size: 3, resultIndex: page.nextIndex! });
    expect(next.ids.every((id) => known.has(id))).toBe(true);
    expect(billed() - before).toBe(6);
  });
});

describe('errors', () => {
  it('several ZIPs or a size of 251 → invalid_request before any HTTP request', async () => {
    const requests = sandbox.billing.requestCount();
    expect((await failure(search().search({ zips: ['60614', '60615'] }, { kind: 'count' }))).code).toBe(
      'invalid_request',
    );
    expect((await failure(search().search(CHICAGO, { kind: 'full', size: 251, resultIndex: 0 }))).code).toBe(
      'invalid_request',
    );
    expect(sandbox.billing.requestCount()).toBe(requests);
  });

  it('the daily credit cap → quota_exhausted, verbatim; count and ids_only stay free and open', async () => {
    sandbox.setOptions({ realEstateApiCreditsAfter: 10 });
    await search().search(CHICAGO, { kind: 'full', size: 10, resultIndex: 0 });
    const err = await failure(search().search(CHICAGO, { kind: 'full', size: 10, resultIndex: 10 }));
    expect(err.code).toBe('quota_exhausted');
    expect(err.statusCode).toBe(429);
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 429 (Too Many Requests: You have reached your daily credit limit for this endpoint, please try again later.)',
    );
    expect((await search().search(CHICAGO, { kind: 'count' })).total).toBeGreaterThan(0);
    expect((await search().search(CHICAGO, { kind: 'ids' })).ids.length).toBeGreaterThan(0);
  });

  it('a per-second 429 → rate_limited; drift → unrecognized_response', async () => {
    sandbox.setOptions({ rateLimit429: { probability: 1, retryAfterS: 1 } });
    const limited = await failure(search().search(CHICAGO, { kind: 'count' }));
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(1000);
    sandbox.setOptions({ rateLimit429: null, driftRate: 1 });
    const drift = await failure(search().search(CHICAGO, { kind: 'full', size: 5, resultIndex: 0 }));
    expect(drift.message).toBe(
      'unrecognized response shape: no "data" array with a numeric "resultCount"; top-level keys: results',
    );
  });

  it('a zip the vendor rejects → 400 → invalid_request', async () => {
    const p = search({ fetch: rewriting({ body: (b) => ({ ...b, zip: '606' }) }) });
    const err = await failure(p.search(CHICAGO, { kind: 'count' }));
    expect(err.code).toBe('invalid_request');
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 400 (Bad Request: "zip" length must be 5 characters long)',
    );
  });
});
