import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verdictForProbe } from '../../../src/providers/email-check/provider.js';
import {
  probeRecipients,
  SmtpProtocolError,
  SmtpReplyParser,
  type SmtpReply,
} from '../../../src/providers/email-check/smtp-probe.js';

describe('SmtpReplyParser', () => {
  it('joins a multi-line reply and reads the enhanced status code', () => {
    const parser = new SmtpReplyParser();
    expect(parser.push('250-mx.example.test Hello\r\n250-PIPELINING\r\n250 8BITMIME\r\n')).toEqual([
      { code: 250, enhanced: null, text: 'mx.example.test Hello\nPIPELINING\n8BITMIME' },
    ]);
    expect(parser.push('550 5.1.1 <x@example.test>: Recipient address rejected\r\n')).toEqual([
      { code: 550, enhanced: '5.1.1', text: '<x@example.test>: Recipient address rejected' },
    ]);
  });

  it('waits for replies split across chunks, tolerates bare LF and a bare code', () => {
    const parser = new SmtpReplyParser();
    expect(parser.push('220-first\r')).toEqual([]);
    expect(parser.push('\n220 sec')).toEqual([]);
    expect(parser.push('ond\n354\r\n')).toEqual([
      { code: 220, enhanced: null, text: 'first\nsecond' },
      { code: 354, enhanced: null, text: '' },
    ]);
  });

  it('fails closed on garbage, a code change mid-reply and endless lines', () => {
    expect(() => new SmtpReplyParser().push('HTTP/1.1 400 Bad Request\r\n')).toThrow(SmtpProtocolError);
    expect(() => new SmtpReplyParser().push('250-a\r\n251 b\r\n')).toThrow(SmtpProtocolError);
    expect(() => new SmtpReplyParser().push('2'.repeat(5_000))).toThrow(SmtpProtocolError);
  });
});

const reply = (code: number, enhanced: string | null = null): SmtpReply => ({ code, enhanced, text: '' });

describe('verdictForProbe', () => {
  it.each([
    [[reply(250), reply(550)], 'valid', 'smtp_250'],
    [[reply(251), reply(550, '5.1.1')], 'valid', 'smtp_251'],
    [[reply(250), reply(250)], 'accept_all', 'catch_all'],
    [[reply(250), reply(452)], 'unknown', 'greylisted'],
    [[reply(550)], 'invalid', 'smtp_550'],
    [[reply(551)], 'invalid', 'smtp_551'],
    [[reply(553)], 'invalid', 'smtp_553'],
    [[reply(550, '5.7.1')], 'unknown', 'smtp_policy'],
    [[reply(552)], 'unknown', 'smtp_552'],
    [[reply(450)], 'unknown', 'greylisted'],
    [[reply(451)], 'unknown', 'greylisted'],
    [[reply(452)], 'unknown', 'greylisted'],
  ])('RCPT replies %j → %s / %s', (replies, status, reason) => {
    expect(verdictForProbe({ kind: 'answered', replies })).toEqual({ status, reason });
  });

  it('maps session-level refusals and unreachable hosts', () => {
    expect(verdictForProbe({ kind: 'session_rejected', stage: 'banner', reply: reply(421) })).toEqual({
      status: 'unknown',
      reason: 'greylisted',
    });
    expect(verdictForProbe({ kind: 'session_rejected', stage: 'mail', reply: reply(554) })).toEqual({
      status: 'unknown',
      reason: 'smtp_policy',
    });
    expect(verdictForProbe({ kind: 'unreachable', detail: 'timeout' })).toEqual({
      status: 'unknown',
      reason: 'smtp_unreachable',
    });
  });
});

/** A hand-scripted SMTP server: answers each command line with `answer(line)`. */
async function scriptedServer(
  banner: string,
  answer: (line: string) => string | null,
): Promise<{ port: number; commands: string[]; close: () => Promise<void> }> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(banner);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        commands.push(line);
        const response = answer(line);
        if (response !== null) socket.write(response);
        if (line === 'QUIT') socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { port: address.port, commands, close };
}

describe('probeRecipients against a scripted server', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  const base = { host: '127.0.0.1', heloName: 'probe.test', mailFrom: '', timeoutMs: 2_000 };

  it('falls back to HELO, parses a multi-line banner, and ends with RSET and QUIT', async () => {
    const scripted = await scriptedServer('220-old.example.test\r\n220 ready\r\n', (line) => {
      if (line.startsWith('EHLO')) return '502 5.5.2 Command not recognized\r\n';
      if (line.startsWith('HELO')) return '250 old.example.test\r\n';
      if (line.startsWith('MAIL')) return '250 OK\r\n';
      if (line === 'RCPT TO:<a@old.example.test>') return '250 OK\r\n';
      if (line.startsWith('RCPT')) return '550-5.1.1 no such\r\n550 5.1.1 user\r\n';
      if (line === 'RSET') return '250 OK\r\n';
      if (line === 'QUIT') return '221 Bye\r\n';
      return '500 what\r\n';
    });
    close = scripted.close;
    const result = await probeRecipients(['a@old.example.test', 'zz@old.example.test'], {
      ...base,
      port: scripted.port,
    });
    expect(result).toEqual({
      kind: 'answered',
      replies: [
        { code: 250, enhanced: null, text: 'OK' },
        { code: 550, enhanced: '5.1.1', text: 'no such\nuser' },
      ],
    });
    expect(scripted.commands).toEqual([
      'EHLO probe.test',
      'HELO probe.test',
      'MAIL FROM:<>',
      'RCPT TO:<a@old.example.test>',
      'RCPT TO:<zz@old.example.test>',
      'RSET',
      'QUIT',
    ]);
  });

  it('reports a refused session with its stage and does not ask recipients', async () => {
    const scripted = await scriptedServer('554 5.7.1 go away\r\n', () => '221 Bye\r\n');
    close = scripted.close;
    expect(await probeRecipients(['a@x.test'], { ...base, port: scripted.port })).toEqual({
      kind: 'session_rejected',
      stage: 'banner',
      reply: { code: 554, enhanced: '5.7.1', text: 'go away' },
    });
    expect(scripted.commands).toEqual(['QUIT']);
  });

  it('reports a server that stops answering mid-session as unreachable (timeout)', async () => {
    const scripted = await scriptedServer('220 ok\r\n', (line) =>
      line.startsWith('EHLO') ? '250 hi\r\n' : null,
    );
    close = scripted.close;
    const result = await probeRecipients(['a@x.test'], { ...base, port: scripted.port, timeoutMs: 150 });
    expect(result).toMatchObject({ kind: 'unreachable', detail: 'timeout' });
  });

  it('reports a server that speaks something else as unreachable (protocol)', async () => {
    const scripted = await scriptedServer('SSH-2.0-OpenSSH_9.6\r\n', () => null);
    close = scripted.close;
    const result = await probeRecipients(['a@x.test'], { ...base, port: scripted.port });
    expect(result).toMatchObject({ kind: 'unreachable', detail: 'protocol' });
  });

  it('rejects with the abort reason when aborted mid-session', async () => {
    const scripted = await scriptedServer('220 ok\r\n', () => null);
    close = scripted.close;
    const controller = new AbortController();
    const probe = probeRecipients(['a@x.test'], { ...base, port: scripted.port, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(probe).rejects.toThrow('stop');
  });
});
