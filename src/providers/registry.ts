/**
 * Every provider leadtrace can use, in one table: id, kind, facts (validated at module load),
 * environment keys and a factory. The rest of the code picks providers by kind and reads
 * their declared flags and cost model; no code outside src/providers says a provider's id.
 *
 * How a provider is built (`createProviders`):
 *   - its credential variables all set → the vendor's real API at its base URL (facts, or
 *     the vendor's `*_BASE_URL` override);
 *   - none set → the built-in sandbox URL with a sandbox key (the sandbox speaks each
 *     vendor's wire format), so every provider works with no keys at all; no sandbox URL
 *     either → not built, listed in `skipped` with the reason;
 *   - leadtrace's own email check has no vendor and no sandbox twin: it uses real DNS and
 *     SMTP from this machine, so it is built only when EMAIL_CHECK_ENABLED=true (in sandbox
 *     mode too: it still talks to real mail servers). Otherwise the Hunter email verifier,
 *     sandbox-backed without HUNTER_API_KEY, is the email-verify provider.
 * Table order carries no priority: the waterfall orders providers by cost model and flags.
 * The file is long because it is the one table; each adapter's logic stays in its folder.
 */
import { loadProvidersEnv, type ProvidersEnv } from '../config/providers-env.js';
import { usdToMicros } from '../domain/money.js';
import { createApolloBulkMatch } from './apollo/bulk-match.js';
import { apolloBulkMatchFacts } from './apollo/facts.js';
import { createBatchDataProvider } from './batchdata/adapter.js';
import { batchDataPhoneFacts } from './batchdata/facts.js';
import {
  createBatchDataDncCheck,
  createBatchDataPhoneVerify,
  createBatchDataTcpaCheck,
} from './batchdata/phone.js';
import type {
  BusinessPeopleProvider,
  DomainSearchProvider,
  EmailVerifyProvider,
  PhoneVerifyProvider,
  PropertyDetailProvider,
  PropertySearchProvider,
  ProviderCost,
  ProviderDescriptor,
  ProviderKind,
  SkipTraceProvider,
} from './contract.js';
import { createEmailCheckProvider } from './email-check/provider.js';
import { createHunterDomainSearch } from './hunter/domain-search.js';
import { createHunterEmailVerifier } from './hunter/email-verifier.js';
import { hunterDomainSearchFacts, hunterEmailVerifierFacts } from './hunter/facts.js';
import { melissaPersonatorFacts } from './melissa/facts.js';
import { createMelissaPersonator } from './melissa/personator.js';
import {
  createRealEstateApiPropertyDetail,
  createRealEstateApiPropertySearch,
  createRealEstateApiSkipTrace,
} from './realestateapi/adapter.js';
import {
  realEstateApiPropertyDetailFacts,
  realEstateApiPropertySearchFacts,
  realEstateApiSkipTraceFacts,
} from './realestateapi/facts.js';
import { createReiSkipProvider } from './reiskip/adapter.js';
import { REISKIP_DEFAULT_TIMEOUT_MS, reiSkipFacts } from './reiskip/facts.js';
import { twilioLookupFacts } from './twilio/facts.js';
import { createTwilioLookup } from './twilio/lookup.js';
import { batchDataSkipTraceFacts, emailCheckFacts } from './registry-facts.js';
import { descriptorFromFacts, type VendorFacts } from './vendor-facts.js';

/** The provider interface of each kind, every one with its full descriptor. */
export interface ProviderByKind {
  'skip-trace': SkipTraceProvider & ProviderDescriptor & { readonly kind: 'skip-trace' };
  'property-detail': PropertyDetailProvider;
  'property-search': PropertySearchProvider;
  'business-people': BusinessPeopleProvider;
  'domain-search': DomainSearchProvider;
  'phone-verify': PhoneVerifyProvider;
  'email-verify': EmailVerifyProvider;
}
export type AnyProvider = ProviderByKind[ProviderKind];

/** Where a built provider sends its requests. */
export type ProviderMode =
  /** The vendor's real API, with the configured key. */
  | 'vendor'
  /** The built-in sandbox, with a sandbox key. */
  | 'sandbox'
  /** No vendor: leadtrace does the work itself from this machine (DNS + SMTP). */
  | 'local';

