/**
 * `leadtrace leads [filters…]`: find leads (one page, then `--cursor`), and the lifecycle of
 * one lead: `leads show | status | activity | tag | untag`. Phones and emails are shown as
 * counts and masked hints only.
 */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import {
  findLeads,
  resolveFilters,
  showLead,
  type LeadFilterInput,
  type LeadListEntry,
} from '../../runs/leads.js';
import { changeLeadStatus, recordActivity, tagLeadByRef, untagLeadByRef } from '../../runs/lifecycle.js';
import { listContextOf } from '../../runs/lists.js';
import { DISTRESS_FLAGS } from '../../store/repos/lead-queries.js';
import { printJson, withRuntime } from '../context.js';

const csv = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // "500000", "500,000" and "$500_000" alike.
  const digits = value.trim().replace(/[_,$]/g, '');
  const n = Number(digits);
  if (!/^-?\d+$/.test(digits) || !Number.isSafeInteger(n)) {
    throw new UserError(`bad ${flag} "${value}": expected a whole number`, 'bad_option');
  }
  return n;
}

function decimal(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new UserError(`bad ${flag} "${value}": expected a number`, 'bad_option');
  }
  return n;
}

/** The filter flags shared by `leads` and `queries save`. */
export function addLeadFilterOptions(cmd: Command): Command {
  return cmd
    .option('--list <list>', 'members of this list (id or name)')
    .option('--needs-skip-trace', 'not skip-traced yet')
    .option('--needs-business', 'business owners (llc, corporate, trust) without a business contact')
    .option('--enriched', 'enrichment completed or partial')
    .option('--status <statuses>', 'lifecycle status, comma-separated (new,contacted,qualified,lost,closed)')
    .option('--state <states>', 'property state, comma-separated (TX,FL)')
    .option('--quality <statuses>', 'quality status, comma-separated (contactable,enriched,do_not_contact)')
    .option('--min-value <usd>', 'estimated value at least (whole dollars)')
    .option('--max-value <usd>', 'estimated value at most')
    .option('--min-equity <usd>', 'estimated equity at least')
    .option('--max-equity <usd>', 'estimated equity at most')
    .option('--min-equity-pct <pct>', 'equity percent at least')
    .option('--distress <flags>', 'all of these flags, comma-separated (pre_foreclosure,tax_lien,vacant,…)')
    .option('--min-stack <n>', 'on at least this many lists')
    .option('--has-phone', 'has a phone')
    .option('--has-email', 'has an email')
    .option('--tag <tags>', 'carries all of these tags, comma-separated')
    .option('--campaign-ready', 'campaign-ready: contactable, score >= 60, not lost/closed (best first)')
    .option('--sort <order>', 'id, campaign or equity_desc');
}

