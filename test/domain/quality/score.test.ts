import { describe, expect, it } from 'vitest';
import {
  QUALITY_POINTS,
  routeFor,
  scoreLead,
  statusForScore,
  type QualityInput,
  type ScoredContact,
} from '../../../src/domain/quality/score.js';

const phone = (over: Partial<ScoredContact> = {}): ScoredContact => ({
  kind: 'phone',
  type: 'mobile',
  verified: true,
  dnc: false,
  tcpa: false,
  litigator: false,
  ...over,
});
const email = (over: Partial<ScoredContact> = {}): ScoredContact => ({
  kind: 'email',
  type: 'unknown',
  verified: true,
  dnc: false,
  tcpa: false,
  litigator: false,
  ...over,
});

const bare: QualityInput = {
  contacts: [],
  mak: null,
  apn: null,
  ownerOccupied: null,
  ownerAge: null,
  estimatedValue: null,
  estimatedEquity: null,
};
const lead = (over: Partial<QualityInput> = {}): QualityInput => ({ ...bare, ...over });
const fit = { ownerAge: 62, estimatedValue: 100_000, estimatedEquity: 1 };

describe('scoreLead — seed 001 points', () => {
  it('scores an empty lead 0, do_not_contact', () => {
    expect(scoreLead(bare)).toEqual({ score: 0, status: 'do_not_contact', reasons: [] });
  });

  it('gives 40 for a verified email', () => {
    expect(scoreLead(lead({ contacts: [email()] }))).toEqual({
      score: 40,
      status: 'enriched',
      reasons: ['verified_email'],
    });
  });

  it('gives nothing for an unverified email', () => {
    expect(scoreLead(lead({ contacts: [email({ verified: false })] })).score).toBe(0);
  });

  it('gives 30 for a verified mobile and 30 for a verified VoIP phone', () => {
    expect(scoreLead(lead({ contacts: [phone()] }))).toEqual({
      score: 30,
      status: 'do_not_contact',
      reasons: ['verified_mobile_phone'],
    });
    expect(scoreLead(lead({ contacts: [phone({ type: 'voip' })] })).score).toBe(30);
    expect(scoreLead(lead({ contacts: [phone({ type: 'VoIP' })] })).score).toBe(30);
  });

  it('gives nothing for a verified landline or unknown line, or an unverified mobile', () => {
    expect(scoreLead(lead({ contacts: [phone({ type: 'landline' })] })).score).toBe(0);
    expect(scoreLead(lead({ contacts: [phone({ type: 'unknown' })] })).score).toBe(0);
    expect(scoreLead(lead({ contacts: [phone({ verified: false })] })).score).toBe(0);
  });

  it('counts each rule once however many contacts qualify', () => {
    expect(scoreLead(lead({ contacts: [email(), email(), phone(), phone({ type: 'voip' })] })).score).toBe(
      70,
    );
  });

  it('gives 10 for MAK and APN together, nothing for one alone or blanks', () => {
    expect(scoreLead(lead({ mak: '123456789', apn: '5544-003-021' }))).toEqual({
      score: 10,
      status: 'do_not_contact',
      reasons: ['mak_and_apn'],
    });
    expect(scoreLead(lead({ mak: '123456789' })).score).toBe(0);
    expect(scoreLead(lead({ apn: '5544-003-021' })).score).toBe(0);
    expect(scoreLead(lead({ mak: ' ', apn: '5544-003-021' })).score).toBe(0);
  });

  it('gives 10 for owner occupied only when true', () => {
    expect(scoreLead(lead({ ownerOccupied: true })).reasons).toEqual(['owner_occupied']);
    expect(scoreLead(lead({ ownerOccupied: true })).score).toBe(10);
    expect(scoreLead(lead({ ownerOccupied: false })).score).toBe(0);
    expect(scoreLead(lead({ ownerOccupied: null })).score).toBe(0);
  });

  it('gives 10 for demographics fit at the exact edges (age 62, value $100,000, equity 1)', () => {
    expect(scoreLead(lead(fit))).toEqual({
      score: 10,
      status: 'do_not_contact',
      reasons: ['demographics_fit'],
    });
  });

  it('gives no demographics points just outside any edge or with a missing fact', () => {
    expect(scoreLead(lead({ ...fit, ownerAge: 61 })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, estimatedValue: 99_999 })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, estimatedEquity: 0 })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, estimatedEquity: -5_000 })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, ownerAge: null })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, estimatedValue: null })).score).toBe(0);
    expect(scoreLead(lead({ ...fit, estimatedEquity: null })).score).toBe(0);
  });

  it('adds up to 100 with every rule, reasons in rule order', () => {
    const all = lead({ contacts: [phone(), email()], mak: 'M', apn: 'A', ownerOccupied: true, ...fit });
    expect(scoreLead(all)).toEqual({
      score: 100,
      status: 'contactable',
      reasons: [
        'verified_email',
        'verified_mobile_phone',
        'mak_and_apn',
        'owner_occupied',
        'demographics_fit',
      ],
    });
  });

  it('uses the seed point values', () => {
    expect(QUALITY_POINTS).toEqual({
      verifiedEmail: 40,
      verifiedMobilePhone: 30,
      makAndApn: 10,
      ownerOccupied: 10,
      demographicsFit: 10,
    });
  });
});

