/**
 * `leadtrace providers parse <provider> <file>`: runs a saved vendor response body through
 * the production parser and prints what leadtrace reads from it — or exits 3 with
 * `unrecognized response shape: <reason>` (vendor drift diagnosis).
 * `leadtrace providers scorecard [--by state|owner_type] [--since ISO] [--json]`: per provider
 * (and segment) calls, hits, spend and contactable leads (docs/scorecard.md).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { microsToUsd } from '../../domain/money.js';
import { normalizePhone } from '../../domain/contacts/normalize-contact.js';
import { DIAGNOSERS } from '../../providers/diagnosers.js';
import { ProviderError } from '../../providers/errors.js';
import {
  providerScorecard,
  SCORECARD_DIMENSIONS,
  scorecardRatios,
  type ScorecardDimension,
  type ScorecardRow,
} from '../../store/repos/scorecard.js';
import { printJson, withRuntime } from '../context.js';

export function registerProvidersCommand(program: Command): void {
  const providers = program
    .command('providers')
    .description('vendor adapters: diagnose responses, scorecard');
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
  registerScorecardCommand(providers);
}

function registerScorecardCommand(providers: Command): void {
  providers
    .command('scorecard')
    .description(
      'per provider (and segment): calls, hits, hit rate, cost per hit and per contactable lead, errors',
    )
    .option('--by <dimension>', `segment by a lead column: ${SCORECARD_DIMENSIONS.join(' or ')}`)
    .option('--since <iso>', 'only calls made at or after this time (ISO-8601, e.g. 2026-11-01)')
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { by?: string; since?: string; json: boolean }) => {
      const by = opts.by as ScorecardDimension | undefined;
      if (by !== undefined && !SCORECARD_DIMENSIONS.includes(by))
        throw new UserError(
          `--by must be one of ${SCORECARD_DIMENSIONS.join(', ')}, got "${opts.by}"`,
          'bad_option',
        );
      let since: string | undefined;
      if (opts.since !== undefined) {
        const ms = /^\d{4}-\d{2}-\d{2}/.test(opts.since) ? Date.parse(opts.since) : NaN;
        if (Number.isNaN(ms))
          throw new UserError(`--since is not an ISO-8601 time: "${opts.since}"`, 'bad_option');
        since = new Date(ms).toISOString();
      }
      await withRuntime(
        async (rt) => {
          const rows = (
            await providerScorecard(rt.store.db, rt.accountId, {
              ...(by ? { by } : {}),
              ...(since ? { since } : {}),
            })
          ).map(scorecardJson);
          if (opts.json) return printJson(rows);
          if (rows.length === 0) return void process.stdout.write('no provider calls yet\n');
          process.stdout.write(scorecardTable(rows, by));
        },
        { needProvider: false, quiet: true },
      );
    });
}

/** One scorecard row as printed: USD for money, rates rounded to 4 decimals, null where undefined. */
function scorecardJson(row: ScorecardRow) {
  const r = scorecardRatios(row);
  const rate = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
  const usd = (x: number | null) => (x === null ? null : microsToUsd(x));
  return {
    provider: row.provider,
    by: row.by,
    segment: row.segment,
    calls: row.calls,
    hits: row.hits,
    hit_rate: rate(r.hitRate),
    errors: row.errors,
    error_rate: rate(r.errorRate),
    leads: row.leads,
    contactable_leads: row.contactableLeads,
    cost_usd: microsToUsd(row.costMicros),
    cost_per_hit_usd: usd(r.costPerHitMicros),
    cost_per_contactable_usd: usd(r.costPerContactableMicros),
  };
}

function scorecardTable(
  rows: ReturnType<typeof scorecardJson>[],
  by: ScorecardDimension | undefined,
): string {
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  const usd = (x: number | null) => (x === null ? '-' : `$${x.toFixed(x !== 0 && x < 0.01 ? 4 : 2)}`);
  const head = [
    'provider',
    ...(by ? [by] : []),
    'calls',
    'hits',
    'hit rate',
    'cost',
    'per hit',
    'per contactable',
    'errors',
    'contactable',
  ];
  const body = rows.map((r) => [
    r.provider,
    ...(by ? [r.segment ?? '(none)'] : []),
    String(r.calls),
    String(r.hits),
    pct(r.hit_rate),
    usd(r.cost_usd),
    usd(r.cost_per_hit_usd),
    usd(r.cost_per_contactable_usd),
    pct(r.error_rate),
    String(r.contactable_leads),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  // Text columns left-aligned, figures right-aligned.
  const textColumns = by ? 2 : 1;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}
