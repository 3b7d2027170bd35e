import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { ltvQuery } from './ltv-query.ts';

describe('the LTV query, as each warehouse receives it', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    for (const by of ['cohort', 'channel'] as const) {
      it(`${warehouse.engine}, by ${by}`, async () => {
        const spec = {
          tenantId: 'acme',
          by,
          unit: 'month' as const,
          from: new Date('2026-01-01T00:00:00.000Z'),
          to: new Date('2026-11-01T00:00:00.000Z'),
        };
        const compiled = compileFor(warehouse, ltvQuery(warehouse, spec));
        await expect(
          `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`,
        ).toMatchFileSnapshot(`__golden__/ltv.${by}.${warehouse.engine}.sql`);
      });
    }
  }
});
