import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailVerifyProvider } from '../../../src/providers/contract.js';
import { createEmailCheckProvider } from '../../../src/providers/email-check/provider.js';
import {
  closedPort,
  startDnsServer,
  startSilentServer,
  startSmtpServer,
  type LocalDns,
  type LocalSmtp,
} from './local-servers.js';

const LOCALHOST_MX = { a: ['127.0.0.1'] };
const ZONE = {
  'valid.test': { mx: [{ exchange: 'mx.valid.test', priority: 10 }] },
  'mx.valid.test': LOCALHOST_MX,
  'catchall.test': { mx: [{ exchange: 'mx.catchall.test', priority: 10 }] },
  'mx.catchall.test': LOCALHOST_MX,
  'greylist.test': { mx: [{ exchange: 'mx.greylist.test', priority: 10 }] },
  'mx.greylist.test': LOCALHOST_MX,
  // Exists, but publishes neither MX nor A/AAAA (NODATA for every type).
  'nomx.test': {},
  // No MX, but an A record: RFC 5321 §5.1 implicit MX.
  'implicit.test': { a: ['127.0.0.1'] },
  'nullmx.test': { mx: [{ exchange: '.', priority: 0 }] },
};

/** Makes the catch-all probe's local part predictable: 'lt' + 14 × 's'. */
const HALF = (): number => 0.5;
const RANDOM_LOCAL = `lt${'s'.repeat(14)}`;

function result(email: string, status: string, reason: string) {
  return { email, status, reason, score: null, billableUnits: 0 };
}

// Resource types that would keep a process alive; taken before any server starts.
const LEAKABLE = new Set(['TCPSocketWrap', 'TCPServerWrap', 'UDPWrap', 'Timeout', 'GetAddrInfoReqWrap']);
const countLeakable = (): number =>
  process.getActiveResourcesInfo().filter((type) => LEAKABLE.has(type)).length;
const baseline = countLeakable();

