/**
 * The provider contract suite: one loop over every registry entry (Kysely's "one suite per
 * dialect" style). For each provider: its facts validate and state money in integer
 * micro-dollars; the provider built from the registry declares what its facts say; the
 * environment decides vendor or sandbox; every recorded payload of its vendor goes through
 * the adapter's real HTTP path (replayed with its recorded status) and through its
 * diagnoser, each with an explicit expected outcome (contract-expectations.ts); and a real
 * request to the real sandbox answers with the declared billing rule holding, checked against
 * what the sandbox itself billed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { loadProvidersEnv, providersEnvSchema } from '../../src/config/providers-env.js';
import type { ProviderKind } from '../../src/providers/contract.js';
import {
  BODY_PARSERS,
  DIAGNOSERS,
  diagnosisOf,
  type Diagnosis,
  type KindExchange,
} from '../../src/providers/diagnosers.js';
import { ProviderError } from '../../src/providers/errors.js';
import {
  createProviders,
  PROVIDERS,
  providerIds,
  type AnyProvider,
  type AnyProviderEntry,
} from '../../src/providers/registry.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/providers/sandbox/server.js';
import { descriptorFromFacts, vendorFactsSchema } from '../../src/providers/vendor-facts.js';
import { FIXTURE_CASES, type Outcome } from './contract-expectations.js';
import { sandboxBaseline } from './vendor-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// ---- calling a provider by its kind -------------------------------------------------------

async function call(provider: AnyProvider, request: unknown): Promise<unknown> {
  switch (provider.kind) {
    case 'skip-trace':
      return (await provider.skipTrace(request as KindExchange['skip-trace']['request'])).items;
    case 'property-detail':
      return provider.propertyDetail(request as KindExchange['property-detail']['request']);
    case 'property-search': {
      const { query, mode } = request as KindExchange['property-search']['request'];
      return provider.search(query, mode);
    }
    case 'business-people':
      return provider.matchPeople(request as KindExchange['business-people']['request']);
    case 'domain-search': {
      const { domain, filters } = request as KindExchange['domain-search']['request'];
      return provider.domainSearch(domain, filters);
    }
    case 'phone-verify':
      return provider.verifyPhones(request as KindExchange['phone-verify']['request']);
    case 'email-verify':
      return provider.verifyEmails(request as KindExchange['email-verify']['request']);
  }
}

const toOutcome = (d: Diagnosis): Outcome => ({
  matched: d.matched,
  billableUnits: d.billableUnits,
  persons: d.persons.length,
  phones: d.persons.flatMap((p) => p.phones.map((ph) => ph.number)),
  emails: d.persons.flatMap((p) => p.emails.map((e) => e.address)),
});

/** The outcome of `run`; a failure must be a typed ProviderError of this provider. */
async function outcomeOf(id: string, run: () => Promise<Diagnosis> | Diagnosis): Promise<Outcome> {
  try {
    return toOutcome(await run());
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    expect(err.details.provider, err.message).toBe(id);
    if (err.code === 'unrecognized_response') {
      expect(err.message).toMatch(/^unrecognized response shape: \S/);
    }
    return { error: err.code };
  }
}

// ---- sandbox probes: one hit and one miss per kind ----------------------------------------

/** Every draw that could miss set to hit. */
const HIT_RUN: SandboxOptions = {
  hitRate: 1,
  unitMissRate: 0,
  litigatorRate: 0,
  emailRate: 1,
  melissaVerifyRate: 1,
  melissaAppendRate: 1,
  apolloMatchRate: 1,
  hunterEmptyDomainRate: 0,
  emailValidRate: 1,
  propertyHitRate: 1,
  phoneInvalidRate: 0,
};
/** Every draw that could hit set to miss. */
const MISS_RUN: SandboxOptions = {
  hitRate: 0,
  melissaVerifyRate: 0,
  apolloMatchRate: 0,
  hunterEmptyDomainRate: 1,
  propertyHitRate: 0,
  phoneInvalidRate: 1,
};

