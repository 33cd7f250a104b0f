/**
 * `leadtrace lists create | ls | show | add | import | delete | process`: named lists of leads
 * ("buckets", seed 004) with stats computed from the leads. Each subcommand is one
 * function taking the `lists` command; registerListsCommand calls them in order, so a new
 * subcommand (e.g. `lists process`) is one more function and one more call there.
 */
import type { Command } from 'commander';
import { parseMapOption } from '../../domain/csv/header-mapping.js';
import { UserError } from '../../domain/errors.js';
import {
  addLeadsToList,
  createNamedList,
  deleteListByRef,
  importIntoList,
  listContextOf,
  listsWithStats,
  showList,
  type ListView,
} from '../../runs/lists.js';
import type { ListStats } from '../../store/repos/lists.js';
import { addProcess } from './process-list.js';
import { printJson, withRuntime } from '../context.js';

/** Adds one subcommand to the `lists` command. */
export type ListsSubcommand = (lists: Command) => void;

export function registerListsCommand(program: Command): Command {
  const lists = program
    .command('lists')
    .description('named lists of leads: create, stats, add, import a CSV, delete');
  for (const add of [addCreate, addLs, addShow, addAdd, addImport, addDelete, addProcess]) add(lists);
  return lists;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function jsonObjectOption(flag: string, value: string | undefined): Record<string, unknown> | null {
  if (value === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UserError(`bad ${flag}: not JSON (expected an object like '{"state":"TX"}')`, 'bad_option');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError(`bad ${flag}: expected a JSON object`, 'bad_option');
  }
  return parsed as Record<string, unknown>;
}

/** Stats in the CLI's JSON spelling (snake_case). */
export const statsJson = (s: ListStats) => ({
  total: s.total,
  enriched: s.enriched,
  queued: s.queued,
  contacted: s.contacted,
  with_phone: s.withPhone,
  with_email: s.withEmail,
  stacked: s.stacked,
  distress: s.distress,
});

export const listJson = (l: ListView) => ({ ...l, stats: statsJson(l.stats) });

const statsLine = (s: ListStats) =>
  `${s.total} leads | ${s.enriched} enriched | ${s.queued} queued | ${s.contacted} contacted | ` +
  `${s.withPhone} with a phone | ${s.withEmail} with an email | ${s.stacked} also on other lists`;

const addCreate: ListsSubcommand = (lists) => {
  lists
    .command('create')
    .description('create an empty list')
    .argument('<name>', 'a name not used by another list')
    .option('--description <text>', 'notes')
    .option('--source <source>', 'where its leads come from (default manual)')
    .option('--filters <json>', 'the search criteria it was built from (JSON object)')
    .option('--signals <json>', 'distress signal counts reported by the search (JSON object)')
    .option('--json', 'machine-readable output', false)
    .action(async (name: string, opts) => {
      await withRuntime(
        async (rt) => {
          const list = await createNamedList(listContextOf(rt), {
            name,
            description: opts.description ?? null,
            source: opts.source ?? null,
            filters: jsonObjectOption('--filters', opts.filters),
            signals: jsonObjectOption('--signals', opts.signals),
          });
          if (opts.json) return printJson(listJson(list));
          process.stdout.write(`created list "${list.name}" (${list.id})\n`);
        },
        { needProvider: false },
      );
    });
};

const addLs: ListsSubcommand = (lists) => {
  lists
    .command('ls')
    .description('every list with its stats')
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(
        async (rt) => {
          const all = await listsWithStats(listContextOf(rt));
          if (opts.json) return printJson(all.map(listJson));
          if (all.length === 0) {
            process.stdout.write('no lists yet: leadtrace lists create <name>, or leadtrace run <csv>\n');
            return;
          }
          const header = [
            'ID',
            'NAME',
            'LEADS',
            'ENRICHED',
            'QUEUED',
            'CONTACTED',
            'PHONE',
            'EMAIL',
            'STACKED',
          ];
          const rows = all.map((l) => [
            l.id,
            l.name,
            ...[l.stats.total, l.stats.enriched, l.stats.queued, l.stats.contacted]
              .concat([l.stats.withPhone, l.stats.withEmail, l.stats.stacked])
              .map(String),
          ]);
          const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
          for (const r of [header, ...rows]) {
            process.stdout.write(
              `${r
                .map((c, i) => c.padEnd(widths[i]!))
                .join('  ')
                .trimEnd()}\n`,
            );
          }
        },
        { needProvider: false },
      );
    });
};

