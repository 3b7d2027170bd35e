import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney, shareOf } from './money.ts';

describe('money', () => {
  it('reads decimal text exactly, whatever trailing zeros an engine prints', () => {
    expect(parseMoney('12')).toBe(120_000n);
    expect(parseMoney('12.5')).toBe(125_000n);
    expect(parseMoney('12.500000')).toBe(125_000n);
    expect(parseMoney('-0.0001')).toBe(-1n);
    expect(parseMoney('99999999999999.9999')).toBe(999_999_999_999_999_999n);
  });

  it('refuses what is not an amount with at most 4 places', () => {
    for (const bad of ['', '1e3', '0.12345', '12,5', 'NaN']) expect(() => parseMoney(bad)).toThrow(RangeError);
  });

  it('writes 4 places and shares out rounding half away from zero', () => {
    expect(formatMoney(125_000n)).toBe('12.5000');
    expect(formatMoney(-1n)).toBe('-0.0001');
    expect(formatMoney(shareOf(100_000n, 3))).toBe('3.3333');
    expect(formatMoney(shareOf(5n, 2))).toBe('0.0003');
    expect(formatMoney(shareOf(-5n, 2))).toBe('-0.0003');
    expect(shareOf(10n, 0)).toBe(0n);
  });
});
