/**
 * A minimal SMTP client that asks a mail exchanger whether it would accept recipients,
 * and never sends a message: banner, EHLO (HELO fallback), MAIL FROM, RCPT TO…, RSET, QUIT.
 * DATA is never sent, so nothing can be delivered.
 *
 * Commands are sent one at a time (no PIPELINING) and every wait is bounded: the connect
 * and each reply get `timeoutMs`, so a tarpitting server costs at most a few timeouts.
 */
import { Socket } from 'node:net';

export interface SmtpReply {
  /** Three-digit reply code (RFC 5321 §4.2). */
  code: number;
  /** Enhanced status code (RFC 3463) when the first line starts with one, e.g. '5.1.1'. */
  enhanced: string | null;
  /** The lines' text without codes, joined by '\n'. */
  text: string;
}

/** Why no answer could be had from this host. */
export type SmtpUnreachableDetail = 'refused' | 'timeout' | 'closed' | 'network' | 'protocol';

export type SmtpProbeResult =
  | { kind: 'unreachable'; detail: SmtpUnreachableDetail; cause?: unknown }
  /** The server refused the session before any recipient was asked. */
  | { kind: 'session_rejected'; stage: 'banner' | 'helo' | 'mail'; reply: SmtpReply }
  /**
   * One reply per recipient asked, in order. Asking stops at the first recipient whose
   * reply is not 2xx, so `replies` may be shorter than the recipients given.
   */
  | { kind: 'answered'; replies: SmtpReply[] };

export interface SmtpProbeOptions {
  /** Address (or name the OS resolves) of the mail exchanger. */
  host: string;
  port: number;
  /** Our name in EHLO/HELO. */
  heloName: string;
  /** Reverse-path of MAIL FROM; '' sends the null sender `<>`. */
  mailFrom: string;
  /** Bound on the connect and on each reply. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; leave room for sloppy servers. */
const MAX_LINE = 4_096;
const MAX_LINES_PER_REPLY = 200;

export class SmtpProtocolError extends Error {
  override readonly name = 'SmtpProtocolError';
}

/** Incremental reply parser: feed it socket text, get complete (multi-line) replies. */
export class SmtpReplyParser {
  private buffer = '';
  private lines: string[] = [];
  private code: number | null = null;

  push(chunk: string): SmtpReply[] {
    this.buffer += chunk;
    const replies: SmtpReply[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const reply = this.takeLine(line);
      if (reply) replies.push(reply);
    }
    if (this.buffer.length > MAX_LINE) throw new SmtpProtocolError('reply line too long');
    return replies;
  }

  private takeLine(line: string): SmtpReply | null {
    const match = /^([2-5][0-9]{2})(?:([ -])(.*))?$/.exec(line);
    if (!match) throw new SmtpProtocolError(`not an SMTP reply line: ${JSON.stringify(line.slice(0, 80))}`);
    const code = Number(match[1]);
    if (this.code !== null && code !== this.code) throw new SmtpProtocolError('reply code changed mid-reply');
    this.code = code;
    this.lines.push(match[3] ?? '');
    if (this.lines.length > MAX_LINES_PER_REPLY) throw new SmtpProtocolError('reply has too many lines');
    if (match[2] === '-') return null;

    const lines = this.lines;
    this.lines = [];
    this.code = null;
    const enhanced = /^([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:\s|$)/.exec(lines[0] ?? '');
    const text = enhanced ? lines.map((l) => l.replace(/^[245]\.[0-9]{1,3}\.[0-9]{1,3}\s?/, '')) : lines;
    return { code, enhanced: enhanced?.[1] ?? null, text: text.join('\n') };
  }
}

/** A failure that ends the session: mapped to an 'unreachable' result. */
class SessionFailure extends Error {
  constructor(
    readonly detail: SmtpUnreachableDetail,
    options?: { cause?: unknown },
  ) {
    super(`SMTP session failed: ${detail}`, options);
  }
}

/** One TCP connection speaking SMTP; replies are queued as they arrive. */
class SmtpConnection {
  private readonly parser = new SmtpReplyParser();
  private readonly queue: SmtpReply[] = [];
  private failure: Error | null = null;
  private waiter: { resolve: (reply: SmtpReply) => void; reject: (err: Error) => void } | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      try {
        for (const reply of this.parser.push(chunk)) this.deliver(reply);
      } catch (err) {
        this.fail(new SessionFailure('protocol', { cause: err }));
      }
    });
    socket.on('error', (err) => this.fail(new SessionFailure('network', { cause: err })));
    socket.on('close', () => this.fail(new SessionFailure('closed')));
  }

  static connect(opts: SmtpProbeOptions): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => finish(new SessionFailure('timeout')), opts.timeoutMs);
      const onAbort = (): void => finish(opts.signal?.reason as Error);
      const finish = (err: Error | null): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        if (err) {
          // A late error from a socket we gave up on must not become an unhandled 'error'.
          socket.on('error', () => undefined);
          socket.destroy();
          reject(err);
        } else {
          resolve(new SmtpConnection(socket, opts.timeoutMs));
        }
      };
      const onError = (err: NodeJS.ErrnoException): void =>
        finish(new SessionFailure(err.code === 'ECONNREFUSED' ? 'refused' : 'network', { cause: err }));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.connect({ host: opts.host, port: opts.port }, () => finish(null));
    });
  }

  /** The next reply, or the session's failure; bounded by the reply timeout. */
  readReply(): Promise<SmtpReply> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new SessionFailure('timeout')), this.timeoutMs);
      this.waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  command(line: string): Promise<SmtpReply> {
    // A CR or LF inside an argument would smuggle a second command.
    if (/[\r\n]/.test(line)) return Promise.reject(new TypeError('SMTP command contains a line break'));
    if (this.failure) return Promise.reject(this.failure);
    this.socket.write(`${line}\r\n`);
    return this.readReply();
  }

  fail(err: Error): void {
    this.failure ??= err;
    this.socket.destroy();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(this.failure);
  }

  private deliver(reply: SmtpReply): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter.resolve(reply);
    else this.queue.push(reply);
  }
}

