import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { kpiQuery } from './kpi-query.ts';

describe('the KPI query, as each warehouse receives it', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    it(warehouse.engine, async () => {
      const spec = {
        tenantId: 'acme',
        from: new Date('2026-11-01T00:00:00.000Z'),
        to: new Date('2026-11-08T00:00:00.000Z'),
      };
      const compiled = compileFor(warehouse, kpiQuery(warehouse, spec));
      await expect(
        `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`,
      ).toMatchFileSnapshot(`__golden__/kpis.${warehouse.engine}.sql`);
    });
  }
});
