/**
 * `leadtrace providers parse <provider> <file>`: runs a saved vendor response body through
 * the production parser and prints what leadtrace reads from it — or exits 3 with
 * `unrecognized response shape: <reason>` (vendor drift diagnosis).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { normalizePhone } from '../../domain/contacts/normalize-contact.js';
import { DIAGNOSERS } from '../../providers/diagnosers.js';
import { ProviderError } from '../../providers/errors.js';

export function registerProvidersCommand(program: Command): void {
  const providers = program.command('providers').description('vendor adapters: diagnose responses');
  providers
    .command('parse')
    .description('parse a saved vendor response body and print what leadtrace reads from it')
    .argument('<provider>', `one of: ${Object.keys(DIAGNOSERS).join(', ')}`)
    .argument('<file>', 'the response body (JSON)')
    .action((provider: string, file: string) => {
      const diagnose = DIAGNOSERS[provider];
      if (!diagnose)
        throw new UserError(
          `unknown provider "${provider}": use one of ${Object.keys(DIAGNOSERS).join(', ')}`,
          'bad_provider',
        );
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UserError(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          'file_not_found',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new UserError('unrecognized response shape: the file is not JSON', 'unrecognized_response', {
          exitCode: 3,
        });
      }
      let result;
      try {
        result = diagnose(body);
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'unrecognized_response') {
          throw new UserError(error.message, 'unrecognized_response', { exitCode: 3 });
        }
        throw error;
      }
      process.stdout.write(
        `${JSON.stringify(
          {
            matched: result.matched,
            billable_units: result.billableUnits,
            persons: result.persons.map((p) => ({
              name: p.full ?? ([p.first, p.last].filter(Boolean).join(' ') || null),
              phones: p.phones.map((ph) => ({
                e164: normalizePhone(ph.number),
                type: ph.type,
                dnc: ph.dnc,
                tcpa: ph.tcpa,
                litigator: p.litigator,
                score: ph.score,
                carrier: ph.carrier,
              })),
              emails: p.emails.map((e) => ({ address: e.address, verified: e.tested === true })),
            })),
          },
          null,
          2,
        )}\n`,
      );
    });
}
