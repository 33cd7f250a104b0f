/**
 * Typed provider failures. Each carries `cause` and a machine-readable `code` so retry
 * decisions (src/guards) can be made on values, not on message text.
 */

export type ProviderErrorCode =
  /** Network failure, socket reset, DNS. Transient. */
  | 'network'
  /** No answer within the timeout. Transient. */
  | 'timeout'
  /** HTTP 429 or a vendor-specific rate-limit answer. Transient; see retryAfterMs. */
  | 'rate_limited'
  /** HTTP 5xx. Transient. */
  | 'server_error'
  /** HTTP 401/403 (or the same status inside a 200 body). Stops the run. */
  | 'auth'
  /** HTTP 400/404/422 validation failure. Permanent for this input. */
  | 'invalid_request'
  /** Quota or balance exhausted. */
  | 'quota_exhausted'
  /** The body is not JSON or has a shape the parser does not know. Fails closed. */
  | 'unrecognized_response';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: {
      provider: string;
      statusCode?: number;
      retryAfterMs?: number;
      /** A redacted sample of the offending body, for drift diagnosis. */
      sample?: string;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
  }

  get statusCode(): number | undefined {
    return this.details.statusCode;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}
