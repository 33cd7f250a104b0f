/**
 * Ids for leads an import creates: UUIDv7 (RFC 9562) — a millisecond timestamp, then a
 * counter (section 6.2, method 1), then random bits — instead of random v4 ids.
 *
 * Why: ids of one import sort in creation order, so the leads primary key and both
 * list_members indexes grow at their right edge. With random ids every row of a batch
 * dirtied its own index pages and each SQLite commit rewrote megabytes of WAL.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';

/** The counter: the 12 bits of rand_a, then 14 + 16 bits of rand_b. */
const COUNTER_BITS = 42;
const LOW_BITS = 16;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function createLeadIdGenerator(clock: Clock): () => string {
  // The last 32 bits are random per generator: uniqueness within it comes from the counter.
  const tail = randomBytes(4).toString('hex');
  let lastMs = -1;
  let high = 0; // counter bits above the low 16
  let low = 0;
  let prefix = '';

  const start = (ms: number, counter: number): void => {
    lastMs = ms;
    high = Math.floor(counter / 2 ** LOW_BITS);
    low = counter % 2 ** LOW_BITS;
    prefix = prefixOf(ms, high);
  };

  return () => {
    const now = Math.floor(clock.now());
    if (now > lastMs) {
      // A random start in the lower half of the counter leaves room to count within 1 ms.
      const seed = randomBytes(6);
      start(now, seed.readUIntBE(0, 6) % 2 ** (COUNTER_BITS - 1));
    } else if (++low === 2 ** LOW_BITS) {
      low = 0;
      // Clock stalled or stepped back past the counter: borrow the next millisecond.
      if (++high === 2 ** (COUNTER_BITS - LOW_BITS)) start(lastMs + 1, 0);
      else prefix = prefixOf(lastMs, high);
    }
    return prefix + HEX[low >>> 8] + HEX[low & 0xff] + tail;
  };
}

/** Everything up to the low 16 counter bits: "tttttttt-tttt-7hhh-vhhh-". */
function prefixOf(ms: number, high: number): string {
  const randA = Math.floor(high / 2 ** 14); // 12 bits
  const varB = high % 2 ** 14; // 14 bits under the variant
  return (
    hex(Math.floor(ms / 2 ** 16), 8) +
    '-' +
    hex(ms % 2 ** 16, 4) +
    '-' +
    hex(0x7000 | randA, 4) +
    '-' +
    hex(0x8000 | varB, 4) +
    '-'
  );
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
