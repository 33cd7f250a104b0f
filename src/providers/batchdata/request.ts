/**
 * Builds the BatchData skip-trace request body from normalized inputs.
 * The same body serves v1 and v3; only the TCPA default differs between versions.
 */
import type { SkipTraceInput } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { BatchDataRequestItem, BatchDataSkipTraceRequest } from './wire.js';

/** "Each request can handle up to 100 properties" (v3 docs). */
export const BATCHDATA_MAX_BATCH = 100;

export type BatchDataApiVersion = 'v1' | 'v3';

export interface BuildSkipTraceRequestOptions {
  version: BatchDataApiVersion;
  /**
   * Ask for TCPA-blacklisted phones too. Default false for both versions: a number we may
   * never dial is not worth receiving (v1 then drops them; v3 would otherwise return them
   * flagged, its documented default being true).
   */
  includeTcpaBlacklistedPhones?: boolean;
}

/**
 * Throws ProviderError('invalid_request') for an empty batch, more than 100 inputs, or a
 * repeated requestId (results are matched back to inputs by requestId, so ids must be unique).
 */
export function buildSkipTraceRequest(
  inputs: SkipTraceInput[],
  opts: BuildSkipTraceRequestOptions,
): BatchDataSkipTraceRequest {
  if (inputs.length === 0) {
    throw new ProviderError('invalid_request', 'skip-trace batch is empty', { provider: 'batchdata' });
  }
  if (inputs.length > BATCHDATA_MAX_BATCH) {
    throw new ProviderError(
      'invalid_request',
      `skip-trace batch has ${inputs.length} inputs; BatchData accepts at most ${BATCHDATA_MAX_BATCH}`,
      { provider: 'batchdata' },
    );
  }
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.requestId)) {
      throw new ProviderError('invalid_request', `duplicate requestId in batch: ${input.requestId}`, {
        provider: 'batchdata',
      });
    }
    seen.add(input.requestId);
  }
  return {
    requests: inputs.map(toRequestItem),
    options: {
      includeTCPABlacklistedPhones: opts.includeTcpaBlacklistedPhones ?? false,
      // Needed for v1 to echo requestId, which is the strongest matching evidence.
      showRequests: true,
    },
  };
}

function toRequestItem(input: SkipTraceInput): BatchDataRequestItem {
  const item: BatchDataRequestItem = {
    requestId: input.requestId,
    propertyAddress: { street: input.street },
  };
  // Absent parts are omitted rather than sent as null: the vendor validates combinations
  // (street+city+state+zip | street+zip | street+city+state).
  if (input.city) item.propertyAddress.city = input.city;
  if (input.state) item.propertyAddress.state = input.state;
  if (input.zip) item.propertyAddress.zip = input.zip;
  if (input.firstName || input.lastName) {
    item.name = {};
    if (input.firstName) item.name.first = input.firstName;
    if (input.lastName) item.name.last = input.lastName;
  }
  return item;
}
