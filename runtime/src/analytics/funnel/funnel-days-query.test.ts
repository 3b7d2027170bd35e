import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { funnelDaysQuery, funnelFromDaysQuery } from './funnel-days-query.ts';
import type { FunnelSpec } from './funnel-spec.ts';
import { readsWholeDays, savedFunnelOf } from './saved-funnel.ts';

const spec: FunnelSpec = {
  tenantId: 'acme',
  steps: [
    { event: 'Product Viewed' },
    { event: 'Product Added', filters: [{ property: 'category', operator: 'in', value: ['shoes', 'bags'] }] },
    { event: 'Order Completed' },
  ],
  from: new Date('2026-11-01T00:00:00.000Z'),
  to: new Date('2026-11-08T00:00:00.000Z'),
  windowSeconds: 7 * 86_400,
  order: 'ordered',
  breakdown: { property: 'plan', of: 'person' },
  cohort: { firstSeenFrom: new Date('2026-10-01T00:00:00.000Z'), firstSeenTo: new Date('2026-11-01T00:00:00.000Z') },
};

const golden = (sql: string, parameters: readonly unknown[]) =>
  `${sql.trim()}\n-- parameters: ${JSON.stringify(parameters)}\n`;

describe('saved funnels’ day rows, as each warehouse receives them', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    it(`${warehouse.engine}: the rows kept per person and day`, async () => {
      const compiled = compileFor(warehouse, funnelDaysQuery(warehouse, savedFunnelOf(spec).definition, spec));
      await expect(golden(compiled.sql, compiled.parameters)).toMatchFileSnapshot(
        `__golden__/funnel-days.${warehouse.engine}.sql`,
      );
    });
    it(`${warehouse.engine}: the funnel read from them`, async () => {
      const compiled = compileFor(warehouse, funnelFromDaysQuery(warehouse, spec, savedFunnelOf(spec).key));
      await expect(golden(compiled.sql, compiled.parameters)).toMatchFileSnapshot(
        `__golden__/funnel-from-days.${warehouse.engine}.sql`,
      );
    });
  }
});

describe('a saved funnel’s key', () => {
  it('is the same for the same funnel, whatever the range, cohort, trait breakdown or filter order', () => {
    const filters = [
      { property: 'a', operator: 'eq' as const, value: '1' },
      { property: 'b', operator: 'is_set' as const },
    ];
    const one = savedFunnelOf({ ...spec, steps: [{ event: 'A', filters }, { event: 'B' }] });
    const other = savedFunnelOf({
      tenantId: 'acme',
      steps: [
        { event: 'A', filters: [...filters].reverse() },
        { event: 'B', filters: [] },
      ],
      from: new Date(0),
      to: new Date(86_400_000),
      windowSeconds: 7 * 86_400,
      order: 'ordered',
    });
    expect(other.key).toBe(one.key);
  });

  it('differs with the steps, window, order, entry-event breakdown or tenant', () => {
    const base = savedFunnelOf(spec).key;
    expect(savedFunnelOf({ ...spec, windowSeconds: 86_400 }).key).not.toBe(base);
    expect(savedFunnelOf({ ...spec, order: 'strict' }).key).not.toBe(base);
    expect(savedFunnelOf({ ...spec, breakdown: { property: 'plan' } }).key).not.toBe(base);
    expect(savedFunnelOf({ ...spec, tenantId: 'globex' }).key).not.toBe(base);
    expect(savedFunnelOf({ ...spec, steps: spec.steps.slice(0, 2) }).key).not.toBe(base);
  });

  it('answers only ranges of whole UTC days', () => {
    expect(readsWholeDays(spec)).toBe(true);
    expect(readsWholeDays({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-01T12:00:00Z') })).toBe(
      false,
    );
  });
});
