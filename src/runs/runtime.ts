/**
 * Wires one process's parts from the config: store, PII cipher, provider (the real
 * BatchData API when BATCHDATA_API_KEY is set, else the built-in sandbox on a loopback
 * port), guards and the skip-trace service. Entry points (CLI, API) call this and stay thin.
 */
import type { Config } from '../config/config.js';
import { createLogger, type Logger } from '../config/logger.js';
import { systemClock, type Clock, isoNow } from '../domain/clock.js';
import { usdToMicros } from '../domain/money.js';
import { createPiiCipher, type PiiCipher } from '../domain/pii/cipher.js';
import { createBudgetGuard } from '../guards/budget.js';
import { createTokenBucket, type Sleep } from '../guards/token-bucket.js';
import { CircuitBreaker } from '../guards/circuit-breaker.js';
import { SkipTraceService } from '../pipeline/skiptrace-service.js';
import { createBatchDataProvider } from '../providers/batchdata/adapter.js';
import { createProviders, type ProviderSet } from '../providers/registry.js';
import type { SkipTraceProvider } from '../providers/contract.js';
import { startSandbox, type Sandbox } from '../providers/sandbox/server.js';
import type { SandboxOptions } from '../providers/sandbox/options.js';
import { openStore, type Store } from '../store/db.js';
import { loadOrCreateMasterKey } from '../store/key-file.js';
import { ensureAccount, LOCAL_ACCOUNT_ID } from '../store/repos/accounts.js';
import type { ProviderService, RunWorkerDeps } from './run-worker.js';
import { buildProviderServices, scorecardAutoOrder } from './provider-services.js';
import { ContinuationLearner } from '../pipeline/continuation.js';
import { RunEvents } from './run-events.js';

export interface Runtime {
  config: Config;
  store: Store;
  cipher: PiiCipher;
  clock: Clock;
  accountId: string;
  /** Set when the built-in sandbox answers instead of the vendor. */
  sandbox: Sandbox | null;
  provider: SkipTraceProvider;
  /**
   * Every provider of the registry, built from the environment: a vendor with its keys set,
   * else the built-in sandbox (empty when the sandbox was not started: `needProvider: false`).
   */
  providers: ProviderSet;
  dailyCapMicros: number;
  events: RunEvents;
  /** The vendor's circuit breaker (state for status and metrics). */
  breaker: CircuitBreaker;
  /** Structured logs (stderr); ids and hashes only at info. */
  logger: Logger;
  /** Worker dependencies for runs (one skip-trace service, so L1 and in-flight calls are shared). */
  workerDeps(): RunWorkerDeps;
  close(): Promise<void>;
}

