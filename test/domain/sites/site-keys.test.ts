import { describe, expect, it } from 'vitest';
import {
  companyNameKey,
  isCorporateOwner,
  normalizeSiteDomain,
} from '../../../src/domain/sites/site-keys.js';

describe('normalizeSiteDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['  ACME.com. ', 'acme.com'],
    ['https://www.acme.com/about?x=1#top', 'acme.com'],
    ['http://shop.acme.co.uk:8080/', 'shop.acme.co.uk'],
    ['www.big-co.io', 'big-co.io'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSiteDomain(input)).toBe(expected);
  });
  it.each(['', 'acme', 'not a domain', 'acme.c', '-acme.com', 'acme..com', 'user@acme.com'])(
    'refuses %j',
    (input) => {
      expect(normalizeSiteDomain(input)).toBeNull();
    },
  );
});

describe('companyNameKey', () => {
  it('ignores case, punctuation, a leading "the" and trailing legal forms', () => {
    const key = 'acme holdings';
    for (const name of [
      'Acme Holdings',
      'ACME HOLDINGS, L.L.C.',
      'The Acme Holdings Inc.',
      'Acme Holdings Co Ltd',
    ]) {
      expect(companyNameKey(name)).toBe(key);
    }
  });
  it('keeps legal words that are not at the end, reads & as and', () => {
    expect(companyNameKey('The LLC Store')).toBe('llc store');
    expect(companyNameKey('Smith & Sons, Inc')).toBe('smith and sons');
    expect(companyNameKey('Smith and Sons')).toBe('smith and sons');
  });
  it('is null when nothing distinctive is left', () => {
    expect(companyNameKey('LLC')).toBeNull();
    expect(companyNameKey(' , ')).toBeNull();
    expect(companyNameKey(null)).toBeNull();
  });
});

it('only llc and corporate owners are companies with a site', () => {
  expect(['llc', 'corporate', 'trust', 'individual', null].map(isCorporateOwner)).toEqual([
    true,
    true,
    false,
    false,
    false,
  ]);
});
