/**
 * Real local servers for the email-check tests: a dns2 DNS server on 127.0.0.1 (UDP) that
 * answers from a small zone, and an smtp-server SMTP server on 127.0.0.1 that decides
 * RCPT TO per domain. Random ports; nothing leaves the machine.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import dns2 from 'dns2';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

const { Packet } = dns2;
const TYPE_NAMES: Record<number, string> = { 1: 'A', 15: 'MX', 28: 'AAAA' };

export interface ZoneEntry {
  mx?: { exchange: string; priority: number }[];
  a?: string[];
  aaaa?: string[];
}

export interface LocalDns {
  /** `127.0.0.1:<port>`, for `resolverServers`. */
  server: string;
  /** `<type> <name>` of every question received, in order. */
  queries: string[];
  close(): Promise<void>;
}

/** Names absent from `zone` answer NXDOMAIN; present names without the type answer NODATA. */
export async function startDnsServer(zone: Record<string, ZoneEntry>): Promise<LocalDns> {
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (!question) return void send(response);
      const name = question.name.toLowerCase();
      queries.push(`${TYPE_NAMES[question.type] ?? question.type} ${name}`);
      const entry = zone[name];
      if (!entry) {
        response.header.rcode = 3; // NXDOMAIN
        return void send(response);
      }
      const answer = (record: Partial<DnsResource>): void => {
        response.answers.push({
          name: question.name,
          class: Packet.CLASS.IN,
          ttl: 60,
          ...record,
        } as DnsResource);
      };
      if (question.type === Packet.TYPE.MX) {
        for (const mx of entry.mx ?? []) answer({ type: Packet.TYPE.MX, ...mx });
      } else if (question.type === Packet.TYPE.A) {
        for (const address of entry.a ?? []) answer({ type: Packet.TYPE.A, address });
      } else if (question.type === Packet.TYPE.AAAA) {
        for (const address of entry.aaaa ?? []) answer({ type: Packet.TYPE.AAAA, address });
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (!port) throw new Error('DNS server did not report its port');
  return { server: `127.0.0.1:${port}`, queries, close: () => server.close() };
}

type DnsResource = InstanceType<typeof Packet.Resource>;

export interface SmtpRules {
  /** Mailboxes that exist (lower case); other recipients at `strictDomains` get 550. */
  mailboxes: string[];
  /** Domains that check `mailboxes`. */
  strictDomains: string[];
  /** Domains that accept every recipient. */
  catchAllDomains: string[];
  /** Domains whose every RCPT answers 451 (greylisting). */
  greylistDomains: string[];
}

export interface LocalSmtp {
  port: number;
  /** Every RCPT TO address received, lower case, in order. */
  recipients: string[];
  /** MAIL FROM addresses received ('' for the null sender). */
  senders: string[];
  /** DATA commands received: must stay 0, a probe never sends mail. */
  dataCommands: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpServer(rules: SmtpRules): Promise<LocalSmtp> {
  const state: LocalSmtp = {
    port: 0,
    recipients: [],
    senders: [],
    dataCommands: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Its reverse lookup of 127.0.0.1 would ask the system resolver: no DNS but ours.
    disableReverseLookup: true,
    // A lingering client would hold close() for this long; ours always QUIT.
    closeTimeout: 1_000,
    onMailFrom(address: SMTPServerAddress, _session, callback) {
      state.senders.push(address.address);
      callback();
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const recipient = address.address.toLowerCase();
      state.recipients.push(recipient);
      const domain = recipient.slice(recipient.lastIndexOf('@') + 1);
      if (rules.greylistDomains.includes(domain)) {
        return callback(smtpError('Greylisted, please try again later', 451));
      }
      if (rules.catchAllDomains.includes(domain)) return callback();
      if (rules.strictDomains.includes(domain) && rules.mailboxes.includes(recipient)) return callback();
      return callback(smtpError('No such user here', 550));
    },
    onData(stream, _session, callback) {
      state.dataCommands++;
      stream.resume();
      stream.on('end', () => callback(smtpError('Not accepting mail in tests', 554)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP server did not report its port');
  state.port = address.port;
  return state;
}

/** A port on 127.0.0.1 with nothing listening: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A TCP server that accepts connections and never says a word (a tarpit). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
