/**
 * Lead quality score and routing, exactly as seed 001 (`compute_quality_score`,
 * `update_lead_status_from_score`, waterfall stage 4):
 *
 * | points | rule |
 * |---|---|
 * | +40 | a verified email |
 * | +30 | a verified mobile or VoIP phone |
 * | +10 | MAK and APN both present |
 * | +10 | owner occupied |
 * | +10 | demographics fit: owner age >= 62 AND estimated value >= $100,000 AND equity > 0 |
 *
 * Score >= 60 is `contactable`, 40–59 `enriched`, below 40 `do_not_contact`.
 *
 * One deliberate tightening of the seed: a contact we may not use does not earn points.
 * The seed scored any verified mobile; the product promise is that a number you may not
 * call does not make a lead contactable (otherwise the waterfall would stop buying data
 * for a lead whose only phone is a litigator's, and the lead would reach campaigns with
 * nothing dialable). So a phone flagged DNC, TCPA, litigator or on the account's
 * suppression list earns nothing, even though a dialer export may still include DNC/TCPA
 * numbers under an explicit flag (compliance/rules.ts `dialable`): the score answers
 * "can we reach this lead by default", not "could we, with overrides". Likewise a
 * suppressed (opted-out) email earns nothing; DNC/TCPA/litigator are phone registries and
 * do not affect emails.
 */

/** Points per rule (seed 001). */
export const QUALITY_POINTS = {
  verifiedEmail: 40,
  verifiedMobilePhone: 30,
  makAndApn: 10,
  ownerOccupied: 10,
  demographicsFit: 10,
} as const;

/** Lower bounds (inclusive) of the statuses above do_not_contact (seed 001). */
export const QUALITY_THRESHOLDS = { contactable: 60, enriched: 40 } as const;

/** Seed 001 demographics fit: age >= 62, value >= $100,000 (whole dollars), equity > 0. */
export const DEMOGRAPHICS_FIT = { minOwnerAge: 62, minEstimatedValue: 100_000 } as const;

export type QualityStatus = 'contactable' | 'enriched' | 'do_not_contact';

/** Stage 4 routes: campaigns, a second enrichment pass (or manual review), or suppression. */
export type QualityRoute = 'campaign' | 'second_pass' | 'suppress';

/** Machine-readable explanation codes, in rule order. */
export type QualityReason =
  | 'verified_email'
  | 'verified_mobile_phone'
  | 'mak_and_apn'
  | 'owner_occupied'
  | 'demographics_fit'
  /** A verified mobile/VoIP phone exists but every one is DNC, TCPA, litigator or suppressed: no points. */
  | 'verified_phone_not_callable'
  /** A verified email exists but every one is suppressed: no points. */
  | 'verified_email_suppressed';

/** One phone or email as the score reads it (a ContactFields plus the suppression lookup fits). */
export interface ScoredContact {
  kind: 'phone' | 'email';
  /** Line type for phones ('mobile', 'voip', 'landline', 'unknown'); compared case-insensitively. */
  type: string;
  verified: boolean;
  dnc: boolean;
  tcpa: boolean;
  litigator: boolean;
  /** On the account's suppression list (opt-out); absent means not suppressed. */
  suppressed?: boolean;
}

export interface QualityInput {
  contacts: readonly ScoredContact[];
  mak: string | null;
  apn: string | null;
  ownerOccupied: boolean | null;
  ownerAge: number | null;
  /** Whole dollars. */
  estimatedValue: number | null;
  /** Whole dollars. */
  estimatedEquity: number | null;
}

export interface QualityResult {
  /** 0–100. */
  score: number;
  status: QualityStatus;
  /** Rules that earned points, then notes on contacts that did not count. */
  reasons: QualityReason[];
}

export function scoreLead(input: QualityInput): QualityResult {
  let score = 0;
  const reasons: QualityReason[] = [];

  const verifiedEmails = input.contacts.filter((c) => c.kind === 'email' && c.verified);
  const verifiedMobiles = input.contacts.filter((c) => c.kind === 'phone' && c.verified && isMobileOrVoip(c));

  if (verifiedEmails.some((c) => c.suppressed !== true)) {
    score += QUALITY_POINTS.verifiedEmail;
    reasons.push('verified_email');
  }
  if (verifiedMobiles.some(isCallableByDefault)) {
    score += QUALITY_POINTS.verifiedMobilePhone;
    reasons.push('verified_mobile_phone');
  }
  if (present(input.mak) && present(input.apn)) {
    score += QUALITY_POINTS.makAndApn;
    reasons.push('mak_and_apn');
  }
  if (input.ownerOccupied === true) {
    score += QUALITY_POINTS.ownerOccupied;
    reasons.push('owner_occupied');
  }
  if (demographicsFit(input)) {
    score += QUALITY_POINTS.demographicsFit;
    reasons.push('demographics_fit');
  }

  if (verifiedMobiles.length > 0 && !reasons.includes('verified_mobile_phone')) {
    reasons.push('verified_phone_not_callable');
  }
  if (verifiedEmails.length > 0 && !reasons.includes('verified_email')) {
    reasons.push('verified_email_suppressed');
  }

  return { score, status: statusForScore(score), reasons };
}

/** Seed 001 `update_lead_status_from_score`: >= 60 contactable, 40–59 enriched, else do_not_contact. */
export function statusForScore(score: number): QualityStatus {
  if (score >= QUALITY_THRESHOLDS.contactable) return 'contactable';
  if (score >= QUALITY_THRESHOLDS.enriched) return 'enriched';
  return 'do_not_contact';
}

/** Seed 001 stage 4: contactable → campaigns, enriched → second pass, do_not_contact → suppress. */
export function routeFor(status: QualityStatus): QualityRoute {
  switch (status) {
    case 'contactable':
      return 'campaign';
    case 'enriched':
      return 'second_pass';
    case 'do_not_contact':
      return 'suppress';
  }
}

function isMobileOrVoip(c: ScoredContact): boolean {
  const type = c.type.trim().toLowerCase();
  return type === 'mobile' || type === 'voip';
}

/** Callable without any override: not DNC, not TCPA, not a litigator, not opted out. */
function isCallableByDefault(c: ScoredContact): boolean {
  return !c.dnc && !c.tcpa && !c.litigator && c.suppressed !== true;
}

/** A blank string is as absent as null (CSV imports give "" for empty cells). */
function present(value: string | null): boolean {
  return value !== null && value.trim() !== '';
}

function demographicsFit(input: QualityInput): boolean {
  const { ownerAge, estimatedValue, estimatedEquity } = input;
  return (
    ownerAge !== null &&
    ownerAge >= DEMOGRAPHICS_FIT.minOwnerAge &&
    estimatedValue !== null &&
    estimatedValue >= DEMOGRAPHICS_FIT.minEstimatedValue &&
    estimatedEquity !== null &&
    estimatedEquity > 0
  );
}
