/**
 * Seeded randomness for the sandbox. Nothing here touches Math.random, so every answer,
 * fault and delay is a function of (input, options) and tests are exact.
 */
import { createHash } from 'node:crypto';

/** A function returning floats in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough to pick fictional people and faults. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream seeded from sha256(text): the same text always yields the same draws. */
export function randomFromText(text: string): Random {
  return mulberry32(createHash('sha256').update(text).digest().readUInt32BE(0));
}

/** Integer in [min, max], inclusive. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
