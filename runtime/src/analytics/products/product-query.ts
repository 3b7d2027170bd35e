import type { WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import type { ProductPerformanceSpec } from './product-spec.ts';

export interface ProductRow {
  product_id: string;
  views: number | string | bigint;
  adds: number | string | bigint;
  purchases: number | string | bigint;
  units: number | string | bigint;
  revenue: string;
  conversion: number | string;
  /** The sort column's value, as a number (the next page's cursor). */
  sort_value: number | string;
}

export interface ProductDayRow {
  product_id: string;
  day: Date | string;
  views: number | string | bigint;
  purchases: number | string | bigint;
  revenue: string | null;
}

/** One page of the product table (one row more than asked: it says whether another page follows). */
export function productPageQuery(warehouse: WarehouseSql, spec: ProductPerformanceSpec): RawBuilder<ProductRow> {
  const float = sql.raw(warehouse.typeName('float'));
  const text = sql.raw(warehouse.typeName('text'));
  const range = (alias: string) =>
    sql`${sql.ref(`${alias}.tenant_id`)} = ${spec.tenantId} AND ${sql.ref(`${alias}.day`)} >= CAST(${spec.from} AS DATE) AND ${sql.ref(`${alias}.day`)} < CAST(${spec.to} AS DATE)`;
  const search = spec.search ? sql`AND ${warehouse.contains(sql.ref('d.product_id'), spec.search)}` : sql``;
  const sortValue = sql`CAST(${sql.ref(`r.${spec.sort}`)} AS ${float})`;
  const direction = spec.direction === 'asc' ? sql`ASC` : sql`DESC`;
  const after = spec.after
    ? spec.direction === 'asc'
      ? sql`WHERE p.sort_value > ${spec.after.value} OR (p.sort_value = ${spec.after.value} AND p.product_id > ${spec.after.productId})`
      : sql`WHERE p.sort_value < ${spec.after.value} OR (p.sort_value = ${spec.after.value} AND p.product_id > ${spec.after.productId})`
    : sql``;
  return sql<ProductRow>`
    WITH totals AS (
      SELECT d.product_id, SUM(d.views) AS views, SUM(d.adds) AS adds, SUM(d.purchases) AS purchases, SUM(d.units) AS units
      FROM product_daily AS d
      WHERE ${range('d')} ${search}
      GROUP BY d.product_id),
    revenue AS (
      SELECT v.product_id, SUM(v.revenue) AS revenue
      FROM product_revenue_daily AS v
      WHERE ${range('v')} AND v.currency = ${spec.currency}
      GROUP BY v.product_id),
    product_rows AS (
      SELECT t.product_id, t.views, t.adds, t.purchases, t.units, COALESCE(m.revenue, 0) AS revenue,
             CASE WHEN t.views = 0 THEN 0 ELSE CAST(t.purchases AS ${float}) / t.views END AS conversion
      FROM totals AS t LEFT JOIN revenue AS m ON m.product_id = t.product_id),
    page AS (SELECT r.*, ${sortValue} AS sort_value FROM product_rows AS r)
    SELECT p.product_id, p.views, p.adds, p.purchases, p.units, CAST(p.revenue AS ${text}) AS revenue, p.conversion, p.sort_value
    FROM page AS p
    ${after}
    ORDER BY p.sort_value ${direction}, p.product_id
    ${warehouse.firstRows(spec.limit + 1)}`;
}

/** The per-day series of the given products, for sparklines. */
export function productDaysQuery(
  warehouse: WarehouseSql,
  spec: ProductPerformanceSpec,
  productIds: readonly string[],
): RawBuilder<ProductDayRow> {
  const text = sql.raw(warehouse.typeName('text'));
  return sql<ProductDayRow>`
    SELECT d.product_id, d.day, d.views, d.purchases, CAST(v.revenue AS ${text}) AS revenue
    FROM product_daily AS d
    LEFT JOIN product_revenue_daily AS v
      ON v.tenant_id = d.tenant_id AND v.day = d.day AND v.product_id = d.product_id AND v.currency = ${spec.currency}
    WHERE d.tenant_id = ${spec.tenantId} AND d.day >= CAST(${spec.from} AS DATE) AND d.day < CAST(${spec.to} AS DATE)
      AND d.product_id IN (${sql.join(productIds.map((id) => sql`${id}`))})
    ORDER BY d.product_id, d.day`;
}

/** The currency most revenue was made in over the range (the table's default), or null without any. */
export function mainCurrencyQuery(
  warehouse: WarehouseSql,
  spec: Pick<ProductPerformanceSpec, 'tenantId' | 'from' | 'to'>,
): RawBuilder<{ currency: string }> {
  return sql<{ currency: string }>`
    SELECT v.currency FROM product_revenue_daily AS v
    WHERE v.tenant_id = ${spec.tenantId} AND v.day >= CAST(${spec.from} AS DATE) AND v.day < CAST(${spec.to} AS DATE)
    GROUP BY v.currency
    ORDER BY SUM(v.revenue) DESC, v.currency
    ${warehouse.firstRows(1)}`;
}