export interface ProviderFactoryContext {
  /** Vendor or sandbox URL, no trailing slash needed. Unused by the local email check. */
  baseUrl: string;
  /** The credential: API key, license key, Twilio auth token; a sandbox key in sandbox mode. */
  apiKey: string;
  /** Per request, body included. */
  timeoutMs: number;
  /** Wall clock in ms since epoch. */
  now: () => number;
  /** Integer micro-dollars replacing the facts' figures (validated when applied). */
  costOverrides?: Partial<ProviderCost>;
  mode: ProviderMode;
  /** The parsed vendor environment, for settings beyond the key (auth style, paths, SID). */
  env: ProvidersEnv;
  /** Default: the global fetch. Tests replay recorded payloads through it. */
  fetch?: typeof fetch;
}

export interface ProviderEntry<K extends ProviderKind = ProviderKind> {
  readonly id: string;
  readonly kind: K;
  /** Adapter folder under src/providers/; its recorded payloads live in test/fixtures/<vendor>/. */
  readonly vendor: string;
  /** 'http': a vendor API the sandbox can stand in for. 'dns-smtp': real mail servers only. */
  readonly transport: 'http' | 'dns-smtp';
  readonly facts: VendorFacts;
  readonly env: {
    /** All set → the vendor; none set → the sandbox. The last one is the factory's `apiKey`. */
    readonly credentials: readonly string[];
    /** Overrides facts.baseUrl in vendor mode. */
    readonly baseUrl: string | null;
    /** A USD amount replacing one figure of the cost model. */
    readonly cost: { readonly name: string; readonly field: keyof ProviderCost } | null;
    /** Opt-in providers: built only when this variable is true. */
    readonly enabledBy: string | null;
    /** Other settings the factory reads (auth style, user id), beyond the facts' own keys. */
    readonly settings?: readonly string[];
  };
  /** Every variable that configures it: the facts' own plus the registry's cost variable. */
  readonly envKeys: readonly string[];
  readonly defaultTimeoutMs: number;
  /** Builds the provider; its descriptor is completed from the facts and the cost overrides. */
  create(ctx: ProviderFactoryContext): ProviderByKind[K];
}
export type AnyProviderEntry = { [K in ProviderKind]: ProviderEntry<K> }[ProviderKind];

/** What an adapter factory returns: the BatchData skip-trace predates the full descriptor. */
type Built<K extends ProviderKind> = K extends 'skip-trace'
  ? SkipTraceProvider & Partial<ProviderDescriptor>
  : ProviderByKind[K];

interface ProviderSpec<K extends ProviderKind> extends Omit<ProviderEntry<K>, 'id' | 'envKeys' | 'create'> {
  build(ctx: ProviderFactoryContext): Built<K>;
}

function defineProvider<K extends ProviderKind>(spec: ProviderSpec<K>): ProviderEntry<K> {
  const { build, ...rest } = spec;
  const envKeys = [
    ...new Set([
      ...spec.env.credentials,
      ...(spec.env.baseUrl ? [spec.env.baseUrl] : []),
      ...(spec.env.cost ? [spec.env.cost.name] : []),
      ...(spec.env.enabledBy ? [spec.env.enabledBy] : []),
      ...spec.facts.envKeys,
      ...(spec.env.settings ?? []),
    ]),
  ];
  return {
    ...rest,
    id: spec.facts.id,
    envKeys,
    create(ctx) {
      const built = build(ctx);
      // Facts fill what an adapter does not declare; what it declares wins (the contract
      // suite checks the two agree), and the caller's cost overrides win over both.
      const fromFacts = descriptorFromFacts(spec.facts, ctx.costOverrides);
      const overrides = Object.fromEntries(
        Object.entries(ctx.costOverrides ?? {}).filter(([, v]) => v !== undefined),
      );
      return {
        ...built,
        flags: { ...fromFacts.flags, ...built.flags },
        cost: { ...built.cost, ...overrides },
        rateLimit: built.rateLimit ?? fromFacts.rateLimit,
        authStyle: built.authStyle ?? fromFacts.authStyle,
        envKeys,
      } as ProviderByKind[K];
    },
  };
}

