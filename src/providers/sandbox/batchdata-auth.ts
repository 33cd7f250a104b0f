/**
 * BatchData's status block and Bearer check, shared by every simulated BatchData endpoint.
 * Moved unchanged from batchdata-route.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedSandboxOptions } from './options.js';
import type { SandboxResponse } from './route.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Error',
  503: 'Service Unavailable',
};

export function statusBlock(
  code: number,
  message?: string,
): { code: number; text: string; message?: string } {
  const block: { code: number; text: string; message?: string } = {
    code,
    text: STATUS_TEXT[code] ?? 'Error',
  };
  if (message) block.message = message;
  return block;
}

export function authorizeBearer(
  headers: IncomingHttpHeaders,
  options: ResolvedSandboxOptions,
): SandboxResponse | null {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (!token) {
    return {
      status: 401,
      body: {
        status: statusBlock(401, 'Missing or malformed Authorization header; expected "Bearer <API token>".'),
      },
    };
  }
  if (options.apiKey !== null && token !== options.apiKey) {
    // Verbatim from a real BatchData 403 (vendors.md §1, Errors).
    return {
      status: 403,
      body: { status: statusBlock(403, 'Provided token does not have permission to access this API.') },
    };
  }
  return null;
}
