/**
 * The parser thread's code as one JavaScript file, so the thread boots in ~50 ms instead of
 * the ~200-400 ms that loading its TypeScript modules one by one through tsx takes (an
 * import parses on its own thread until the worker is ready: docs/performance.md).
 *
 * esbuild (the compiler tsx itself runs) bundles parser-worker.ts and the project modules it
 * imports; packages (csv-parse) stay imports. The file is written under the node_modules
 * that holds those packages (`.cache/leadtrace/`, named by a hash of its content), where
 * Node resolves them, with a manifest of the sources it was built from (path, size, mtime;
 * one manifest per source tree):
 * while none of them changed, later imports use the file without running esbuild; any change
 * rebuilds it. Checking or building runs once per process.
 *
 * Anything that fails (esbuild missing, a read-only node_modules, a bundling error) yields
 * null: the thread then boots from parser-worker-boot.mjs through tsx, as before.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./parser-worker.ts', import.meta.url));
/** The source tree's root: esbuild's paths (in the bundle's comments, in its metafile) are
 * relative to it, so the bundle is the same whatever directory leadtrace is run from. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** One manifest per source tree, so checkouts sharing a node_modules keep theirs apart. */
const MANIFEST = `parser-worker-${createHash('sha256').update(ENTRY).digest('hex').slice(0, 8)}.json`;

interface Manifest {
  /** esbuild's version and this module's build options: a change of either rebuilds. */
  key: string;
  /** The bundle's file name in the cache directory. */
  file: string;
  /** Every source bundled: absolute path → [size, mtimeMs]. */
  inputs: Record<string, [number, number]>;
}

let bundled: Promise<URL | null> | null = null;

/** The bundled parser thread's entry (built when missing or stale), or null when it cannot be. */
export function parserWorkerBundle(): Promise<URL | null> {
  bundled ??= findOrBuildParserBundle().then(
    (b) => b?.url ?? null,
    () => null,
  );
  return bundled;
}

/**
 * What parserWorkerBundle resolves, uncached: the entry, whether esbuild had to run, the
 * manifest. `cacheDir` (tests) puts the files elsewhere; a worker cannot start from there
 * unless the packages it imports resolve from it.
 */
export async function findOrBuildParserBundle(o: { cacheDir?: string } = {}): Promise<{
  url: URL;
  built: boolean;
  manifest: string;
} | null> {
  const require = createRequire(import.meta.url);
  const cacheDir = o.cacheDir ?? defaultCacheDir(require.resolve('esbuild'));
  if (!cacheDir) return null;
  const { version } = require('esbuild/package.json') as { version: string };
  const options: BuildOptions = {
    entryPoints: [ENTRY],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  };
  const key = JSON.stringify({ version, options });

  const cached = readManifest(join(cacheDir, MANIFEST));
  if (cached?.key === key && upToDate(cached) && existsSync(join(cacheDir, cached.file))) {
    return {
      url: pathToFileURL(join(cacheDir, cached.file)),
      built: false,
      manifest: join(cacheDir, MANIFEST),
    };
  }

  const { build } = await import('esbuild');
  const result = await build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  const code = result.outputFiles?.[0]?.text;
  if (!code || !result.metafile) return null;
  const file = `parser-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(join(cacheDir, file))) {
    writeWhole(join(cacheDir, file), code);
    pruneOldBundles(cacheDir, file);
  }
  const inputs: Manifest['inputs'] = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(ROOT, input); // esbuild's inputs are relative to its working directory
    const s = statSync(path);
    inputs[path] = [s.size, s.mtimeMs];
  }
  writeWhole(join(cacheDir, MANIFEST), JSON.stringify({ key, file, inputs } satisfies Manifest));
  return { url: pathToFileURL(join(cacheDir, file)), built: true, manifest: join(cacheDir, MANIFEST) };
}

function readManifest(path: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function upToDate(m: Manifest): boolean {
  const inputs = Object.entries(m.inputs);
  if (inputs.length === 0) return false;
  for (const [path, [size, mtimeMs]] of inputs) {
    try {
      const s = statSync(path);
      if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Each change of the sources leaves a bundle behind: those not written for a day are
 * removed (an import still starting its thread from one then parses on its own thread).
 */
function pruneOldBundles(cacheDir: string, keep: string): void {
  const cutoff = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || !/^parser-worker-[0-9a-f]{16}\.mjs$/.test(name)) continue;
    try {
      if (statSync(join(cacheDir, name)).mtimeMs < cutoff) unlinkSync(join(cacheDir, name));
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/** `<…>/node_modules/esbuild/lib/main.js` → `<…>/node_modules/.cache/leadtrace`. */
function defaultCacheDir(esbuildPath: string): string | null {
  const marker = `${sep}node_modules${sep}`;
  const at = esbuildPath.lastIndexOf(marker);
  return at < 0 ? null : join(esbuildPath.slice(0, at + marker.length), '.cache', 'leadtrace');
}

/** Written whole, then renamed: a concurrent import never reads half a file. */
function writeWhole(path: string, text: string): void {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}
