/**
 * A practical address check before any network work (RFC 5321 §4.1.2 / §4.5.3.1, RFC 1035
 * §2.3.1): what a probe can actually send in `RCPT TO:<…>`, not everything RFC 5322 allows.
 *
 * Deliberately refused although some RFC permits them, because real mailboxes using them
 * are vanishingly rare and list data with them is nearly always garbage: quoted local
 * parts, comments, domain literals (`user@[192.0.2.1]`), non-ASCII local parts (they need
 * SMTPUTF8, which the probe does not negotiate), single-label domains. Internationalized
 * domains are accepted and converted to their A-label (punycode) form.
 */
import { domainToASCII } from 'node:url';

export type EmailSyntaxProblem =
  | 'empty'
  | 'whitespace'
  | 'at_sign'
  | 'local_empty'
  | 'local_too_long'
  | 'local_characters'
  | 'local_dots'
  | 'domain_invalid'
  | 'domain_too_long'
  | 'domain_label'
  | 'domain_single_label'
  | 'too_long';

export type EmailSyntaxResult =
  | {
      ok: true;
      /** The local part, case preserved (it is the receiving server's to interpret). */
      local: string;
      /** The domain in lower-case ASCII (A-label) form, as DNS and SMTP see it. */
      asciiDomain: string;
      /** `local@asciiDomain`: what goes into RCPT TO. */
      address: string;
    }
  | { ok: false; problem: EmailSyntaxProblem };

/** RFC 5321 §4.5.3.1.1. */
const MAX_LOCAL_OCTETS = 64;
/** RFC 1035 §2.3.4 (255 on the wire = 253 in text without the trailing dot). */
const MAX_DOMAIN_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;
/** RFC 5321 §4.5.3.1.3: a 256-octet path minus the angle brackets. */
const MAX_ADDRESS_OCTETS = 254;

/** RFC 5322 atext plus the dot of a dot-atom. */
const LOCAL_CHARS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
/** Letters, digits, hyphen; no hyphen at either end (RFC 1035 preferred name syntax). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function checkEmailSyntax(input: string): EmailSyntaxResult {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'whitespace' };

  const at = text.lastIndexOf('@');
  if (at < 0 || text.indexOf('@') !== at) return { ok: false, problem: 'at_sign' };
  const local = text.slice(0, at);
  const rawDomain = text.slice(at + 1);

  if (local === '') return { ok: false, problem: 'local_empty' };
  if (Buffer.byteLength(local, 'utf8') > MAX_LOCAL_OCTETS) return { ok: false, problem: 'local_too_long' };
  if (!LOCAL_CHARS.test(local)) return { ok: false, problem: 'local_characters' };
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, problem: 'local_dots' };
  }

  if (rawDomain === '' || rawDomain.startsWith('.') || rawDomain.endsWith('.') || rawDomain.includes('..')) {
    return { ok: false, problem: 'domain_label' };
  }
  // domainToASCII is the WHATWG URL host parser: it percent-decodes ("a%41.com" → "aa.com")
  // and reads "0x7f.1" as an IPv4 address. Only letters, digits, hyphens, dots and
  // non-ASCII (IDN) characters may reach it; this also refuses domain literals.
  if (/[^A-Za-z0-9.\-\u0080-\uffff]/.test(rawDomain)) return { ok: false, problem: 'domain_invalid' };
  const asciiDomain = domainToASCII(rawDomain).toLowerCase();
  if (asciiDomain === '') return { ok: false, problem: 'domain_invalid' };
  if (asciiDomain.length > MAX_DOMAIN_OCTETS) return { ok: false, problem: 'domain_too_long' };

  const labels = asciiDomain.split('.');
  if (labels.length < 2) return { ok: false, problem: 'domain_single_label' };
  for (const label of labels) {
    if (label.length > MAX_LABEL_OCTETS || !LABEL.test(label)) return { ok: false, problem: 'domain_label' };
  }
  // An all-numeric last label is an IPv4 address, not a host name (RFC 3696 §2).
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return { ok: false, problem: 'domain_label' };

  const address = `${local}@${asciiDomain}`;
  if (address.length > MAX_ADDRESS_OCTETS) return { ok: false, problem: 'too_long' };
  return { ok: true, local, asciiDomain, address };
}
