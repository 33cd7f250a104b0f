/**
 * The import's parser thread: runs readLeadBatches on a second core and posts each batch to
 * the importing thread, which meanwhile writes earlier batches to the database. It posts at
 * most `ahead` batches beyond those acknowledged, so a slow database holds the file reading
 * back instead of queueing the whole file in memory. Started by parser-thread.ts through
 * parser-worker-boot.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readLeadBatches } from './lead-batches.js';
import {
  encodeBatch,
  serializeError,
  type FromParser,
  type ParserWorkerData,
  type ToParser,
} from './parser-protocol.js';

const port = parentPort;
if (!port) throw new Error('parser-worker.ts runs as a worker thread');
const data = workerData as ParserWorkerData;
let credits = data.ahead;
let wake: (() => void) | null = null;

const post = (m: FromParser): void => port.postMessage(m);

port.on('message', (m: ToParser) => {
  if (m.type === 'ack') {
    credits++;
    wake?.();
    wake = null;
  } else if (m.type === 'start') {
    void parse(m.skipRows);
  }
});
post({ type: 'ready' });

async function parse(skipRows: number): Promise<void> {
  try {
    const batches = readLeadBatches(data.path, {
      overrides: data.overrides,
      source: data.source,
      batchSize: data.batchSize,
      skipRows,
    });
    for await (const item of batches) {
      if ('headers' in item) continue;
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      post({ type: 'batch', ...encodeBatch(item) });
    }
  } catch (err) {
    post({ type: 'error', error: serializeError(err) });
  }
}
