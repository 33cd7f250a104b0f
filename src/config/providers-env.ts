/**
 * Every vendor's environment variables, validated with zod like config.ts (to be merged into
 * `configSchema`; until then `loadProvidersEnv` reads them on its own).
 *
 * Rules shared by every vendor (src/providers/registry.ts applies them):
 *   - `<VENDOR>_API_KEY` (or its twin) set → the vendor's real API; unset → the built-in
 *     sandbox with a sandbox key, so every provider works with no keys at all;
 *   - `<VENDOR>_BASE_URL` unset → the vendor's documented host from its facts.ts (config sits
 *     below providers and cannot import them, so the default lives there, not here);
 *   - `*_COST_*_USD` unset → the figure in the vendor's facts.ts. Dollars as text ("0.025"),
 *     read exactly into integer micro-dollars, never through a float.
 * The BatchData skip-trace keys are config.ts's own, picked here unchanged so this schema
 * is complete on its own; merging adds only `vendorEnvSchema`'s keys to config.ts.
 */
import { z } from 'zod';
import { ConfigError, configSchema } from './config.js';
import { vendorEnvSchema } from './vendor-env.js';

export { vendorEnvSchema };

/** The BatchData skip-trace keys, exactly as config.ts declares them. */
const batchDataEnvSchema = configSchema.pick({
  BATCHDATA_API_KEY: true,
  BATCHDATA_BASE_URL: true,
  BATCHDATA_SKIPTRACE_PATH: true,
  BATCHDATA_AUTH_STYLE: true,
  BATCHDATA_COST_PER_HIT_USD: true,
});

export const providersEnvSchema = vendorEnvSchema.extend(batchDataEnvSchema.shape);
export type ProvidersEnv = z.output<typeof providersEnvSchema>;

/** Names whose values are never echoed back, even in an error. */
const SECRET_NAME = /KEY|TOKEN|SID|SECRET/;

/** Reads every vendor variable; throws ConfigError naming the first bad one. Empty = unset. */
export function loadProvidersEnv(env: Record<string, string | undefined> = process.env): ProvidersEnv {
  const present: Record<string, string> = {};
  for (const key of Object.keys(providersEnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const parsed = providersEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const value = SECRET_NAME.test(name) ? undefined : present[name];
    throw new ConfigError(
      `invalid ${name}${value === undefined ? '' : `="${value}"`}: ${issue?.message ?? 'bad value'}`,
    );
  }
  // Basic auth needs both halves: one alone is a typo, not a choice of the sandbox.
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token } = parsed.data;
  if ((sid === undefined) !== (token === undefined)) {
    const missing = sid === undefined ? 'TWILIO_ACCOUNT_SID' : 'TWILIO_AUTH_TOKEN';
    const other = sid === undefined ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    throw new ConfigError(`invalid ${missing}: required when ${other} is set (set both, or neither)`);
  }
  return parsed.data;
}
