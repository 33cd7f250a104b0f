/**
 * What a compliance re-scrub makes of the answers it got for one phone number. Pure: the
 * caller gathers one entry per provider it asked (null when that provider gave no answer:
 * an error, a budget pause, a number it could not check) and writes the decision back.
 *
 * Rules (docs/compliance.md):
 * - A number becomes **fresh** only when every provider asked answered it, each answer
 *   checked at least one list (a non-null flag), and the DNC registry was among them (some
 *   `dnc` is non-null): the 31-day rule is the DNC registry's, so a re-scrub without a DNC
 *   answer never restarts the clock.
 * - A fresh answer **replaces** each flag it checked, so a re-scrub clears a flag the
 *   registry no longer lists (a number taken off the DNC registry may be dialed again).
 *   A flag no provider checked keeps its stored value (e.g. `litigator`, which comes from
 *   the skip-trace person and no DNC/TCPA endpoint reports).
 * - Without a complete answer nothing is cleared and the clock does not restart, but a flag
 *   some provider raised is raised at once (fail closed): the number stays expired and the
 *   next re-scrub asks again.
 * - The check time is the oldest answer's time (a cached answer is as old as its call), and
 *   the new expiry is 31 days after it.
 */
import { complianceExpiry } from './rules.js';

/** One provider's compliance answer for one number. */
export interface ComplianceAnswer {
  provider: string;
  /** null: this provider does not check that list (or could not check this number). */
  dnc: boolean | null;
  tcpa: boolean | null;
  litigator: boolean | null;
  /** When the vendor answered (ISO-8601 UTC): the provider call's completion time. */
  answeredAt: string;
}

export type RescrubDecision =
  | {
      kind: 'fresh';
      dnc: boolean;
      /** null: not checked by any provider asked; the stored value stays. */
      tcpa: boolean | null;
      litigator: boolean | null;
      /** The providers whose answers made the decision, comma-separated, in asking order. */
      source: string;
      checkedAt: string;
      expiresAt: string;
    }
  | {
      kind: 'incomplete';
      /** Flags raised by the answers there are (set to 1; never cleared here). */
      raise: { dnc: boolean; tcpa: boolean; litigator: boolean };
    };

const checksSomething = (a: ComplianceAnswer) => a.dnc !== null || a.tcpa !== null || a.litigator !== null;

/** One flag over several answers: raised if any raised it, null if none checked it. */
function fold(values: readonly (boolean | null)[]): boolean | null {
  const checked = values.filter((v): v is boolean => v !== null);
  return checked.length === 0 ? null : checked.some(Boolean);
}

/** `answers` holds one entry per provider asked, in asking order (null: no answer). */
export function decideRescrub(answers: readonly (ComplianceAnswer | null)[]): RescrubDecision {
  const got = answers.filter((a): a is ComplianceAnswer => a !== null);
  const dnc = fold(got.map((a) => a.dnc));
  const tcpa = fold(got.map((a) => a.tcpa));
  const litigator = fold(got.map((a) => a.litigator));
  const complete =
    answers.length > 0 && got.length === answers.length && got.every(checksSomething) && dnc !== null;
  if (!complete) {
    return {
      kind: 'incomplete',
      raise: { dnc: dnc === true, tcpa: tcpa === true, litigator: litigator === true },
    };
  }
  const checkedAt = got.map((a) => a.answeredAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  return {
    kind: 'fresh',
    dnc: dnc!,
    tcpa,
    litigator,
    source: got.map((a) => a.provider).join(','),
    checkedAt,
    expiresAt: complianceExpiry(checkedAt),
  };
}
