/** The REISkip parser over every hand-built fixture: both shapes, both casings, 404, errors, drift. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SkipTraceInput } from '../../../src/providers/contract.js';
import { ProviderError } from '../../../src/providers/errors.js';
import { isReiSkipNotFound, parseReiSkipResponse } from '../../../src/providers/reiskip/parse.js';
import { loadFixture } from './load-fixture.js';

const lead: SkipTraceInput = {
  requestId: 'lead-1',
  street: '12 Oak St',
  city: 'Austin',
  state: 'TX',
  zip: '78701',
};

function catchError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

const parse = (name: string, status = 200) => parseReiSkipResponse(loadFixture(name), lead, status);

describe('parseReiSkipResponse: shapes and casings', () => {
  it('matches[] in camelCase: one person per match; isPrimary → sourcePrimary; confidence → score', () => {
    const item = parse('matches-camel.json');
    expect(item).toMatchObject({ requestId: 'lead-1', matched: true, billableUnits: 1 });
    expect(item.rawItem).toEqual(loadFixture('matches-camel.json'));
    expect(item.persons).toEqual([
      {
        first: 'Jane',
        last: 'Sample',
        full: 'Jane Q Sample',
        litigator: false,
        deceased: false,
        phones: [
          {
            number: '2125550101',
            type: 'mobile',
            carrier: 'Fictional Wireless',
            dnc: false,
            tcpa: false,
            score: 92,
            reachable: null,
            sourcePrimary: true,
          },
          {
            number: '2125550102',
            type: 'landline',
            carrier: 'Fictional Telco',
            dnc: true,
            tcpa: false,
            score: 61,
            reachable: null,
            sourcePrimary: false,
          },
        ],
        emails: [{ address: 'jane.sample@example.com', tested: null }],
      },
      {
        first: 'John',
        last: 'Sample',
        full: 'John Sample',
        litigator: false,
        deceased: true,
        phones: [
          {
            number: '2125550103',
            type: 'voip',
            carrier: null,
            dnc: false,
            tcpa: false,
            score: 40,
            reachable: null,
            sourcePrimary: false,
          },
        ],
        emails: [],
      },
    ]);
  });

  it('matches[] in snake_case reads the same fields', () => {
    const [person] = parse('matches-snake.json').persons;
    expect(person).toMatchObject({ first: 'Mary', last: 'Roe', full: 'Mary Roe', deceased: false });
    expect(person!.phones).toEqual([
      expect.objectContaining({
        number: '3055550110',
        type: 'mobile',
        dnc: true,
        score: 55,
        sourcePrimary: false,
      }),
      expect.objectContaining({
        number: '3055550111',
        type: 'landline',
        dnc: false,
        score: 80,
        sourcePrimary: true,
      }),
    ]);
    expect(person!.emails).toEqual([{ address: 'mary.roe@example.org', tested: null }]);
  });

  it('top-level phones[] (camelCase): no confidence → the primary scores 100, the rest null', () => {
    const item = parse('top-level-camel.json');
    expect(item.persons).toHaveLength(1);
    expect(item.persons[0]).toMatchObject({ first: null, last: null, full: 'Robert Fixture' });
    expect(item.persons[0]!.phones.map((p) => [p.number, p.type, p.score, p.sourcePrimary])).toEqual([
      ['6175550120', 'mobile', 100, true],
      ['6175550121', 'landline', null, false],
    ]);
    expect(item.persons[0]!.emails).toEqual([{ address: 'rfixture@example.net', tested: null }]);
  });

  it('top-level snake_case with 0–1 confidences (read as fractions) and a numeric phone', () => {
    const [person] = parse('top-level-snake.json').persons;
    expect(person!.full).toBe('Linda Stubbs');
    expect(person!.phones.map((p) => [p.number, p.type, p.score])).toEqual([
      ['7025550130', 'mobile', 90],
      ['7025550131', 'voip', 35],
    ]);
    expect(person!.emails).toEqual([{ address: 'linda.stubbs@example.com', tested: null }]);
  });

  it('both shapes in one body: both read, contacts deduplicated across them (first kept)', () => {
    const item = parse('both-shapes.json');
    expect(item.persons.map((p) => p.phones.map((ph) => ph.number))).toEqual([
      ['4045550140'],
      ['4045550141'],
    ]);
    expect(item.persons.map((p) => p.emails.map((e) => e.address))).toEqual([['karen@example.com'], []]);
  });

  it('bare strings for phones and emails', () => {
    const [person] = parse('bare-strings.json').persons;
    expect(person!.phones.map((p) => [p.number, p.type, p.score, p.sourcePrimary])).toEqual([
      ['5125550150', 'unknown', null, undefined],
      ['5125550151', 'unknown', null, undefined],
    ]);
  });
});

describe('misses', () => {
  it.each([
    ['empty-matches.json', 200],
    ['match-without-contacts.json', 200],
    ['found-false.json', 200],
    ['not-found-404.json', 404],
  ])('%s (HTTP %i) → unmatched, unbilled, raw kept', (name, status) => {
    expect(parse(name, status)).toEqual({
      requestId: 'lead-1',
      matched: false,
      billableUnits: 0,
      persons: [],
      rawItem: loadFixture(name),
    });
  });

  it('an empty 404 is a miss too', () => {
    expect(parseReiSkipResponse(undefined, lead, 404)).toMatchObject({ matched: false, rawItem: null });
    expect(isReiSkipNotFound('')).toBe(true);
  });

  it("a 404 with another server's body is a wrong URL: it fails closed", () => {
    const err = catchError(() => parse('other-api-404.json', 404));
    expect(err.code).toBe('unrecognized_response');
    expect(err.message).toBe(
      'unrecognized response shape: HTTP 404 without a REISkip body (wrong base URL or path?)',
    );
  });
});

describe('errors', () => {
  it.each([
    [
      'error-400.json',
      400,
      'invalid_request',
      'Bad Request: address and zip (or city and state) are required.',
    ],
    ['error-401.json', 401, 'auth', 'Unauthorized: Missing or malformed Authorization header.'],
    ['error-429.json', 429, 'rate_limited', 'Too Many Requests: API rate limit exceeded.'],
    ['error-nested.json', 402, 'quota_exhausted', 'Insufficient credits.'],
  ])('%s (HTTP %i) → %s', (name, status, code, text) => {
    const err = catchError(() => parse(name, status));
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(status);
    expect(err.message).toBe(`REISkip answered HTTP ${status} (${text})`);
  });

  it('an error status inside a 200 body is that error', () => {
    const err = catchError(() => parse('body-error-500.json'));
    expect(err.code).toBe('server_error');
    expect(err.message).toBe(
      'REISkip answered HTTP 200 with status 500 in the body (Internal Server Error: Upstream lookup failed.)',
    );
  });

  it('unknown shapes fail closed, with a redacted sample', () => {
    const drift = catchError(() => parse('drift.json'));
    expect(drift.code).toBe('unrecognized_response');
    expect(drift.message).toBe(
      'unrecognized response shape: neither matches[] nor top-level phones[]/emails[]; top-level keys: data',
    );
    expect(drift.details.sample).not.toContain('2125550101');
    expect(catchError(() => parse('phone-without-number.json')).message).toBe(
      'unrecognized response shape: matches[0].phones[0]: phone without a number (number / phone / phoneNumber / phone_number)',
    );
    expect(catchError(() => parseReiSkipResponse([1, 2], lead, 200)).message).toBe(
      'unrecognized response shape: body is not a JSON object',
    );
  });
});

describe('fixtures', () => {
  it('hold only fictional contact data (555-01XX phones, example.* emails)', () => {
    const dir = fileURLToPath(new URL('../../fixtures/reiskip/', import.meta.url));
    const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(names.length).toBeGreaterThanOrEqual(18);
    const text = names.map((n) => JSON.stringify(loadFixture(n))).join('\n');
    const phones = (text.match(/\(?\d{3}\)?[\s-]?\d{3}-?\d{4}/g) ?? []).map((p) => p.replace(/\D/g, ''));
    expect(phones.length).toBeGreaterThan(10);
    expect(phones.filter((p) => !/^\d{3}55501\d{2}$/.test(p))).toEqual([]);
    const emails = text.match(/[\w.+-]+@[\w.-]+/g) ?? [];
    expect(emails.filter((e) => !/@example\.(com|org|net)$/i.test(e))).toEqual([]);
  });
});
