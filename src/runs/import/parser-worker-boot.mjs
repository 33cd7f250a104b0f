// Entry of the import's parser thread (parser-thread.ts). A worker cannot start from a .ts
// file, and neither `--import tsx` nor tsx's register() in the parent loads TypeScript for
// it, so tsx's scoped tsImport loads parser-worker.ts (and what it imports) here.
import { tsImport } from 'tsx/esm/api';

await tsImport('./parser-worker.ts', import.meta.url);
