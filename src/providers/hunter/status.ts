/**
 * Hunter's status words (hunter.io/api-documentation/v2), which differ from most vendors:
 * **403 is the rate limit, 429 is the exhausted plan**. Shared by both Hunter providers.
 */
import type { ProviderErrorCode } from '../errors.js';
import { hunterErrorsSchema } from './wire.js';

/** Null for a 2xx; 202/222 are handled by the verifier before this is asked. */
export function hunterErrorCode(status: number): ProviderErrorCode | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401) return 'auth';
  if (status === 403) return 'rate_limited';
  if (status === 429) return 'quota_exhausted';
  if (status === 408) return 'timeout';
  if (status >= 500 && status < 600) return 'server_error';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'unrecognized_response';
}

/** `id: details` of the first error of a Hunter error body, or ''. */
export function hunterErrorText(body: unknown): string {
  const parsed = hunterErrorsSchema.safeParse(body);
  if (!parsed.success) return '';
  const first = parsed.data.errors[0]!;
  return [first.id, first.details].filter(Boolean).join(': ');
}

/** The same for a raw body that may not be JSON. */
export function hunterErrorTextOf(text: string): string {
  try {
    return hunterErrorText(JSON.parse(text));
  } catch {
    return '';
  }
}
