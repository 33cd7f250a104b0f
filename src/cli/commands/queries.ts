/**
 * `leadtrace queries save | ls | delete`: named lead selections (campaign queries). Run one
 * with `leadtrace leads --query <name>`. The presets sms-ready and high-value are built in.
 */
import type { Command } from 'commander';
import { resolveFilters } from '../../runs/leads.js';
import { deleteNamedQuery, listNamedQueries, saveNamedQuery } from '../../runs/lifecycle.js';
import { listContextOf } from '../../runs/lists.js';
import { printJson, withRuntime } from '../context.js';
import { addLeadFilterOptions, filterInputOf } from './leads.js';

export function registerQueriesCommand(program: Command): void {
  const queries = program.command('queries').description('saved lead selections for campaigns');

  addLeadFilterOptions(
    queries
      .command('save')
      .description('save the given filters under a name (run it with leadtrace leads --query <name>)')
      .argument('<name>', 'letters, digits, _ . -'),
  )
    .option('--from <query>', 'start from a saved query or preset; the flags narrow it')
    .option('--replace', 'overwrite a saved query of the same name', false)
    .option('--json', 'machine-readable output', false)
    .action(async (name: string, opts) => {
      await withRuntime(
        async (rt) => {
          const ctx = listContextOf(rt);
          const filters = await resolveFilters(ctx, filterInputOf(opts), opts.from);
          const outcome = await saveNamedQuery(ctx, name, filters, opts.replace);
          if (opts.json) return printJson({ name, outcome, filters });
          process.stdout.write(
            `${outcome === 'created' ? 'saved' : 'replaced'} query "${name}": ${JSON.stringify(filters)}\n`,
          );
        },
        { needProvider: false },
      );
    });

  queries
    .command('ls')
    .description('built-in presets and saved queries')
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(
        async (rt) => {
          const all = await listNamedQueries(listContextOf(rt));
          if (opts.json) return printJson(all);
          for (const q of all) {
            process.stdout.write(
              `${q.name}${q.builtin ? ' (built-in)' : ''}: ${JSON.stringify(q.filters)}` +
                (q.description ? `\n  ${q.description}` : '') +
                '\n',
            );
          }
        },
        { needProvider: false },
      );
    });

  queries
    .command('delete')
    .description('delete a saved query')
    .argument('<name>', 'its name')
    .action(async (name: string) => {
      await withRuntime(
        async (rt) => {
          await deleteNamedQuery(listContextOf(rt), name);
          process.stdout.write(`deleted query "${name}"\n`);
        },
        { needProvider: false },
      );
    });
}
