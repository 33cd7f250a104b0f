/**
 * Draining the dead-letter queue: entries whose retry_after has come are taken out, their
 * run items re-queued, and their runs executed again (guards apply as in any run). An item
 * that exhausts its retries again goes back to the DLQ with a longer backoff (its attempt
 * count keeps growing).
 */
import { toIso } from '../domain/clock.js';
import { deleteDlq, dlqPayload, listDlq } from '../store/repos/dlq.js';
import { executeRun, type RunOutcome, type RunWorkerDeps } from './run-worker.js';

export interface DrainResult {
  /** Entries taken out of the DLQ. */
  drained: number;
  /** Of their items, done after the retry. */
  recovered: number;
  /** Of their items, failed again (back in the DLQ when retries were exhausted). */
  stillFailing: number;
  runs: RunOutcome[];
}

export async function drainDlq(
  deps: RunWorkerDeps,
  options: { all?: boolean; signal?: AbortSignal } = {},
): Promise<DrainResult> {
  const { db } = deps;
  const due = await listDlq(db, deps.accountId, options.all ? {} : { dueBefore: toIso(deps.clock.now()) });
  const byRun = new Map<string, { dlqIds: string[]; itemIds: string[] }>();
  for (const row of due) {
    const p = dlqPayload(row);
    const group = byRun.get(p.run_id) ?? { dlqIds: [], itemIds: [] };
    group.dlqIds.push(row.id);
    group.itemIds.push(p.item_id);
    byRun.set(p.run_id, group);
  }
  const result: DrainResult = { drained: due.length, recovered: 0, stillFailing: 0, runs: [] };
  for (const [runId, group] of byRun) {
    if (options.signal?.aborted) break;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('run_items')
        .set({ status: 'queued', updated_at: toIso(deps.clock.now()) })
        .where('id', 'in', group.itemIds)
        .where('status', '=', 'failed')
        .execute();
      await deleteDlq(trx, group.dlqIds);
    });
    result.runs.push(await executeRun(deps, runId, options.signal ? { signal: options.signal } : {}));
    const statuses = await db
      .selectFrom('run_items')
      .select('status')
      .where('id', 'in', group.itemIds)
      .execute();
    result.recovered += statuses.filter((s) => s.status === 'done').length;
    result.stillFailing += statuses.filter((s) => s.status === 'failed').length;
  }
  return result;
}
