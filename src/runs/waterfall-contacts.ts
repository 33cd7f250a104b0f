/**
 * What the waterfall does with answers: vendor persons → contact candidates, verification
 * answers applied to stored contacts, which contacts are worth verifying, a property record
 * → lead columns, and a lead's quality score.
 *
 * "Verified" (seed 001 score): a verification provider confirmed it (phone valid and not
 * unreachable; email status `valid`), or the source vendor's own check said so: a phone the
 * skip-trace vendor reports `reachable`, an email it reports `tested` (BatchData's fields;
 * Apollo's `email_status: verified`). Both are written to contact_points.verified; the
 * verification_status column says which answer it was.
 */
import { normalizeEmail, normalizePhone } from '../domain/contacts/normalize-contact.js';
import type { ContactFields, MergedContact } from '../domain/contacts/merge-contacts.js';
import { scoreLead, type QualityResult } from '../domain/quality/score.js';
import type {
  EmailVerification,
  ParsedPerson,
  PhoneVerification,
  PropertyRecord,
} from '../providers/contract.js';
import { normalizeApn } from '../store/repos/leads.js';
import type { LeadsTable } from '../store/schema.js';

/** Vendor persons → contact candidates (E.164, lower-cased emails, litigator per person). */
export function contactsFromPersons(
  persons: readonly ParsedPerson[],
  provider: string,
  callId: string,
  opts: { returnsCompliance?: boolean; nowIso?: string } = {},
): ContactFields[] {
  const out: ContactFields[] = [];
  for (const person of persons) {
    for (const phone of person.phones) {
      const e164 = normalizePhone(phone.number);
      if (!e164) continue;
      out.push({
        kind: 'phone',
        value: e164,
        type: phone.type,
        carrier: phone.carrier,
        dnc: phone.dnc,
        tcpa: phone.tcpa,
        litigator: person.litigator,
        confidence: phone.score,
        verified: phone.reachable === true,
        ...(phone.reachable === true ? { verificationStatus: 'source_reachable' } : {}),
        ...(opts.returnsCompliance && opts.nowIso
          ? { complianceSource: provider, complianceCheckedAt: opts.nowIso }
          : {}),
        sourcePrimary: phone.sourcePrimary === true,
        sourceProvider: provider,
        providerCallId: callId,
      });
    }
    for (const email of person.emails) {
      const address = normalizeEmail(email.address);
      if (!address) continue;
      out.push({
        kind: 'email',
        value: address,
        type: 'unknown',
        carrier: null,
        dnc: false,
        tcpa: false,
        litigator: person.litigator,
        confidence: null,
        verified: email.tested === true,
        ...(email.tested === true ? { verificationStatus: 'source_tested' } : {}),
        sourcePrimary: false,
        sourceProvider: provider,
        providerCallId: callId,
      });
    }
  }
  return out;
}

const VERIFY_TYPE_RANK: Record<string, number> = { mobile: 0, voip: 1, unknown: 2, landline: 3 };

/**
 * The phones worth paying to verify: unverified, not flagged DNC, TCPA or litigator (a flag
 * any source raised stays raised, so such a phone earns no score points whatever the
 * verifier says), not yet answered by a verifier, landlines last (they earn no score points
 * unless the verifier finds another line type), best score first.
 */
export function phonesToVerify(contacts: readonly MergedContact[], max: number): MergedContact[] {
  return contacts
    .filter(
      (c) => c.kind === 'phone' && !c.verified && !c.dnc && !c.tcpa && !c.litigator && !c.verificationStatus,
    )
    .sort(
      (a, b) =>
        (VERIFY_TYPE_RANK[a.type] ?? 2) - (VERIFY_TYPE_RANK[b.type] ?? 2) ||
        (b.confidence ?? -1) - (a.confidence ?? -1),
    )
    .slice(0, max);
}

/** Unverified emails not yet answered by a verifier, primary first. */
export function emailsToVerify(contacts: readonly MergedContact[], max: number): MergedContact[] {
  return contacts
    .filter((c) => c.kind === 'email' && !c.verified && !c.verificationStatus)
    .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary))
    .slice(0, max);
}