describe('leadtrace email check', () => {
  describe('against a local DNS server and a local SMTP server', () => {
    let dns: LocalDns;
    let smtp: LocalSmtp;
    let provider: EmailVerifyProvider;

    beforeAll(async () => {
      dns = await startDnsServer(ZONE);
      smtp = await startSmtpServer({
        mailboxes: ['alice@valid.test', 'carol@implicit.test'],
        strictDomains: ['valid.test', 'implicit.test'],
        catchAllDomains: ['catchall.test'],
        greylistDomains: ['greylist.test'],
      });
      provider = createEmailCheckProvider({
        resolverServers: [dns.server],
        smtpPort: smtp.port,
        heloName: 'probe.leadtrace.test',
        timeoutMs: 5_000,
        random: HALF,
      });
    });

    afterAll(async () => {
      await smtp?.close();
      await dns?.close();
    });

    it('declares itself a free, one-at-a-time email verifier', () => {
      expect(provider.id).toBe('leadtrace-email-check');
      expect(provider.kind).toBe('email-verify');
      expect(provider.flags).toEqual({ batchSize: 1, billsOnMiss: false, returnsLineType: false });
      expect(provider.cost).toEqual({ perCallMicros: 0, perHitMicros: 0, perItemMicros: 0 });
      expect(provider.rateLimit).toEqual({ requestsPerSecond: 2 });
      expect(provider.envKeys).toEqual([]);
    });

    it('valid: RCPT 250 for the mailbox, 550 for a random one → valid / smtp_250', async () => {
      const before = smtp.recipients.length;
      expect(await provider.verifyEmails(['alice@valid.test'])).toEqual([
        result('alice@valid.test', 'valid', 'smtp_250'),
      ]);
      expect(smtp.recipients.slice(before)).toEqual(['alice@valid.test', `${RANDOM_LOCAL}@valid.test`]);
    });

    it('unknown user: RCPT 550 → invalid / smtp_550, and the random probe is not sent', async () => {
      const before = smtp.recipients.length;
      expect(await provider.verifyEmails(['nobody@valid.test'])).toEqual([
        result('nobody@valid.test', 'invalid', 'smtp_550'),
      ]);
      expect(smtp.recipients.slice(before)).toEqual(['nobody@valid.test']);
    });

    it('catch-all: the random local part is accepted too → accept_all / catch_all', async () => {
      const before = smtp.recipients.length;
      expect(await provider.verifyEmails(['anyone@catchall.test'])).toEqual([
        result('anyone@catchall.test', 'accept_all', 'catch_all'),
      ]);
      expect(smtp.recipients.slice(before)).toEqual([
        'anyone@catchall.test',
        `${RANDOM_LOCAL}@catchall.test`,
      ]);
    });

    it('no MX and no A → invalid / no_mx, without any SMTP connection', async () => {
      const before = smtp.recipients.length;
      expect(await provider.verifyEmails(['bob@nomx.test', 'bob@nxdomain.test', 'bob@nullmx.test'])).toEqual([
        result('bob@nomx.test', 'invalid', 'no_mx'),
        result('bob@nxdomain.test', 'invalid', 'no_mx'),
        result('bob@nullmx.test', 'invalid', 'no_mx'),
      ]);
      expect(smtp.recipients.length).toBe(before);
      expect(dns.queries).toEqual(expect.arrayContaining(['MX nomx.test', 'A nomx.test', 'AAAA nomx.test']));
    });

    it('no MX but an A record: the domain itself is the mail host (RFC 5321 §5.1)', async () => {
      expect(await provider.verifyEmails(['carol@implicit.test'])).toEqual([
        result('carol@implicit.test', 'valid', 'smtp_250'),
      ]);
    });

    it('greylisted: RCPT 451 → unknown / greylisted', async () => {
      expect(await provider.verifyEmails(['dave@greylist.test'])).toEqual([
        result('dave@greylist.test', 'unknown', 'greylisted'),
      ]);
    });

    it('bad syntax → invalid / syntax, without any DNS query', async () => {
      const queries = dns.queries.length;
      const bad = [
        'not-an-email',
        'a..b@valid.test',
        'alice@valid..test',
        `${'x'.repeat(65)}@valid.test`,
        '',
      ];
      expect(await provider.verifyEmails(bad)).toEqual(
        bad.map((email) => result(email, 'invalid', 'syntax')),
      );
      expect(dns.queries.length).toBe(queries);
    });

    it('answers several addresses in order, echoing each as given', async () => {
      expect(await provider.verifyEmails(['Alice@VALID.test', 'bob@nomx.test'])).toEqual([
        result('Alice@VALID.test', 'valid', 'smtp_250'),
        result('bob@nomx.test', 'invalid', 'no_mx'),
      ]);
    });

    it('SMTP unreachable (nothing listens on the port) → unknown / smtp_unreachable', async () => {
      const unreachable = createEmailCheckProvider({
        resolverServers: [dns.server],
        smtpPort: await closedPort(),
        heloName: 'probe.leadtrace.test',
        timeoutMs: 2_000,
      });
      expect(await unreachable.verifyEmails(['alice@valid.test'])).toEqual([
        result('alice@valid.test', 'unknown', 'smtp_unreachable'),
      ]);
    });

    it('SMTP unreachable (a server that never sends its banner) → unknown / smtp_unreachable', async () => {
      const tarpit = await startSilentServer();
      try {
        const slow = createEmailCheckProvider({
          resolverServers: [dns.server],
          smtpPort: tarpit.port,
          heloName: 'probe.leadtrace.test',
          timeoutMs: 200,
        });
        const started = Date.now();
        expect(await slow.verifyEmails(['alice@valid.test'])).toEqual([
          result('alice@valid.test', 'unknown', 'smtp_unreachable'),
        ]);
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        await tarpit.close();
      }
    });

    it('uses the null sender by default, or the configured one; never sends DATA', async () => {
      const withSender = createEmailCheckProvider({
        resolverServers: [dns.server],
        smtpPort: smtp.port,
        heloName: 'probe.leadtrace.test',
        mailFrom: 'verify@leadtrace.test',
      });
      const before = smtp.senders.length;
      await provider.verifyEmails(['alice@valid.test']);
      await withSender.verifyEmails(['alice@valid.test']);
      expect(smtp.senders.slice(before)).toEqual(['', 'verify@leadtrace.test']);
      expect(smtp.dataCommands).toBe(0);
    });

    it('rejects with the abort reason when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(
        provider.verifyEmails(['alice@valid.test'], { signal: controller.signal }),
      ).rejects.toThrow('stop');
    });
  });

  it('refuses a HELO name or sender that could break an SMTP command line', () => {
    expect(() => createEmailCheckProvider({ heloName: 'evil\r\nDATA' })).toThrow(TypeError);
    expect(() => createEmailCheckProvider({ heloName: 'ok.test', mailFrom: 'a b@x.test' })).toThrow(
      TypeError,
    );
  });

  it('leaves no sockets, servers or timers behind', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    // +1: vitest's own timeout timer for this test.
    expect(countLeakable()).toBeLessThanOrEqual(baseline + 1);
  });
});
