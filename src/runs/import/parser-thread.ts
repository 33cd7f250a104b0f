/**
 * Parsing on a second core. `parallelLeadBatches` yields what readLeadBatches yields, but
 * hands the parsing of a large file to a worker thread (parser-worker.ts) so that parsing
 * and database writes overlap.
 *
 * A worker needs 40–150 ms to load its (bundled) modules, so the import does not wait for
 * it: batches are parsed on the importing thread until the worker is ready, which then
 * starts a few batches further on (it splits the rows before its start into records only to
 * find where it starts); the batch parsed here when that row is reached is cut short there,
 * and the worker's batches follow. The same leads and rejections, in the same order, as
 * readLeadBatches gives; only that one batch is shorter. The worker is an accelerator, never
 * a requirement: if it cannot start, or fails for any reason but an ImportError, parsing
 * goes on (or resumes) on the importing thread.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readLeadBatches, type HeaderItem, type LeadBatch, type LeadBatchOptions } from './lead-batches.js';
import { parserWorkerBundle } from './parser-bundle.js';
import {
  decodeBatch,
  rebuildImportError,
  type EncodedBatch,
  type FromParser,
  type ParserWorkerData,
  type SerializedError,
  type ToParser,
} from './parser-protocol.js';

/** Batches the worker may post ahead of the importer: a few transactions' worth. */
const AHEAD = 24;
/** How far ahead of the importing thread the parser thread starts, in batches. */
const HEAD_START_BATCHES = 4;
/** How long the importing thread parses alone while it measures whether a core is free. */
const PROBE_MS = 150;
/** CPU other processes may use (in cores) while still leaving one to a parser thread. */
const OTHERS_MAX_CORES = 0.4;

export interface ParallelOptions {
  /**
   * Keep the thread only if other processes left a core free while the first batches were
   * parsed here (default true); it is started at once, so it boots meanwhile, and stopped if
   * they did not. A parser thread costs CPU of its own — starting, passing
   * batches, splitting the rows before its start — and the importing thread, which writes the
   * database, is the bottleneck: on cores busy with other work it slows the import down.
   */
  ifIdle?: boolean;
  /** Called when the thread takes over, with the data rows parsed before. */
  onHandOff?: (rows: number) => void;
  /** Tests: wait for the thread after the first batch (it then starts ahead, as always). */
  awaitThread?: boolean;
  /** Tests: the worker's entry file. */
  entry?: URL;
}

export async function* parallelLeadBatches(
  path: string,
  o: LeadBatchOptions,
  p: ParallelOptions = {},
): AsyncGenerator<HeaderItem | LeadBatch> {
  const newThread = () =>
    new ParserThread(
      { path, overrides: o.overrides, source: o.source, batchSize: o.batchSize, ahead: AHEAD },
      p.entry ??
        parserWorkerBundle().then((bundle) => bundle ?? new URL('./parser-worker-boot.mjs', import.meta.url)),
    );
  // The thread boots (module loading takes a few hundred ms) while the probe measures; if
  // the probe then finds the machine busy, the thread is stopped and parsing stays here.
  const probe = p.ifIdle === false || p.awaitThread ? null : new CpuProbe();
  let thread: ParserThread | null = newThread();
  try {
    let done = 0; // data rows whose batches were yielded
    /** Where the batches parsed here end once the thread has started. */
    const cut = { rows: -1 };
    let local = readLeadBatches(path, { ...o, cut });
    for (;;) {
      let handOff = false;
      for await (const item of local) {
        yield item;
        if ('headers' in item) continue;
        if (item.last) return;
        done = item.rows;
        if (!thread) continue;
        if (probe?.due() && probe.othersCores() > OTHERS_MAX_CORES) {
          await thread.stop();
          thread = null;
          cut.rows = -1;
          continue;
        }
        if (p.awaitThread && !thread.started) await thread.settled();
        // Once ready, the thread starts a few batches ahead (splitting the rows before its
        // start into records, ~1 µs a row, only to find where it starts); the batch parsed
        // here when that row is reached is cut short there and the thread takes over.
        if (!thread.started && thread.ready) {
          cut.rows = done + HEAD_START_BATCHES * o.batchSize;
          thread.start(cut.rows);
        } else if (thread.started && done === cut.rows) {
          handOff = true;
          break; // ends the local reader
        }
      }
      if (!handOff || !thread) return;
      p.onHandOff?.(done);
      try {
        for await (const batch of thread.batches(o.signal)) {
          yield batch;
          if (batch.last) return;
          done = batch.rows;
        }
        return;
      } catch (err) {
        if (!(err instanceof ParserThreadFailed)) throw err;
        // Resume here after the last batch that reached the importer.
        local = readLeadBatches(path, { ...o, skipRows: done });
        const header = await local.next();
        if (header.done || !('headers' in header.value)) throw new Error('parser resume lost the header');
      }
    }
  } finally {
    await thread?.stop();
  }
}

