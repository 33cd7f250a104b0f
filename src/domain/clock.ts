/**
 * Time comes from an injected clock so tests are fast and exact. Stored times are
 * ISO-8601 UTC text everywhere (`toIso`), which sorts and compares as text.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function isoNow(clock: Clock): string {
  return toIso(clock.now());
}

/** The UTC day ("2026-11-25") of an instant: budget days are UTC days. */
export function utcDay(epochMs: number): string {
  return toIso(epochMs).slice(0, 10);
}

export const MS_PER_DAY = 86_400_000;
