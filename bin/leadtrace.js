#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader in this same process (a plain `tsx` binary
// would fork a child, and signals such as SIGKILL would then miss the real worker).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
