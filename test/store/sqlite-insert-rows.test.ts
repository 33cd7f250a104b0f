/**
 * insertRowsSqlite (store/sqlite-statements.ts): the raw SQLite insert the run's hot paths
 * use instead of a compiled multi-row Kysely insert. Same rows, same conflict rule, same result.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allIn, insertRowsSqlite, prepared } from '../../src/store/sqlite-statements.js';

describe('insertRowsSqlite', () => {
  let sqlite: BetterSqlite3.Database;
  beforeEach(() => {
    sqlite = new BetterSqlite3(':memory:');
    sqlite.exec(
      `create table t (id text primary key, k text not null unique, n integer, note text default 'dflt')`,
    );
  });
  afterEach(() => sqlite.close());

  const all = () => sqlite.prepare('select id, k, n, note from t order by id').all();

  it('inserts every row of one shape, nulls included, inside the caller’s transaction', () => {
    sqlite.exec('begin');
    expect(
      insertRowsSqlite(sqlite, 't', [
        { id: 'a', k: 'ka', n: 1, note: null },
        { id: 'b', k: 'kb', n: null, note: 'x' },
      ]),
    ).toBe(true);
    sqlite.exec('rollback');
    expect(all()).toEqual([]);
    sqlite.exec('begin');
    insertRowsSqlite(sqlite, 't', [
      { id: 'a', k: 'ka', n: 1, note: null },
      { id: 'b', k: 'kb', n: null, note: 'x' },
    ]);
    sqlite.exec('commit');
    expect(all()).toEqual([
      { id: 'a', k: 'ka', n: 1, note: null },
      { id: 'b', k: 'kb', n: null, note: 'x' },
    ]);
  });

  it('applies the conflict clause per row, as a multi-row insert does (later rows win)', () => {
    sqlite.exec('begin');
    insertRowsSqlite(
      sqlite,
      't',
      [
        { id: 'a', k: 'same', n: 1 },
        { id: 'b', k: 'same', n: 2 },
      ],
      'on conflict ("k") do update set "n" = "excluded"."n"',
    );
    sqlite.exec('commit');
    expect(all()).toEqual([{ id: 'a', k: 'same', n: 2, note: 'dflt' }]);
  });

  it('fails like the database does on a constraint, leaving the transaction to the caller', () => {
    sqlite.exec('begin');
    expect(() =>
      insertRowsSqlite(sqlite, 't', [
        { id: 'a', k: 'k1', n: 1 },
        { id: 'a', k: 'k2', n: 2 },
      ]),
    ).toThrow(/UNIQUE constraint failed: t.id/);
    sqlite.exec('rollback');
    expect(all()).toEqual([]);
  });

  it('inserts nothing and returns false for rows of different shapes or with undefined values', () => {
    sqlite.exec('begin');
    expect(
      insertRowsSqlite(sqlite, 't', [
        { id: 'a', k: 'ka', n: 1 },
        { id: 'b', k: 'kb' },
      ]),
    ).toBe(false);
    expect(insertRowsSqlite(sqlite, 't', [{ id: 'c', k: 'kc', n: undefined }])).toBe(false);
    expect(insertRowsSqlite(sqlite, 't', [])).toBe(true);
    sqlite.exec('commit');
    expect(all()).toEqual([]);
  });

  it('refuses to run outside a transaction', () => {
    expect(() => insertRowsSqlite(sqlite, 't', [{ id: 'a', k: 'ka' }])).toThrow(
      "insertRowsSqlite(t): the raw SQLite path must run inside the caller's transaction",
    );
  });
});

describe('allIn', () => {
  it('reads in pluck or raw mode and leaves the shared statement returning objects', () => {
    const sqlite = new BetterSqlite3(':memory:');
    try {
      sqlite.exec(`create table t (id text, n integer); insert into t values ('a', 1), ('b', 2)`);
      const statement = prepared(sqlite, 'select id, n from t where n >= ? order by id');
      expect(allIn('pluck', statement, [1])).toEqual(['a', 'b']);
      expect(statement.all(2)).toEqual([{ id: 'b', n: 2 }]);
      expect(allIn('raw', statement, [1])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      // What Kysely's driver gets for this text afterwards: the same statement, in object mode.
      expect(prepared(sqlite, 'select id, n from t where n >= ? order by id')).toBe(statement);
      expect(statement.all(1)).toEqual([
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ]);
    } finally {
      sqlite.close();
    }
  });
});
