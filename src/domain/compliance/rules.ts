/**
 * Phone compliance rules. Every phone carries `dnc`, `tcpa` and `litigator` with the source
 * that said so, when it was checked and when that check stops counting (contact_points
 * `compliance_source`, `compliance_checked_at`, `compliance_expires_at`).
 *
 * Why 31 days: the FTC requires telemarketers to re-download the National Do Not Call
 * Registry at least every 31 days, so a DNC answer older than that is no longer a safe
 * harbor. The same TTL is applied to TCPA and litigator flags so one expiry governs a phone.
 */
import { MS_PER_DAY } from '../clock.js';

export const COMPLIANCE_TTL_DAYS = 31;

/**
 * The instant a compliance check made at `checkedAtIso` stops counting: exactly 31 × 24 h
 * later (UTC, so no DST shift), as ISO-8601 UTC text. Throws RangeError on an unparsable time.
 */
export function complianceExpiry(checkedAtIso: string): string {
  return new Date(parseIso(checkedAtIso, 'checkedAtIso') + COMPLIANCE_TTL_DAYS * MS_PER_DAY).toISOString();
}

/**
 * True when the check no longer counts: never checked (null), an unparsable expiry (fail
 * closed), or `now` at or after the expiry — `expires_at` is the first instant the check is
 * stale. Compared as instants, not text, so differing precisions ("…00Z" vs "…00.000Z") agree.
 */
export function isComplianceExpired(expiresAtIso: string | null, nowIso: string): boolean {
  const now = parseIso(nowIso, 'nowIso');
  if (expiresAtIso === null) return true;
  const expires = Date.parse(expiresAtIso);
  if (Number.isNaN(expires)) return true;
  return now >= expires;
}

/** The compliance facts of one phone; `suppressed` is the account's opt-out list. */
export interface PhoneCompliance {
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
  suppressed: boolean;
  /**
   * The flags come from a check that still counts (`compliance_expires_at` after now).
   * false: expired or never checked. Omitted: not considered.
   */
  current?: boolean;
}

export interface DialableOptions {
  /** The user explicitly chose to export DNC/TCPA-flagged numbers (their own legal basis). */
  includeDnc: boolean;
}

export type NotDialableReason = 'litigator' | 'suppressed' | 'dnc' | 'tcpa' | 'unchecked';

export type DialableDecision = { ok: true; reason: null } | { ok: false; reason: NotDialableReason };

/**
 * May this number go into a dialer export? Litigator and suppressed numbers never — no flag
 * overrides them. DNC- and TCPA-flagged numbers only with `includeDnc`. A number whose
 * check expired or never happened (`current: false`) is not known to be off the DNC
 * registry, so it too needs `includeDnc` (the user's own legal basis to call such numbers);
 * `leadtrace compliance rescrub` makes it current again. When several apply the reason is
 * the most serious: litigator, suppressed, dnc, tcpa, unchecked.
 */
export function dialable(phone: PhoneCompliance, opts: DialableOptions): DialableDecision {
  if (phone.litigator) return { ok: false, reason: 'litigator' };
  if (phone.suppressed) return { ok: false, reason: 'suppressed' };
  if (!opts.includeDnc) {
    if (phone.dnc) return { ok: false, reason: 'dnc' };
    if (phone.tcpa) return { ok: false, reason: 'tcpa' };
    if (phone.current === false) return { ok: false, reason: 'unchecked' };
  }
  return { ok: true, reason: null };
}

function parseIso(value: string, name: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${name} is not an ISO-8601 time: ${JSON.stringify(value)}`);
  return ms;
}
