/**
 * Errors: typed, carrying `cause`. `coerceError` turns any thrown value into an Error
 * without losing what was thrown.
 */
export function coerceError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value), { cause: value });
  } catch {
    return new Error(String(value), { cause: value });
  }
}

/** A user-facing failure: the CLI prints `message` as its one line and exits non-zero. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode ?? 1;
  }
  readonly exitCode: number;
}
