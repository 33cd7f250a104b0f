/**
 * `leadtrace sites …`: company sites and their domain enrichment (seed 003).
 *   add <domain> [--name]      import <csv>        ls [--json] [--status]
 *   enrich (--domains a,b | --all-pending | --retry-errors) [Hunter filters] [--json]
 *   contacts <domain> [--json] [--reveal]        link <lead> <domain> | link --auto
 */
import type { Command } from 'commander';
import { UserError } from '../../domain/errors.js';
import { microsToUsd } from '../../domain/money.js';
import {
  createEnrichmentJob,
  enrichmentDepsFor,
  recoverInterruptedJobs,
  runEnrichmentJob,
  type EnrichmentOutcome,
} from '../../runs/domain-enrichment.js';
import type { EnrichmentFilters } from '../../runs/enrichment-filters.js';
import {
  addSite,
  autoLinkLeads,
  importSitesCsv,
  linkLeadToSite,
  selectSitesForEnrichment,
  siteContacts,
} from '../../runs/sites.js';
import { listSites, type SiteEnrichmentStatus } from '../../store/repos/sites.js';
import type { Runtime } from '../../runs/runtime.js';
import { printJson, withRuntime } from '../context.js';
import { interruptSignal } from '../progress.js';

const STORE_ONLY = { needProvider: false } as const;
const ctx = (rt: Runtime) => ({
  db: rt.store.db,
  accountId: rt.accountId,
  clock: rt.clock,
  cipher: rt.cipher,
});
const csv = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const int = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new UserError(`${name} must be a whole number`, 'bad_option');
  return Number(value);
};