/**
 * CPU that other processes used since the probe was made, in cores: the machine's busy time
 * (os.cpus(), per core) less this process's own, whose compiler and GC threads are busy too
 * while an import starts.
 */
class CpuProbe {
  private readonly start = performance.now();
  private readonly machine0 = CpuProbe.machineBusyMs();
  private readonly own0 = process.cpuUsage();
  private decided = false;

  /** True once, when the probe has run long enough to tell. */
  due(): boolean {
    if (this.decided || performance.now() - this.start < PROBE_MS) return false;
    this.decided = true;
    return true;
  }

  othersCores(): number {
    const own = process.cpuUsage(this.own0);
    const ownMs = (own.user + own.system) / 1000;
    return (CpuProbe.machineBusyMs() - this.machine0 - ownMs) / (performance.now() - this.start);
  }

  private static machineBusyMs(): number {
    let busy = 0;
    for (const { times } of cpus()) busy += times.user + times.nice + times.sys + times.irq;
    return busy;
  }
}

/** The worker failed for a reason of its own (not the file's): parse on this thread instead. */
class ParserThreadFailed extends Error {
  override readonly name = 'ParserThreadFailed';
}

class ParserThread {
  /** The worker loaded its modules and waits for `start`. */
  ready = false;
  started = false;
  private worker: Worker | null = null;
  private failure: SerializedError | Error | null = null;
  private exited = false;
  /** stop() was called: a worker whose entry is still being resolved is never created. */
  private stopped = false;
  /** Resolves once the worker exists or never will. */
  private readonly spawned: Promise<void>;
  /** Posted batches not yet taken, still encoded. */
  private readonly queue: EncodedBatch[] = [];
  private wake: (() => void) | null = null;

  /** `entry`: the worker's entry file, or its promise (the bundle is built meanwhile). */
  constructor(data: ParserWorkerData, entry: URL | Promise<URL>) {
    this.spawned =
      entry instanceof URL
        ? Promise.resolve(this.spawn(data, entry))
        : entry.then(
            (url) => this.spawn(data, url),
            (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))),
          );
  }

  private spawn(data: ParserWorkerData, entry: URL): void {
    if (this.stopped) return;
    let worker: Worker | null = null;
    try {
      worker = new Worker(entry, { workerData: data });
    } catch {
      // No worker threads here: everything stays on the importing thread.
    }
    this.worker = worker;
    if (!worker) {
      this.exited = true;
      this.notify();
      return;
    }
    worker.on('message', (m: FromParser) => {
      if (m.type === 'ready') this.ready = this.failure === null;
      else if (m.type === 'batch') {
        this.queue.push(m);
      } else this.fail(m.error);
      this.notify();
    });
    worker.on('error', (err) => {
      this.fail(err);
      this.notify();
    });
    worker.on('exit', () => {
      this.exited = true;
      this.ready = false;
      this.notify();
    });
  }

  /** Resolves once the worker is ready (true) or has failed to get there (false). */
  async settled(): Promise<boolean> {
    await this.spawned;
    while (!this.ready && !this.failure && !this.exited && this.worker) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.ready;
  }

  /** Starts parsing after the first `skipRows` data rows (where a batch parsed here ends). */
  start(skipRows: number): void {
    this.started = true;
    this.worker?.postMessage({ type: 'start', skipRows } satisfies ToParser);
  }

  /** The waiting batches, then the rest as they come, until the last. */
  async *batches(signal?: AbortSignal): AsyncGenerator<LeadBatch> {
    const onAbort = () => this.notify();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const encoded = this.take();
        if (encoded) {
          const batch = decodeBatch(encoded);
          yield batch;
          if (batch.last) return;
          continue;
        }
        if (this.failure) {
          const failure = this.failure;
          if (!(failure instanceof Error)) {
            const importError = rebuildImportError(failure);
            if (importError) throw importError;
          }
          throw new ParserThreadFailed(failure.message, { cause: failure });
        }
        if (this.exited) throw new ParserThreadFailed('parser thread exited');
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    await this.spawned;
    if (this.worker && !this.exited) await this.worker.terminate();
  }

  /** The next waiting batch; acknowledged, so the worker may post one more. */
  private take(): EncodedBatch | undefined {
    const next = this.queue.shift();
    if (next) this.worker?.postMessage({ type: 'ack' } satisfies ToParser);
    return next;
  }

  private fail(failure: SerializedError | Error): void {
    this.failure ??= failure;
    this.ready = false;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** What an aborted stream throws (node's AbortError), so both parsing paths fail alike. */
function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason });
  Object.defineProperty(err, 'name', { value: 'AbortError', configurable: true });
  return Object.assign(err, { code: 'ABORT_ERR' });
}
