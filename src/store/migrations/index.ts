import { initial } from './001_initial.js';
import { guardrails } from './002_guardrails.js';
import { listInputColumns } from './003_list_input_columns.js';
import type { Migration } from './types.js';

/** Every migration in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, guardrails, listInputColumns];
