import type { Clock } from '../../src/domain/clock.js';

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.parse('2026-11-25T12:00:00.000Z')) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}
