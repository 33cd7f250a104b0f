/**
 * Decides, per vendor request, which fault (if any) the sandbox injects. Randomness comes
 * from a seeded mulberry32 and every request draws the same number of values, so turning
 * one fault on does not reshuffle when another one fires.
 */
import type { ResolvedSandboxOptions } from './options.js';
import { mulberry32, type Random } from './prng.js';

export type FaultDecision =
  | { kind: 'none' }
  /** Never answer; the connection is released when the sandbox closes. */
  | { kind: 'timeout' }
  | { kind: 'rate_limited'; retryAfterHeader: string }
  | { kind: 'server_error'; status: 500 | 503 }
  | { kind: 'malformed_json' }
  | { kind: 'drift' }
  | { kind: 'body_error' };

export class FaultInjector {
  private random: Random;
  private latencyRandom: Random;
  /** Vendor requests seen since the last reset, 1-based after `next()`. */
  private requestNumber = 0;
  private windowStart = 0;
  private acceptedInWindow = 0;

  constructor(private options: ResolvedSandboxOptions) {
    this.random = mulberry32(options.seed);
    this.latencyRandom = mulberry32(options.seed ^ 0x9e3779b9);
    this.windowStart = options.now();
  }

  /** New options restart every stream and counter, so a test sees the same faults each time. */
  reset(options: ResolvedSandboxOptions): void {
    this.options = options;
    this.random = mulberry32(options.seed);
    this.latencyRandom = mulberry32(options.seed ^ 0x9e3779b9);
    this.requestNumber = 0;
    this.windowStart = options.now();
    this.acceptedInWindow = 0;
  }

  /** Milliseconds to wait before answering: latencyMs ± 20%, deterministic. */
  nextDelayMs(): number {
    const base = this.options.latencyMs;
    if (base <= 0) return 0;
    return Math.round(base * (0.8 + 0.4 * this.latencyRandom()));
  }

  next(): FaultDecision {
    const o = this.options;
    this.requestNumber += 1;
    // Fixed draw order and count: see the module comment.
    const [timeout, limit, error, malformed, drift, bodyError] = [1, 2, 3, 4, 5, 6].map(() => this.random());

    if (timeout! < o.timeoutRate) return { kind: 'timeout' };

    const limited = this.rateLimit(limit!);
    if (limited) return limited;

    const burst = o.burst5xx;
    if (
      burst &&
      this.requestNumber >= burst.everyNth &&
      (this.requestNumber - burst.everyNth) % burst.everyNth < burst.length
    ) {
      return { kind: 'server_error', status: 503 };
    }
    if (error! < o.errorRate) return { kind: 'server_error', status: 500 };
    if (malformed! < o.malformedJsonRate) return { kind: 'malformed_json' };
    if (drift! < o.driftRate) return { kind: 'drift' };
    if (bodyError! < o.bodyErrorRate) return { kind: 'body_error' };
    return { kind: 'none' };
  }

  private rateLimit(draw: number): FaultDecision | null {
    const r = this.options.rateLimit429;
    if (!r) return null;
    const now = this.options.now();
    if (r.probability !== undefined && draw < r.probability) {
      return { kind: 'rate_limited', retryAfterHeader: this.retryAfter(r.retryAfterS ?? 1, now) };
    }
    if (r.afterRequests === undefined) return null;
    if (now - this.windowStart >= r.windowMs) {
      // Fixed windows aligned on the first one, like a per-minute vendor quota.
      this.windowStart += Math.floor((now - this.windowStart) / r.windowMs) * r.windowMs;
      this.acceptedInWindow = 0;
    }
    if (this.acceptedInWindow < r.afterRequests) {
      this.acceptedInWindow += 1;
      return null;
    }
    const leftS = Math.max(1, Math.ceil((this.windowStart + r.windowMs - now) / 1000));
    return { kind: 'rate_limited', retryAfterHeader: this.retryAfter(r.retryAfterS ?? leftS, now) };
  }

  private retryAfter(seconds: number, now: number): string {
    return this.options.rateLimit429?.retryAfterFormat === 'http-date'
      ? new Date(now + seconds * 1000).toUTCString()
      : String(seconds);
  }
}
