/**
 * The HTTP side shared by both Hunter providers: base URL, key placement and one GET.
 */
import type { VendorFacts } from '../vendor-facts.js';
import { exchange, type VendorAnswer, type VendorCallContext } from '../vendor-http.js';

export interface HunterOptions {
  /** Default https://api.hunter.io, or the sandbox URL. A trailing slash is ignored. */
  baseUrl?: string;
  apiKey: string;
  /** 'header' (default) sends X-API-KEY; 'query' sends `api_key=` (both documented). */
  authStyle?: 'header' | 'query';
  /** Per request, body included. Default 30 000. */
  timeoutMs?: number;
  /** Integer micro-dollars per Hunter credit. Default 25 000 (an unverified estimate, see facts.ts). */
  costPerCreditMicros?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms since epoch. Default Date.now. */
  now?: () => number;
}

export interface HunterClient {
  ctx: VendorCallContext;
  get(path: string, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<VendorAnswer>;
}

export function createHunterClient(opts: HunterOptions, facts: VendorFacts): HunterClient {
  const baseUrl = (opts.baseUrl ?? facts.baseUrl).replace(/\/+$/, '');
  const ctx: VendorCallContext = {
    provider: facts.id,
    vendorName: 'Hunter',
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetch: opts.fetch ?? globalThis.fetch,
    now: opts.now ?? Date.now,
    secrets: [opts.apiKey],
  };
  const byQuery = opts.authStyle === 'query';
  return {
    ctx,
    get(path, params, signal) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
      if (byQuery) query.set('api_key', opts.apiKey);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (!byQuery) headers['x-api-key'] = opts.apiKey;
      return exchange(ctx, { url: `${baseUrl}${path}?${query}`, method: 'GET', headers }, signal);
    },
  };
}