export async function openRuntime(
  config: Config,
  options: {
    clock?: Clock;
    sleep?: Sleep;
    random?: () => number;
    sandbox?: SandboxOptions;
    needProvider?: boolean;
    /** Vendor keys and settings (default process.env). */
    env?: Record<string, string | undefined>;
  } = {},
): Promise<Runtime> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const store = await openStore({
    databaseUrl: config.DATABASE_URL,
    ...(config.DATABASE_SCHEMA ? { pgSchema: config.DATABASE_SCHEMA } : {}),
    sqlitePath: config.SQLITE_DB_PATH,
    busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
  });
  const cipher = createPiiCipher(
    loadOrCreateMasterKey({
      envKey: config.LEADTRACE_ENCRYPTION_KEY,
      keyFile: config.LEADTRACE_KEY_FILE,
      sqlitePath: config.SQLITE_DB_PATH,
    }),
  );
  const accountId = LOCAL_ACCOUNT_ID;
  await ensureAccount(store.db, accountId, 'Local account', isoNow(clock));

  let sandbox: Sandbox | null = null;
  // Sandbox mode is all or nothing: with no BATCHDATA_API_KEY every vendor is the sandbox;
  // with it, a vendor without its own key is not built (never fictional data beside real).
  if (config.useSandbox && options.needProvider !== false) {
    sandbox = await startSandbox({ ...sandboxOptionsFromConfig(config), ...options.sandbox });
  }
  const providers: ProviderSet =
    options.needProvider === false
      ? { built: [], skipped: [], ofKind: () => [] }
      : createProviders(env, sandbox?.url ?? null, { now: () => clock.now() });
  const provider = createBatchDataProvider({
    baseUrl: sandbox ? sandbox.url : config.BATCHDATA_BASE_URL,
    apiKey: config.BATCHDATA_API_KEY ?? 'sandbox-key',
    skipTracePath: config.BATCHDATA_SKIPTRACE_PATH,
    authStyle: config.BATCHDATA_AUTH_STYLE,
    costPerHitMicros: usdToMicros(config.BATCHDATA_COST_PER_HIT_USD),
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    now: () => clock.now(),
  });
  const dailyCapMicros = usdToMicros(config.SKIP_TRACE_DAILY_BUDGET_USD);
  const limiter = createTokenBucket({
    ratePerSec: sandbox ? config.SANDBOX_RPS : config.SKIP_TRACE_RPS,
    clock,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const events = new RunEvents();
  // One learner per process: 'auto' stopping learns across this process's runs.
  const continuation = new ContinuationLearner({ random: options.random ?? Math.random });
  const logger = createLogger(config.LOG_LEVEL);
  events.on('run:paused', (e) => logger.warn({ runId: e.runId, reason: e.reason }, 'run paused'));
  events.on('items:finished', (e) => logger.debug(e, 'items finished'));
  events.on('call:completed', (e) => logger.debug(e, 'vendor call completed'));
  let service: SkipTraceService | undefined;
  let services: Map<string, ProviderService> | undefined;
  // Every state change is logged and counted (events feed progress and metrics).
  events.on('breaker:state', (e) => logger.warn(e, `circuit breaker ${e.from} -> ${e.to}`));
  const breaker = new CircuitBreaker({
    provider: provider.id,
    errorRate: config.CIRCUIT_BREAKER_ERROR_RATE,
    minSamples: config.CIRCUIT_MIN_SAMPLES,
    clock,
    onStateChange: (change) => events.emit('breaker:state', change),
  });

  return {
    config,
    store,
    cipher,
    clock,
    accountId,
    sandbox,
    provider,
    providers,
    dailyCapMicros,
    events,
    breaker,
    logger,
    workerDeps() {
      const budget = createBudgetGuard({ db: store.db, accountId, clock, dailyCapMicros });
      service ??= new SkipTraceService({
        db: store.db,
        provider,
        cipher,
        clock,
        accountId,
        cacheTtlDays: config.CACHE_TTL_DAYS,
        negativeCacheTtlDays: config.NEGATIVE_CACHE_TTL_DAYS,
        rateLimiter: limiter,
        budget,
        onCall: (e) => events.emit('call:completed', e),
        breaker,
      });
      services ??= buildProviderServices({
        db: store.db,
        cipher,
        clock,
        accountId,
        providers,
        budget,
        cacheTtlDays: config.CACHE_TTL_DAYS,
        negativeCacheTtlDays: config.NEGATIVE_CACHE_TTL_DAYS,
        sandboxRps: sandbox ? config.SANDBOX_RPS : null,
        errorRate: config.CIRCUIT_BREAKER_ERROR_RATE,
        minSamples: config.CIRCUIT_MIN_SAMPLES,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        onBreakerState: (change) => events.emit('breaker:state', change),
        onCall: (e) => events.emit('call:completed', e),
        existing: new Map([
          [
            provider.id,
            {
              id: provider.id,
              stage: 'skip_trace' as const,
              returnsCompliance: true,
              cost: provider.cost,
              flags: { batchSize: provider.flags.batchSize, billsOnMiss: provider.flags.billsOnMiss },
              service,
            },
          ],
        ]),
      });
      return {
        db: store.db,
        cipher,
        clock,
        accountId,
        service,
        services,
        autoOrder: scorecardAutoOrder(store.db, accountId, clock),
        continuation,
        concurrency: config.SKIP_TRACE_CONCURRENCY,
        batchSize: config.SKIP_TRACE_BATCH_SIZE,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.random ? { random: options.random } : {}),
        sanitizedRetryEnabled: config.SANITIZED_RETRY_ENABLED,
        events,
      };
    },
    async close() {
      await sandbox?.close();
      await store.close();
    },
  };
}

/** The sandbox's tunables and fault modes from SANDBOX_* variables. */
export function sandboxOptionsFromConfig(config: Config): SandboxOptions {
  const burst = config.SANDBOX_BURST_5XX?.split(':').map(Number);
  return {
    seed: config.SANDBOX_SEED,
    hitRate: config.SANDBOX_HIT_RATE,
    latencyMs: config.SANDBOX_LATENCY_MS,
    errorRate: config.SANDBOX_ERROR_RATE,
    burst5xx: burst ? { everyNth: burst[0]!, length: burst[1]! } : null,
    rateLimit429:
      config.SANDBOX_429_RATE > 0
        ? { probability: config.SANDBOX_429_RATE, retryAfterS: config.SANDBOX_RETRY_AFTER_S }
        : null,
    timeoutRate: config.SANDBOX_TIMEOUT_RATE,
    malformedJsonRate: config.SANDBOX_MALFORMED_RATE,
    driftRate: config.SANDBOX_DRIFT_RATE,
    bodyErrorRate: config.SANDBOX_BODY_ERROR_RATE,
  };
}
