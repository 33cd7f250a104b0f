/**
 * Waterfall cost benchmark: a 5,000-lead cohort through the skip-trace stage against the
 * sandbox, whose three skip-trace vendors have known hit rates, coverage and prices
 * (sandbox `vendorProfiles`, and the registry's per-hit prices), under five strategies:
 *
 *   auto                — order 'auto', gap-only: per lead the provider with the lowest expected
 *                         cost per contactable lead for its state, stopping above the default
 *                         `auto_stop_usd` (pipeline/continuation.ts, learning during the run)
 *   cheap_to_expensive  — fixed order by headline price, gap-only
 *   every_provider      — every vendor for every lead (no gap-only)
 *   single_best         — only the vendor with the best contactable rate alone
 *   oracle              — in hindsight, for each lead only the cheapest vendor that hits it
 *                         (with that vendor's validation), from one single-vendor run each
 *   oracle_contactable  — stricter, also reported: for each lead the cheapest vendor whose
 *                         answer alone makes it contactable (nothing paid for the others)
 *
 * "Contactable" is seed 001's score >= 60 after validation: every strategy verifies the
 * best unverified phones (BatchData phone verification) and email (Hunter verifier) of a
 * lead that is not yet contactable, and those calls are part of its cost.
 * Each strategy runs on its own fresh SQLite store. Prints one JSON object.
 * Targets: auto <= 1.15 x oracle cost per contactable lead, auto <= 0.6 x every_provider,
 * auto's contactable rate within 1 point of every_provider's.
 *
 *   npm run bench:waterfall            # 5,000 leads
 *   BENCH_LEADS=1000 npm run bench:waterfall
 *   BENCH_ORDER=batchdata,reiskip npm run bench:waterfall   # also a fixed order of your choice
 *   BENCH_KEEP=1 ...                   # keep the strategies' databases for inspection
 *   BENCH_AUTO_STOP=0.6|none ...       # auto's stop limit in USD (default: the policy default)
 *   BENCH_SEED=12 ...                  # the learner's exploration draws (default 11)
 *   BENCH_DUMP=1 ...                   # auto's learned lead states on stderr
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { createRunForList } from '../src/runs/create-run.js';
import { importCsv } from '../src/runs/import/import-csv.js';
import { scorecardAutoOrder } from '../src/runs/provider-services.js';
import { executeRun } from '../src/runs/run-worker.js';
import { openRuntime } from '../src/runs/runtime.js';
import { DEFAULT_WATERFALL, type WaterfallPolicy } from '../src/pipeline/waterfall-policy.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { mulberry32 } from '../src/providers/sandbox/prng.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 5_000);
const VENDORS = {
  // provider id → [sandbox route, profile]
  'realestateapi-skiptrace': ['realestateapi', { hitRate: 0.5, phoneShare: 0.5, emailShare: 0.4 }],
  batchdata: ['batchdata', { hitRate: 0.7, phoneShare: 0.9, emailShare: 0.85 }],
  reiskip: ['reiskip', { hitRate: 0.85, phoneShare: 0.95, emailShare: 0.95 }],
} as const;
type VendorId = keyof typeof VENDORS;
const IDS = Object.keys(VENDORS) as VendorId[];
/** Headline price per hit (the registry's cost model; all three bill per hit only). */
const VENDOR_PRICE = Object.fromEntries(
  IDS.map((id) => [id, PROVIDERS.find((p) => p.id === id)!.facts.cost.perHitMicros]),
) as Record<VendorId, number>;
const PROFILES = Object.fromEntries(Object.values(VENDORS).map(([route, p]) => [route, p]));
/** The people behind the addresses: most have a mobile and an email; few are on DNC. */
const SANDBOX = {
  seed: 7,
  vendorProfiles: PROFILES,
  emailRate: 0.9,
  mobileShare: 0.75,
  dncRate: 0.05,
  tcpaRate: 0.02,
  phoneInvalidRate: 0.03,
  emailValidRate: 0.85,
};

const CITIES = [
  ['CHICAGO', 'IL', '60614'],
  ['AUSTIN', 'TX', '78701'],
  ['PHOENIX', 'AZ', '85004'],
  ['DENVER', 'CO', '80202'],
  ['ATLANTA', 'GA', '30303'],
  ['TAMPA', 'FL', '33602'],
];
const STREETS = ['Main', 'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park'];
const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis'];

