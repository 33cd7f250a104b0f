/** The sandbox billing log keeps exact counts but only the most recent entries (bounded memory). */
import { describe, expect, it } from 'vitest';
import {
  BillingLog,
  DEFAULT_RETAINED_ENTRIES,
  type SandboxBillingEntry,
} from '../../../src/providers/sandbox/billing.js';

const entry = (n: number): SandboxBillingEntry => ({
  vendor: 'batchdata',
  requestId: `r${n}`,
  key: `${n} MAIN ST|78701`,
  at: n,
});

describe('billing log', () => {
  it('keeps every entry, oldest first, up to the bound', () => {
    const log = new BillingLog(5);
    log.record([entry(1), entry(2)]);
    log.record([entry(3), entry(4), entry(5)]);
    expect(log.entries().map((e) => e.at)).toEqual([1, 2, 3, 4, 5]);
    expect(log.billedCount()).toBe(5);
  });

  it('past the bound keeps the most recent entries in order and still counts them all', () => {
    const log = new BillingLog(5);
    for (let n = 1; n <= 13; n++) log.record([entry(n)]);
    log.record([entry(14), entry(15), entry(16)]);
    expect(log.entries().map((e) => e.requestId)).toEqual(['r12', 'r13', 'r14', 'r15', 'r16']);
    expect(log.billedCount()).toBe(16);
    log.countRequest();
    log.countRequest();
    expect(log.requestCount()).toBe(2);
  });

  it('returns a copy, retains 20,000 by default and refuses a bound below one', () => {
    const log = new BillingLog();
    for (let n = 0; n < DEFAULT_RETAINED_ENTRIES + 3; n++) log.record([entry(n)]);
    const copy = log.entries();
    expect([copy.length, copy[0]!.at, copy.at(-1)!.at]).toEqual([20_000, 3, 20_002]);
    copy.length = 0;
    expect(log.entries()).toHaveLength(20_000);
    expect(() => new BillingLog(0)).toThrow(RangeError);
  });
});
