import type { WarehouseSql } from '@livora/adapters/ports';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ORDER_COMPLETED, PRODUCT_ADDED, PRODUCT_VIEWED } from '../events/commerce-events.ts';

/**
 * What the curated tables derive from a day's events, on any engine: order items of its
 * `Order Completed` events (the products array, each product's price and quantity checked
 * as numbers), and per-product views, adds, purchases, units and revenue.
 */
// biome-ignore lint/suspicious/noExplicitAny: curated tables are not typed
export async function deriveDay(tx: Kysely<any>, w: WarehouseSql, tenantId: string, day: string): Promise<void> {
  for (const statement of deriveDayStatements(w, tenantId, day)) await statement.execute(tx);
}

/** The statements of deriveDay, in order (order items first: the product tables read them). */
export function deriveDayStatements(w: WarehouseSql, tenantId: string, day: string): RawBuilder<unknown>[] {
  const ofDay = sql`tenant_id = ${tenantId} AND day = CAST(${day} AS DATE)`;
  const text = (value: unknown) => sql`CAST(${value} AS ${sql.raw(w.typeName('text'))})`;
  const { join, element } = w.jsonArrayElements(sql.ref('e.properties'), 'products');
  const field = (key: string) => w.jsonText(element, key);
  const orderItems = sql`
    INSERT INTO order_items (tenant_id, event_id, person_id, ${sql.ref('timestamp')}, day, order_id, product_id, name,
                             category, price, quantity, currency)
    SELECT e.tenant_id, e.event_id, e.person_id, ${sql.ref('e.timestamp')}, e.day, e.order_id,
           COALESCE(${field('product_id')}, ${field('sku')}), ${field('name')}, ${field('category')},
           ${w.tryCast(field('price'), 'decimal')}, COALESCE(${w.tryCast(field('quantity'), 'integer')}, 1), e.currency
    FROM events AS e ${join}
    WHERE e.tenant_id = ${tenantId} AND e.day = CAST(${day} AS DATE) AND e.type = 'track' AND e.event = ${ORDER_COMPLETED}`;
  const is = (name: string) => sql`CASE WHEN event = ${name} THEN 1 ELSE 0 END`;
  const productDaily = sql`
    INSERT INTO product_daily (tenant_id, day, product_id, views, adds, purchases, units)
    SELECT ${text(tenantId)}, CAST(${day} AS DATE), product_id, SUM(views), SUM(adds), SUM(purchases), SUM(units)
    FROM (
      SELECT ${w.jsonText(sql.ref('properties'), 'product_id')} AS product_id, ${is(PRODUCT_VIEWED)} AS views,
             ${is(PRODUCT_ADDED)} AS adds, 0 AS purchases, 0 AS units
      FROM events WHERE ${ofDay} AND type = 'track' AND event IN (${PRODUCT_VIEWED}, ${PRODUCT_ADDED})
      UNION ALL
      SELECT product_id, 0, 0, COUNT(DISTINCT event_id), SUM(quantity) FROM order_items WHERE ${ofDay} GROUP BY product_id
    ) AS activity
    WHERE product_id IS NOT NULL
    GROUP BY product_id`;
  const productRevenue = sql`
    INSERT INTO product_revenue_daily (tenant_id, day, product_id, currency, revenue)
    SELECT ${text(tenantId)}, CAST(${day} AS DATE), product_id, currency, SUM(price * quantity)
    FROM order_items WHERE ${ofDay} AND product_id IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
    GROUP BY product_id, currency`;
  return [orderItems, productDaily, productRevenue];
}
