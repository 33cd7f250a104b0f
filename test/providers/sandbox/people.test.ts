import { describe, expect, it } from 'vitest';
import { resolveSandboxOptions } from '../../../src/providers/sandbox/options.js';
import { hasUnit, inputKey, lookupPeople, stripUnit } from '../../../src/providers/sandbox/people.js';
import { mulberry32, randomFromText } from '../../../src/providers/sandbox/prng.js';

const addr = (street: string, zip: string | null = '30301') => ({
  street,
  city: 'Atlanta',
  state: 'GA',
  zip,
});
const addresses = (n: number) => Array.from({ length: n }, (_, i) => addr(`${i + 1} Peachtree St`));

describe('input keys and units', () => {
  it('normalizes street + ZIP5, or city+state without a ZIP', () => {
    expect(inputKey(' 12  Oak Ave. ', '30301-1234')).toBe('12 OAK AVE|30301');
    expect(inputKey('12 Oak Ave', null, 'Atlanta', 'ga')).toBe('12 OAK AVE|ATLANTA,GA');
  });

  it.each([
    ['12 Oak Ave Apt 4', true, '12 OAK AVE'],
    ['12 Oak Ave APT. 4B', true, '12 OAK AVE'],
    ['12 Oak Ave #7', true, '12 OAK AVE'],
    ['12 Oak Ave Unit C', true, '12 OAK AVE'],
    ['12 Oak Ave Ste 300', true, '12 OAK AVE'],
    ['12 Oak Ave Fl 2', true, '12 OAK AVE'],
    ['12 Oak Ave', false, '12 OAK AVE'],
    ['12 Florida Ave', false, '12 FLORIDA AVE'],
  ])('%s → unit %s, stripped %s', (street, unit, stripped) => {
    expect(hasUnit(street)).toBe(unit);
    expect(stripUnit(street)).toBe(stripped);
  });
});

