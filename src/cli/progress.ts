/**
 * Progress for a run: a bar on a TTY, one line every few seconds otherwise (logs, CI).
 */
import { setMaxListeners } from 'node:events';
import cliProgress from 'cli-progress';
import type { RunEvents } from '../runs/run-events.js';

export function attachProgress(events: RunEvents, total: number, initialDone: number): () => void {
  let done = initialDone;
  let failed = 0;
  let cached = 0;
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          'tracing [{bar}] {value}/{total} leads | {cached} cached | {failed} failed | {eta_formatted} left',
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, done, { cached, failed });
    const onItems = (e: { done: number; failed: number; cached: number }) => {
      done += e.done + e.failed;
      failed += e.failed;
      cached += e.cached;
      bar.update(done, { cached, failed });
    };
    events.on('items:finished', onItems);
    return () => {
      events.off('items:finished', onItems);
      bar.stop();
    };
  }
  let lastPrint = 0;
  const onItems = (e: { done: number; failed: number; cached: number }) => {
    done += e.done + e.failed;
    failed += e.failed;
    cached += e.cached;
    const now = Date.now();
    if (now - lastPrint >= 2000 || done >= total) {
      lastPrint = now;
      process.stderr.write(`progress: ${done}/${total} leads, ${cached} cached, ${failed} failed\n`);
    }
  };
  events.on('items:finished', onItems);
  return () => events.off('items:finished', onItems);
}

/** First Ctrl-C stops cleanly (in-flight calls finish); a second one exits at once. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  // Every worker, sleep and HTTP request listens on this one signal.
  setMaxListeners(256, controller.signal);
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping: finishing calls in flight (Ctrl-C again to quit now)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}
