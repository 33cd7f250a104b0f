/**
 * Every setting comes from the environment through this one zod schema. Names and
 * defaults follow seed 002 ("Environment & Defaults"); `.env.example` documents each.
 * A bad value fails at start with the variable's name (see `loadConfig`).
 */
import { z } from 'zod';
import { vendorEnvSchema } from './vendor-env.js';

const usd = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((s) => /^\s*\d+(\.\d{1,6})?\s*$/.test(s), {
      error: `${name} must be a dollar amount like 200.00`,
    });

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((s) => s === 'true' || s === '1' || s === 'yes');

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const num = (min: number, max: number, fallback: number) =>
  z.coerce.number().min(min).max(max).default(fallback);

/** Every setting: leadtrace's own, then each vendor's (src/config/providers-env.ts). */
const ownSchema = z.object({
  PORT: int(1, 65535, 6001),
  /** Embedded store. Seed 002 used backend/data/convexa.db; ours lives under data/. */
  SQLITE_DB_PATH: z.string().min(1).default('data/leadtrace.db'),
  /** When set (postgres://…), PostgreSQL is the store instead of SQLite. */
  DATABASE_URL: z.string().optional(),
  /** PostgreSQL schema for leadtrace's tables (created if missing); default: the user's search_path. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, { error: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
    .optional(),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 600_000, 5000),

  BATCHDATA_API_KEY: z.string().optional(),
  BATCHDATA_BASE_URL: z.url().default('https://api.batchdata.com'),
  BATCHDATA_SKIPTRACE_PATH: z
    .string()
    .regex(/^\//, { error: 'BATCHDATA_SKIPTRACE_PATH must start with /' })
    .default('/api/v1/property/skip-trace'),
  BATCHDATA_AUTH_STYLE: z.enum(['bearer', 'header']).default('bearer'),
  /** Price of one matched property (third-party figure; set your contract price). */
  BATCHDATA_COST_PER_HIT_USD: usd('BATCHDATA_COST_PER_HIT_USD', '0.07'),

  SKIP_TRACE_DAILY_BUDGET_USD: usd('SKIP_TRACE_DAILY_BUDGET_USD', '200.00'),
  /** Provider token bucket, requests per second (a request carries up to 100 leads). */
  SKIP_TRACE_RPS: num(0.1, 10_000, 4),
  /** Requests in flight at once (each up to SKIP_TRACE_BATCH_SIZE leads). */
  SKIP_TRACE_CONCURRENCY: int(1, 256, 6),
  /** Leads per vendor request, capped by the vendor's own maximum (BatchData: 100). */
  SKIP_TRACE_BATCH_SIZE: int(1, 1000, 100),
  CIRCUIT_BREAKER_ERROR_RATE: num(0.01, 1, 0.3),
  CIRCUIT_MIN_SAMPLES: int(1, 10_000, 30),
  CACHE_TTL_DAYS: num(0, 3650, 7),
  /** A definite no-match is cached for this long (shorter: owners get new numbers). */
  NEGATIVE_CACHE_TTL_DAYS: num(0, 3650, 3),
  SANITIZED_RETRY_ENABLED: bool(true),

  /** Sandbox (used when BATCHDATA_API_KEY is unset). */
  SANDBOX_RPS: num(0.1, 100_000, 50),
  SANDBOX_HIT_RATE: num(0, 1, 0.8),
  SANDBOX_LATENCY_MS: int(0, 60_000, 0),
  /** Sandbox fault modes (all off by default); set them for one invocation to rehearse failures. */
  SANDBOX_ERROR_RATE: num(0, 1, 0),
  /** "N:L": every Nth request starts a run of L 503s. */
  SANDBOX_BURST_5XX: z
    .string()
    .regex(/^\d+:\d+$/, { error: 'SANDBOX_BURST_5XX must look like 50:5 (every 50th request, 5 failures)' })
    .optional(),
  SANDBOX_429_RATE: num(0, 1, 0),
  SANDBOX_RETRY_AFTER_S: int(0, 3600, 1),
  SANDBOX_TIMEOUT_RATE: num(0, 1, 0),
  SANDBOX_MALFORMED_RATE: num(0, 1, 0),
  SANDBOX_DRIFT_RATE: num(0, 1, 0),
  SANDBOX_BODY_ERROR_RATE: num(0, 1, 0),
  /** Seeds the sandbox's answers and faults. */
  SANDBOX_SEED: int(0, 2 ** 31 - 1, 1),
  /** Vendor request timeout (ms). */
  PROVIDER_TIMEOUT_MS: int(100, 600_000, 30_000),

  /** Base64 of 32 random bytes. When unset, a key file is created beside the SQLite DB. */
  LEADTRACE_ENCRYPTION_KEY: z.string().optional(),
  LEADTRACE_KEY_FILE: z.string().optional(),
  RUN_REPORTS_DIR: z.string().min(1).default('run_reports'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export const configSchema = ownSchema.extend(vendorEnvSchema.shape);

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  /** True when no BatchData key is set: the built-in sandbox answers. */
  useSandbox: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    // Secrets are never echoed back, even in an error.
    const value = /KEY|DATABASE_URL|TOKEN|SID|SECRET/.test(name) ? undefined : present[name];
    throw new ConfigError(
      `invalid ${name}${value === undefined ? '' : `="${value}"`}: ${issue?.message ?? 'bad value'}`,
    );
  }
  return { ...parsed.data, useSandbox: !parsed.data.BATCHDATA_API_KEY };
}
