/** The list a pull adds its leads to (seed 004 buckets). */
import type { Kysely } from 'kysely';
import { createList } from '../store/repos/lists.js';
import type { Database } from '../store/schema.js';

/**
 * The pull's list: an existing one, or a new one created in the transaction of the first page
 * that adds a member (a pull that adds nothing leaves no empty list behind).
 */
export class PullList {
  private pending: string | null = null;
  constructor(
    public id: string | null,
    readonly name: string,
    private readonly filters: Record<string, unknown>,
    private readonly owner: { accountId: string; source: string },
    private readonly newId: () => string,
  ) {}

  async idIn(trx: Kysely<Database>, nowIso: string): Promise<string> {
    if (this.id) return this.id;
    this.pending = this.newId();
    await createList(
      trx,
      {
        id: this.pending,
        accountId: this.owner.accountId,
        name: this.name,
        source: this.owner.source,
        filters: this.filters,
      },
      nowIso,
    );
    return this.pending;
  }

  /** Call after the transaction that used idIn committed. */
  committed(): void {
    if (this.pending) this.id = this.pending;
    this.pending = null;
  }
}