/** Filter flags → filter input (only flags that were given). */
export function filterInputOf(o: Record<string, string | boolean | undefined>): LeadFilterInput {
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const flag = (k: string) => (o[k] === true ? true : undefined);
  const input: Record<string, unknown> = {
    list: str('list'),
    needsSkipTrace: flag('needsSkipTrace'),
    needsBusiness: flag('needsBusiness'),
    enrichedOnly: flag('enriched'),
    status: csv(str('status')),
    state: csv(str('state')),
    qualityStatus: csv(str('quality')),
    minValue: wholeNumber('--min-value', str('minValue')),
    maxValue: wholeNumber('--max-value', str('maxValue')),
    minEquity: wholeNumber('--min-equity', str('minEquity')),
    maxEquity: wholeNumber('--max-equity', str('maxEquity')),
    minEquityPercent: decimal('--min-equity-pct', str('minEquityPct')),
    distress: csv(str('distress')),
    minStack: wholeNumber('--min-stack', str('minStack')),
    hasPhone: flag('hasPhone'),
    hasEmail: flag('hasEmail'),
    tags: csv(str('tag')),
    campaignReady: flag('campaignReady'),
    sort: str('sort'),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input as LeadFilterInput;
}

const address = (l: {
  address_line1: string | null;
  city: string | null;
  state: string | null;
  zip5: string | null;
  apn?: string | null;
}) =>
  l.address_line1
    ? `${l.address_line1}, ${l.city ?? ''} ${l.state ?? ''} ${l.zip5 ?? ''}`.replace(/\s+/g, ' ').trim()
    : l.apn
      ? `APN ${l.apn}`
      : '(no address)';

function leadLine(l: LeadListEntry): string {
  const owner = l.owner_full ?? l.owner_company ?? '(no owner)';
  const quality =
    l.quality_score === null ? 'unscored' : `${l.quality_score} ${l.quality_status ?? ''}`.trim();
  const hints = (n: number, h: string[]) => `${n}${h.length > 0 ? ` (${h.join(' ')})` : ''}`;
  return (
    `${l.id}  ${address(l)}  | ${owner} | quality ${quality} | ${l.status} | ${l.enrichment_status} | ` +
    `lists ${l.stack_count} | phones ${hints(l.phone_count, l.phone_hints)} | emails ${hints(l.email_count, l.email_hints)}`
  );
}

export function registerLeadsCommand(program: Command): void {
  // Options after a subcommand (`leads show X --json`) belong to that subcommand, not to
  // `leads`: commander needs positional options enabled from the program down for that.
  program.enablePositionalOptions();
  const leads = addLeadFilterOptions(
    program
      .command('leads')
      .enablePositionalOptions()
      .description('find leads by list, enrichment, status, value, distress, stacking or a saved query'),
  )
    .option('--query <name>', 'start from a saved query or preset (sms-ready, high-value); flags narrow it')
    .option('--limit <n>', 'leads per page (default 100, at most 500)')
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'machine-readable output', false)
    .action(async (opts) => {
      await withRuntime(
        async (rt) => {
          const ctx = listContextOf(rt);
          const filters = await resolveFilters(ctx, filterInputOf(opts), opts.query);
          const page = await findLeads(ctx, filters, {
            ...(opts.limit !== undefined ? { limit: wholeNumber('--limit', opts.limit) } : {}),
            cursor: opts.cursor ?? null,
          });
          if (opts.json) {
            return printJson({
              filters,
              total_matching: page.totalMatching,
              count: page.leads.length,
              next_cursor: page.nextCursor,
              leads: page.leads,
            });
          }
          for (const l of page.leads) process.stdout.write(`${leadLine(l)}\n`);
          process.stdout.write(`${page.leads.length} of ${page.totalMatching} matching leads\n`);
          if (page.nextCursor) process.stdout.write(`next page: --cursor ${page.nextCursor}\n`);
        },
        { needProvider: false },
      );
    });

  leads
    .command('show')
    .description('one lead: property, owner, lists, tags, contacts (masked), people, recent activity')
    .argument('<lead>', 'lead id (or a unique prefix of 8+ characters)')
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, opts) => {
      await withRuntime(
        async (rt) => {
          const d = await showLead(listContextOf(rt), ref);
          if (opts.json) return printJson(d);
          const l = d.lead;
          const flags = DISTRESS_FLAGS.filter((f) => l[f] === 1);
          const lines = [
            `lead ${l.id}`,
            `  property: ${address(l)}${l.apn ? ` (APN ${l.apn})` : ''}`,
            `  owner: ${l.owner_full ?? l.owner_company ?? '(unknown)'}${l.owner_type ? ` [${l.owner_type}]` : ''}`,
            `  value: ${l.estimated_value ?? '?'} | equity: ${l.estimated_equity ?? '?'}${l.equity_percent !== null ? ` (${l.equity_percent}%)` : ''}`,
            `  distress: ${flags.length > 0 ? flags.join(', ') : 'none'}`,
            `  status: ${l.status} | enrichment: ${l.enrichment_status} | quality: ${l.quality_score ?? 'unscored'} ${l.quality_status ?? ''}`.trimEnd(),
            `  lists (${d.lists.length}): ${d.lists.map((x) => x.name).join(', ') || 'none'}`,
            `  tags: ${d.tags.join(', ') || 'none'}`,
            `  contacts:${d.contacts.length === 0 ? ' none' : ''}`,
            ...d.contacts.map(
              (c) =>
                `    ${c.kind} ${c.hint} ${c.type}${c.is_primary ? ' primary' : ''}${c.verified ? ' verified' : ''}` +
                `${c.dnc ? ' DNC' : ''}${c.tcpa ? ' TCPA' : ''}${c.litigator ? ' litigator' : ''} (${c.source_provider})`,
            ),
            ...(d.persons.length > 0
              ? [`  people: ${d.persons.map((p) => `${p.full ?? '?'} (${p.role})`).join(', ')}`]
              : []),
            `  activity:${d.activities.length === 0 ? ' none' : ''}`,
            ...d.activities.map(
              (a) =>
                `    ${a.occurred_at} ${a.kind}${a.outcome ? ` ${a.outcome}` : ''}${a.notes ? ` — ${a.notes}` : ''}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        { needProvider: false },
      );
    });

  leads
    .command('status')
    .description('move a lead: new → contacted → qualified → closed, or lost (lost can reopen as contacted)')
    .argument('<lead>', 'lead id')
    .argument('<status>', 'new, contacted, qualified, lost or closed')
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, status: string, opts) => {
      await withRuntime(
        async (rt) => {
          const r = await changeLeadStatus(listContextOf(rt), ref, status);
          if (opts.json) return printJson({ lead_id: r.leadId, from: r.from, to: r.to, changed: r.changed });
          process.stdout.write(
            r.changed ? `lead ${r.leadId}: ${r.from} -> ${r.to}\n` : `lead ${r.leadId} is already ${r.to}\n`,
          );
        },
        { needProvider: false },
      );
    });

  leads
    .command('activity')
    .description('log a call, sms, email or note (an outreach on a new lead makes it contacted)')
    .argument('<lead>', 'lead id')
    .argument('<kind>', 'call, sms, email or note')
    .option('--outcome <text>', 'e.g. answered, voicemail, no_answer, replied')
    .option('--note <text>', 'free text')
    .option('--at <time>', 'when it happened (ISO-8601; default now)')
    .option('--json', 'machine-readable output', false)
    .action(async (ref: string, kind: string, opts) => {
      await withRuntime(
        async (rt) => {
          const r = await recordActivity(listContextOf(rt), ref, {
            kind,
            ...(opts.outcome !== undefined ? { outcome: opts.outcome } : {}),
            ...(opts.note !== undefined ? { notes: opts.note } : {}),
            ...(opts.at !== undefined ? { occurredAt: opts.at } : {}),
          });
          if (opts.json) return printJson({ activity: r.activity, status_changed_to: r.statusChangedTo });
          process.stdout.write(
            `logged ${r.activity.kind} on lead ${r.activity.lead_id} at ${r.activity.occurred_at}` +
              (r.statusChangedTo ? `; status -> ${r.statusChangedTo}` : '') +
              '\n',
          );
        },
        { needProvider: false },
      );
    });

  leads
    .command('tag')
    .description('tag a lead (tags are created as needed)')
    .argument('<lead>', 'lead id')
    .argument('<tags...>', 'tag names: lowercase letters, digits, _ . : -')
    .action(async (ref: string, tags: string[]) => {
      await withRuntime(
        async (rt) => {
          const r = await tagLeadByRef(listContextOf(rt), ref, tags);
          process.stdout.write(`lead ${r.leadId}: ${r.added} tag${r.added === 1 ? '' : 's'} added\n`);
        },
        { needProvider: false },
      );
    });

  leads
    .command('untag')
    .description('remove tags from a lead')
    .argument('<lead>', 'lead id')
    .argument('<tags...>', 'tag names')
    .action(async (ref: string, tags: string[]) => {
      await withRuntime(
        async (rt) => {
          const r = await untagLeadByRef(listContextOf(rt), ref, tags);
          process.stdout.write(`lead ${r.leadId}: ${r.removed} tag${r.removed === 1 ? '' : 's'} removed\n`);
        },
        { needProvider: false },
      );
    });
}
