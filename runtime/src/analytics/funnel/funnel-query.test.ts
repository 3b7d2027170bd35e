import { compileFor, UnsupportedInWarehouseError } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { funnelQuery } from './funnel-query.ts';
import type { FunnelOrder, FunnelSpec } from './funnel-spec.ts';

const spec = (order: FunnelOrder): FunnelSpec => ({
  tenantId: 'acme',
  steps: [
    { event: '$pageview', filters: [{ property: '$page_path', operator: 'contains', value: '/p/' }] },
    { event: 'Product Added', filters: [{ property: 'category', operator: 'in', value: ['shoes', 'bags'] }] },
    { event: 'Order Completed', filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }] },
  ],
  from: new Date('2026-11-01T00:00:00.000Z'),
  to: new Date('2026-11-08T00:00:00.000Z'),
  windowSeconds: 7 * 86_400,
  order,
  // The strict one also reads the persons table: a trait breakdown and a first-seen cohort; and a segment's people.
  ...(order === 'strict'
    ? {
        breakdown: { property: 'plan', of: 'person' as const },
        cohort: {
          firstSeenFrom: new Date('2026-10-01T00:00:00.000Z'),
          firstSeenTo: new Date('2026-11-01T00:00:00.000Z'),
        },
        persons: ['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002'],
      }
    : { breakdown: { property: '$utm_source' } }),
});

describe('the funnel query, as each warehouse receives it', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    for (const order of ['ordered', 'strict', 'any'] as const) {
      it(`${warehouse.engine}, ${order}`, async () => {
        const compiled = compileFor(warehouse, funnelQuery(warehouse, spec(order)));
        await expect(
          `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`,
        ).toMatchFileSnapshot(`__golden__/funnel.${order}.${warehouse.engine}.sql`);
      });
    }
  }

  it('is refused, not approximated, where the warehouse has no regular expressions', () => {
    const regex: FunnelSpec = {
      ...spec('ordered'),
      steps: [{ event: 'A', filters: [{ property: 'plan', operator: 'regex', value: '^pro' }] }, { event: 'B' }],
    };
    for (const warehouse of WAREHOUSE_SPELLINGS) {
      const compile = () => compileFor(warehouse, funnelQuery(warehouse, regex));
      if (warehouse.engine === 'synapse') expect(compile).toThrow(UnsupportedInWarehouseError);
      else expect(compile().parameters).toContain('^pro');
    }
  });

  it('needs 2 to 10 steps', () => {
    const [warehouse] = WAREHOUSE_SPELLINGS;
    if (!warehouse) throw new Error('no warehouse');
    expect(() => funnelQuery(warehouse, { ...spec('ordered'), steps: [{ event: 'A' }] })).toThrow(/2 to 10 steps/);
  });
});
