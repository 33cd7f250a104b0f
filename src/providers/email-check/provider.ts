/**
 * leadtrace's own email check: syntax, MX lookup, SMTP RCPT probe. Free in money (cost 0,
 * nothing billed), paid in time: one DNS lookup and one SMTP session per address.
 *
 * Verdicts (status / reason):
 * - bad syntax → invalid / 'syntax'
 * - domain without MX and without A/AAAA (or null MX, RFC 7505) → invalid / 'no_mx'
 * - DNS itself failing → unknown / 'dns_error'
 * - RCPT 2xx and a random local part at the same domain refused → valid / 'smtp_250'
 * - RCPT 2xx and the random local part accepted too → accept_all / 'catch_all'
 * - RCPT 550 / 551 / 553 → invalid / 'smtp_550' (the code)
 * - RCPT 5xx with enhanced code 5.7.x (policy: our probe is blocked, not the mailbox) or
 *   the session refused with 5xx before RCPT → unknown / 'smtp_policy'
 * - any other RCPT 5xx → unknown / 'smtp_<code>'
 * - 4xx anywhere (greylisting 450/451/452, 421) → unknown / 'greylisted'
 * - connection refused, timeout, dropped connection, garbage → unknown / 'smtp_unreachable'
 */
import { hostname } from 'node:os';
import type { EmailVerification, EmailVerificationStatus, EmailVerifyProvider } from '../contract.js';
import { lookupMailHosts, type MailHost } from './mx.js';
import { probeRecipients, type SmtpProbeResult, type SmtpReply } from './smtp-probe.js';
import { checkEmailSyntax } from './syntax.js';

export const EMAIL_CHECK_PROVIDER_ID = 'leadtrace-email-check';

export interface EmailCheckProviderOptions {
  /** DNS servers (`'127.0.0.1:5353'` style) for MX and address lookups. Default: the system's. */
  resolverServers?: string[];
  /** SMTP port of the mail exchangers. Default 25; tests point it at a local server. */
  smtpPort?: number;
  /** Our name in EHLO. Default: this machine's host name. Use a name whose A/PTR match. */
  heloName?: string;
  /**
   * Reverse-path of MAIL FROM. Default '' (the null sender `<>`), which no sender-domain
   * check can fail; an address at a domain you control is accepted by more servers.
   */
  mailFrom?: string;
  /** Bound on each DNS query attempt, the TCP connect and each SMTP reply. Default 10 000. */
  timeoutMs?: number;
  /** Source of the random local part used to detect catch-all domains. Default Math.random. */
  random?: () => number;
}

/** Mail-host addresses tried (in MX order) before the domain counts as unreachable. */
const MAX_CONNECT_ATTEMPTS = 3;
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_LENGTH = 14;

interface Verdict {
  status: EmailVerificationStatus;
  reason: string;
}