export function registerSitesCommand(program: Command): void {
  const sites = program.command('sites').description('company sites and the contacts found at their domains');

  sites
    .command('add')
    .description('add a company site by domain (a known domain keeps its row; --name renames it)')
    .argument('<domain>', 'e.g. acme.com (scheme, www. and path are dropped)')
    .option('--name <name>', 'company name (links leads whose owner company has this name)')
    .action(async (domain: string, opts: { name?: string }) => {
      await withRuntime(async (rt) => {
        const added = await addSite(ctx(rt), { domain, name: opts.name ?? null });
        process.stdout.write(
          `${added.created ? 'added' : 'already known:'} ${added.site.domain}${added.site.name ? ` (${added.site.name})` : ''}` +
            `${added.linked > 0 ? `; linked ${added.linked} leads` : ''}\n`,
        );
      }, STORE_ONLY);
    });

  sites
    .command('import')
    .description('add sites from a CSV with domain,name columns')
    .argument('<csv>', 'the file')
    .action(async (file: string) => {
      await withRuntime(async (rt) => {
        const result = await importSitesCsv(ctx(rt), file);
        process.stdout.write(
          `${result.rows} rows: ${result.created} new, ${result.existing} already known, ${result.rejected.length} rejected; linked ${result.linked} leads\n`,
        );
        for (const r of result.rejected.slice(0, 20)) process.stderr.write(`row ${r.row}: ${r.reason}\n`);
        if (result.rejected.length > 0) process.exitCode = 1;
      }, STORE_ONLY);
    });

  sites
    .command('ls')
    .description('list sites with their enrichment status and contact count')
    .option('--status <status>', 'only pending, enriching, enriched or error')
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { status?: string; json: boolean }) => {
      await withRuntime(async (rt) => {
        const statuses = opts.status ? [opts.status as SiteEnrichmentStatus] : undefined;
        const rows = await listSites(rt.store.db, rt.accountId, statuses ? { statuses } : {});
        const out = rows.map((s) => ({
          domain: s.domain,
          name: s.name,
          pipeline_stage: s.pipeline_stage,
          enrichment_status: s.enrichment_status,
          enrichment_error: s.enrichment_error,
          contacts: s.contacts,
          last_enriched_at: s.last_enriched_at,
        }));
        if (opts.json) return printJson(out);
        if (out.length === 0)
          return void process.stdout.write('no sites yet: leadtrace sites add <domain>\n');
        for (const s of out) {
          process.stdout.write(
            `${s.domain}\t${s.name ?? '-'}\t${s.enrichment_status}\t${s.contacts} contacts` +
              `${s.enrichment_error ? `\t${s.enrichment_error}` : ''}\n`,
          );
        }
      }, STORE_ONLY);
    });

  sites
    .command('enrich')
    .description('find the contacts at sites’ domains (Hunter domain search), one site at a time')
    .option('--domains <list>', 'comma-separated domains of known sites', csv)
    .option('--all-pending', 'every site not enriched yet', false)
    .option('--retry-errors', 'every site whose last enrichment failed (e.g. after a quota stop)', false)
    .option('--type <type>', 'personal or generic addresses only')
    .option('--seniority <list>', 'junior,senior,executive', csv)
    .option('--department <list>', 'e.g. sales,marketing', csv)
    .option('--required-field <field>', 'full_name, position or phone_number')
    .option('--limit <n>', 'emails per site, 1–100 (default 10)', int('--limit'))
    .option('--offset <n>', 'skip this many emails per site', int('--offset'))
    .option('--location <json>', "Hunter's location filter, passed as given")
    .option('--job-titles <list>', 'positions containing one of these words', csv)
    .option('--json', 'print only the JSON summary on stdout (progress stays on stderr)', false)
    .action(async (opts) => {
      await withRuntime(async (rt) => {
        // A job whose process died mid-site left that site `enriching`: hand it to --retry-errors.
        for (const r of await recoverInterruptedJobs(ctx(rt))) {
          process.stderr.write(
            `job ${r.jobId} was interrupted (its process ended): marked failed, ${r.sites} site(s) set to error for --retry-errors\n`,
          );
        }
        const chosen = await selectSitesForEnrichment(ctx(rt), {
          ...(opts.domains ? { domains: opts.domains as string[] } : {}),
          allPending: opts.allPending as boolean,
          retryErrors: opts.retryErrors as boolean,
        });
        if (chosen.length === 0) throw new UserError('no sites match: nothing to enrich', 'no_sites');
        const filters: EnrichmentFilters = {
          ...(opts.type ? { type: opts.type } : {}),
          ...(opts.seniority ? { seniority: opts.seniority } : {}),
          ...(opts.department ? { department: opts.department } : {}),
          ...(opts.requiredField ? { required_field: opts.requiredField } : {}),
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
          ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
          ...(opts.location ? { location: opts.location } : {}),
          ...(opts.jobTitles ? { job_titles: opts.jobTitles } : {}),
        };
        const deps = enrichmentDepsFor(rt);
        const { jobId, total } = await createEnrichmentJob(ctx(rt), {
          siteIds: chosen.map((s) => s.id),
          filters,
        });
        process.stderr.write(`enrichment job ${jobId}: ${total} sites\n`);
        const interrupt = interruptSignal();
        let outcome: EnrichmentOutcome;
        try {
          outcome = await runEnrichmentJob(deps, jobId, {
            signal: interrupt.signal,
            onProgress: (e) => {
              const p = e.progress;
              process.stderr.write(
                `[${p.done + p.failed}/${p.total}] ${e.site.domain} ${e.outcome}` +
                  (e.outcome === 'enriched' ? `: ${e.added} new, ${e.updated} updated` : `: ${e.error}`) +
                  '\n',
              );
            },
          });
        } finally {
          interrupt.dispose();
        }
        const summary = {
          job_id: outcome.jobId,
          status: outcome.status,
          ...outcome.progress,
          provider_calls: outcome.providerCalls,
          cost_usd: microsToUsd(outcome.costMicros),
          linked_leads: outcome.linkedLeads,
          error: outcome.error,
        };
        printJson(summary);
        if (outcome.status === 'failed') process.stderr.write(`error: ${outcome.error}\n`);
        // 2: stopped early on purpose (Ctrl-C); the sites not reached are still pending.
        if (outcome.status !== 'completed') process.exitCode = outcome.status === 'cancelled' ? 2 : 1;
      });
    });

  sites
    .command('contacts')
    .description("a site's contacts (emails masked unless --reveal)")
    .argument('<domain>', 'the site')
    .option('--reveal', 'show full email addresses and phone numbers', false)
    .option('--json', 'machine-readable output', false)
    .action(async (domain: string, opts: { reveal: boolean; json: boolean }) => {
      await withRuntime(async (rt) => {
        const { site, contacts } = await siteContacts(ctx(rt), domain, opts.reveal);
        if (opts.json) return printJson({ domain: site.domain, name: site.name, contacts });
        process.stdout.write(`${site.domain}: ${contacts.length} contacts\n`);
        for (const c of contacts) {
          const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || '-';
          process.stdout.write(
            `${c.email}\t${name}\t${c.position ?? '-'}\t${c.type ?? '-'}\t${c.confidence ?? '-'}\t${c.verification_status ?? '-'}\n`,
          );
        }
      }, STORE_ONLY);
    });

  sites
    .command('link')
    .description(
      'link a corporate-owned lead to its company site, or --auto: every lead whose owner company names a site',
    )
    .argument('[lead]', 'lead id')
    .argument('[domain]', 'site domain')
    .option('--auto', 'link by company name instead', false)
    .action(async (leadId: string | undefined, domain: string | undefined, opts: { auto: boolean }) => {
      await withRuntime(async (rt) => {
        if (opts.auto) {
          const { linked, ambiguousNames } = await autoLinkLeads(ctx(rt));
          process.stdout.write(
            `linked ${linked} leads${ambiguousNames > 0 ? ` (${ambiguousNames} company names shared by several sites skipped)` : ''}\n`,
          );
          return;
        }
        if (!leadId || !domain)
          throw new UserError('usage: leadtrace sites link <lead> <domain> | --auto', 'usage');
        const link = await linkLeadToSite(ctx(rt), { leadId, domain });
        process.stdout.write(`linked lead ${link.leadId} to ${link.domain}\n`);
      }, STORE_ONLY);
    });
}
