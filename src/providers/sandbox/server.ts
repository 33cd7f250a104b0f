/**
 * The built-in vendor sandbox: simulated vendor APIs on an ephemeral loopback port,
 * started in-process, used when no API key is set and by every provider test.
 *
 * Order per vendor request (invariants the tests rely on):
 *   count → authorize (401/403) → route validates and answers (400 is final) → fault →
 *   latency → send → bill on 'finish'.
 * Routes match `METHOD path` exactly, or a path pattern with `:name` segments; the query
 * string is handed to the route (and to authorize, for keys sent as query parameters).
 * Billing therefore happens only for a 200 with the real shape that was fully sent: a
 * faulted answer (429, 5xx, hang, malformed, drift, body error) never bills.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apolloRoutes } from './apollo-route.js';
import { batchDataPhoneRoutes } from './batchdata-phone-route.js';
import { batchDataRoutes } from './batchdata-route.js';
import { BillingLog, type SandboxBillingLog } from './billing.js';
import { FaultInjector } from './faults.js';
import { hunterRoutes } from './hunter-route.js';
import { melissaRoutes } from './melissa-route.js';
import { resolveSandboxOptions, type ResolvedSandboxOptions, type SandboxOptions } from './options.js';
import { realEstateApiRoutes } from './realestateapi-route.js';
import { reiSkipRoutes } from './reiskip-route.js';
import type { SandboxResponse, SandboxRoute, VendorBehaviour } from './route.js';
import { createRouteTable } from './route-table.js';
import { twilioRoutes } from './twilio-route.js';

export type { SandboxOptions } from './options.js';
export type { SandboxBillingEntry, SandboxBillingLog } from './billing.js';

/** Vendors add their routes here, one file each. */
const ROUTES: readonly SandboxRoute[] = [
  { method: 'GET', path: '/healthz', handle: () => ({ status: 200, body: { ok: true } }) },
  ...batchDataRoutes,
  ...batchDataPhoneRoutes,
  ...melissaRoutes,
  ...apolloRoutes,
  ...hunterRoutes,
  ...twilioRoutes,
  ...realEstateApiRoutes,
  ...reiSkipRoutes,
];

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface Sandbox {
  /** e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  /** Stops listening, releases hanging requests, closes every connection. Idempotent. */
  close(): Promise<void>;
  billing: SandboxBillingLog;
  /**
   * Merges new tunables into the current ones (validated). Restarts the fault and latency
   * streams and the fault counters, so a test gets the same faults every run.
   */
  setOptions(partial: SandboxOptions): void;
}

export async function startSandbox(initial: SandboxOptions = {}): Promise<Sandbox> {
  let optionsInput: SandboxOptions = { ...initial };
  let options: ResolvedSandboxOptions = resolveSandboxOptions(optionsInput);
  const billing = new BillingLog();
  const faults = new FaultInjector(options);
  const routes = createRouteTable(ROUTES);
  /** Per-options state for routes (quota simulations, poll counts): reset by setOptions. */
  const billedByVendor = new Map<string, number>();
  const callCounts = new Map<string, number>();
  /** Responses not yet sent on purpose (hang fault, latency): released on close. */
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let vendorRequests = 0;
  let closed = false;

  const hold = (res: ServerResponse): void => {
    held.add(res);
    res.once('close', () => held.delete(res));
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const matched = routes.match(req.method ?? 'GET', path);
    const raw = await readBody(req);
    if (!matched) {
      send(res, 404, JSON.stringify({ status: { code: 404, text: 'Not Found' } }));
      return;
    }
    const { route, params } = matched;
    const query = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
    const vendor = route.vendor;
    const current = options; // one request sees one set of options
    if (vendor) {
      billing.countRequest();
      vendorRequests += 1;
    }
    const errorBody = (status: number, message: string): unknown =>
      vendor ? vendor.errorBody(status, message) : { error: { code: status, message } };

    if (raw === null) {
      send(res, 413, JSON.stringify(errorBody(413, `Body exceeds ${MAX_BODY_BYTES} bytes.`)));
      return;
    }
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      send(res, 400, JSON.stringify(errorBody(400, 'Body is not valid JSON.')));
      return;
    }
    const denied = vendor?.authorize(req.headers, current, query);
    if (denied) return respond(res, denied);

    const answer = route.handle(
      {
        headers: req.headers,
        body,
        requestNumber: vendorRequests,
        query,
        params,
        billedSinceOptions: (name) => billedByVendor.get(name) ?? 0,
        countCall: (key) => {
          const next = (callCounts.get(key) ?? 0) + 1;
          callCounts.set(key, next);
          return next;
        },
      },
      current,
    );
    if (!vendor || answer.status !== 200) return respond(res, answer);

    const fault = faults.next();
    if (fault.kind === 'timeout') return hold(res);
    const delayMs = faults.nextDelayMs();
    if (delayMs > 0) {
      hold(res);
      await sleep(delayMs);
      if (closed) return;
      held.delete(res);
    }
    switch (fault.kind) {
      case 'none':
        return respond(res, answer, vendor);
      case 'rate_limited':
        return respond(res, {
          status: vendor.rateLimitStatus ?? 429,
          body: vendor.errorBody(vendor.rateLimitStatus ?? 429, 'API rate limit exceeded.'),
          headers: { 'retry-after': fault.retryAfterHeader },
        });
      case 'server_error':
        return respond(res, {
          status: fault.status,
          body: vendor.errorBody(fault.status, 'Sandbox fault: server error.'),
        });
      case 'malformed_json': {
        const text = JSON.stringify(answer.body);
        return send(res, 200, text.slice(0, Math.floor(text.length / 2)));
      }
      case 'drift':
        return respond(res, { status: 200, body: vendor.driftBody(answer.body) });
      case 'body_error':
        return respond(res, { status: 200, body: vendor.bodyErrorBody(current.bodyErrorStatus) });
    }
  }

  /** Sends a route answer; bills its items once the bytes have left. */
  function respond(res: ServerResponse, answer: SandboxResponse, billedBy?: VendorBehaviour): void {
    const entries = billedBy && answer.status === 200 ? answer.billable : undefined;
    if (entries && entries.length > 0) {
      res.once('finish', () => {
        const at = options.now();
        billing.record(entries.map((e) => ({ ...e, at })));
        for (const e of entries) billedByVendor.set(e.vendor, (billedByVendor.get(e.vendor) ?? 0) + 1);
      });
    }
    send(res, answer.status, JSON.stringify(answer.body), answer.headers);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      send(res, 500, JSON.stringify({ error: { code: 'sandbox_error', message } }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    billing,
    setOptions(partial) {
      const merged = { ...optionsInput, ...partial };
      options = resolveSandboxOptions(merged); // throws before anything changes
      optionsInput = merged;
      faults.reset(options);
      billedByVendor.clear();
      callCounts.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function send(res: ServerResponse, status: number, payload: string, headers?: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES (drained, not kept). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
