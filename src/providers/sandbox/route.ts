/**
 * The contract between the sandbox server and one simulated endpoint. A vendor adds one
 * route file exporting SandboxRoute values and lists them in server.ts; the server owns
 * counting, auth order, faults, latency and billing, the route owns the wire format.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxBillingEntry } from './billing.js';
import type { ResolvedSandboxOptions } from './options.js';

export interface SandboxResponse {
  status: number;
  /** Serialized as JSON. */
  body: unknown;
  headers?: Record<string, string>;
  /** Billed (stamped with the sandbox clock) only if this exact 200 is fully sent. */
  billable?: Omit<SandboxBillingEntry, 'at'>[];
}

export interface SandboxRequest {
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined for an empty body. */
  body: unknown;
  /** Vendor requests so far, this one included (for vendor-style request ids). */
  requestNumber: number;
  /** The query string (empty when there is none). */
  query: URLSearchParams;
  /** Values of the route's `:name` path segments, percent-decoded. */
  params: Readonly<Record<string, string>>;
  /**
   * Items this vendor billed since the options were last set (quota simulations). Counted
   * when the response finishes sending, like the billing log.
   */
  billedSinceOptions(vendor: string): number;
  /** Increments a per-sandbox counter and returns its new value; reset with the options. */
  countCall(key: string): number;
}

/** What makes a route a simulated vendor endpoint rather than a utility (healthz). */
export interface VendorBehaviour {
  /** Vendor name in billing entries. */
  vendor: string;
  /**
   * An error response when the credentials are missing or wrong, else null. `query` is
   * there for vendors that take the key as a query parameter (Hunter, Melissa).
   */
  authorize(
    headers: IncomingHttpHeaders,
    options: ResolvedSandboxOptions,
    query: URLSearchParams,
  ): SandboxResponse | null;
  /** HTTP status of this vendor's rate-limit answer (Hunter: 403). Default 429. */
  rateLimitStatus?: number;
  /** The vendor's error body for an HTTP error status. */
  errorBody(status: number, message: string): unknown;
  /** A 200 body of a shape the adapter does not know, built from the real one. */
  driftBody(real: unknown): unknown;
  /** A 200 body whose status block carries `status` and which has no results. */
  bodyErrorBody(status: number): unknown;
}

export interface SandboxRoute {
  method: 'GET' | 'POST';
  /** Exact path, or a pattern with `:name` segments (`/v2/PhoneNumbers/:number`); no query string. */
  path: string;
  /** Present for simulated vendor endpoints: counted, authorized, faulted, billed. */
  vendor?: VendorBehaviour;
  handle(request: SandboxRequest, options: ResolvedSandboxOptions): SandboxResponse;
}
