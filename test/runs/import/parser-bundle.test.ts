/**
 * The parser thread's bundle: built by esbuild into node_modules/.cache/leadtrace with a
 * manifest of its sources, reused while they are unchanged, rebuilt when one changes.
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findOrBuildParserBundle, parserWorkerBundle } from '../../../src/runs/import/parser-bundle.js';

const source = (path: string) => fileURLToPath(new URL(`../../../src/${path}`, import.meta.url));

describe('parser thread bundle', () => {
  it('is one ESM file under node_modules/.cache/leadtrace, listing its sources', async () => {
    const bundle = await findOrBuildParserBundle();
    expect(bundle).not.toBeNull();
    const file = fileURLToPath(bundle!.url);
    expect(file).toMatch(/node_modules\/\.cache\/leadtrace\/parser-worker-[0-9a-f]{16}\.mjs$/);
    const code = readFileSync(file, 'utf8');
    // Project modules are inlined; packages stay imports Node resolves from node_modules.
    expect(code).toContain('from "csv-parse"');
    expect(code).not.toMatch(/from "\.\.?\//);
    const manifest = JSON.parse(readFileSync(bundle!.manifest, 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining([source('runs/import/parser-worker.ts'), source('runs/import/lead-batches.ts')]),
    );
    expect(await parserWorkerBundle()).toEqual(bundle!.url);
  });

  it('is reused while its sources are unchanged and rebuilt when one changes', async () => {
    // A cache of its own: the default one may be in use by other test files' threads.
    const cacheDir = mkdtempSync(join(tmpdir(), 'leadtrace-bundle-'));
    onTestFinished(() => rmSync(cacheDir, { recursive: true, force: true }));
    const first = await findOrBuildParserBundle({ cacheDir });
    expect(first!.built).toBe(true);
    const again = await findOrBuildParserBundle({ cacheDir });
    expect(again).toEqual({ ...first, built: false });
    // A source touched (same content, new mtime) makes esbuild run again; the bundle is the same.
    const errors = source('runs/import/errors.ts');
    const { atime, mtime } = statSync(errors);
    utimesSync(errors, atime, new Date(mtime.getTime() + 1000));
    try {
      const rebuilt = await findOrBuildParserBundle({ cacheDir });
      expect(rebuilt).toEqual({ ...first, built: true });
      expect(existsSync(fileURLToPath(rebuilt!.url))).toBe(true);
      expect(await findOrBuildParserBundle({ cacheDir })).toEqual({ ...first, built: false });
    } finally {
      utimesSync(errors, atime, mtime);
    }
  });

  it('removes bundles not written for a day when it writes a new one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtrace-bundle-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const first = await findOrBuildParserBundle({ cacheDir: dir });
    const stale = join(dir, 'parser-worker-0000000000000000.mjs');
    const recent = join(dir, 'parser-worker-1111111111111111.mjs');
    writeFileSync(stale, '// old');
    writeFileSync(recent, '// new');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    unlinkSync(fileURLToPath(first!.url)); // gone: the next call writes it again
    expect(await findOrBuildParserBundle({ cacheDir: dir })).toEqual({ ...first, built: true });
    expect([existsSync(stale), existsSync(recent)]).toEqual([false, true]);
  });
});
