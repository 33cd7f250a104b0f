/**
 * What the sandbox vendors would have charged: one entry per billed item. Tests and the
 * benchmark compare it with leadtrace's own spend ledger to prove "never pay twice".
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
  /** A copy of every billed entry, oldest first. */
  entries(): SandboxBillingEntry[];
  /** HTTP requests that reached a vendor route, billed or not (401s, 400s and faults included). */
  requestCount(): number;
}

/** The writable side, used by the server only. */
export class BillingLog implements SandboxBillingLog {
  private readonly billed: SandboxBillingEntry[] = [];
  private requests = 0;

  countRequest(): void {
    this.requests += 1;
  }

  record(entries: readonly SandboxBillingEntry[]): void {
    for (const entry of entries) this.billed.push(entry);
  }

  billedCount(): number {
    return this.billed.length;
  }

  entries(): SandboxBillingEntry[] {
    return this.billed.slice();
  }

  requestCount(): number {
    return this.requests;
  }
}