const isPositive = (reply: SmtpReply): boolean => reply.code >= 200 && reply.code < 300;

/**
 * Asks `opts.host` whether it accepts each recipient (already syntax-checked addresses).
 * Resolves with a result for every SMTP outcome; rejects only when `opts.signal` aborts.
 */
export async function probeRecipients(
  recipients: string[],
  opts: SmtpProbeOptions,
): Promise<SmtpProbeResult> {
  opts.signal?.throwIfAborted();
  let connection: SmtpConnection;
  try {
    connection = await SmtpConnection.connect(opts);
  } catch (err) {
    if (err instanceof SessionFailure) return { kind: 'unreachable', detail: err.detail, cause: err.cause };
    throw err;
  }
  const onAbort = (): void => connection.fail(opts.signal?.reason as Error);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await converse(connection, recipients, opts);
    await closePolitely(connection, result.kind === 'answered');
    opts.signal?.throwIfAborted();
    return result;
  } catch (err) {
    if (err instanceof SessionFailure) return { kind: 'unreachable', detail: err.detail, cause: err.cause };
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    connection.fail(new SessionFailure('closed'));
  }
}

async function converse(
  connection: SmtpConnection,
  recipients: string[],
  opts: SmtpProbeOptions,
): Promise<SmtpProbeResult> {
  const banner = await connection.readReply();
  if (banner.code >= 300) return { kind: 'session_rejected', stage: 'banner', reply: banner };

  let helo = await connection.command(`EHLO ${opts.heloName}`);
  // 500/502: an old server without ESMTP (RFC 5321 §4.1.4 says fall back to HELO).
  if (helo.code === 500 || helo.code === 502) helo = await connection.command(`HELO ${opts.heloName}`);
  if (!isPositive(helo)) return { kind: 'session_rejected', stage: 'helo', reply: helo };

  const mail = await connection.command(`MAIL FROM:<${opts.mailFrom}>`);
  if (!isPositive(mail)) return { kind: 'session_rejected', stage: 'mail', reply: mail };

  const replies: SmtpReply[] = [];
  for (const recipient of recipients) {
    const reply = await connection.command(`RCPT TO:<${recipient}>`);
    replies.push(reply);
    if (!isPositive(reply)) break;
  }
  return { kind: 'answered', replies };
}

/** RSET (when a transaction is open) and QUIT; their answers do not matter, errors neither. */
async function closePolitely(connection: SmtpConnection, transactionOpen: boolean): Promise<void> {
  try {
    if (transactionOpen) await connection.command('RSET');
    await connection.command('QUIT');
  } catch {
    // The verdict is already known; a server that hangs up early is not our problem.
  }
}
