import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fresh copy of a hand-built REISkip payload from test/fixtures/reiskip. */
export function loadFixture(name: string): unknown {
  const url = new URL(`../../fixtures/reiskip/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as unknown;
}
