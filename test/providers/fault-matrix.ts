/**
 * The sandbox's fault modes and the ProviderError code every adapter must turn them into.
 * Each vendor test runs its own adapter through this table against the real sandbox.
 */
import { expect, it } from 'vitest';
import type { ProviderErrorCode } from '../../src/providers/errors.js';
import type { Sandbox, SandboxOptions } from '../../src/providers/sandbox/server.js';
import { providerFailure } from './vendor-fixtures.js';

export interface FaultCase {
  name: string;
  options: SandboxOptions;
  code: ProviderErrorCode;
  retryAfterMs?: number;
}

export const SANDBOX_FAULTS: FaultCase[] = [
  { name: 'HTTP 500', options: { errorRate: 1 }, code: 'server_error' },
  { name: 'HTTP 503 burst', options: { burst5xx: { everyNth: 1, length: 1 } }, code: 'server_error' },
  {
    name: 'rate limit with Retry-After',
    options: { rateLimit429: { probability: 1, retryAfterS: 7 } },
    code: 'rate_limited',
    retryAfterMs: 7_000,
  },
  { name: 'body cut in half', options: { malformedJsonRate: 1 }, code: 'unrecognized_response' },
  { name: 'schema drift', options: { driftRate: 1 }, code: 'unrecognized_response' },
  {
    name: '200 with a 500 in the body',
    options: { bodyErrorRate: 1, bodyErrorStatus: 500 },
    code: 'server_error',
  },
  { name: '200 with a 401 in the body', options: { bodyErrorRate: 1, bodyErrorStatus: 401 }, code: 'auth' },
];

/**
 * One `it` per fault: the sandbox is switched into the mode, `call` must reject with the
 * code, and nothing may be billed. `call` gets a short timeout for the hang case.
 */
export function itMapsSandboxFaults(
  sandbox: () => Sandbox,
  call: (opts: { timeoutMs?: number }) => Promise<unknown>,
): void {
  it.each(SANDBOX_FAULTS)('$name → $code, nothing billed', async ({ options, code, retryAfterMs }) => {
    sandbox().setOptions(options);
    const before = sandbox().billing.billedCount();
    const err = await providerFailure(call({}));
    expect(err.code).toBe(code);
    if (retryAfterMs !== undefined) expect(err.retryAfterMs).toBe(retryAfterMs);
    expect(sandbox().billing.billedCount()).toBe(before);
  });

  it('a hanging answer → timeout', async () => {
    sandbox().setOptions({ timeoutRate: 1 });
    const err = await providerFailure(call({ timeoutMs: 150 }));
    expect(err.code).toBe('timeout');
  });
}