export function createEmailCheckProvider(opts: EmailCheckProviderOptions = {}): EmailVerifyProvider {
  const smtpPort = opts.smtpPort ?? 25;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const heloName = opts.heloName ?? hostname();
  // Both end up on an SMTP command line: refuse anything that could break out of it.
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f.:]+\]|\[IPv6:[0-9A-Fa-f.:]+\])$/.test(heloName)) {
    throw new TypeError(`heloName is not a host name or address literal: ${JSON.stringify(heloName)}`);
  }
  let mailFrom = '';
  if (opts.mailFrom) {
    const sender = checkEmailSyntax(opts.mailFrom);
    if (!sender.ok) throw new TypeError(`mailFrom is not a usable address (${sender.problem})`);
    mailFrom = sender.address;
  }

  const randomLocalPart = (): string => {
    let local = 'lt';
    for (let i = 0; i < RANDOM_LENGTH; i++) {
      const index = Math.min(RANDOM_ALPHABET.length - 1, Math.floor(random() * RANDOM_ALPHABET.length));
      local += RANDOM_ALPHABET[index];
    }
    return local;
  };

  async function probeHosts(hosts: MailHost[], recipients: string[], signal?: AbortSignal): Promise<Verdict> {
    let attempts = 0;
    for (const host of hosts) {
      for (const address of host.addresses) {
        if (attempts++ >= MAX_CONNECT_ATTEMPTS) return { status: 'unknown', reason: 'smtp_unreachable' };
        const result = await probeRecipients(recipients, {
          host: address,
          port: smtpPort,
          heloName,
          mailFrom,
          timeoutMs,
          signal,
        });
        // Only a host we could not talk to sends us to the next one; an answer is an answer.
        if (result.kind !== 'unreachable') return verdictForProbe(result);
      }
    }
    return { status: 'unknown', reason: 'smtp_unreachable' };
  }

  async function verifyEmail(email: string, signal?: AbortSignal): Promise<Verdict> {
    const syntax = checkEmailSyntax(email);
    if (!syntax.ok) return { status: 'invalid', reason: 'syntax' };

    const lookup = await lookupMailHosts(
      syntax.asciiDomain,
      { servers: opts.resolverServers, timeoutMs },
      signal,
    );
    if (lookup.kind === 'none') return { status: 'invalid', reason: 'no_mx' };
    if (lookup.kind === 'dns_error') return { status: 'unknown', reason: 'dns_error' };

    const catchAllProbe = `${randomLocalPart()}@${syntax.asciiDomain}`;
    return probeHosts(lookup.hosts, [syntax.address, catchAllProbe], signal);
  }

  return {
    id: EMAIL_CHECK_PROVIDER_ID,
    kind: 'email-verify',
    // One SMTP session per address; nothing is ever billed.
    flags: { batchSize: 1, billsOnMiss: false, returnsLineType: false },
    cost: { perCallMicros: 0, perHitMicros: 0, perItemMicros: 0 },
    // Our own good-citizen limit, not a vendor's: at most 2 probe sessions per second per
    // receiving domain, so mail servers do not mistake us for a directory-harvest attack.
    // Enforced by src/guards (keyed per provider, which also bounds every domain).
    rateLimit: { requestsPerSecond: 2 },
    // No credentials at all; the contract requires a style, and 'header' sends nothing here.
    authStyle: 'header',
    envKeys: [],
    async verifyEmails(emails: string[], options?: { signal?: AbortSignal }): Promise<EmailVerification[]> {
      const results: EmailVerification[] = [];
      for (const email of emails) {
        options?.signal?.throwIfAborted();
        const verdict = await verifyEmail(email, options?.signal);
        results.push({
          email,
          status: verdict.status,
          reason: verdict.reason,
          score: null,
          billableUnits: 0,
        });
      }
      return results;
    },
  };
}

/** Maps one SMTP session's outcome; exported for tests of the edge cases. */
export function verdictForProbe(result: SmtpProbeResult): Verdict {
  if (result.kind === 'unreachable') return { status: 'unknown', reason: 'smtp_unreachable' };
  if (result.kind === 'session_rejected') {
    return result.reply.code < 500
      ? { status: 'unknown', reason: 'greylisted' }
      : { status: 'unknown', reason: 'smtp_policy' };
  }

  const [target, catchAll] = result.replies;
  if (!target) return { status: 'unknown', reason: 'smtp_unreachable' };
  if (target.code >= 200 && target.code < 300) {
    if (!catchAll || isTransient(catchAll)) return { status: 'unknown', reason: 'greylisted' };
    if (catchAll.code < 300) return { status: 'accept_all', reason: 'catch_all' };
    return { status: 'valid', reason: `smtp_${target.code}` };
  }
  if (isTransient(target)) return { status: 'unknown', reason: 'greylisted' };
  if (target.enhanced?.startsWith('5.7.')) return { status: 'unknown', reason: 'smtp_policy' };
  if (target.code === 550 || target.code === 551 || target.code === 553) {
    return { status: 'invalid', reason: `smtp_${target.code}` };
  }
  return { status: 'unknown', reason: `smtp_${target.code}` };
}

const isTransient = (reply: SmtpReply): boolean => reply.code >= 400 && reply.code < 500;
