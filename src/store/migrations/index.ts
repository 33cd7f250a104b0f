import { initial } from './001_initial.js';
import { guardrails } from './002_guardrails.js';
import { listInputColumns } from './003_list_input_columns.js';
import { listsLifecycle } from './005_lists_lifecycle.js';
import { acquisition } from './006_acquisition.js';
import { domainEnrichment } from './007_domain_enrichment.js';
import { runItemsOrder } from './008_run_items_order.js';
import { autoStats } from './009_auto_stats.js';
import { partialLeadIndexes } from './010_partial_lead_indexes.js';
import { jobOwner } from './011_job_owner.js';
import { partialStatusIndexes } from './012_partial_status_indexes.js';
import { inputHeaders } from './013_input_headers.js';
import type { Migration } from './types.js';

/** Every migration in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  guardrails,
  listInputColumns,
  listsLifecycle,
  acquisition,
  domainEnrichment,
  runItemsOrder,
  autoStats,
  partialLeadIndexes,
  jobOwner,
  partialStatusIndexes,
  inputHeaders,
];