describe('scoreLead — numbers we may not call do not count', () => {
  it.each([['dnc'], ['tcpa'], ['litigator'], ['suppressed']] as const)(
    'a verified mobile flagged %s earns nothing and is noted',
    (flag) => {
      const result = scoreLead(lead({ contacts: [phone({ [flag]: true })] }));
      expect(result).toEqual({
        score: 0,
        status: 'do_not_contact',
        reasons: ['verified_phone_not_callable'],
      });
    },
  );

  it('a DNC verified mobile does not turn 40-point email lead contactable; a clean one does', () => {
    const withDnc = scoreLead(lead({ contacts: [email(), phone({ dnc: true })] }));
    expect(withDnc).toEqual({
      score: 40,
      status: 'enriched',
      reasons: ['verified_email', 'verified_phone_not_callable'],
    });
    const withClean = scoreLead(lead({ contacts: [email(), phone({ dnc: true }), phone({ type: 'voip' })] }));
    expect(withClean).toEqual({
      score: 70,
      status: 'contactable',
      reasons: ['verified_email', 'verified_mobile_phone'],
    });
  });

  it('a suppressed verified email earns nothing; DNC flags do not affect emails', () => {
    expect(scoreLead(lead({ contacts: [email({ suppressed: true })] }))).toEqual({
      score: 0,
      status: 'do_not_contact',
      reasons: ['verified_email_suppressed'],
    });
    expect(scoreLead(lead({ contacts: [email({ dnc: true, tcpa: true, litigator: true })] })).score).toBe(40);
  });

  it('does not note a flagged landline (it would not have counted anyway)', () => {
    expect(scoreLead(lead({ contacts: [phone({ type: 'landline', dnc: true })] })).reasons).toEqual([]);
  });
});

describe('thresholds and routing', () => {
  it.each([
    [0, 'do_not_contact'],
    [39, 'do_not_contact'],
    [40, 'enriched'],
    [59, 'enriched'],
    [60, 'contactable'],
    [100, 'contactable'],
  ] as const)('score %i is %s', (score, status) => {
    expect(statusForScore(score)).toBe(status);
  });

  it('lands real leads on each side of 40 and 60', () => {
    // 39 and 59 are unreachable with 10-point steps; statusForScore covers them above.
    expect(scoreLead(lead({ contacts: [phone()], ownerOccupied: true })).status).toBe('enriched');
    expect(scoreLead(lead({ contacts: [email()], ownerOccupied: true, ...fit })).status).toBe('contactable');
    expect(scoreLead(lead({ contacts: [email()], ownerOccupied: true })).status).toBe('enriched');
    expect(scoreLead(lead({ contacts: [phone()] })).status).toBe('do_not_contact');
  });

  it('routes contactable → campaign, enriched → second_pass, do_not_contact → suppress', () => {
    expect(routeFor('contactable')).toBe('campaign');
    expect(routeFor('enriched')).toBe('second_pass');
    expect(routeFor('do_not_contact')).toBe('suppress');
  });
});
