/**
 * The waterfall policy of a new run, from (lowest to highest precedence): the default,
 * a policy file (LEADTRACE_POLICY_FILE or `--policy <file>`, JSON with the fields of
 * pipeline/waterfall-policy.ts), and command-line flags. Every provider named is checked
 * against the providers this process built; the default's providers that are not built
 * (a vendor without its key while others have theirs) are dropped silently.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../domain/errors.js';
import {
  DEFAULT_WATERFALL,
  PolicyError,
  resolveWaterfall,
  STAGE_NAMES,
  type WaterfallPolicy,
} from '../pipeline/waterfall-policy.js';
import type { ProviderKind } from '../providers/contract.js';
import type { ProviderSet } from '../providers/registry.js';

export interface PolicyFlags {
  policyFile?: string | undefined;
  property_detail?: string | undefined;
  skip_trace?: string | undefined;
  business?: string | undefined;
  verify_phone?: string | undefined;
  verify_email?: string | undefined;
  /** false: call every provider of every stage ("call every provider"). */
  gap_only?: boolean | undefined;
  cooldown_days?: number | undefined;
  /** 'auto' skip-trace stop limit in dollars; null: never stop early. */
  auto_stop_usd?: number | null | undefined;
}

export function availableProviders(providers: ProviderSet, extra: readonly [string, ProviderKind][] = []) {
  const out = new Map<string, ProviderKind>(extra);
  for (const b of providers.built) out.set(b.entry.id, b.entry.kind);
  return out;
}

export function buildWaterfall(
  available: ReadonlyMap<string, ProviderKind>,
  flags: PolicyFlags,
  env: Record<string, string | undefined> = process.env,
): WaterfallPolicy {
  const base: WaterfallPolicy = { ...DEFAULT_WATERFALL };
  for (const stage of STAGE_NAMES) {
    const order = base[stage];
    if (Array.isArray(order)) base[stage] = (order as readonly string[]).filter((id) => available.has(id));
  }
  const file = flags.policyFile ?? env.LEADTRACE_POLICY_FILE;
  const layers: Record<string, unknown>[] = [];
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const why = error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read';
      throw new UserError(`policy file ${file} ${why}`, 'bad_policy');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new UserError(`policy file ${file}: expected a JSON object`, 'bad_policy');
    layers.push(parsed as Record<string, unknown>);
  }
  const fromFlags: Record<string, unknown> = {};
  for (const stage of STAGE_NAMES) if (flags[stage] !== undefined) fromFlags[stage] = flags[stage];
  if (flags.gap_only !== undefined) fromFlags.gap_only = flags.gap_only;
  if (flags.cooldown_days !== undefined) fromFlags.cooldown_days = flags.cooldown_days;
  if (flags.auto_stop_usd !== undefined) fromFlags.auto_stop_usd = flags.auto_stop_usd;
  layers.push(fromFlags);
  let policy = base;
  try {
    for (const layer of layers) policy = resolveWaterfall(policy, layer, available);
  } catch (error) {
    if (error instanceof PolicyError)
      throw new UserError(
        `${file && layers.length > 1 ? `policy (${file} or flags)` : 'policy'}: ${error.message}`,
        'bad_policy',
      );
    throw error;
  }
  return policy;
}
