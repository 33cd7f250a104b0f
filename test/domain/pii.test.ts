import { describe, expect, it } from 'vitest';
import { createPiiCipher, piiHint } from '../../src/domain/pii/cipher.js';

describe('PII cipher', () => {
  const cipher = createPiiCipher(Buffer.alloc(32, 1));
  it('round-trips with a fresh IV each time', () => {
    const a = cipher.encrypt('+13125550142');
    const b = cipher.encrypt('+13125550142');
    expect(a).not.toBe(b);
    expect(a.startsWith('k1:')).toBe(true);
    expect(cipher.decrypt(a)).toBe('+13125550142');
  });
  it('round-trips multi-byte text and the empty string', () => {
    for (const text of ['josé.núñez@example.com', '✓ 日本 😀', '']) {
      expect(cipher.decrypt(cipher.encrypt(text))).toBe(text);
    }
  });
  it('detects tampering', () => {
    const enc = cipher.encrypt('jane@example.com');
    const parts = enc.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow();
  });
  it('has a stable blind index per kind and key', () => {
    expect(cipher.blindIndex('phone', '+13125550142')).toBe(cipher.blindIndex('phone', '+13125550142'));
    expect(cipher.blindIndex('phone', '+13125550142')).not.toBe(cipher.blindIndex('email', '+13125550142'));
    expect(createPiiCipher(Buffer.alloc(32, 2)).blindIndex('phone', '+13125550142')).not.toBe(
      cipher.blindIndex('phone', '+13125550142'),
    );
  });
  it('gives harmless hints', () => {
    expect(piiHint('phone', '+13125550142')).toBe('…0142');
    expect(piiHint('email', 'jane@example.com')).toBe('…@example.com');
  });
});
