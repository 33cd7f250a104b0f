/**
 * Per provider: parse a saved response body with no request at hand, for
 * `leadtrace providers parse`. Each entry runs that adapter's production parser.
 */
import type { ParsedPerson } from './contract.js';
import { diagnoseSkipTraceBody } from './batchdata/diagnose.js';

export interface Diagnosis {
  matched: boolean;
  billableUnits: number;
  persons: ParsedPerson[];
}

export const DIAGNOSERS: Record<string, (body: unknown) => Diagnosis> = {
  batchdata: (body) => diagnoseSkipTraceBody(body),
};
