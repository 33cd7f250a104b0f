/**
 * leadtrace's command line. Thin: parse flags, call runs/, print. Every failure ends in
 * one readable line on stderr and a non-zero exit code.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { UserError } from '../domain/errors.js';
import { ImportError } from '../runs/import/errors.js';
import { MapOptionError } from '../domain/csv/header-mapping.js';
import { RunNotFound } from '../runs/run-worker.js';
import { ProviderError } from '../providers/errors.js';
import { registerNormalizeCommand } from './commands/normalize.js';
import { registerDlqCommand } from './commands/dlq.js';
import { registerProvidersCommand } from './commands/providers.js';
import { registerSuppressCommand } from './commands/suppress.js';
import { registerEstimateCommand } from './commands/estimate.js';
import { registerResumeCommand } from './commands/resume.js';
import { registerRunCommand } from './commands/run.js';
import { registerStatusCommand } from './commands/status.js';
import { registerListsCommand } from './commands/lists.js';
import { registerLeadsCommand } from './commands/leads.js';
import { registerQueriesCommand } from './commands/queries.js';
import { registerPullCommand } from './commands/pull.js';
import { registerSitesCommand } from './commands/sites.js';
import { registerComplianceCommand } from './commands/compliance.js';

const program = new Command();
program
  .name('leadtrace')
  .description('Turn property and lead lists into contactable, compliant, campaign-ready leads.')
  .showHelpAfterError(false)
  .exitOverride();
registerRunCommand(program);
registerResumeCommand(program);
registerStatusCommand(program);
registerNormalizeCommand(program);
registerDlqCommand(program);
registerProvidersCommand(program);
registerSuppressCommand(program);
registerEstimateCommand(program);
registerListsCommand(program);
registerLeadsCommand(program);
registerQueriesCommand(program);
registerPullCommand(program);
registerSitesCommand(program);
registerComplianceCommand(program);

function oneLine(error: unknown): { message: string; code: number } {
  if (error instanceof CommanderError) return { message: '', code: error.exitCode };
  if (error instanceof ProviderError)
    return { message: `vendor error (${error.code}): ${error.message}`, code: 1 };
  if (error instanceof UserError) return { message: error.message, code: error.exitCode };
  if (
    error instanceof ConfigError ||
    error instanceof ImportError ||
    error instanceof MapOptionError ||
    error instanceof RunNotFound
  ) {
    return { message: error.message, code: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected failure: ${message.split('\n')[0]}`, code: 1 };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { message, code } = oneLine(error);
  if (message) process.stderr.write(`error: ${message}\n`);
  if (process.env.LEADTRACE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}
