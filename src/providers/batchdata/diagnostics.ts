/**
 * Helpers shared by the BatchData parser and adapter for turning vendor answers into
 * typed errors: HTTP/body status → ProviderErrorCode, and redacted body samples.
 */
import type { ProviderErrorCode } from '../errors.js';

/** Most characters of a body kept in a ProviderError sample. */
export const SAMPLE_MAX_CHARS = 500;

/**
 * The error code for a status (an HTTP status, or the `status.code` inside a 200 body).
 * Returns null for 2xx. 402 is read as an exhausted balance; other 4xx are the caller's fault.
 */
export function errorCodeForStatus(status: number): ProviderErrorCode | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota_exhausted';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500 && status < 600) return 'server_error';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'unrecognized_response';
}

// Runs of 10+ digits, optionally split by common phone separators: phones, API tokens.
// Dates ("2025-04-01", 8 digits) and counts stay readable for drift diagnosis.
const PHONE_LIKE = /\+?\d(?:[\s().-]{0,2}\d){9,}/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * A log-safe sample of a body: emails become `***@***`, the digits of phone-like runs
 * become `#`, then the result is cut to `max` characters (redacting first, so a cut never
 * leaves half an address unmasked).
 */
export function redactSample(body: unknown, max = SAMPLE_MAX_CHARS): string {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = JSON.stringify(body) ?? String(body);
    } catch {
      text = String(body);
    }
  }
  // Only the head matters; the slack lets a value straddling `max` be matched whole.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const redacted = head.replace(EMAIL, '***@***').replace(PHONE_LIKE, (run) => run.replace(/\d/g, '#'));
  return redacted.length > max ? redacted.slice(0, max) : redacted;
}
