/**
 * The sandbox router (query strings, path parameters) and the wire behaviour of the
 * BatchData phone, Melissa, Apollo, Hunter and Twilio routes over raw HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRouteTable } from '../../../src/providers/sandbox/route-table.js';
import type { SandboxRoute } from '../../../src/providers/sandbox/route.js';
import { startSandbox, type Sandbox } from '../../../src/providers/sandbox/server.js';
import { FICTIONAL_EMAIL_DOMAIN, FICTIONAL_PHONE, contactsIn, sandboxBaseline } from '../vendor-fixtures.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline(11));
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setOptions(sandboxBaseline(11)));

const BASIC = `Basic ${Buffer.from('AC123:token').toString('base64')}`;

async function call(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  base = sandbox.url,
) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('createRouteTable', () => {
  const handle = () => ({ status: 200, body: null });
  const routes: SandboxRoute[] = [
    { method: 'GET', path: '/v2/PhoneNumbers/:number', handle },
    { method: 'GET', path: '/v2/PhoneNumbers/special', handle },
    { method: 'POST', path: '/a/:x/b/:y', handle },
  ];
  const table = createRouteTable(routes);

  it('prefers exact paths, then patterns in order', () => {
    expect(table.match('GET', '/v2/PhoneNumbers/special')).toEqual({ route: routes[1], params: {} });
    expect(table.match('GET', '/v2/PhoneNumbers/%2B14155550100')).toEqual({
      route: routes[0],
      params: { number: '+14155550100' },
    });
    expect(table.match('POST', '/a/1/b/two%20words')).toEqual({
      route: routes[2],
      params: { x: '1', y: 'two words' },
    });
  });

  it.each([
    ['GET', '/v2/PhoneNumbers/'],
    ['GET', '/v2/PhoneNumbers/1/extra'],
    ['POST', '/v2/PhoneNumbers/1'],
    ['GET', '/v2/PhoneNumbers/%E0%A4%A'],
    ['GET', '/v2/phonenumbers/1'],
  ])('%s %s → no route', (method, path) => {
    expect(table.match(method, path)).toBeNull();
  });
});

describe('routing over HTTP', () => {
  it('existing exact routes keep working; unknown paths are 404', async () => {
    expect((await call('/healthz')).json).toEqual({ ok: true });
    expect((await call('/healthz?x=1')).json).toEqual({ ok: true });
    expect((await call('/v2/PhoneNumbers', { headers: { authorization: BASIC } })).status).toBe(404);
    expect((await call('/v2/domain-search', { method: 'POST' })).status).toBe(404);
  });

  it('path parameters are percent-decoded; the query string reaches the route', async () => {
    const res = await call('/v2/PhoneNumbers/%2B12125550123?Fields=line_type_intelligence', {
      headers: { authorization: BASIC },
    });
    expect(res.status).toBe(200);
    expect(res.json.phone_number).toBe('+12125550123');
    expect(res.json.url).toBe('https://lookups.twilio.com/v2/PhoneNumbers/+12125550123');
    const noFields = await call('/v2/PhoneNumbers/%2B12125550123', { headers: { authorization: BASIC } });
    expect(noFields.json.line_type_intelligence).toBeNull();
  });

  it('a key in the query string authorizes (Hunter api_key, Melissa id)', async () => {
    expect((await call('/v2/domain-search?domain=acme.example.com')).status).toBe(401);
    expect((await call('/v2/domain-search?domain=acme.example.com&api_key=k')).status).toBe(200);
    expect(
      (await call('/v2/domain-search?domain=acme.example.com', { headers: { 'x-api-key': 'k' } })).status,
    ).toBe(200);
    expect(
      (await call('/v3/WEB/ContactVerify/doContactVerify?a1=1+Main+St&postal=78701')).json,
    ).toMatchObject({
      Records: [],
      TransmissionResults: 'GE04',
    });
  });
});

describe('vendor wire behaviour', () => {
  it('BatchData phone: Bearer required, ≤100 numbers, one record per distinct number', async () => {
    const path = '/api/v1/phone/verification';
    expect((await call(path, { method: 'POST', body: { requests: ['2125550101'] } })).status).toBe(401);
    const auth = { authorization: 'Bearer t' };
    const over = await call(path, {
      method: 'POST',
      headers: auth,
      body: { requests: Array(101).fill('2125550101') },
    });
    expect(over.status).toBe(400);
    expect(over.json.status.message).toBe('Each request can handle up to 100 phone numbers; got 101.');
    const ok = await call(path, {
      method: 'POST',
      headers: auth,
      body: { requests: ['2125550101', '(212) 555-0101', 'abc'] },
    });
    expect(ok.json.results.phoneNumbers).toHaveLength(1);
    expect(ok.json.results.meta.results).toMatchObject({ requestCount: 2, errorCount: 1 });
  });

  it('Hunter: verbatim 400 for a missing domain; 403 rate limit; 429 after the quota', async () => {
    const missing = await call('/v2/domain-search?api_key=k');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      errors: [{ id: 'wrong_params', code: 400, details: 'You are missing the domain parameter' }],
    });
    sandbox.setOptions({ rateLimit429: { probability: 1 } });
    const limited = await call('/v2/domain-search?api_key=k&domain=acme.example.com');
    expect(limited.status).toBe(403);
    expect(limited.json.errors[0]).toMatchObject({ code: 403, details: 'You have reached the rate limit.' });
    expect(limited.headers.get('retry-after')).toBe('1');
    // The same fault stays a 429 on BatchData.
    const bd = await call('/api/v1/phone/dnc', {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: { requests: ['2125550101'] },
    });
    expect(bd.status).toBe(429);

    sandbox.setOptions({ rateLimit429: null, hunterQuotaAfter: 0 });
    const quota = await call('/v2/email-verifier?api_key=k&email=a@acme.example.com');
    expect(quota.status).toBe(429);
    expect(quota.json.errors[0].details).toBe(
      'You have reached your usage limit. Upgrade your plan if necessary.',
    );
  });

  it('Hunter: 202 polls are counted per address and reset with the options', async () => {
    sandbox.setOptions({ hunterVerifyPendingPolls: 1 });
    const path = '/v2/email-verifier?api_key=k&email=poll@acme.example.com';
    expect((await call(path)).status).toBe(202);
    expect((await call(path)).status).toBe(200);
    sandbox.setOptions({ hunterVerifyPendingPolls: 1 });
    expect((await call(path)).status).toBe(202);
  });

  it('Apollo: x-api-key required, ≤10 details, reveal_phone_number needs a webhook', async () => {
    const path = '/api/v1/people/bulk_match';
    const detail = { first_name: 'Avery', last_name: 'Fixturely', domain: 'acme.example.com' };
    expect((await call(path, { method: 'POST', body: { details: [detail] } })).status).toBe(401);
    const key = { 'x-api-key': 'k' };
    expect(
      (await call(path, { method: 'POST', headers: key, body: { details: Array(11).fill(detail) } })).status,
    ).toBe(422);
    const reveal = await call(`${path}?reveal_phone_number=true`, {
      method: 'POST',
      headers: key,
      body: { details: [detail] },
    });
    expect(reveal.status).toBe(422);
    expect(reveal.json).toEqual({
      error: 'webhook_url is required when reveal_phone_number is true.',
      error_code: 'INVALID_REQUEST',
    });
  });

  it('Twilio: Basic auth required, Twilio-style error body', async () => {
    const res = await call('/v2/PhoneNumbers/%2B12125550101');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });
});

describe('fictional data and determinism across every new route', () => {
  const requests: [string, Parameters<typeof call>[1]][] = [
    ...['/api/v1/phone/verification', '/api/v1/phone/dnc', '/api/v1/phone/tcpa'].map(
      (path): [string, Parameters<typeof call>[1]] => [
        path,
        {
          method: 'POST',
          headers: { authorization: 'Bearer t' },
          body: { requests: Array.from({ length: 50 }, (_, i) => `3125550${String(100 + i)}`) },
        },
      ],
    ),
    ...['acme.example.com', 'stripe.com', 'big-co.io'].map((d): [string, Parameters<typeof call>[1]] => [
      `/v2/domain-search?api_key=k&limit=100&domain=${d}`,
      {},
    ]),
    ['/v2/email-verifier?api_key=k&email=avery.mockford@acme.example.com', {}],
    [
      '/api/v1/people/bulk_match',
      {
        method: 'POST',
        headers: { 'x-api-key': 'k' },
        body: {
          details: Array.from({ length: 10 }, (_, i) => ({
            name: `Casey Person${i}`,
            domain: i % 2 ? 'initech.com' : 'initech.example.org',
          })),
        },
      },
    ],
    ...Array.from({ length: 10 }, (_, i): [string, Parameters<typeof call>[1]] => [
      `/v3/WEB/ContactVerify/doContactVerify?id=L&act=Check,Verify,Append&format=json&a1=${300 + i}+Elm+St&postal=60614`,
      {},
    ]),
    ...Array.from({ length: 5 }, (_, i): [string, Parameters<typeof call>[1]] => [
      `/v2/PhoneNumbers/%2B1415555010${i}?Fields=line_type_intelligence`,
      { headers: { authorization: BASIC } },
    ]),
  ];

  it('only 555-01XX numbers and example.* addresses ever leave the sandbox', async () => {
    for (const [path, init] of requests) {
      const res = await call(path, init);
      expect(res.status, path).toBe(200);
      // MAKs (MelissaAddressKey*) are address keys, not phones.
      const text = res.text.replace(/"MelissaAddressKey(Base)?":"\d+"/g, '');
      const { phones, emailDomains } = contactsIn(text);
      for (const phone of phones) expect(phone, path).toMatch(FICTIONAL_PHONE);
      for (const domain of emailDomains) expect(domain, path).toMatch(FICTIONAL_EMAIL_DOMAIN);
    }
  });

  it('the same seed gives byte-identical answers in another sandbox; another seed does not', async () => {
    const other = await startSandbox(sandboxBaseline(11));
    try {
      const bodies = async (base: string) => {
        const out: string[] = [];
        for (const [path, init] of requests)
          out.push((await call(path, init, base)).text.replace(/sbx-\d+/g, ''));
        return out;
      };
      const here = await bodies(sandbox.url);
      expect(await bodies(other.url)).toEqual(here);
      other.setOptions({ seed: 12 });
      const changed = (await bodies(other.url)).filter((b, i) => b !== here[i]);
      expect(changed.length).toBeGreaterThan(requests.length / 2);
    } finally {
      await other.close();
    }
  });
});
