import type { SandboxOptions } from '../../../src/providers/sandbox/server.js';

/** Every tunable these tests touch, spelled out, so one test's faults never leak into the next. */
export const BASELINE: SandboxOptions = {
  seed: 7,
  hitRate: 0.8,
  latencyMs: 0,
  mobileShare: 0.6,
  dncRate: 0.15,
  tcpaRate: 0.05,
  litigatorRate: 0.01,
  deceasedRate: 0.02,
  emailRate: 0.6,
  maxPhones: 3,
  unitMissRate: 0.5,
  apiKey: null,
  newListings: 0,
  propertyHitRate: 0.9,
  realEstateApiCreditsAfter: null,
  errorRate: 0,
  burst5xx: null,
  rateLimit429: null,
  timeoutRate: 0,
  malformedJsonRate: 0,
  driftRate: 0,
  bodyErrorRate: 0,
  bodyErrorStatus: 500,
  now: () => Date.now(),
};

export const API_KEY = 'reapi-test-key-0123456789abcdef';

/** A fetch that rewrites the JSON body (or the path) before it reaches the sandbox. */
export function rewriting(change: {
  body?: (body: Record<string, unknown>) => unknown;
  path?: (path: string) => string;
}): typeof fetch {
  return (url, init) => {
    let target = String(url);
    if (change.path) {
      const u = new URL(target);
      u.pathname = change.path(u.pathname);
      target = u.toString();
    }
    const body = change.body
      ? JSON.stringify(change.body(JSON.parse(String(init?.body)) as Record<string, unknown>))
      : init?.body;
    return fetch(target, { ...init, body });
  };
}
