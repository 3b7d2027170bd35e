import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { retentionQuery } from './retention-query.ts';
import type { RetentionSpec } from './retention-spec.ts';

const spec = (unit: RetentionSpec['unit']): RetentionSpec => ({
  tenantId: 'acme',
  start: { event: 'Signed Up' },
  return: { event: 'Order Completed', filters: [{ property: 'currency', operator: 'eq', value: 'EUR' }] },
  unit,
  from: new Date('2026-09-01T00:00:00.000Z'),
  to: new Date('2026-11-24T00:00:00.000Z'),
  periods: 12,
});

describe('the retention query, as each warehouse receives it', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    for (const unit of ['day', 'week', 'month'] as const) {
      it(`${warehouse.engine}, by ${unit}`, async () => {
        const compiled = compileFor(warehouse, retentionQuery(warehouse, spec(unit)));
        await expect(
          `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`,
        ).toMatchFileSnapshot(`__golden__/retention.${unit}.${warehouse.engine}.sql`);
      });
    }
  }

  it('has 2 to 53 periods', () => {
    const [warehouse] = WAREHOUSE_SPELLINGS;
    if (!warehouse) throw new Error('no warehouse');
    expect(() => retentionQuery(warehouse, { ...spec('week'), periods: 1 })).toThrow(/2 to 53 periods/);
    expect(() => retentionQuery(warehouse, { ...spec('week'), periods: 54 })).toThrow(/2 to 53 periods/);
  });
});
