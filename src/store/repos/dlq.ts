/**
 * Dead-letter queue (seed 001 `dlq`): work that exhausted its retries, with the stage,
 * payload, last error, attempts and when it may be retried.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, DlqTable } from '../schema.js';

export type DlqRow = Selectable<DlqTable>;

export interface DlqPayload {
  run_id: string;
  lead_id: string;
  item_id: string;
}

export async function addToDlq(
  db: Kysely<Database>,
  row: Omit<DlqRow, 'payload_json'> & { payload: DlqPayload },
): Promise<void> {
  const { payload, ...rest } = row;
  await db
    .insertInto('dlq')
    .values({ ...rest, payload_json: JSON.stringify(payload) })
    .execute();
}

export async function listDlq(
  db: Kysely<Database>,
  accountId: string,
  o: { dueBefore?: string; limit?: number } = {},
): Promise<DlqRow[]> {
  let q = db.selectFrom('dlq').selectAll().where('account_id', '=', accountId);
  if (o.dueBefore) q = q.where('retry_after', '<=', o.dueBefore);
  return q
    .orderBy('retry_after')
    .orderBy('id')
    .limit(o.limit ?? 1000)
    .execute();
}

export async function deleteDlq(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('dlq')
    .where('id', 'in', [...ids])
    .execute();
}

export async function rescheduleDlq(
  db: Kysely<Database>,
  id: string,
  patch: { attempts: number; retryAfter: string; error: string },
): Promise<void> {
  await db
    .updateTable('dlq')
    .set({ attempts: patch.attempts, retry_after: patch.retryAfter, error: patch.error })
    .where('id', '=', id)
    .execute();
}

export function dlqPayload(row: DlqRow): DlqPayload {
  return JSON.parse(row.payload_json) as DlqPayload;
}
