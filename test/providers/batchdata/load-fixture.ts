import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fresh copy of a recorded BatchData payload from test/fixtures/batchdata. */
export function loadFixture(name: string): unknown {
  const url = new URL(`../../fixtures/batchdata/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as unknown;
}
