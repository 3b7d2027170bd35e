import { describe, expect, it } from 'vitest';
import { isIsoTimestamp } from './iso-timestamp.ts';

describe('isIsoTimestamp', () => {
  it('takes ISO 8601 times with an offset, to the nanosecond', () => {
    for (const value of [
      '2026-11-26T10:00:00Z',
      '2026-11-26T10:00:00.123Z',
      '2026-11-26T10:00:00.123456789+02:00',
      '2028-02-29T23:59:59-05:00',
      '2000-02-29T00:00:00Z',
      '0000-02-29T00:00:00Z', // year 0 is a leap year in the proleptic Gregorian calendar, as in JavaScript
      '2026-12-31T00:00:00Z',
    ])
      expect(isIsoTimestamp(value), value).toBe(true);
  });

  it('refuses dates that do not exist, times without an offset, and what is not text', () => {
    for (const value of [
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-11-00T00:00:00Z',
      '2026-11-26T25:00:00Z',
      '2026-11-26T10:00:00',
      '2026-11-26 10:00:00Z',
      '2026-11-26T10:00:00.1234567890Z',
      'not a time',
      1764151200000,
      null,
    ])
      expect(isIsoTimestamp(value), String(value)).toBe(false);
  });
});
