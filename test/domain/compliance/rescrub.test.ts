import { describe, expect, it } from 'vitest';
import { decideRescrub, type ComplianceAnswer } from '../../../src/domain/compliance/rescrub.js';

const T0 = '2027-01-01T00:00:00.000Z';
const dncAnswer = (dnc: boolean, answeredAt = T0): ComplianceAnswer => ({
  provider: 'dnc-check',
  dnc,
  tcpa: null,
  litigator: null,
  answeredAt,
});
const tcpaAnswer = (tcpa: boolean, answeredAt = T0): ComplianceAnswer => ({
  provider: 'tcpa-check',
  dnc: null,
  tcpa,
  litigator: null,
  answeredAt,
});

describe('decideRescrub', () => {
  it('a complete DNC + TCPA answer is fresh, replaces both flags, and keeps litigator', () => {
    expect(decideRescrub([dncAnswer(false), tcpaAnswer(true)])).toEqual({
      kind: 'fresh',
      dnc: false,
      tcpa: true,
      litigator: null,
      source: 'dnc-check,tcpa-check',
      checkedAt: T0,
      expiresAt: '2027-02-01T00:00:00.000Z',
    });
  });

  it('dates the check by its oldest answer (a cached one is as old as its call)', () => {
    const d = decideRescrub([dncAnswer(true, '2027-01-10T00:00:00.000Z'), tcpaAnswer(false, T0)]);
    expect(d).toMatchObject({ kind: 'fresh', dnc: true, tcpa: false, checkedAt: T0 });
  });

  it('raises a flag when any provider raised it', () => {
    const other: ComplianceAnswer = { ...dncAnswer(true), provider: 'verification', tcpa: false };
    expect(decideRescrub([dncAnswer(false), other])).toMatchObject({ kind: 'fresh', dnc: true, tcpa: false });
  });

  it('is incomplete when a provider gave no answer: raises only, never clears', () => {
    expect(decideRescrub([dncAnswer(true), null])).toEqual({
      kind: 'incomplete',
      raise: { dnc: true, tcpa: false, litigator: false },
    });
    expect(decideRescrub([dncAnswer(false), null])).toEqual({
      kind: 'incomplete',
      raise: { dnc: false, tcpa: false, litigator: false },
    });
  });

  it('is incomplete when an answer checked nothing (a number the vendor could not check)', () => {
    const blank: ComplianceAnswer = { ...dncAnswer(false), dnc: null };
    expect(decideRescrub([blank, tcpaAnswer(true)])).toEqual({
      kind: 'incomplete',
      raise: { dnc: false, tcpa: true, litigator: false },
    });
  });

  it('never restarts the clock without a DNC answer', () => {
    expect(decideRescrub([tcpaAnswer(false)])).toEqual({
      kind: 'incomplete',
      raise: { dnc: false, tcpa: false, litigator: false },
    });
  });

  it('asks nobody: incomplete', () => {
    expect(decideRescrub([])).toMatchObject({ kind: 'incomplete' });
  });
});
