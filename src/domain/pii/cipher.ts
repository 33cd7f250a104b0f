/**
 * PII at rest: AES-256-GCM with a random 12-byte IV per value, stored as
 * `keyVersion:iv:tag:ciphertext` (base64url parts), plus an HMAC-SHA256 blind index for
 * equality lookups and a harmless hint (last 4 digits, email domain) for lists and logs.
 *
 * Two sub-keys are derived from the one master key with HKDF so the blind index never
 * reuses the encryption key.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export type PiiKind = 'phone' | 'email' | 'payload';

export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Deterministic keyed hash of a normalized value, for unique indexes and lookups. */
  blindIndex(kind: PiiKind, normalizedValue: string): string;
}

const KEY_VERSION = 'k1';

/**
 * IVs come from a pooled buffer of random bytes: one `randomBytes` call per 4 KiB instead
 * of one per value (the syscall dominated encryption cost in profiles). Each IV is still
 * 12 fresh random bytes, never reused.
 */
function pooledRandom(): (n: number) => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return (n) => {
    if (offset + n > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + n);
    offset += n;
    return out;
  };
}

export function createPiiCipher(
  masterKey: Buffer,
  randomIv: (n: number) => Buffer = pooledRandom(),
): PiiCipher {
  if (masterKey.length !== 32) throw new RangeError('encryption key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'leadtrace:enc:v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'leadtrace:mac:v1', 32));

  return {
    encrypt(plain) {
      const iv = randomIv(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${KEY_VERSION}:${iv.toString('base64url')}:${tag.toString('base64url')}:${ct.toString('base64url')}`;
    },
    decrypt(stored) {
      const parts = stored.split(':');
      if (parts.length !== 4 || parts[0] !== KEY_VERSION) throw new Error('unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(parts[1]!, 'base64url'));
      decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
      // Straight to text: no concatenated Buffer per value (exports decrypt ~10^5 of them).
      // final() checks the tag before anything is returned.
      return decipher.update(parts[3]!, 'base64url', 'utf8') + decipher.final('utf8');
    },
    blindIndex(kind, normalizedValue) {
      return createHmac('sha256', macKey).update(`${kind}\u0000${normalizedValue}`).digest('hex');
    },
  };
}

/** "…0142" for a phone, "…@example.com" for an email: safe for lists and logs. */
export function piiHint(kind: 'phone' | 'email', value: string): string {
  if (kind === 'phone') return `…${value.replace(/\D/g, '').slice(-4)}`;
  const at = value.lastIndexOf('@');
  return at >= 0 ? `…${value.slice(at)}` : '…';
}

/** Parses a base64 master key (32 bytes) from configuration. */
export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new RangeError('LEADTRACE_ENCRYPTION_KEY must be base64 of exactly 32 bytes');
  return key;
}
