import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { mainCurrencyQuery, productDaysQuery, productPageQuery } from './product-query.ts';
import type { ProductPerformanceSpec } from './product-spec.ts';

const spec: ProductPerformanceSpec = {
  tenantId: 'acme',
  from: '2026-11-01',
  to: '2026-11-08',
  currency: 'EUR',
  sort: 'revenue',
  direction: 'desc',
  search: 'shoe',
  limit: 50,
  after: { value: 120.5, productId: 'sku-9' },
};

describe('the product table queries, as each warehouse receives them', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    it(warehouse.engine, async () => {
      const text = [
        productPageQuery(warehouse, spec),
        productDaysQuery(warehouse, spec, ['sku-1', 'sku-2']),
        mainCurrencyQuery(warehouse, spec),
      ]
        .map((query) => {
          const compiled = compileFor(warehouse, query);
          return `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`;
        })
        .join('\n');
      await expect(text).toMatchFileSnapshot(`__golden__/products.${warehouse.engine}.sql`);
    });
  }
});