const addShow: ListsSubcommand = (lists) => {
  lists
    .command('show')
    .description("one list's details and stats")
    .argument('<list>', 'list id or name')
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, opts) => {
      await withRuntime(
        async (rt) => {
          const l = await showList(listContextOf(rt), ref);
          if (opts.json) return printJson(listJson(l));
          const distress = Object.entries(l.stats.distress)
            .filter(([, n]) => n > 0)
            .map(([f, n]) => `${f} ${n}`);
          const lines = [
            `list "${l.name}" (${l.id})`,
            ...(l.description ? [`  description: ${l.description}`] : []),
            `  source: ${l.source ?? '-'} | created ${l.created_at}`,
            `  ${statsLine(l.stats)}`,
            `  distress: ${distress.length > 0 ? distress.join(', ') : 'none'}`,
            ...(l.filters ? [`  filters: ${JSON.stringify(l.filters)}`] : []),
            ...(l.signals ? [`  signals: ${JSON.stringify(l.signals)}`] : []),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        { needProvider: false },
      );
    });
};

const addAdd: ListsSubcommand = (lists) => {
  lists
    .command('add')
    .description('add leads already stored to a list (stacking)')
    .argument('<list>', 'list id or name')
    .requiredOption('--leads <ids>', 'lead ids, comma-separated')
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, opts) => {
      await withRuntime(
        async (rt) => {
          const r = await addLeadsToList(listContextOf(rt), ref, String(opts.leads).split(','));
          if (opts.json)
            return printJson({ list_id: r.listId, added: r.added, already_on_list: r.alreadyOn });
          process.stdout.write(`added ${r.added} leads (${r.alreadyOn} were already on the list)\n`);
        },
        { needProvider: false },
      );
    });
};

const addImport: ListsSubcommand = (lists) => {
  lists
    .command('import')
    .description('import a CSV into an existing list (leads already stored are stacked, not duplicated)')
    .argument('<list>', 'list id or name')
    .argument('<csv>', 'the CSV file')
    .option('--map <column=field>', 'map a CSV column to a lead field (repeatable)', collect, [])
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, file: string, opts) => {
      const overrides = Object.fromEntries((opts.map as string[]).map(parseMapOption));
      await withRuntime(
        async (rt) => {
          const r = await importIntoList(listContextOf(rt), ref, {
            path: file,
            overrides,
            reportsDir: rt.config.RUN_REPORTS_DIR,
          });
          const out = {
            list_id: r.listId,
            rows: r.rows,
            created: r.created,
            duplicates: r.duplicates,
            rejected: r.rejected,
            rejected_path: r.rejectedPath,
            added_to_list: r.addedToList,
          };
          if (opts.json) return printJson(out);
          process.stdout.write(
            `imported ${r.rows} rows: ${r.created} new leads, ${r.duplicates} duplicates, ${r.rejected} rejected` +
              (r.rejectedPath ? ` (see ${r.rejectedPath})` : '') +
              `; ${r.addedToList} added to the list\n`,
          );
        },
        { needProvider: false },
      );
    });
};

const addDelete: ListsSubcommand = (lists) => {
  lists
    .command('delete')
    .description('delete a list and the leads on no other list (with their contacts, tags and activity)')
    .argument('<list>', 'list id or name')
    .option('--yes', 'confirm: this cannot be undone', false)
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, opts) => {
      if (!opts.yes) {
        throw new UserError(
          `deleting a list removes its leads that are on no other list; confirm with --yes`,
          'needs_confirmation',
        );
      }
      await withRuntime(
        async (rt) => {
          const r = await deleteListByRef(listContextOf(rt), ref);
          if (opts.json)
            return printJson({ list_id: r.listId, memberships: r.memberships, leads_deleted: r.leads });
          process.stdout.write(
            `deleted list ${r.listId}: ${r.memberships} memberships, ${r.leads} leads that were on no other list\n`,
          );
        },
        { needProvider: false },
      );
    });
};
