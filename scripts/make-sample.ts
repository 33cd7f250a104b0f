/**
 * Writes samples/leads.csv (see scripts/make-sample-lib.ts for what it contains).
 * Usage: npm run sample [-- <out-path>]
 */
import { fileURLToPath } from 'node:url';
import { makeSample } from './make-sample-lib.js';

const outPath = process.argv[2] ?? fileURLToPath(new URL('../samples/leads.csv', import.meta.url));
const rows = await makeSample(outPath);
console.log(`wrote ${rows} data rows to ${outPath}`);
