/**
 * What the sandbox vendors would have charged: one entry per billed item. Tests and the
 * benchmark compare it with leadtrace's own spend ledger to prove "never pay twice".
 *
 * Memory is bounded: the counts are exact for the life of the sandbox, but only the most
 * recent `retained` entries are kept (default 20,000 — every test's volume; a 100k-lead
 * benchmark or a long-lived dev server would otherwise keep every billed item's strings).
 */

export interface SandboxBillingEntry {
  /** Vendor route that billed, e.g. 'batchdata'. */
  vendor: string;
  /** The request item's requestId as sent, or null when it had none. */
  requestId: string | null;
  /** The sandbox's normalized input key: upper-case street + '|' + ZIP5. */
  key: string;
  /** Sandbox clock (ms since epoch) when the response finished sending. */
  at: number;
}

export interface SandboxBillingLog {
  /** Items billed so far. Only matched items in a 200 with a real shape that was fully sent. */
  billedCount(): number;
  /**
   * A copy of the billed entries, oldest first: every one while no more than the retained
   * number (20,000 by default) were billed, else the most recent that many.
   */
  entries(): SandboxBillingEntry[];
  /** HTTP requests that reached a vendor route, billed or not (401s, 400s and faults included). */
  requestCount(): number;
}

/** Billed entries kept for `entries()` unless the log is made with another bound. */
export const DEFAULT_RETAINED_ENTRIES = 20_000;

/** The writable side, used by the server only. */
export class BillingLog implements SandboxBillingLog {
  /** A ring: `billed` entries were recorded in all; the newest is at (billed - 1) % retained. */
  private readonly ring: SandboxBillingEntry[] = [];
  private billed = 0;
  private requests = 0;

  constructor(private readonly retained: number = DEFAULT_RETAINED_ENTRIES) {
    if (!Number.isInteger(retained) || retained < 1)
      throw new RangeError('retained must be a positive integer');
  }

  countRequest(): void {
    this.requests += 1;
  }

  record(entries: readonly SandboxBillingEntry[]): void {
    for (const entry of entries) {
      if (this.ring.length < this.retained) this.ring.push(entry);
      else this.ring[this.billed % this.retained] = entry;
      this.billed += 1;
    }
  }

  billedCount(): number {
    return this.billed;
  }

  entries(): SandboxBillingEntry[] {
    if (this.ring.length < this.retained) return this.ring.slice();
    const oldest = this.billed % this.retained;
    return [...this.ring.slice(oldest), ...this.ring.slice(0, oldest)];
  }

  requestCount(): number {
    return this.requests;
  }
}