function cohortCsv(path: string, n: number): void {
  const lines = ['Property Address,City,State,Zip,Owner First Name,Owner Last Name'];
  for (let i = 0; i < n; i++) {
    const [city, state, zip] = CITIES[i % CITIES.length]!;
    lines.push(
      `${100 + i} ${STREETS[(i >> 2) % STREETS.length]} St,${city},${state},${zip},${FIRST[i % 8]},${LAST[(i >> 3) % 8]}`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

interface StrategyResult {
  cost_usd: number;
  contactable: number;
  contactable_pct: number;
  cost_per_contactable_usd: number | null;
  provider_calls: number;
  calls_by_provider: Record<string, number>;
  seconds: number;
}

const root = mkdtempSync(join(tmpdir(), 'leadtrace-wf-bench-'));
const csvPath = join(root, 'cohort.csv');
cohortCsv(csvPath, LEADS);

/** Per lead (by street line) per vendor: contactable alone, and what it cost. */
const perLead = new Map<string, Map<VendorId, { hit: boolean; contactable: boolean; costMicros: number }>>();

async function runStrategy(
  name: string,
  waterfall: WaterfallPolicy,
  record?: VendorId,
): Promise<StrategyResult> {
  const dir = join(root, name);
  const config = loadConfig({
    SQLITE_DB_PATH: join(dir, 'bench.db'),
    RUN_REPORTS_DIR: join(dir, 'runs'),
    SANDBOX_RPS: '100000',
    SANDBOX_LATENCY_MS: '0',
    SKIP_TRACE_DAILY_BUDGET_USD: '1000000',
    LOG_LEVEL: 'silent',
  });
  const rt = await openRuntime(config, {
    sandbox: SANDBOX,
    random: mulberry32(Number(process.env.BENCH_SEED ?? 11)),
  });
  try {
    const imported = await importCsv({
      db: rt.store.db,
      accountId: rt.accountId,
      clock: rt.clock,
      path: csvPath,
      listName: name,
      rejectedPath: join(dir, 'rejected.csv'),
    });
    const { runId } = await createRunForList(rt.store.db, {
      accountId: rt.accountId,
      listId: imported.listId,
      sourceLabel: name,
      clock: rt.clock,
      policy: { force: false, retry_sanitized: true, include_dnc: false, waterfall },
    });
    const t = performance.now();
    const deps = {
      ...rt.workerDeps(),
      autoOrder: scorecardAutoOrder(rt.store.db, rt.accountId, rt.clock, 250),
    };
    const continuation = deps.continuation!;
    const outcome = await executeRun(deps, runId);
    if (process.env.BENCH_DUMP && name === 'auto') {
      for (const c of continuation.snapshot().sort((a, b) => b.tries - a.tries))
        console.error(
          `${c.provider.padEnd(24)} ${c.state.padEnd(60)} n=${c.tries} hit=${(c.hits / c.tries).toFixed(2)} p=${(c.contactable / c.tries).toFixed(3)} m=${(continuation.marginalMicros('skip_trace', c.provider, c.state, PROVIDERS.find((p) => p.id === c.provider)!.facts.cost) ?? 0) / 1e6}`,
        );
    }
    if (outcome.status !== 'completed') throw new Error(`${name}: run ${outcome.status} ${outcome.reason}`);
    const seconds = (performance.now() - t) / 1000;
    const db = rt.store.db;
    const calls = await db
      .selectFrom('provider_calls')
      .select(['provider', db.fn.countAll<number>().as('n'), db.fn.sum<number>('cost_micros').as('cost')])
      .where('status', '!=', 'intent')
      .groupBy('provider')
      .execute();
    const contactable = await db
      .selectFrom('leads')
      .select(['id', 'address_line1', 'quality_status'])
      .execute();
    if (record) {
      const costs = await db
        .selectFrom('provider_calls')
        .innerJoin('leads', 'leads.id', 'provider_calls.lead_id')
        .select(['leads.address_line1', db.fn.sum<number>('provider_calls.cost_micros').as('cost')])
        .groupBy('leads.address_line1')
        .execute();
      const hits = await db
        .selectFrom('provider_calls')
        .innerJoin('leads', 'leads.id', 'provider_calls.lead_id')
        .select('leads.address_line1')
        .where('provider_calls.provider', '=', record)
        .where('provider_calls.status', '=', 'ok')
        .execute();
      const hitSet = new Set(hits.map((h) => h.address_line1!));
      const costOf = new Map(costs.map((c) => [c.address_line1!, Number(c.cost)]));
      for (const l of contactable) {
        const m = perLead.get(l.address_line1!) ?? new Map();
        m.set(record, {
          hit: hitSet.has(l.address_line1!),
          contactable: l.quality_status === 'contactable',
          costMicros: costOf.get(l.address_line1!) ?? 0,
        });
        perLead.set(l.address_line1!, m);
      }
    }
    const costMicros = calls.reduce((a, c) => a + Number(c.cost), 0);
    const n = contactable.filter((l) => l.quality_status === 'contactable').length;
    return {
      cost_usd: costMicros / 1e6,
      contactable: n,
      contactable_pct: Math.round((n / LEADS) * 10_000) / 100,
      cost_per_contactable_usd: n > 0 ? Math.round(costMicros / n) / 1e6 : null,
      provider_calls: calls.reduce((a, c) => a + Number(c.n), 0),
      calls_by_provider: Object.fromEntries(calls.map((c) => [c.provider, Number(c.n)])),
      seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    await rt.close();
  }
}

const base: WaterfallPolicy = {
  ...DEFAULT_WATERFALL,
  ...(process.env.BENCH_AUTO_STOP
    ? { auto_stop_usd: process.env.BENCH_AUTO_STOP === 'none' ? null : Number(process.env.BENCH_AUTO_STOP) }
    : {}),
  property_detail: [],
  verify_phone: ['batchdata-phone-verification'],
  verify_email: ['hunter-email-verifier'],
};
try {
  const singles: Record<string, StrategyResult> = {};
  for (const id of IDS) singles[id] = await runStrategy(`single_${id}`, { ...base, skip_trace: [id] }, id);
  const best = IDS.reduce((a, b) => (singles[b]!.contactable > singles[a]!.contactable ? b : a));
  const byPrice = [...IDS].sort((a, b) => VENDOR_PRICE[a] - VENDOR_PRICE[b]);
  const results: Record<string, StrategyResult> = {
    auto: await runStrategy('auto', { ...base, skip_trace: { auto: IDS } }),
    cheap_to_expensive: await runStrategy('cheap', { ...base, skip_trace: byPrice }),
    ...(process.env.BENCH_ORDER
      ? { fixed: await runStrategy('fixed', { ...base, skip_trace: process.env.BENCH_ORDER.split(',') }) }
      : {}),
    every_provider: await runStrategy('every', { ...base, skip_trace: IDS, gap_only: false }),
    single_best: singles[best]!,
  };
  const summary = (costMicros: number, n: number) => ({
    cost_usd: costMicros / 1e6,
    contactable: n,
    contactable_pct: Math.round((n / LEADS) * 10_000) / 100,
    cost_per_contactable_usd: n > 0 ? Math.round(costMicros / n) / 1e6 : null,
  });
  let oracleCost = 0;
  let oracleN = 0;
  let strictCost = 0;
  let strictN = 0;
  for (const vendors of perLead.values()) {
    const hitters = byPrice.filter((id) => vendors.get(id)?.hit);
    if (hitters.length > 0) {
      const cheapest = vendors.get(hitters[0]!)!;
      oracleCost += cheapest.costMicros;
      if (cheapest.contactable) oracleN++;
    }
    const options = [...vendors.values()].filter((v) => v.contactable).map((v) => v.costMicros);
    if (options.length > 0) {
      strictN++;
      strictCost += Math.min(...options);
    }
  }
  const oracle = summary(oracleCost, oracleN);
  const oracleContactable = summary(strictCost, strictN);
  const cpc = (r: { cost_per_contactable_usd: number | null }) => r.cost_per_contactable_usd ?? Infinity;
  const auto = results.auto!;
  const every = results.every_provider!;
  const ratios = {
    auto_vs_oracle: Math.round((cpc(auto) / cpc(oracle)) * 1000) / 1000,
    auto_vs_every_provider: Math.round((cpc(auto) / cpc(every)) * 1000) / 1000,
    auto_contactable_gap_pts: Math.round((every.contactable_pct - auto.contactable_pct) * 100) / 100,
  };
  console.log(
    JSON.stringify(
      {
        leads: LEADS,
        vendors: Object.fromEntries(
          IDS.map((id) => [id, { price_per_hit_usd: VENDOR_PRICE[id] / 1e6, ...VENDORS[id][1] }]),
        ),
        single_best_provider: best,
        strategies: { ...results, oracle, oracle_contactable: oracleContactable, singles },
        ratios,
        targets: {
          auto_vs_oracle: { max: 1.15, met: ratios.auto_vs_oracle <= 1.15 },
          auto_vs_every_provider: { max: 0.6, met: ratios.auto_vs_every_provider <= 0.6 },
          contactable_gap_pts: { max: 1, met: ratios.auto_contactable_gap_pts <= 1 },
        },
      },
      null,
      2,
    ),
  );
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
