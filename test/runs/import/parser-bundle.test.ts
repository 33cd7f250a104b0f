/**
 * The parser thread's bundle: built by esbuild into node_modules/.cache/leadtrace with a
 * manifest of its sources, reused while they are unchanged, rebuilt when one changes.
 */
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
    const first = await findOrBuildParserBundle();
    const again = await findOrBuildParserBundle();
    expect(again).toEqual({ ...first, built: false });
    // A source touched (same content, new mtime) makes esbuild run again; the bundle is the same.
    const errors = source('runs/import/errors.ts');
    const { atime, mtime } = statSync(errors);
    utimesSync(errors, atime, new Date(mtime.getTime() + 1000));
    try {
      const rebuilt = await findOrBuildParserBundle();
      expect(rebuilt).toEqual({ ...first, built: true });
      expect(existsSync(fileURLToPath(rebuilt!.url))).toBe(true);
      expect(await findOrBuildParserBundle()).toEqual({ ...first, built: false });
    } finally {
      utimesSync(errors, atime, mtime);
    }
  });
});
