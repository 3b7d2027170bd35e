import type { Warehouse } from '@livora/adapters/ports';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { productDaysQuery, productPageQuery } from '../../src/analytics/products/product-query.ts';
import {
  decodeCursor,
  type ProductPerformance,
  shapeProductPage,
} from '../../src/analytics/products/product-result.ts';
import { PRODUCT_SORTS, type ProductPerformanceSpec } from '../../src/analytics/products/product-spec.ts';
import { createProductTables, type ProductDayFact, putProductDays } from './support/product-days.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const warehouses = useTestWarehouses();
beforeAll(async () => {
  for (const warehouse of warehouses) await createProductTables(warehouse);
});

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];
const factArb = fc.record({
  day: fc.constantFrom(...DAYS),
  product_id: fc.constantFrom('sku-1', 'sku-2', 'SKU-3', 'bag-1', 'bag-2', 'hat'),
  // Small numbers: ties in the sort column are common, so the tie-break is exercised.
  views: fc.integer({ min: 0, max: 3 }),
  adds: fc.integer({ min: 0, max: 2 }),
  purchases: fc.integer({ min: 0, max: 2 }),
  units: fc.integer({ min: 0, max: 3 }),
  revenue: fc.record(
    { EUR: fc.constantFrom('0.0000', '9.9900', '10.0000'), USD: fc.constantFrom('1.5000', '0.0000') },
    {
      requiredKeys: [],
    },
  ),
});
// At most one fact per product and day (what the loads make).
const factsArb = fc.uniqueArray(factArb, { selector: (f) => `${f.day}|${f.product_id}`, maxLength: 20 });

/** The table by brute force: sums per product in range, sorted, ties by product id. */
function reference(facts: readonly ProductDayFact[], spec: ProductPerformanceSpec) {
  const byProduct = new Map<string, { views: number; adds: number; purchases: number; units: number; cents: number }>();
  for (const f of facts) {
    if (f.day < spec.from || f.day >= spec.to) continue;
    if (spec.search && !f.product_id.toLowerCase().includes(spec.search.toLowerCase())) continue;
    const t = byProduct.get(f.product_id) ?? { views: 0, adds: 0, purchases: 0, units: 0, cents: 0 };
    t.views += f.views;
    t.adds += f.adds;
    t.purchases += f.purchases;
    t.units += f.units;
    t.cents += Math.round(Number(f.revenue[spec.currency] ?? '0') * 10_000);
    byProduct.set(f.product_id, t);
  }
  const rows = [...byProduct].map(([productId, t]) => ({
    productId,
    views: t.views,
    adds: t.adds,
    purchases: t.purchases,
    units: t.units,
    revenue: (t.cents / 10_000).toFixed(4),
    conversion: t.views === 0 ? 0 : t.purchases / t.views,
  }));
  const value = (r: (typeof rows)[number]) => (spec.sort === 'revenue' ? Number(r.revenue) : r[spec.sort]);
  const sign = spec.direction === 'asc' ? 1 : -1;
  return rows.sort((a, b) => sign * (value(a) - value(b)) || (a.productId < b.productId ? -1 : 1));
}

async function allPages(warehouse: Warehouse, spec: ProductPerformanceSpec): Promise<ProductPerformance[]> {
  const rows: ProductPerformance[] = [];
  let cursor: string | null = null;
  do {
    const page: ProductPerformanceSpec = cursor ? { ...spec, after: decodeCursor(cursor) } : spec;
    const { rows: found } = await productPageQuery(warehouse.sql, page).execute(warehouse.db);
    const ids = found.slice(0, spec.limit).map((r) => r.product_id);
    const days = ids.length > 0 ? (await productDaysQuery(warehouse.sql, page, ids).execute(warehouse.db)).rows : [];
    const shaped = shapeProductPage(page, found, days);
    rows.push(...shaped.rows);
    cursor = shaped.nextCursor;
  } while (cursor);
  return rows;
}

describe('the product table', () => {
  it('pages through the reference’s sorted rows exactly, on DuckDB and on Redshift’s SQL (run on PostgreSQL)', async () => {
    await fc.assert(
      fc.asyncProperty(
        factsArb,
        fc.record({
          sort: fc.constantFrom(...PRODUCT_SORTS),
          direction: fc.constantFrom('asc' as const, 'desc' as const),
          search: fc.constantFrom(undefined, 'sku', 'BAG'),
          limit: fc.integer({ min: 1, max: 4 }),
          currency: fc.constantFrom('EUR', 'USD'),
          from: fc.constantFrom('2026-11-01', '2026-11-02'),
        }),
        async (facts, drafted) => {
          const spec: ProductPerformanceSpec = {
            tenantId: 'acme',
            to: '2026-11-04',
            ...drafted,
            ...(drafted.search ? { search: drafted.search } : { search: undefined }),
          } as ProductPerformanceSpec;
          const expected = reference(facts, spec);
          for (const warehouse of warehouses) {
            await putProductDays(warehouse, 'acme', facts);
            const rows = await allPages(warehouse, spec);
            expect(
              rows.map(({ series, ...row }) => row),
              warehouse.sql.engine,
            ).toEqual(expected);
            for (const row of rows) {
              expect(row.series.map((d) => d.day)).toEqual(DAYS.filter((d) => d >= spec.from && d < spec.to));
              expect(row.series.reduce((n, d) => n + d.views, 0)).toBe(row.views);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
