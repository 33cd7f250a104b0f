/**
 * RealEstateAPI PropertyDetail against the sandbox: by id, APN + FIPS, address parts and
 * address string; the documented 404 as an unbilled miss; vendor 400s; the owner chain to
 * SkipTrace; the daily credit cap.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PropertyDetailInput, PropertyRecord } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import {
  createRealEstateApiPropertyDetail,
  createRealEstateApiPropertySearch,
  createRealEstateApiSkipTrace,
  type RealEstateApiPropertyOptions,
} from '../../../src/providers/realestateapi/adapter.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { API_KEY, BASELINE, rewriting } from './baseline.js';

let sandbox: Sandbox;
let world: PropertyRecord[];
beforeAll(async () => {
  sandbox = await startSandbox(BASELINE);
  const search = createRealEstateApiPropertySearch({ baseUrl: sandbox.url, apiKey: API_KEY });
  world = (await search.search({ zips: ['60614'] }, { kind: 'full', size: 60, resultIndex: 0 })).records;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(BASELINE));

const detail = (overrides: Partial<RealEstateApiPropertyOptions> = {}) =>
  createRealEstateApiPropertyDetail({ baseUrl: sandbox.url, apiKey: API_KEY, ...overrides });
const one = async (input: Omit<PropertyDetailInput, 'requestId'>, p = detail()) =>
  (await p.propertyDetail([{ requestId: 'req-1', ...input }]))[0]!;
const billed = () => sandbox.billing.entries().filter((e) => e.vendor === 'realestateapi').length;

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

describe('createRealEstateApiPropertyDetail', () => {
  it('declares its facts', () => {
    expect(detail()).toMatchObject({
      id: 'realestateapi-property-detail',
      kind: 'property-detail',
      flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
      cost: { perHitMicros: 0 },
      authStyle: 'header',
      envKeys: ['REALESTATEAPI_API_KEY', 'REALESTATEAPI_BASE_URL'],
    });
  });

  it('sends the most exact key it has', async () => {
    const bodies: unknown[] = [];
    const spy: typeof fetch = (url, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(url, init);
    };
    const p = detail({ fetch: spy });
    const r = world[0]!;
    await one({ propertyId: r.propertyId, street: r.address.street }, p);
    await one({ apn: '606-14-00001', fips: r.fips, street: r.address.street }, p);
    await one({ street: r.address.street, city: 'Sampleton', state: 'IL', zip: '60614' }, p);
    await one({ street: r.address.street, city: 'Sampleton' }, p);
    expect(bodies).toEqual([
      { id: r.propertyId },
      { apn: '606-14-00001', fips: r.fips },
      { house: expect.any(String), street: expect.any(String), city: 'Sampleton', state: 'IL', zip: '60614' },
      { address: `${r.address.street}, Sampleton` },
    ]);
  });
});

describe('lookups against the sandbox', () => {
  it('by id: a billed hit with the full record (APN and FIPS included)', async () => {
    const before = billed();
    const item = await one({ propertyId: world[3]!.propertyId });
    expect(item).toMatchObject({ requestId: 'req-1', matched: true, billableUnits: 1 });
    expect(item.record).toMatchObject({ propertyId: world[3]!.propertyId, address: world[3]!.address });
    expect(item.record!.apn).toMatch(/^606-14-\d{5}$/);
    expect(item.record!.fips).toMatch(/^17\d{3}$/);
    expect(item.record!.taxLien).not.toBe(null);
    expect(billed() - before).toBe(1);
  });

  it('by address parts, by address string and by APN + FIPS: the same property as the search listed', async () => {
    for (const r of world.slice(0, 10)) {
      const byParts = await one({ street: r.address.street, state: 'IL', zip: '60614' });
      const byString = await one({ street: r.address.street, city: r.address.city, zip: '60614' });
      expect(byParts.record!.propertyId).toBe(r.propertyId);
      expect(byString.record!.propertyId).toBe(r.propertyId);
      const byApn = await one({ apn: byParts.record!.apn, fips: byParts.record!.fips });
      expect(byApn.record).toEqual(byParts.record);
    }
  });

  it('an APN with another FIPS, or an unknown id → the 404 envelope → unmatched, unbilled', async () => {
    const before = billed();
    const known = (await one({ propertyId: world[0]!.propertyId })).record!;
    const afterHit = billed();
    const wrongFips = await one({ apn: known.apn, fips: '99999' });
    const unknown = await one({ propertyId: '999' });
    for (const item of [wrongFips, unknown]) {
      expect(item).toMatchObject({ matched: false, billableUnits: 0, record: null });
      expect(item.rawItem).toMatchObject({ statusCode: 404, statusMessage: 'Not Found', data: {} });
    }
    expect([afterHit - before, billed() - afterHit]).toEqual([1, 0]);
  });

  it('an address off the sandbox streets: found with propertyHitRate, as asked, then by its minted id', async () => {
    sandbox.setOptions({ propertyHitRate: 1 });
    const asked = {
      street: '742 Evergreen Ter',
      unit: 'Apt 2',
      city: 'Springfield',
      state: 'IL',
      zip: '62704',
    };
    const item = await one(asked);
    expect(item.matched).toBe(true);
    expect(item.record).toMatchObject({
      address: { street: '742 Evergreen Ter', unit: 'Apt 2', city: 'Springfield', state: 'IL', zip: '62704' },
    });
    expect(item.record!.propertyId).toMatch(/^262704\d{8}$/);
    expect((await one({ propertyId: item.record!.propertyId })).record).toEqual(item.record);
    expect((await one({ apn: item.record!.apn, fips: item.record!.fips })).record).toEqual(item.record);
    sandbox.setOptions({ propertyHitRate: 0 });
    expect((await one({ ...asked, street: '744 Evergreen Ter' })).matched).toBe(false);
  });

  it('owner chain: the owner of record is the person SkipTrace finds at that address', async () => {
    sandbox.setOptions({ hitRate: 1 });
    const skip = createRealEstateApiSkipTrace({ baseUrl: sandbox.url, apiKey: API_KEY });
    const people = world.filter((r) => r.owners[0]?.ownerType === 'individual').slice(0, 5);
    const companies = world.filter((r) => r.owners[0]?.ownerType === 'llc').slice(0, 3);
    expect(people.length).toBe(5);
    expect(companies.length).toBeGreaterThan(0);
    for (const r of [...people, ...companies]) {
      const owner = r.owners[0]!;
      const [item] = (
        await skip.skipTrace([
          {
            requestId: 'x',
            street: r.address.street!,
            city: r.address.city,
            state: 'IL',
            zip: '60614',
            firstName: owner.first,
            lastName: owner.last,
          },
        ])
      ).items;
      const found = item!.persons[0]!;
      // An LLC's skip-trace (names omitted) finds the person behind it: "<Last> Holdings LLC".
      if (owner.ownerType === 'individual')
        expect([found.first, found.last]).toEqual([owner.first, owner.last]);
      else expect(owner.full).toBe(`${found.last} Holdings LLC`);
    }
  });
});

describe('errors', () => {
  it('vendor 400s in the vendor’s words → invalid_request', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, '"PropertyDetailRequest" must contain at least one of [id, address, house, apn]'],
      [{ house: '17', street: 'Sample St', state: 'IL' }, '"house" missing required peer "zip"'],
      [{ house: '17', street: 'Sample St', zip: '60614' }, '"house" missing required peer "state"'],
      [
        { house: '17', street: 'Sample St', state: 'IL', zip: '606' },
        '"zip" length must be 5 characters long',
      ],
      [{ address: '17 Sample St', state: 'Illinois' }, '"state" length must be 2 characters long'],
    ];
    for (const [body, message] of cases) {
      const err = await failure(one({ propertyId: '1' }, detail({ fetch: rewriting({ body: () => body }) })));
      expect(err.code).toBe('invalid_request');
      expect(err.message).toBe(`RealEstateAPI answered HTTP 400 (Bad Request: ${message})`);
    }
  });

  it('a 404 that is not the documented envelope (wrong path) is an error, never a miss', async () => {
    const p = detail({ fetch: rewriting({ path: () => '/v2/PropertyDetails' }) });
    const err = await failure(one({ propertyId: world[0]!.propertyId }, p));
    expect(err.code).toBe('invalid_request');
    expect(err.statusCode).toBe(404);
  });

  it('two inputs → invalid_request; the credit cap → quota_exhausted', async () => {
    const err = await failure(
      detail().propertyDetail([
        { requestId: 'a', propertyId: '1' },
        { requestId: 'b', propertyId: '2' },
      ]),
    );
    expect(err.code).toBe('invalid_request');
    sandbox.setOptions({ realEstateApiCreditsAfter: 1 });
    await one({ propertyId: world[0]!.propertyId });
    expect((await failure(one({ propertyId: world[1]!.propertyId }))).code).toBe('quota_exhausted');
  });

  it('faults: 503 burst → server_error; body error → server_error; not billed', async () => {
    const before = billed();
    sandbox.setOptions({ burst5xx: { everyNth: 1, length: 1 } });
    expect((await failure(one({ propertyId: world[0]!.propertyId }))).code).toBe('server_error');
    sandbox.setOptions({ burst5xx: null, bodyErrorRate: 1, bodyErrorStatus: 503 });
    const err = await failure(one({ propertyId: world[0]!.propertyId }));
    expect(err.code).toBe('server_error');
    expect(err.message).toBe(
      'RealEstateAPI answered HTTP 200 with status 503 in the body (Service Unavailable: Sandbox fault: an error status in a 200 body.)',
    );
    expect(billed()).toBe(before);
  });
});