const address = { street: '742 Evergreen Ter', city: 'Springfield', state: 'IL', zip: '62704' };
const PROBES: { [K in ProviderKind]: { hit: KindExchange[K]['request']; miss: KindExchange[K]['request'] } } =
  {
    'skip-trace': {
      hit: [{ requestId: 'probe-hit', ...address }],
      miss: [{ requestId: 'probe-miss', ...address }],
    },
    'property-detail': {
      hit: [{ requestId: 'probe-hit', ...address }],
      miss: [{ requestId: 'probe-miss', ...address }],
    },
    'property-search': {
      hit: { query: { zips: ['62704'] }, mode: { kind: 'full', size: 3, resultIndex: 0 } },
      // The sandbox's searches always find records: a count returns none, and is free.
      miss: { query: { zips: ['62704'] }, mode: { kind: 'count' } },
    },
    'business-people': {
      hit: [{ requestId: 'probe-hit', firstName: 'Jane', lastName: 'Sample', domain: 'acme.example.com' }],
      miss: [{ requestId: 'probe-miss', firstName: 'Jane', lastName: 'Sample', domain: 'acme.example.com' }],
    },
    'domain-search': {
      hit: { domain: 'acme.example.com', filters: {} },
      miss: { domain: 'acme.example.com', filters: {} },
    },
    'phone-verify': { hit: ['+12125550101'], miss: ['+12125550101'] },
    // The sandbox never vouches for a mailbox off example.*: `unknown`, Hunter's "no answer".
    'email-verify': { hit: ['jane.sample@example.com'], miss: ['jane.sample@mail.invalid'] },
  };

/** Each answered item: was it a hit (null: the answer cannot tell), and what it bills. */
function billedItems(kind: ProviderKind, result: unknown): { hit: boolean | null; units: number }[] {
  switch (kind) {
    case 'skip-trace':
    case 'property-detail':
    case 'business-people':
      return (result as { matched: boolean; billableUnits: number }[]).map((r) => ({
        hit: r.matched,
        units: r.billableUnits,
      }));
    case 'property-search': {
      const page = result as KindExchange['property-search']['result'];
      return [{ hit: page.records.length + page.ids.length > 0, units: page.billableUnits }];
    }
    case 'domain-search': {
      const found = result as KindExchange['domain-search']['result'];
      return [{ hit: found.contacts.length > 0, units: found.billableUnits }];
    }
    case 'phone-verify':
      // A DNC- or TCPA-only check says nothing about whether the number exists.
      return (result as KindExchange['phone-verify']['result']).map((v) => ({
        hit: v.valid,
        units: v.billableUnits,
      }));
    case 'email-verify':
      return (result as KindExchange['email-verify']['result']).map((v) => ({
        hit: v.status !== 'unknown',
        units: v.billableUnits,
      }));
  }
}

// ---- the suite --------------------------------------------------------------------------

const envNames = Object.keys(providersEnvSchema.shape);
const fixtureFiles = filesUnder(FIXTURES)
  .map((path) => relative(FIXTURES, path).split('\\').join('/'))
  .sort();
const casesFor = (id: string) => Object.entries(FIXTURE_CASES).filter(([, c]) => id in c.expect);

/** Replays one recorded answer for every request; set before each call. */
let recorded = { status: 200, text: '' };
const replayed = createProviders({}, 'http://replay.invalid', {
  fetch: async () =>
    new Response(recorded.text, { status: recorded.status, headers: { 'content-type': 'application/json' } }),
});

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxBaseline(11));
});
afterAll(async () => {
  await sandbox.close();
});

