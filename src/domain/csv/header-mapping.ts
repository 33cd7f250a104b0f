/**
 * Maps a CSV header row to lead fields: automatically from vendor aliases, with `--map
 * column=field` overrides on top. Runs once per file; rows then use the column indexes.
 */
import { ALIASES, GROUP_SLOTS, LEAD_FIELDS, normalizeHeader, type LeadField } from './field-aliases.js';

export type { LeadField } from './field-aliases.js';

/** Column index → the field it feeds. */
export type HeaderMapping = Map<number, LeadField>;

export interface HeaderMappingResult {
  mapping: HeaderMapping;
  /** Headers that feed no field (unknown names, or losers of a contest for one field). */
  unmapped: string[];
  /** Override problems, one specific message each. Non-empty means the import must stop. */
  errors: string[];
}

/** The override value that stops a column from being auto-mapped: `--map "Notes=ignore"`. */
export const IGNORE_FIELD = 'ignore';

/** A `--map` option that is not `column=field`. Carries the code the import layer reports. */
export class MapOptionError extends Error {
  override readonly name = 'MapOptionError';
  readonly code = 'bad_map_option' as const;
}

const FIELD_BY_NORMALIZED: ReadonlyMap<string, LeadField | 'phone' | 'email' | typeof IGNORE_FIELD> = new Map<
  string,
  LeadField | 'phone' | 'email' | typeof IGNORE_FIELD
>([
  ...LEAD_FIELDS.map((f) => [normalizeHeader(f), f] as const),
  ['phone', 'phone'],
  ['email', 'email'],
  [IGNORE_FIELD, IGNORE_FIELD],
]);

/**
 * Parses one `--map` value, "column=field". The column may itself contain "=" (the last one
 * splits, field names never contain it); both sides are trimmed and must be non-empty.
 */
export function parseMapOption(s: string): [string, string] {
  const at = s.lastIndexOf('=');
  if (at < 0) {
    throw new MapOptionError(`bad --map option "${s}": expected column=field, e.g. "Site Addr=street"`);
  }
  const column = s.slice(0, at).trim();
  const field = s.slice(at + 1).trim();
  if (column === '') throw new MapOptionError(`bad --map option "${s}": the column name before "=" is empty`);
  if (field === '') throw new MapOptionError(`bad --map option "${s}": the field name after "=" is empty`);
  return [column, field];
}

/**
 * Maps headers to fields. Overrides (column → field name, both matched case- and
 * punctuation-insensitively; "ignore" leaves a column unmapped) are applied first and win.
 * Then each remaining column is matched against the vendor aliases; when several columns
 * want one field, the most specific alias wins, then the leftmost column. A column maps to
 * at most one field and a field is fed by at most one column.
 */
export function mapHeaders(headers: string[], overrides?: Record<string, string>): HeaderMappingResult {
  const mapping: HeaderMapping = new Map();
  const errors: string[] = [];
  const taken = new Set<LeadField>();
  const settled = new Set<number>(); // columns decided by an override, mapped or ignored
  const normalized = headers.map(normalizeHeader);

  for (const [column, fieldName] of Object.entries(overrides ?? {})) {
    const field = FIELD_BY_NORMALIZED.get(normalizeHeader(fieldName));
    const index = findColumn(headers, normalized, column);
    if (field === undefined) {
      errors.push(
        `--map "${column}=${fieldName}": unknown field "${fieldName}" (fields: ${LEAD_FIELDS.join(', ')}, phone, email, ${IGNORE_FIELD})`,
      );
    }
    if (typeof index === 'string') errors.push(`--map "${column}=${fieldName}": ${index}`);
    if (field === undefined || typeof index === 'string') {
      // The user meant this column for something else: do not auto-map it either.
      if (typeof index === 'number') settled.add(index);
      continue;
    }
    if (settled.has(index)) {
      errors.push(
        `--map "${column}=${fieldName}": column "${headers[index]}" is already mapped by another --map`,
      );
      continue;
    }
    settled.add(index);
    if (field === IGNORE_FIELD) continue;
    const slot = field === 'phone' || field === 'email' ? freeSlot(field, taken) : field;
    if (slot === undefined || taken.has(slot)) {
      errors.push(
        `--map "${column}=${fieldName}": field ${slot ?? field} is already mapped by another --map`,
      );
      continue;
    }
    taken.add(slot);
    mapping.set(index, slot);
  }

  // Auto-map the rest: collect candidates, then let the most specific claim first.
  const candidates: { index: number; target: LeadField | 'phone' | 'email'; rank: number }[] = [];
  for (let index = 0; index < headers.length; index++) {
    if (settled.has(index)) continue;
    const entry = ALIASES.get(normalized[index] ?? '');
    if (entry) candidates.push({ index, target: entry.target, rank: entry.rank });
  }
  // Numbered slots ("Phone 2") claim before group aliases ("Mobile") so they keep their slot.
  const isGroup = (t: string): number => (t === 'phone' || t === 'email' ? 1 : 0);
  candidates.sort((a, b) => isGroup(a.target) - isGroup(b.target) || a.rank - b.rank || a.index - b.index);
  for (const { index, target } of candidates) {
    const field = target === 'phone' || target === 'email' ? freeSlot(target, taken) : target;
    if (field === undefined || taken.has(field)) continue;
    taken.add(field);
    mapping.set(index, field);
  }

  const unmapped = headers.filter((_, index) => !mapping.has(index));
  return { mapping: sortByColumn(mapping), unmapped, errors };
}

/** True when the mapping can locate the property: a street column or a one-string address. */
export function hasAddressColumn(mapping: ReadonlyMap<number, LeadField>): boolean {
  for (const field of mapping.values()) {
    if (field === 'street' || field === 'fullAddress') return true;
  }
  return false;
}

/** The column an override names: exact text first, then the normalized form; or why not. */
function findColumn(headers: string[], normalized: string[], column: string): number | string {
  const exact = headers.findIndex((h) => h.trim() === column.trim());
  if (exact >= 0) return exact;
  const key = normalizeHeader(column);
  const matches = normalized.flatMap((n, i) => (n === key && key !== '' ? [i] : []));
  if (matches.length === 1) return matches[0] as number;
  if (matches.length > 1) {
    return `column "${column}" matches ${matches.length} columns (${matches.map((i) => `"${headers[i]}"`).join(', ')}); use the exact header text`;
  }
  return `no column "${column}" in the header (columns: ${headers.map((h) => `"${h}"`).join(', ')})`;
}

function freeSlot(group: 'phone' | 'email', taken: ReadonlySet<LeadField>): LeadField | undefined {
  return GROUP_SLOTS[group].find((slot) => !taken.has(slot));
}

function sortByColumn(mapping: HeaderMapping): HeaderMapping {
  return new Map([...mapping.entries()].sort((a, b) => a[0] - b[0]));
}
