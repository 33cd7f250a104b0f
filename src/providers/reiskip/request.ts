/**
 * Builds the REISkip request body (seed 000): `{address, city, state, zip, ownerName?}`, one
 * property per request. Throws ProviderError('invalid_request') before any HTTP request for
 * an input REISkip could not look up.
 */
import type { SkipTraceInput } from '../contract.js';
import { ProviderError } from '../errors.js';
import { reiSkipFacts } from './facts.js';
import type { ReiSkipRequest } from './wire.js';

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

function invalid(message: string): ProviderError {
  return new ProviderError('invalid_request', message, { provider: reiSkipFacts.id });
}

export function buildReiSkipRequest(inputs: readonly SkipTraceInput[]): ReiSkipRequest {
  if (inputs.length !== 1) throw invalid(`REISkip takes exactly one input per request; got ${inputs.length}`);
  const input = inputs[0]!;
  if (!present(input.street)) throw invalid('skip-trace input has no street');
  if (!present(input.zip) && !(present(input.city) && present(input.state))) {
    throw invalid('skip-trace input needs a ZIP or a city and state');
  }
  const body: ReiSkipRequest = { address: input.street.trim() };
  if (present(input.city)) body.city = input.city.trim();
  if (present(input.state)) body.state = input.state.trim();
  if (present(input.zip)) body.zip = input.zip.trim();
  // The seed sent the owner's name when known, entity names included.
  const ownerName = [input.firstName, input.lastName]
    .filter(present)
    .map((s) => s.trim())
    .join(' ');
  if (ownerName) body.ownerName = ownerName;
  return body;
}