// ---- the table ---------------------------------------------------------------------------

/** Any non-empty SID passes the sandbox's Basic-auth check; its secret is the sandbox key. */
const SANDBOX_TWILIO_SID = 'ACsandbox';

const transport = (ctx: ProviderFactoryContext) => ({
  baseUrl: ctx.baseUrl,
  timeoutMs: ctx.timeoutMs,
  now: ctx.now,
  ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
});
// The sandbox checks the documented Bearer style only; x-api-key is for real keys that need it.
const batchDataAuth = (ctx: ProviderFactoryContext) =>
  ctx.mode === 'sandbox' ? 'bearer' : ctx.env.BATCHDATA_AUTH_STYLE;

const BATCHDATA_ENV = { credentials: ['BATCHDATA_API_KEY'], baseUrl: 'BATCHDATA_BASE_URL', enabledBy: null };
const REALESTATEAPI_ENV = {
  credentials: ['REALESTATEAPI_API_KEY'],
  baseUrl: 'REALESTATEAPI_BASE_URL',
  enabledBy: null,
  settings: ['REALESTATEAPI_USER_ID'],
};
const HUNTER_ENV = {
  credentials: ['HUNTER_API_KEY'],
  baseUrl: 'HUNTER_BASE_URL',
  cost: { name: 'HUNTER_COST_PER_CREDIT_USD', field: 'perHitMicros' },
  enabledBy: null,
  settings: ['HUNTER_AUTH_STYLE'],
} as const;
const HTTP = { transport: 'http', defaultTimeoutMs: 30_000 } as const;