/**
 * A phone verifier's answer folded into the contact (the verifier's line type wins). A
 * list-only check (DNC or TCPA: validity and reachability both null) says nothing about the
 * line: it dates the compliance flags but neither verifies nor rules out the phone.
 */
export function applyPhoneVerification(
  c: MergedContact,
  v: PhoneVerification,
  provider: string,
  nowIso: string,
  /** When the verifier answered (a cached answer is as old as its call). */
  answeredAt: string = nowIso,
): void {
  if (v.valid !== null || v.reachable !== null) {
    c.verified = c.verified || (v.valid !== false && v.reachable !== false);
    c.verificationStatus = v.valid === false ? 'invalid' : v.reachable === false ? 'unreachable' : 'valid';
  }
  if (v.type) c.type = v.type;
  if (v.carrier) c.carrier = v.carrier;
  if (v.dnc !== null || v.tcpa !== null || v.litigator !== null) {
    c.dnc = c.dnc || v.dnc === true;
    c.tcpa = c.tcpa || v.tcpa === true;
    c.litigator = c.litigator || v.litigator === true;
    // The newest check dates the flags (a cached answer older than the stored date does not).
    if (!c.complianceCheckedAt || Date.parse(answeredAt) >= Date.parse(c.complianceCheckedAt)) {
      c.complianceSource = provider;
      c.complianceCheckedAt = answeredAt;
    }
  }
  c.lastSeenAt = nowIso;
  c.changed = true;
}

/** An email verifier's answer: only `valid` verifies (accept_all and unknown prove nothing). */
export function applyEmailVerification(c: MergedContact, v: EmailVerification, nowIso: string): void {
  c.verified = c.verified || v.status === 'valid';
  c.verificationStatus = v.status;
  c.lastSeenAt = nowIso;
  c.changed = true;
}

/** The lead columns the waterfall reads besides the trace columns. */
export type WaterfallLeadFacts = Pick<
  LeadsTable,
  | 'mak'
  | 'apn'
  | 'fips'
  | 'property_id'
  | 'owner_occupied'
  | 'owner_age'
  | 'estimated_value'
  | 'estimated_equity'
>;

export function qualityOf(
  facts: WaterfallLeadFacts,
  contacts: readonly MergedContact[],
  suppressed: (c: MergedContact) => boolean,
): QualityResult {
  return scoreLead({
    contacts: contacts.map((c) => ({
      kind: c.kind,
      type: c.type,
      verified: c.verified,
      dnc: c.dnc,
      tcpa: c.tcpa,
      litigator: c.litigator,
      suppressed: suppressed(c),
    })),
    mak: facts.mak,
    apn: facts.apn,
    ownerOccupied: facts.owner_occupied === null ? null : facts.owner_occupied === 1,
    ownerAge: facts.owner_age,
    estimatedValue: facts.estimated_value,
    estimatedEquity: facts.estimated_equity,
  });
}

type LeadPatch = Partial<Omit<LeadsTable, 'id' | 'account_id'>>;

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

/**
 * A property record → the lead columns it fills. Facts and flags from the vendor replace
 * what the lead had (they are the fresher source); identity and address fill only blanks,
 * so a lead never moves to another property. Owner fields fill only when the lead has none.
 */