describe('provider contract', () => {
  it('lists every provider once, with an id per kind', () => {
    const ids = PROVIDERS.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(providerIds()).toEqual(ids);
    for (const entry of PROVIDERS) expect(providerIds(entry.kind)).toContain(entry.id);
    expect(providerIds('property-search')).toEqual(['realestateapi-property-search']);
  });

  it('covers every fixture file with an expectation, and nothing else', () => {
    expect(Object.keys(FIXTURE_CASES).sort()).toEqual(fixtureFiles);
    const known = new Set(PROVIDERS.map((e) => e.id));
    for (const [name, c] of Object.entries(FIXTURE_CASES)) {
      for (const id of Object.keys({ ...c.expect, ...c.read })) expect(known, `${name}: ${id}`).toContain(id);
      // A fixture belongs to its vendor's providers only.
      const vendor = name.split('/')[0];
      for (const id of Object.keys(c.expect)) {
        expect(PROVIDERS.find((e) => e.id === id)?.vendor, `${name}: ${id}`).toBe(vendor);
      }
    }
  });

  it('uses every vendor variable of the env schema, and documents each one', () => {
    const used = new Set(PROVIDERS.flatMap((e) => e.envKeys));
    expect([...used].sort()).toEqual([...envNames].sort());
    const docs = readFileSync(join(ROOT, 'docs/providers-env.md'), 'utf8');
    for (const name of envNames) expect(docs, name).toMatch(new RegExp(`^#?\\s?${name}=`, 'm'));
    for (const entry of PROVIDERS) expect(docs, entry.id).toContain(`| \`${entry.id}\` |`);
  });

  it('has no code outside src/providers that names a provider id', () => {
    const ids = PROVIDERS.map((e) => e.id.replace(/-/g, '\\-'));
    const quoted = new RegExp(`['"\`](${ids.join('|')})['"\`]`);
    const offenders = filesUnder(join(ROOT, 'src'))
      .filter((f) => f.endsWith('.ts') && !relative(join(ROOT, 'src'), f).startsWith('providers'))
      .filter((f) => quoted.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  describe.each(PROVIDERS.map((e): [string, AnyProviderEntry] => [e.id, e]))('%s', (id, entry) => {
    const http = entry.transport === 'http';

    it('declares validated facts: integers of micro-dollars, batch ≥ 1, a rate, its env keys', () => {
      // Vendors may extend the shared schema (RealEstateAPI: its daily credit cap).
      expect(entry.facts).toMatchObject(vendorFactsSchema.parse(entry.facts));
      expect([entry.facts.id, entry.facts.kind]).toEqual([id, entry.kind]);
      const { flags, cost, rateLimit } = entry.facts;
      expect(Number.isInteger(flags.batchSize) && flags.batchSize >= 1).toBe(true);
      for (const micros of [cost.perCallMicros, cost.perHitMicros, cost.perItemMicros]) {
        expect(Number.isInteger(micros) && micros >= 0).toBe(true);
      }
      // A per-call or per-item price bills misses too; a per-hit price alone does not.
      expect(cost.perCallMicros + cost.perItemMicros > 0).toBe(flags.billsOnMiss);
      expect(rateLimit.requestsPerSecond).toBeGreaterThan(0);
      for (const name of entry.facts.envKeys) expect(entry.envKeys).toContain(name);
      for (const name of entry.envKeys) expect(envNames).toContain(name);
      for (const name of entry.env.credentials) expect(entry.envKeys).toContain(name);
      expect(entry.defaultTimeoutMs).toBeGreaterThan(0);
    });

    it('builds a provider whose descriptor is its facts', () => {
      const env = entry.env.enabledBy ? { [entry.env.enabledBy]: 'true' } : {};
      const built = createProviders(env, sandbox.url).built.find((b) => b.entry.id === id)!;
      expect(built.mode).toBe(http ? 'sandbox' : 'local');
      const p = built.provider;
      const facts = descriptorFromFacts(entry.facts);
      expect([p.id, p.kind]).toEqual([id, entry.kind]);
      expect(p.flags).toEqual(facts.flags);
      expect(p.cost).toEqual(facts.cost);
      expect(p.rateLimit).toEqual(facts.rateLimit);
      expect(p.authStyle).toBe(entry.facts.auth.style);
      expect(p.envKeys).toEqual(entry.envKeys);
    });

    if (entry.env.cost !== null)
      it('takes its price from its *_COST_* variable, in exact micro-dollars', () => {
        const cost = entry.env.cost!;
        const env: Record<string, string> = { [cost.name]: '0.123457' };
        const p = createProviders(env, sandbox.url).built.find((b) => b.entry.id === id)!.provider;
        expect(p.cost).toEqual({ ...descriptorFromFacts(entry.facts).cost, [cost.field]: 123_457 });
      });

    if (http)
      it('goes to the vendor with its key, to the sandbox without', async () => {
        const sent: { url: string; headers: Record<string, string> }[] = [];
        const recordFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
          sent.push({ url: String(url), headers: { ...(init?.headers as Record<string, string>) } });
          return new Response('{}', { status: 503 });
        };
        const keys = Object.fromEntries(
          entry.env.credentials.map((name) => [name, `real-${name.toLowerCase()}`]),
        );
        const key = `real-${entry.env.credentials.at(-1)!.toLowerCase()}`;
        const probe = PROBES[entry.kind].hit;
        const attempt = async (env: Record<string, string>, sandboxUrl: string | null) => {
          const set = createProviders(env, sandboxUrl, { fetch: recordFetch as typeof fetch });
          const built = set.built.find((b) => b.entry.id === id)!;
          await expect(call(built.provider, probe)).rejects.toBeInstanceOf(ProviderError);
          const last = sent.at(-1)!;
          const auth = last.headers.authorization ?? '';
          const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : '';
          return { mode: built.mode, url: last.url, credentials: `${JSON.stringify(last)} ${basic}` };
        };

        const vendor = await attempt(keys, 'http://sandbox.invalid');
        expect(vendor.mode).toBe('vendor');
        expect(vendor.url.startsWith(entry.facts.baseUrl)).toBe(true);
        expect(vendor.credentials).toContain(key);

        const moved = await attempt(
          { ...keys, [entry.env.baseUrl!]: 'https://vendor-proxy.example.com/v' },
          null,
        );
        expect(moved.url.startsWith('https://vendor-proxy.example.com/v/')).toBe(true);

        const sandboxed = await attempt(
          { [entry.env.baseUrl!]: 'https://vendor-proxy.example.com/v' },
          'http://sandbox.invalid',
        );
        expect(sandboxed.mode).toBe('sandbox');
        expect(sandboxed.url.startsWith('http://sandbox.invalid/')).toBe(true);
        expect(sandboxed.credentials).toContain('sandbox-key');
        expect(sandboxed.credentials).not.toContain('real-');
      });

    if (http)
      it('replays every recorded payload of its vendor through the adapter', async () => {
        const cases = casesFor(id);
        const built = replayed.built.find((b) => b.entry.id === id)!;
        const parser = BODY_PARSERS[id]!;
        for (const [name, c] of cases) {
          recorded = { status: c.status, text: readFileSync(join(FIXTURES, name), 'utf8') };
          const request = parser.requestOf(JSON.parse(recorded.text));
          const outcome = await outcomeOf(id, async () =>
            diagnosisOf(entry.kind, (await call(built.provider, request)) as never),
          );
          expect(outcome, name).toEqual(c.expect[id]);
        }
      });

    if (http)
      it('diagnoses every recorded payload from the body alone', async () => {
        const diagnose = DIAGNOSERS[id]!;
        expect(diagnose).toBeTypeOf('function');
        const cases = casesFor(id);
        const outcomes: Outcome[] = [];
        for (const [name, c] of cases) {
          const body = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
          const outcome = await outcomeOf(id, () => diagnose(body));
          expect(outcome, name).toEqual(c.read?.[id] ?? c.expect[id]);
          outcomes.push(outcome);
        }
        // Each provider has at least one answer it reads and one drifted shape it refuses.
        expect(outcomes.some((o) => 'matched' in o)).toBe(true);
        expect(outcomes.some((o) => 'error' in o && o.error === 'unrecognized_response')).toBe(true);
        for (const junk of [null, [], 'OK', 42, {}]) {
          expect(await outcomeOf(id, () => diagnose(junk)), JSON.stringify(junk)).toEqual({
            error: 'unrecognized_response',
          });
        }
      });

    if (http)
      it('answers a real request through the sandbox, billing as it declares', async () => {
        const set = createProviders({}, sandbox.url);
        const p = set.built.find((b) => b.entry.id === id)!.provider;
        const billsOnMiss = p.flags.billsOnMiss;
        for (const [run, options] of [
          ['hit', HIT_RUN],
          ['miss', MISS_RUN],
        ] as const) {
          sandbox.setOptions({ ...sandboxBaseline(11), ...options });
          const before = sandbox.billing.billedCount();
          const items = billedItems(entry.kind, await call(p, PROBES[entry.kind][run]));
          const units = items.reduce((sum, i) => sum + i.units, 0);
          // What we count is what the vendor charged.
          expect(sandbox.billing.billedCount() - before, run).toBe(units);
          expect(items.length, run).toBeGreaterThan(0);
          if (run === 'hit') {
            expect(items.some((i) => i.hit === false)).toBe(false);
            expect(units).toBeGreaterThan(0);
          } else {
            expect(items.some((i) => i.hit === true)).toBe(false);
            for (const item of items) {
              if (billsOnMiss) expect(item.units).toBeGreaterThan(0);
              else expect(item.units).toBe(0);
            }
          }
        }
      });

    if (!http)
      it('has no vendor to stand in for: opt-in, offline answers free', async () => {
        expect(DIAGNOSERS[id]).toBeUndefined();
        expect(casesFor(id)).toEqual([]);
        expect(createProviders({}, sandbox.url).skipped.map((s) => s.id)).toContain(id);
        const set = createProviders({ [entry.env.enabledBy!]: 'true' }, sandbox.url);
        const built = set.built.find((b) => b.entry.id === id)!;
        expect(built.mode).toBe('local');
        // Bad syntax is decided before any DNS or SMTP.
        const [result] = (await call(built.provider, [
          'not an address',
        ])) as KindExchange['email-verify']['result'];
        expect(result).toMatchObject({ status: 'invalid', reason: 'syntax', billableUnits: 0 });
      });
  });

  it('works with no keys at all, on the sandbox; without one, builds only keyed providers', () => {
    const all = createProviders({}, sandbox.url);
    expect(all.built.filter((b) => b.mode !== 'sandbox')).toEqual([]);
    expect(all.built.length).toBe(PROVIDERS.filter((e) => e.transport === 'http').length);
    expect(all.ofKind('email-verify').map((p) => p.id)).toEqual(['hunter-email-verifier']);

    const none = createProviders({}, null);
    expect(none.built).toEqual([]);
    expect(none.skipped.map((s) => s.id)).toEqual(providerIds());

    const hunterOnly = createProviders({ HUNTER_API_KEY: 'k' }, null);
    expect(hunterOnly.built.map((b) => [b.entry.id, b.mode])).toEqual([
      ['hunter-domain-search', 'vendor'],
      ['hunter-email-verifier', 'vendor'],
    ]);
    expect(hunterOnly.ofKind('domain-search')).toHaveLength(1);
  });

  it('refuses a bad vendor variable by name, never echoing a secret', () => {
    const fail = (env: Record<string, string>) => {
      try {
        loadProvidersEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fail({ HUNTER_BASE_URL: 'not a url' })).toMatch(/^invalid HUNTER_BASE_URL="not a url": /);
    expect(fail({ TWILIO_LOOKUP_COST_USD: '1,50' })).toMatch(
      /^invalid TWILIO_LOOKUP_COST_USD="1,50": .*dollar/,
    );
    expect(fail({ EMAIL_CHECK_ENABLED: 'maybe' })).toMatch(/^invalid EMAIL_CHECK_ENABLED/);
    expect(fail({ TWILIO_ACCOUNT_SID: 'AC123' })).toMatch(
      /^invalid TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID/,
    );
    expect(fail({ TWILIO_AUTH_TOKEN: 'tok-secret' })).not.toContain('tok-secret');
    expect(fail({ BATCHDATA_AUTH_STYLE: 'cookie' })).toMatch(/^invalid BATCHDATA_AUTH_STYLE/);
    // Empty means unset, as in config.ts.
    expect(loadProvidersEnv({ HUNTER_API_KEY: '', HUNTER_BASE_URL: '' }).HUNTER_API_KEY).toBeUndefined();
  });
});
