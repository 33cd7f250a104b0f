import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupMailHosts } from '../../../src/providers/email-check/mx.js';
import { startDnsServer, type LocalDns } from './local-servers.js';

describe('lookupMailHosts against a local DNS server', () => {
  let dns: LocalDns;
  const opts = () => ({ servers: [dns.server], timeoutMs: 2_000 });

  beforeAll(async () => {
    dns = await startDnsServer({
      'multi.test': {
        mx: [
          { exchange: 'backup.multi.test', priority: 20 },
          { exchange: 'primary.multi.test', priority: 5 },
          { exchange: 'ghost.multi.test', priority: 10 },
        ],
      },
      'primary.multi.test': { a: ['127.0.0.1', '127.0.0.2'], aaaa: ['::1'] },
      'ghost.multi.test': {},
      'backup.multi.test': { a: ['127.0.0.3'] },
      'implicit.test': { a: ['127.0.0.1'] },
      'nodata.test': {},
      'nullmx.test': { mx: [{ exchange: '.', priority: 0 }] },
      'dangling.test': { mx: [{ exchange: 'missing.dangling.test', priority: 10 }] },
    });
  });

  afterAll(async () => {
    await dns?.close();
  });

  it('orders MX hosts by preference and skips hosts without an address', async () => {
    expect(await lookupMailHosts('multi.test', opts())).toEqual({
      kind: 'found',
      implicit: false,
      hosts: [
        { host: 'primary.multi.test', priority: 5, addresses: ['127.0.0.1', '127.0.0.2', '::1'] },
        { host: 'backup.multi.test', priority: 20, addresses: ['127.0.0.3'] },
      ],
    });
  });

  it('falls back to the domain’s own A/AAAA records when it has no MX (RFC 5321 §5.1)', async () => {
    expect(await lookupMailHosts('implicit.test', opts())).toEqual({
      kind: 'found',
      implicit: true,
      hosts: [{ host: 'implicit.test', priority: 0, addresses: ['127.0.0.1'] }],
    });
  });

  it('tells apart the ways a domain cannot receive mail', async () => {
    expect(await lookupMailHosts('absent.test', opts())).toEqual({ kind: 'none', why: 'nxdomain' });
    expect(await lookupMailHosts('nodata.test', opts())).toEqual({ kind: 'none', why: 'no_records' });
    expect(await lookupMailHosts('nullmx.test', opts())).toEqual({ kind: 'none', why: 'null_mx' });
    expect(await lookupMailHosts('dangling.test', opts())).toEqual({ kind: 'none', why: 'no_host_address' });
  });

  it('reports a DNS failure as dns_error, not as a domain without mail', async () => {
    // A UDP port with nothing behind it: the query is refused or times out.
    const silent = await startDnsServer({});
    const server = silent.server;
    await silent.close();
    const result = await lookupMailHosts('multi.test', { servers: [server], timeoutMs: 200, tries: 1 });
    expect(result.kind).toBe('dns_error');
  });

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(lookupMailHosts('multi.test', opts(), controller.signal)).rejects.toThrow('stop');
  });
});