export const PROVIDERS: readonly AnyProviderEntry[] = [
  defineProvider({
    ...HTTP,
    kind: 'skip-trace',
    vendor: 'batchdata',
    facts: batchDataSkipTraceFacts,
    env: { ...BATCHDATA_ENV, cost: { name: 'BATCHDATA_COST_PER_HIT_USD', field: 'perHitMicros' } },
    build: (ctx) =>
      createBatchDataProvider({
        ...transport(ctx),
        apiKey: ctx.apiKey,
        skipTracePath: ctx.env.BATCHDATA_SKIPTRACE_PATH,
        authStyle: batchDataAuth(ctx),
      }),
  }),
  ...(
    [
      ['verification', 'BATCHDATA_PHONE_VERIFICATION_COST_USD', createBatchDataPhoneVerify],
      ['dnc', 'BATCHDATA_PHONE_DNC_COST_USD', createBatchDataDncCheck],
      ['tcpa', 'BATCHDATA_PHONE_TCPA_COST_USD', createBatchDataTcpaCheck],
    ] as const
  ).map(([check, costEnv, create]) =>
    defineProvider({
      ...HTTP,
      kind: 'phone-verify',
      vendor: 'batchdata',
      facts: batchDataPhoneFacts[check],
      env: { ...BATCHDATA_ENV, cost: { name: costEnv, field: 'perItemMicros' } },
      build: (ctx) => create({ ...transport(ctx), apiKey: ctx.apiKey, authStyle: batchDataAuth(ctx) }),
    }),
  ),
  defineProvider({
    ...HTTP,
    kind: 'skip-trace',
    vendor: 'realestateapi',
    facts: realEstateApiSkipTraceFacts,
    env: {
      ...REALESTATEAPI_ENV,
      cost: { name: 'REALESTATEAPI_SKIPTRACE_COST_PER_MATCH_USD', field: 'perHitMicros' },
    },
    build: (ctx) =>
      createRealEstateApiSkipTrace({ ...transport(ctx), apiKey: ctx.apiKey, userId: realEstateApiUser(ctx) }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'property-detail',
    vendor: 'realestateapi',
    facts: realEstateApiPropertyDetailFacts,
    env: { ...REALESTATEAPI_ENV, cost: { name: 'REALESTATEAPI_COST_PER_CREDIT_USD', field: 'perHitMicros' } },
    build: (ctx) =>
      createRealEstateApiPropertyDetail({
        ...transport(ctx),
        apiKey: ctx.apiKey,
        userId: realEstateApiUser(ctx),
      }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'property-search',
    vendor: 'realestateapi',
    facts: realEstateApiPropertySearchFacts,
    env: { ...REALESTATEAPI_ENV, cost: { name: 'REALESTATEAPI_COST_PER_CREDIT_USD', field: 'perHitMicros' } },
    build: (ctx) =>
      createRealEstateApiPropertySearch({
        ...transport(ctx),
        apiKey: ctx.apiKey,
        userId: realEstateApiUser(ctx),
      }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'skip-trace',
    vendor: 'reiskip',
    facts: reiSkipFacts,
    defaultTimeoutMs: REISKIP_DEFAULT_TIMEOUT_MS,
    env: {
      credentials: ['REISKIP_API_KEY'],
      baseUrl: 'REISKIP_BASE_URL',
      cost: { name: 'REISKIP_COST_PER_MATCH_USD', field: 'perHitMicros' },
      enabledBy: null,
    },
    build: (ctx) => createReiSkipProvider({ ...transport(ctx), apiKey: ctx.apiKey }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'skip-trace',
    vendor: 'melissa',
    facts: melissaPersonatorFacts,
    env: {
      credentials: ['MELISSA_LICENSE_KEY'],
      baseUrl: 'MELISSA_BASE_URL',
      cost: { name: 'MELISSA_COST_PER_RECORD_USD', field: 'perCallMicros' },
      enabledBy: null,
    },
    build: (ctx) => createMelissaPersonator({ ...transport(ctx), licenseKey: ctx.apiKey }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'business-people',
    vendor: 'apollo',
    facts: apolloBulkMatchFacts,
    env: {
      credentials: ['APOLLO_API_KEY'],
      baseUrl: 'APOLLO_BASE_URL',
      cost: { name: 'APOLLO_COST_PER_CREDIT_USD', field: 'perHitMicros' },
      enabledBy: null,
    },
    build: (ctx) => createApolloBulkMatch({ ...transport(ctx), apiKey: ctx.apiKey }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'domain-search',
    vendor: 'hunter',
    facts: hunterDomainSearchFacts,
    env: HUNTER_ENV,
    build: (ctx) =>
      createHunterDomainSearch({
        ...transport(ctx),
        apiKey: ctx.apiKey,
        authStyle: ctx.env.HUNTER_AUTH_STYLE,
      }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'email-verify',
    vendor: 'hunter',
    facts: hunterEmailVerifierFacts,
    env: HUNTER_ENV,
    build: (ctx) =>
      createHunterEmailVerifier({
        ...transport(ctx),
        apiKey: ctx.apiKey,
        authStyle: ctx.env.HUNTER_AUTH_STYLE,
      }),
  }),
  defineProvider({
    ...HTTP,
    kind: 'phone-verify',
    vendor: 'twilio',
    facts: twilioLookupFacts,
    defaultTimeoutMs: 15_000,
    env: {
      credentials: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
      baseUrl: 'TWILIO_LOOKUP_BASE_URL',
      cost: { name: 'TWILIO_LOOKUP_COST_USD', field: 'perItemMicros' },
      enabledBy: null,
    },
    build: (ctx) =>
      createTwilioLookup({
        ...transport(ctx),
        accountSid: ctx.mode === 'vendor' ? (ctx.env.TWILIO_ACCOUNT_SID ?? '') : SANDBOX_TWILIO_SID,
        authToken: ctx.apiKey,
      }),
  }),
  defineProvider({
    kind: 'email-verify',
    vendor: 'email-check',
    transport: 'dns-smtp',
    facts: emailCheckFacts,
    defaultTimeoutMs: 10_000,
    env: { credentials: [], baseUrl: null, cost: null, enabledBy: 'EMAIL_CHECK_ENABLED' },
    build: (ctx) =>
      createEmailCheckProvider({
        resolverServers: ctx.env.EMAIL_CHECK_DNS_SERVERS?.split(','),
        smtpPort: ctx.env.EMAIL_CHECK_SMTP_PORT,
        heloName: ctx.env.EMAIL_CHECK_HELO_NAME,
        mailFrom: ctx.env.EMAIL_CHECK_MAIL_FROM,
        timeoutMs: ctx.timeoutMs,
      }),
  }),
];

function realEstateApiUser(ctx: ProviderFactoryContext): string | undefined {
  return ctx.mode === 'vendor' ? ctx.env.REALESTATEAPI_USER_ID : undefined;
}

/** Ids of every provider, or of one kind, in table order. */
export function providerIds(kind?: ProviderKind): string[] {
  return PROVIDERS.filter((e) => kind === undefined || e.kind === kind).map((e) => e.id);
}

// ---- building ----------------------------------------------------------------------------

export interface CreateProvidersOptions {
  /** Per-request timeout for every provider. Default: each entry's `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Default Date.now. */
  now?: () => number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Credential sent to the sandbox. Default 'sandbox-key' (match the sandbox's `apiKey` if set). */
  sandboxApiKey?: string;
}

export interface BuiltProvider<K extends ProviderKind = ProviderKind> {
  readonly entry: ProviderEntry<K>;
  readonly mode: ProviderMode;
  readonly provider: ProviderByKind[K];
}
export type AnyBuiltProvider = { [K in ProviderKind]: BuiltProvider<K> }[ProviderKind];

export interface ProviderSet {
  /** Every provider built, in table order. */
  readonly built: readonly AnyBuiltProvider[];
  /** Providers not built, with why (opt-in not enabled, no key and no sandbox). */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** The built providers of one kind, in table order. */
  ofKind<K extends ProviderKind>(kind: K): ProviderByKind[K][];
}

/**
 * Builds every provider from the environment: with its key → the vendor; without → the
 * sandbox at `sandboxUrl` (null: not built). Throws ConfigError naming a bad variable.
 */
export function createProviders(
  env: Record<string, string | undefined>,
  sandboxUrl: string | null,
  opts: CreateProvidersOptions = {},
): ProviderSet {
  const parsed = loadProvidersEnv(env);
  const vars = parsed as Record<string, unknown>;
  const built: AnyBuiltProvider[] = [];
  const skipped: { id: string; reason: string }[] = [];

  for (const entry of PROVIDERS) {
    if (entry.env.enabledBy && vars[entry.env.enabledBy] !== true) {
      skipped.push({ id: entry.id, reason: `${entry.env.enabledBy} is not true` });
      continue;
    }
    const credentials = entry.env.credentials.map((name) => vars[name]);
    const keyed = credentials.length > 0 && credentials.every((v) => typeof v === 'string');
    let mode: ProviderMode;
    let baseUrl: string;
    let apiKey: string;
    if (entry.env.credentials.length === 0) {
      [mode, baseUrl, apiKey] = ['local', entry.facts.baseUrl, ''];
    } else if (keyed) {
      const override = entry.env.baseUrl ? vars[entry.env.baseUrl] : undefined;
      [mode, baseUrl, apiKey] = [
        'vendor',
        typeof override === 'string' ? override : entry.facts.baseUrl,
        credentials.at(-1) as string,
      ];
    } else if (sandboxUrl !== null) {
      [mode, baseUrl, apiKey] = ['sandbox', sandboxUrl, opts.sandboxApiKey ?? 'sandbox-key'];
    } else {
      skipped.push({ id: entry.id, reason: `${entry.env.credentials.join(' and ')} not set and no sandbox` });
      continue;
    }
    const costEnv = entry.env.cost ? vars[entry.env.cost.name] : undefined;
    const ctx: ProviderFactoryContext = {
      baseUrl,
      apiKey,
      mode,
      env: parsed,
      timeoutMs: opts.timeoutMs ?? entry.defaultTimeoutMs,
      now: opts.now ?? Date.now,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(entry.env.cost && typeof costEnv === 'string'
        ? { costOverrides: { [entry.env.cost.field]: usdToMicros(costEnv) } }
        : {}),
    };
    const provider = (entry as ProviderEntry).create(ctx);
    built.push({ entry, mode, provider } as AnyBuiltProvider);
  }

  return {
    built,
    skipped,
    ofKind: <K extends ProviderKind>(kind: K) =>
      built.filter((b) => b.entry.kind === kind).map((b) => b.provider as ProviderByKind[K]),
  };
}
