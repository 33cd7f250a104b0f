import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/guards/token-bucket.js';
import { ManualClock } from '../helpers/clock.js';

describe('token bucket', () => {
  it('hands out ratePerSec tokens per second after the burst, waiting on the clock', async () => {
    const clock = new ManualClock(0);
    const sleeps: number[] = [];
    const bucket = createTokenBucket({
      ratePerSec: 4,
      burst: 1,
      clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    });
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    expect(times).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(sleeps.every((ms) => ms === 250)).toBe(true);
  });
  it('pauses for Retry-After', async () => {
    const clock = new ManualClock(0);
    const bucket = createTokenBucket({ ratePerSec: 10, clock, sleep: async (ms) => clock.advance(ms) });
    await bucket.acquire();
    bucket.pauseUntil(5_000);
    await bucket.acquire();
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
  });
});
