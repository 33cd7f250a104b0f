/**
 * Where mail for a domain goes: its MX hosts and their addresses, or the domain itself
 * when it publishes no MX (RFC 5321 §5.1, the "implicit MX").
 *
 * Every name is resolved through one `node:dns/promises` Resolver with configurable
 * servers, never the operating system's resolver: tests point it at a local DNS server,
 * and an MX host name must resolve through the same servers as the MX record did.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface MailHost {
  /** The exchange as DNS gave it (lower case), or the domain itself for an implicit MX. */
  host: string;
  /** MX preference; lower is tried first. 0 for an implicit MX. */
  priority: number;
  /** IPv4 addresses first, then IPv6. Never empty. */
  addresses: string[];
}

export type MailHostLookup =
  /** Hosts in the order to try them. `implicit` when they come from A/AAAA, not MX. */
  | { kind: 'found'; implicit: boolean; hosts: MailHost[] }
  /**
   * The domain cannot receive mail: it does not exist, has neither MX nor A/AAAA, publishes
   * a null MX (RFC 7505), or none of its MX hosts has an address.
   */
  | { kind: 'none'; why: 'nxdomain' | 'no_records' | 'null_mx' | 'no_host_address' }
  /** DNS itself failed (timeout, SERVFAIL, refused): says nothing about the domain. */
  | { kind: 'dns_error'; code: string };

export interface MailHostResolverOptions {
  /** `['127.0.0.1:5353']`-style servers. Default: the system's configured servers. */
  servers?: string[];
  /** Per DNS query attempt. Default 5 000. */
  timeoutMs?: number;
  /** Attempts per query. Default 2. */
  tries?: number;
  /** MX hosts whose addresses are looked up; the rest are ignored. Default 3. */
  maxHosts?: number;
}

/** c-ares codes that mean "the name or record does not exist", not "DNS failed". */
const ABSENT_CODES = new Set(['ENOTFOUND', 'ENODATA']);

function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** Resolves A then AAAA; an error code only when no address came back and DNS failed. */
async function resolveAddresses(
  resolver: Resolver,
  name: string,
): Promise<{ addresses: string[]; failure: string | null }> {
  if (isIP(name)) return { addresses: [name], failure: null };
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const addresses = [
    ...(v4.status === 'fulfilled' ? v4.value : []),
    ...(v6.status === 'fulfilled' ? v6.value : []),
  ];
  const codes = [v4, v6].flatMap((r) => (r.status === 'rejected' ? [errorCodeOf(r.reason)] : []));
  const failure = addresses.length === 0 ? (codes.find((c) => !ABSENT_CODES.has(c)) ?? null) : null;
  return { addresses, failure };
}

/**
 * Looks up where mail for `asciiDomain` goes. Never throws for DNS answers; rejects only
 * when `signal` aborts (with the signal's reason).
 */
export async function lookupMailHosts(
  asciiDomain: string,
  opts: MailHostResolverOptions = {},
  signal?: AbortSignal,
): Promise<MailHostLookup> {
  signal?.throwIfAborted();
  // One resolver per lookup, so an abort cancels this lookup's queries and nobody else's.
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 5_000, tries: opts.tries ?? 2 });
  if (opts.servers && opts.servers.length > 0) resolver.setServers(opts.servers);
  const onAbort = (): void => resolver.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await lookupWith(resolver, asciiDomain, opts.maxHosts ?? 3);
    signal?.throwIfAborted();
    return result;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function lookupWith(resolver: Resolver, domain: string, maxHosts: number): Promise<MailHostLookup> {
  let records: { exchange: string; priority: number }[];
  try {
    records = await resolver.resolveMx(domain);
  } catch (err) {
    const code = errorCodeOf(err);
    if (code === 'ENOTFOUND') return { kind: 'none', why: 'nxdomain' };
    if (code !== 'ENODATA') return { kind: 'dns_error', code };
    records = [];
  }

  if (records.length === 0) {
    // RFC 5321 §5.1: no MX at all → the domain itself is the mail host, if it has an address.
    const own = await resolveAddresses(resolver, domain);
    if (own.addresses.length > 0) {
      return {
        kind: 'found',
        implicit: true,
        hosts: [{ host: domain, priority: 0, addresses: own.addresses }],
      };
    }
    if (own.failure) return { kind: 'dns_error', code: own.failure };
    return { kind: 'none', why: 'no_records' };
  }

  // RFC 7505: an exchange of "." (c-ares gives "") says "this domain accepts no mail".
  const exchanges = records
    .map((r) => ({ host: r.exchange.replace(/\.$/, '').toLowerCase(), priority: r.priority }))
    .filter((r) => r.host !== '');
  if (exchanges.length === 0) return { kind: 'none', why: 'null_mx' };
  // Stable sort keeps DNS order within one preference; RFC 5321 §5.1 allows either.
  exchanges.sort((a, b) => a.priority - b.priority);

  const hosts: MailHost[] = [];
  let failure: string | null = null;
  for (const exchange of exchanges.slice(0, maxHosts)) {
    const found = await resolveAddresses(resolver, exchange.host);
    if (found.addresses.length > 0) hosts.push({ ...exchange, addresses: found.addresses });
    else failure ??= found.failure;
  }
  if (hosts.length > 0) return { kind: 'found', implicit: false, hosts };
  if (failure) return { kind: 'dns_error', code: failure };
  return { kind: 'none', why: 'no_host_address' };
}
