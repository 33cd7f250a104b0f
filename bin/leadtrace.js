#!/usr/bin/env -S node --max-old-space-size=256
// A 256 MB old space, as `npm run leadtrace` gives it: every command's working set is bounded
// (pages, batches, a capped cache), and without a limit V8 lets garbage grow the heap towards
// its default limit before collecting (docs/performance.md: peak RSS 510 → 354 MB at 100k rows).
// Runs the TypeScript CLI through tsx's loader in this same process (a plain `tsx` binary
// would fork a child, and signals such as SIGKILL would then miss the real worker).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
