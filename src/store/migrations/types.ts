import type { Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** One schema step. Runs inside a transaction on both dialects (see migrate.ts). */
export interface Migration {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}
