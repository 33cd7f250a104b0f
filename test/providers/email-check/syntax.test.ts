import { describe, expect, it } from 'vitest';
import { checkEmailSyntax } from '../../../src/providers/email-check/syntax.js';

describe('checkEmailSyntax', () => {
  it('accepts practical addresses and lower-cases only the domain', () => {
    expect(checkEmailSyntax('  John.Smith+leads@Example.COM ')).toEqual({
      ok: true,
      local: 'John.Smith+leads',
      asciiDomain: 'example.com',
      address: 'John.Smith+leads@example.com',
    });
    expect(checkEmailSyntax("o'brien_&-x@mail.sub.example.org").ok).toBe(true);
  });

  it('converts an internationalized domain to its A-label form', () => {
    expect(checkEmailSyntax('anna@münchen.de')).toMatchObject({ ok: true, asciiDomain: 'xn--mnchen-3ya.de' });
    expect(checkEmailSyntax('a@例え.テスト')).toMatchObject({
      ok: true,
      address: 'a@xn--r8jz45g.xn--zckzah',
    });
  });

  it('enforces the RFC 5321 length limits', () => {
    expect(checkEmailSyntax(`${'a'.repeat(64)}@example.com`).ok).toBe(true);
    expect(checkEmailSyntax(`${'a'.repeat(65)}@example.com`)).toEqual({
      ok: false,
      problem: 'local_too_long',
    });
    const label = 'a'.repeat(63);
    const domain253 = `${label}.${label}.${label}.${'b'.repeat(61)}`;
    expect(domain253).toHaveLength(253);
    expect(checkEmailSyntax(`x@${domain253.slice(1)}`).ok).toBe(true);
    expect(checkEmailSyntax(`x@c${domain253}`)).toEqual({ ok: false, problem: 'domain_too_long' });
    expect(checkEmailSyntax(`x@${'a'.repeat(64)}.com`)).toEqual({ ok: false, problem: 'domain_label' });
    // The domain fits, the 254-octet path (256 with the angle brackets) does not.
    expect(checkEmailSyntax(`x@${domain253}`)).toEqual({ ok: false, problem: 'too_long' });
    expect(
      checkEmailSyntax(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`),
    ).toEqual({
      ok: false,
      problem: 'too_long',
    });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['john smith@example.com', 'whitespace'],
    ['john.example.com', 'at_sign'],
    ['a@b@example.com', 'at_sign'],
    ['@example.com', 'local_empty'],
    ['"quoted"@example.com', 'local_characters'],
    ['jöhn@example.com', 'local_characters'],
    ['a(comment)@example.com', 'local_characters'],
    ['.john@example.com', 'local_dots'],
    ['john.@example.com', 'local_dots'],
    ['jo..hn@example.com', 'local_dots'],
    ['john@', 'domain_label'],
    ['john@example..com', 'domain_label'],
    ['john@.example.com', 'domain_label'],
    ['john@example.com.', 'domain_label'],
    ['john@-example.com', 'domain_label'],
    ['john@example-.com', 'domain_label'],
    ['john@exa_mple.com', 'domain_invalid'],
    ['john@[192.0.2.1]', 'domain_invalid'],
    ['john@a%41.com', 'domain_invalid'],
    ['john@xn--zz.com', 'domain_invalid'],
    ['john@localhost', 'domain_single_label'],
    ['john@192.0.2.1', 'domain_label'],
    ['john@0x7f.1', 'domain_label'],
  ])('%j → %s', (input, problem) => {
    expect(checkEmailSyntax(input)).toEqual({ ok: false, problem });
  });
});