export function patchFromRecord(
  lead: Pick<
    LeadsTable,
    | 'address_line1'
    | 'apn'
    | 'fips'
    | 'mak'
    | 'property_id'
    | 'owner_first'
    | 'owner_last'
    | 'owner_full'
    | 'owner_company'
    | 'owner_type'
  >,
  r: PropertyRecord,
): LeadPatch {
  const patch: LeadPatch = {};
  const fill = <K extends keyof LeadPatch>(
    key: K,
    current: unknown,
    value: LeadPatch[K] | null | undefined,
  ) => {
    if ((current === null || current === '') && value !== null && value !== undefined) patch[key] = value;
  };
  fill('property_id', lead.property_id, r.propertyId);
  // Stored APNs are compared without separators (store/repos/leads.ts): the same form here.
  fill('apn', lead.apn, normalizeApn(r.apn));
  fill('fips', lead.fips, r.fips);
  fill('mak', lead.mak, r.mak);
  const owner = r.owners[0];
  const hasOwner = !!(lead.owner_first || lead.owner_last || lead.owner_full || lead.owner_company);
  if (owner && !hasOwner) {
    const entity = owner.ownerType !== 'individual' && owner.ownerType !== 'unknown';
    patch.owner_first = entity ? null : owner.first;
    patch.owner_last = entity ? null : owner.last;
    patch.owner_full = owner.full ?? ([owner.first, owner.last].filter(Boolean).join(' ') || null);
    patch.owner_company = entity ? (owner.full ?? null) : null;
    patch.owner_type = owner.ownerType;
  } else if (owner && (lead.owner_type === null || lead.owner_type === 'unknown')) {
    patch.owner_type = owner.ownerType;
  }
  if (r.mailingAddress) {
    patch.mailing_line1 = r.mailingAddress.street;
    patch.mailing_city = r.mailingAddress.city;
    patch.mailing_state = r.mailingAddress.state;
    patch.mailing_zip5 = r.mailingAddress.zip?.slice(0, 5) ?? null;
  }
  const set = <K extends keyof LeadPatch>(key: K, value: LeadPatch[K] | null) => {
    if (value !== null) patch[key] = value;
  };
  set('property_type', r.propertyType);
  set('beds', r.beds);
  set('baths', r.baths);
  set('sqft', r.sqft);
  set('year_built', r.yearBuilt);
  set('estimated_value', r.estimatedValue === null ? null : Math.round(r.estimatedValue));
  set('estimated_equity', r.estimatedEquity === null ? null : Math.round(r.estimatedEquity));
  set('equity_percent', r.equityPercent);
  set('owner_occupied', bool(r.ownerOccupied));
  set('absentee_owner', bool(r.absenteeOwner));
  set('pre_foreclosure', bool(r.preForeclosure));
  set('foreclosure', bool(r.foreclosure));
  set('tax_lien', bool(r.taxLien));
  set('bankruptcy', bool(r.bankruptcy));
  set('vacant', bool(r.vacant));
  set('high_equity', bool(r.highEquity));
  set('free_clear', bool(r.freeClear));
  return patch;
}

/** Verification answers that rule a contact out for good. */
const DEAD = new Set(['invalid', 'unreachable', 'disposable']);

/**
 * Could verification alone make this lead contactable? The best case: every candidate
 * phone (not flagged, not ruled out; an unknown line type might be mobile) and email
 * verifies. When even that scores below 60, paying to verify is wasted money.
 */
export function canBecomeContactable(
  facts: WaterfallLeadFacts,
  contacts: readonly MergedContact[],
  suppressed: (c: MergedContact) => boolean,
): boolean {
  const best = contacts
    .filter((c) => c.verified || !DEAD.has(c.verificationStatus ?? ''))
    .map((c) => ({
      ...c,
      verified: true,
      type:
        c.kind === 'phone' && c.type === 'unknown' && !c.verificationStatus ? ('mobile' as const) : c.type,
    }));
  return qualityOf(facts, best, suppressed).status === 'contactable';
}

/**
 * A not-yet-contactable lead's gap, for state-aware stopping (pipeline/continuation.ts):
 * its score, and for email and phone whether it has a counting one (`ok`), none at all
 * (`none`), candidates still worth verifying (`open`) or only candidates that cannot count
 * (`bad`: failed, flagged, landline, unverifiable).
 */
export function gapState(
  facts: WaterfallLeadFacts,
  contacts: readonly MergedContact[],
  suppressed: (c: MergedContact) => boolean,
): string {
  const q = qualityOf(facts, contacts, suppressed);
  const kindState = (kind: 'phone' | 'email', reason: string): string => {
    if (q.reasons.includes(reason as never)) return 'ok';
    const mine = contacts.filter((c) => c.kind === kind);
    if (mine.length === 0) return 'none';
    const pick = kind === 'phone' ? phonesToVerify(mine, 1) : emailsToVerify(mine, 1);
    return pick.length > 0 ? 'open' : 'bad';
  };
  return `s${q.score} e:${kindState('email', 'verified_email')} p:${kindState('phone', 'verified_mobile_phone')}`;
}
