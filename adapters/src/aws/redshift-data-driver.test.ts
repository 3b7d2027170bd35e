import { describe, expect, it } from 'vitest';
import { toNamedParameters } from './redshift-data-driver.ts';

describe('toNamedParameters', () => {
  it('renames $n placeholders for the Data API, leaves quoted text alone, and writes nulls as NULL', () => {
    const { sql, parameters } = toNamedParameters(
      `SELECT '$1 stays', "col$2" FROM t WHERE a = $1 AND b = $2 AND c IS NOT DISTINCT FROM $3 AND d < $10`,
      ['x', 42, null, 1, 2, 3, 4, 5, 6, new Date('2026-11-01T00:00:00.000Z')],
    );
    expect(sql).toBe(
      `SELECT '$1 stays', "col$2" FROM t WHERE a = :p1 AND b = :p2 AND c IS NOT DISTINCT FROM NULL AND d < :p10`,
    );
    expect(parameters).toEqual([
      { name: 'p1', value: 'x' },
      { name: 'p2', value: '42' },
      { name: 'p10', value: '2026-11-01T00:00:00.000Z' },
    ]);
  });
});