describe('lookupPeople', () => {
  const options = resolveSandboxOptions({ seed: 3 });

  it('is deterministic for the same input and seed, different for another seed', () => {
    const a = lookupPeople(addr('77 Sunset Blvd'), options, 3);
    expect(lookupPeople(addr('77 Sunset Blvd'), options, 3)).toEqual(a);
    expect(lookupPeople(addr('77  sunset blvd.'), options, 3)).toEqual(a);
    const others = addresses(20).map((x) =>
      lookupPeople(x, resolveSandboxOptions({ seed: 4, hitRate: 1 }), 3),
    );
    const mine = addresses(20).map((x) => lookupPeople(x, resolveSandboxOptions({ seed: 3, hitRate: 1 }), 3));
    expect(others).not.toEqual(mine);
  });

  it('hit rate follows hitRate (800 ± 40 of 1000 at 0.8; none at 0; all at 1)', () => {
    const hits = (hitRate: number) =>
      addresses(1000).filter(
        (x) => lookupPeople(x, resolveSandboxOptions({ seed: 3, hitRate }), 1).outcome === 'hit',
      ).length;
    const at08 = hits(0.8);
    expect(at08).toBeGreaterThanOrEqual(760);
    expect(at08).toBeLessThanOrEqual(840);
    expect(hits(0)).toBe(0);
    expect(hits(1)).toBe(1000);
  });

  it('hit decisions do not move when other tunables change', () => {
    const outcomes = (o: object) =>
      addresses(200).map((x) => lookupPeople(x, resolveSandboxOptions({ seed: 3, ...o }), 1).outcome);
    expect(outcomes({ emailRate: 1, maxPhones: 5, dncRate: 0.9 })).toEqual(outcomes({}));
  });

  it('respects maxPersons (v1: 1, v3: up to 3)', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1 });
    expect(addresses(100).every((x) => lookupPeople(x, o, 1).persons.length === 1)).toBe(true);
    const counts = new Set(addresses(100).map((x) => lookupPeople(x, o, 3).persons.length));
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });

  it('fictional data only, phones mobile first with descending scores, at most maxPhones', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1, emailRate: 1, maxPhones: 5 });
    const persons = addresses(300).flatMap((x) => lookupPeople(x, o, 3).persons);
    for (const p of persons) {
      expect(p.phones.length).toBeLessThanOrEqual(5);
      expect(new Set(p.phones.map((ph) => ph.number)).size).toBe(p.phones.length);
      for (const ph of p.phones) expect(ph.number).toMatch(/^\d{3}55501\d{2}$/);
      for (const e of p.emails) expect(e.email).toMatch(/^[a-z]+[.a-z0-9]*@example\.(com|org|net)$/);
      const types = p.phones.map((ph) => ph.type);
      expect(types).toEqual([...types].sort((a, b) => Number(b === 'Mobile') - Number(a === 'Mobile')));
      const scores = p.phones.map((ph) => ph.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(persons.every((p) => p.emails.length >= 1)).toBe(true);
  });

  it('a given name becomes the first person; the rest of that person does not depend on it', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1 });
    const plain = lookupPeople(addr('5 Elm St'), o, 3);
    const named = lookupPeople({ ...addr('5 Elm St'), firstName: 'Ada', lastName: 'Lovelace' }, o, 3);
    expect(named.persons[0]).toMatchObject({ first: 'Ada', last: 'Lovelace' });
    expect(named.persons[0]!.phones).toEqual(plain.persons[0]!.phones);
  });

  it('litigators come back without phones', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1, litigatorRate: 1 });
    const persons = addresses(20).flatMap((x) => lookupPeople(x, o, 3).persons);
    expect(persons.every((p) => p.litigator && p.phones.length === 0)).toBe(true);
  });

  it('rates 1 flag every phone (dnc, tcpa) and make every phone mobile', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1, dncRate: 1, tcpaRate: 1, mobileShare: 1 });
    const phones = addresses(20).flatMap((x) => lookupPeople(x, o, 3).persons.flatMap((p) => p.phones));
    expect(phones.every((ph) => ph.dnc && ph.tcpa && ph.type === 'Mobile')).toBe(true);
  });

  it('unitMissRate: with the unit it misses, without the unit it hits', () => {
    const o = resolveSandboxOptions({ seed: 3, hitRate: 1, unitMissRate: 1 });
    expect(lookupPeople(addr('12 Oak Ave Apt 4'), o, 1).outcome).toBe('miss');
    expect(lookupPeople(addr('12 Oak Ave'), o, 1).outcome).toBe('hit');
    const half = resolveSandboxOptions({ seed: 3, hitRate: 1 });
    const missed = Array.from({ length: 400 }, (_, i) => addr(`${i} Oak Ave Apt ${i}`)).filter(
      (x) => lookupPeople(x, half, 1).outcome === 'miss',
    ).length;
    expect(missed).toBeGreaterThanOrEqual(160);
    expect(missed).toBeLessThanOrEqual(240);
  });

  it('no usable address → error; non-US postal code → miss', () => {
    expect(lookupPeople({ street: '1 Main St' }, options, 1)).toEqual({
      outcome: 'error',
      key: '',
      persons: [],
    });
    expect(lookupPeople({ street: '', zip: '30301' }, options, 1).outcome).toBe('error');
    expect(
      lookupPeople(
        { street: '1 Main St', city: 'Atlanta', state: 'GA' },
        resolveSandboxOptions({ hitRate: 1 }),
        1,
      ).outcome,
    ).toBe('hit');
    expect(
      lookupPeople({ street: '145 Adelaide St W', city: 'Toronto', state: 'ON', zip: 'M5H 4' }, options, 1),
    ).toEqual({
      outcome: 'miss',
      key: '145 ADELAIDE ST W|M5H4',
      persons: [],
    });
  });
});

describe('prng', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
    expect(new Set(draws).size).toBe(1000);
  });

  it('randomFromText is a function of the text', () => {
    expect(randomFromText('x')()).toBe(randomFromText('x')());
    expect(randomFromText('x')()).not.toBe(randomFromText('y')());
  });
});
