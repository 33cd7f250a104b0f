// A parser thread that dies (exit code 3) right after posting its second batch, to test that
// the import resumes parsing on its own thread. Entry for parser-thread.test.ts.
import process from 'node:process';
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

let batches = 0;
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (message, transfer) => {
  post(message, transfer);
  if (message?.type === 'batch' && ++batches === 2) process.exit(3);
};
await tsImport('../../../src/runs/import/parser-worker.ts', import.meta.url);
