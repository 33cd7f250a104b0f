import { describe, expect, it } from 'vitest';
import { formatUsd, microsToUsd, usdToMicros } from '../../src/domain/money.js';

describe('money', () => {
  it('parses dollar amounts exactly into micro-dollars', () => {
    expect(usdToMicros('200.00')).toBe(200_000_000);
    expect(usdToMicros('0.002')).toBe(2_000);
    expect(usdToMicros('$0.07')).toBe(70_000);
    expect(usdToMicros('12')).toBe(12_000_000);
    expect(usdToMicros(0.25)).toBe(250_000);
  });
  it('rejects what is not an amount', () => {
    expect(() => usdToMicros('-1')).toThrow('not a dollar amount: "-1"');
    expect(() => usdToMicros('1.0000001')).toThrow('not a dollar amount');
    expect(() => usdToMicros('abc')).toThrow('not a dollar amount');
  });
  it('converts back for reports', () => {
    expect(microsToUsd(560_000)).toBe(0.56);
    expect(formatUsd(560_000)).toBe('$0.56');
    expect(formatUsd(2_000)).toBe('$0.002');
  });
});
