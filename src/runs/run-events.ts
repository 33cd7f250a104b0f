/**
 * The run lifecycle's typed events: progress bars, logs and metrics all feed from here.
 */
import { EventEmitter } from 'node:events';

export interface RunEventMap {
  /** A chunk of items finished (done or failed). */
  'items:finished': [{ runId: string; done: number; failed: number; cached: number }];
  /** A real vendor request completed. */
  'call:completed': [
    { runId: string | null; items: number; costMicros: number; ok: boolean; errorCode: string | null },
  ];
  /** A provider's circuit breaker changed state (closed, open, half_open). */
  'breaker:state': [
    { provider: string; from: string; to: string; at: number; errorRate: number; samples: number },
  ];
  /** The run stopped dequeuing (budget, auth failure, interrupt). */
  'run:paused': [{ runId: string; reason: string }];
}

export class RunEvents extends EventEmitter<RunEventMap> {}
