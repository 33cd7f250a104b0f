/** Shared CLI plumbing: config + runtime opening, sandbox notice, output helpers. */
import { loadConfig } from '../config/config.js';
import { openRuntime, type Runtime } from '../runs/runtime.js';

export async function withRuntime<T>(
  fn: (rt: Runtime) => Promise<T>,
  options: { needProvider?: boolean; quiet?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const rt = await openRuntime(config, { needProvider: options.needProvider ?? true });
  if (rt.sandbox && !options.quiet) {
    process.stderr.write(
      `using the built-in vendor sandbox at ${rt.sandbox.url} (no BATCHDATA_API_KEY set)\n`,
    );
  }
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
