/**
 * Parses a saved BatchData skip-trace body with no request at hand (for diagnosing
 * vendor drift): the inputs are rebuilt from the evidence the body itself echoes
 * (requestId, propertyAddress), then the production parser runs unchanged, so the tool
 * fails exactly where a run would.
 */
import type { ParsedPerson, SkipTraceInput } from '../contract.js';
import { isRecord } from '../shape.js';
import { parseSkipTraceResponse } from './parse.js';

export interface DiagnosedBody {
  matched: boolean;
  billableUnits: number;
  persons: ParsedPerson[];
}

function evidence(item: unknown, i: number): SkipTraceInput {
  const rec = isRecord(item) ? item : {};
  const input = isRecord(rec.input) ? rec.input : rec;
  const address = isRecord(input.propertyAddress) ? input.propertyAddress : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    requestId: str(input.requestId) ?? str(rec.requestId) ?? `#${i}`,
    street: str(address.street) ?? `#${i}`,
    city: str(address.city),
    state: str(address.state),
    zip: str(address.zip),
  };
}

export function diagnoseSkipTraceBody(body: unknown, httpStatus = 200): DiagnosedBody {
  const items: unknown[] = [];
  if (isRecord(body) && isRecord(body.results) && Array.isArray(body.results.persons))
    items.push(...body.results.persons);
  if (isRecord(body) && isRecord(body.result) && Array.isArray(body.result.data))
    items.push(...body.result.data);
  const inputs: SkipTraceInput[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const input = evidence(item, i);
    // v1 repeats a property once per person: one input per echoed id, else per address.
    const key = input.requestId.startsWith('#')
      ? `addr:${input.street}|${input.zip}`
      : `id:${input.requestId}`;
    if (seen.has(key)) return;
    seen.add(key);
    inputs.push(input);
  });
  const results = parseSkipTraceResponse(body, inputs, httpStatus);
  return {
    matched: results.some((r) => r.matched),
    billableUnits: results.reduce((sum, r) => sum + r.billableUnits, 0),
    persons: results.flatMap((r) => r.persons),
  };
}
