import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from '../../src/store/statement-cache.js';

/** A real in-memory SQLite connection whose prepare calls are counted. */
function counted() {
  const sqlite = new BetterSqlite3(':memory:');
  const prepared: string[] = [];
  const original = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((text: string) => {
    prepared.push(text);
    return original(text);
  }) as typeof sqlite.prepare;
  return { sqlite, prepared };
}

describe('cachingStatements', () => {
  const open: BetterSqlite3.Database[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) if (s.open) s.close();
  });

  it('prepares each SQL text once and reuses it, with fresh parameters each time', () => {
    const { sqlite, prepared } = counted();
    open.push(sqlite);
    const db = cachingStatements(sqlite);
    db.prepare('create table t (id integer primary key, v text)').run();
    for (let i = 0; i < 5; i++) db.prepare('insert into t (v) values (?)').run(`v${i}`);
    const rows = db.prepare('select v from t where id > ? order by id').all(3);
    expect(rows).toEqual([{ v: 'v3' }, { v: 'v4' }]);
    expect(prepared).toEqual([
      'create table t (id integer primary key, v text)',
      'insert into t (v) values (?)',
      'select v from t where id > ? order by id',
    ]);
  });

  it('never hands out a statement that is still iterating: the caller gets a fresh one', () => {
    const { sqlite, prepared } = counted();
    open.push(sqlite);
    const db = cachingStatements(sqlite);
    db.prepare('create table t (v integer)').run();
    for (const v of [1, 2, 3]) db.prepare('insert into t values (?)').run(v);
    const text = 'select v from t order by v';
    const seen: number[][] = [];
    for (const outer of db.prepare(text).iterate() as Iterable<{ v: number }>) {
      // The same text while the first statement is mid-iteration.
      seen.push((db.prepare(text).all() as { v: number }[]).map((r) => r.v + outer.v * 10));
    }
    expect(seen).toEqual([
      [11, 12, 13],
      [21, 22, 23],
      [31, 32, 33],
    ]);
    // Once for the loop (cached, then busy while it iterates) and once for each nested read.
    expect(prepared.filter((p) => p === text)).toHaveLength(4);
  });

  it('keeps at most `size` texts, dropping the least recently used', () => {
    const { sqlite, prepared } = counted();
    open.push(sqlite);
    const db = cachingStatements(sqlite, 2);
    db.prepare('select 1').get();
    db.prepare('select 2').get();
    db.prepare('select 1').get(); // now "select 2" is the least recent
    db.prepare('select 3').get(); // drops "select 2"
    db.prepare('select 1').get();
    db.prepare('select 2').get(); // prepared again
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
  });

  it('serves Kysely: queries, transactions and rollbacks behave as without the cache', async () => {
    const sqlite = new BetterSqlite3(':memory:');
    open.push(sqlite);
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: cachingStatements(sqlite) }),
    });
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 1, v: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 2, v: 'rolled back' }).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 3, v: 'kept too' }).execute();
    });
    expect(await db.selectFrom('t').select(['id', 'v']).orderBy('id').execute()).toEqual([
      { id: 1, v: 'kept' },
      { id: 3, v: 'kept too' },
    ]);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
