/**
 * The PII master key: LEADTRACE_ENCRYPTION_KEY (base64, 32 bytes) when set; otherwise a
 * key file created once beside the SQLite database with mode 0600. Losing the key file
 * makes stored phones and emails unreadable: back it up with the database.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseMasterKey } from '../domain/pii/cipher.js';

export function loadOrCreateMasterKey(o: {
  envKey?: string | undefined;
  keyFile?: string | undefined;
  sqlitePath: string;
}): Buffer {
  if (o.envKey) return parseMasterKey(o.envKey);
  const path = o.keyFile ?? join(dirname(o.sqlitePath), 'leadtrace.key');
  if (existsSync(path)) return parseMasterKey(readFileSync(path, 'utf8'));
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file first; then read theirs.
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return parseMasterKey(readFileSync(path, 'utf8'));
  }
}
