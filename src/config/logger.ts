/**
 * Structured logs (pino) with redaction: phones, emails, names and tokens never reach
 * info-level logs. Paths are structural (pino cannot see PII inside free text), so code
 * logs ids, hashes and hints — never values — and tests scan log output for patterns.
 */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'phone',
  'phones',
  'email',
  'emails',
  '*.phone',
  '*.phones',
  '*.email',
  '*.emails',
  '*.number',
  'firstName',
  'lastName',
  '*.firstName',
  '*.lastName',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'leadtrace' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination(2),
  );
}

export type { Logger };
