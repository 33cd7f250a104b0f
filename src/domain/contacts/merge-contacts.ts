/**
 * Contact merge: incoming phones and emails from a provider (or an import) folded into
 * what a lead already has. Dedupe by normalized value; provenance (first source, first and
 * last seen) kept; best-of flags: a compliance flag any source raised stays raised, the
 * highest confidence wins, a known line type beats "unknown"; one primary per kind
 * (seed 000: isPrimary flag > highest confidence > first seen).
 */
import type { PhoneLineType } from './types.js';

export interface ContactFields {
  kind: 'phone' | 'email';
  /** E.164 phone or lower-cased email. */
  value: string;
  type: PhoneLineType;
  carrier: string | null;
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
  /** 0–100, or null when the source gives none. */
  confidence: number | null;
  verified: boolean;
  /** The source marked this one as its primary. */
  sourcePrimary: boolean;
  sourceProvider: string;
  providerCallId: string | null;
  /** Last verification answer ('valid', 'invalid', 'accept_all', 'mobile', …); absent = unchanged. */
  verificationStatus?: string | null;
  /** Who said the phone's dnc/tcpa/litigator flags, and when (absent = the source, now). */
  complianceSource?: string | null;
  complianceCheckedAt?: string | null;
}

/** A contact already stored: its fields plus identity and first-seen time. */
export interface StoredContact extends ContactFields {
  id: string;
  isPrimary: boolean;
  firstSeenAt: string;
}

export interface MergedContact extends ContactFields {
  /** Existing row id, or null for a new contact. */
  id: string | null;
  isPrimary: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  /** True when anything changed (new row or updated fields). */
  changed: boolean;
}

const TYPE_RANK: Record<PhoneLineType, number> = { unknown: 0, landline: 1, voip: 2, mobile: 3 };

export function mergeContacts(
  existing: readonly (StoredContact | MergedContact)[],
  incoming: readonly ContactFields[],
  nowIso: string,
): MergedContact[] {
  const byKey = new Map<string, MergedContact>();
  for (const c of existing) {
    // An earlier merge's result (several providers in one pass) keeps its pending changes.
    const m = 'changed' in c ? c : null;
    byKey.set(`${c.kind}\u0000${c.value}`, {
      ...c,
      lastSeenAt: m ? m.lastSeenAt : c.firstSeenAt,
      changed: m ? m.changed : false,
    });
  }
  for (const c of incoming) {
    const key = `${c.kind}\u0000${c.value}`;
    const current = byKey.get(key);
    if (!current) {
      byKey.set(key, {
        ...c,
        id: null,
        isPrimary: false,
        firstSeenAt: nowIso,
        lastSeenAt: nowIso,
        changed: true,
      });
      continue;
    }
    const merged: MergedContact = {
      ...current,
      type: TYPE_RANK[c.type] > TYPE_RANK[current.type] ? c.type : current.type,
      carrier: current.carrier ?? c.carrier,
      dnc: current.dnc || c.dnc,
      tcpa: current.tcpa || c.tcpa,
      litigator: current.litigator || c.litigator,
      confidence: maxNullable(current.confidence, c.confidence),
      verified: current.verified || c.verified,
      verificationStatus: c.verificationStatus ?? current.verificationStatus ?? null,
      // The newer compliance answer dates the flags (flags stay raised either way); an older
      // one (a cached answer) does not move the date back.
      ...(newerCheck(c.complianceCheckedAt, current.complianceCheckedAt)
        ? { complianceSource: c.complianceSource ?? null, complianceCheckedAt: c.complianceCheckedAt ?? null }
        : {
            complianceSource: current.complianceSource ?? null,
            complianceCheckedAt: current.complianceCheckedAt ?? null,
          }),
      sourcePrimary: current.sourcePrimary || c.sourcePrimary,
      lastSeenAt: nowIso,
      changed: true,
    };
    byKey.set(key, merged);
  }
  const all = [...byKey.values()];
  for (const kind of ['phone', 'email'] as const) {
    const primary = pickPrimary(all.filter((c) => c.kind === kind));
    for (const c of all) {
      if (c.kind !== kind) continue;
      const isPrimary = c === primary;
      if (c.isPrimary !== isPrimary) {
        c.isPrimary = isPrimary;
        c.changed = true;
      }
    }
  }
  return all;
}

/** Seed 000: the source's isPrimary flag, then the highest confidence, then the first seen. */
export function pickPrimary<T extends Pick<ContactFields, 'sourcePrimary' | 'confidence'>>(
  contacts: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const c of contacts) {
    if (!best) best = c;
    else if (c.sourcePrimary !== best.sourcePrimary) best = c.sourcePrimary ? c : best;
    else if ((c.confidence ?? -1) > (best.confidence ?? -1)) best = c;
  }
  return best;
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** `incoming` is a compliance check at least as recent as `stored` (ISO-8601 UTC). */
function newerCheck(incoming: string | null | undefined, stored: string | null | undefined): boolean {
  if (!incoming) return false;
  if (!stored) return true;
  return Date.parse(incoming) >= Date.parse(stored);
}
