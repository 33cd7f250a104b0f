/**
 * The embedded store's connection settings (store/db.ts): seed 002's WAL, busy timeout and
 * synchronous NORMAL, and 8 KiB pages for a database it creates — while a database created
 * with other pages keeps them and opens as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';

describe('embedded SQLite settings', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'leadtrace-sqlite-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates a database in WAL mode with 8 KiB pages, synchronous NORMAL and the busy timeout', async () => {
    const path = join(newDir(), 'new.db');
    const store = await openStore({ sqlitePath: path, busyTimeoutMs: 1234 });
    const sqlite = store.sqlite!;
    expect(sqlite.pragma('page_size', { simple: true })).toBe(8192);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await store.close();
  });

  it('keeps the page size of a database created before (4 KiB) and migrates it as usual', async () => {
    const path = join(newDir(), 'old.db');
    const old = new BetterSqlite3(path);
    old.pragma('journal_mode = WAL');
    old.exec('create table kept (v text)');
    old.prepare('insert into kept values (?)').run('still here');
    old.close();
    const store = await openStore({ sqlitePath: path });
    const sqlite = store.sqlite!;
    expect(sqlite.pragma('page_size', { simple: true })).toBe(4096);
    expect(sqlite.prepare('select v from kept').all()).toEqual([{ v: 'still here' }]);
    expect(sqlite.prepare("select count(*) n from sqlite_master where name = 'leads'").get()).toEqual({
      n: 1,
    });
    await store.close();
  });
});
