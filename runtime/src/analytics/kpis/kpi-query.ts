import type { SqlExpression, WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { ORDER_COMPLETED } from '../../events/commerce-events.ts';

/** One period's figures, as labelled rows: `metric`, `currency` (revenue only), `value` as text. */
export interface KpiRow {
  metric: 'active' | 'buyers' | 'orders' | 'daily_active_sum' | 'wau' | 'mau' | 'revenue';
  currency: string | null;
  value: string | null;
}

const DAY_SECONDS = 86_400;

/**
 * The KPIs of [from, to) as one SQL statement: active people, buyers and orders; the sum
 * over days (the curated UTC `day`) of each day's active people (DAU is that over the number of days); WAU and MAU
 * (active people in the 7 and 30 days before `to`); revenue per currency.
 */
export function kpiQuery(
  warehouse: WarehouseSql,
  spec: { tenantId: string; from: Date; to: Date },
): RawBuilder<KpiRow> {
  const text = sql.raw(warehouse.typeName('text'));
  const at = sql.ref('e.timestamp');
  const to = warehouse.timestamp(spec.to);
  const between = (start: SqlExpression) => sql`e.tenant_id = ${spec.tenantId} AND ${at} >= ${start} AND ${at} < ${to}`;
  const inRange = between(warehouse.timestamp(spec.from));
  const isOrder = sql`${sql.ref('e.type')} = 'track' AND ${sql.ref('e.event')} = ${ORDER_COMPLETED}`;
  const before = (days: number) => warehouse.plusSeconds(to, -days * DAY_SECONDS);
  return sql<KpiRow>`
    SELECT 'active' AS metric, CAST(NULL AS ${text}) AS currency, CAST(COUNT(DISTINCT e.person_id) AS ${text}) AS value
    FROM events AS e WHERE ${inRange}
    UNION ALL
    SELECT 'buyers', NULL, CAST(COUNT(DISTINCT CASE WHEN ${isOrder} THEN e.person_id END) AS ${text})
    FROM events AS e WHERE ${inRange}
    UNION ALL
    SELECT 'orders', NULL, CAST(SUM(CASE WHEN ${isOrder} THEN 1 ELSE 0 END) AS ${text})
    FROM events AS e WHERE ${inRange}
    UNION ALL
    SELECT 'daily_active_sum', NULL, CAST(SUM(d.people) AS ${text})
    FROM (SELECT e.day, COUNT(DISTINCT e.person_id) AS people FROM events AS e WHERE ${inRange} GROUP BY e.day) AS d
    UNION ALL
    SELECT 'wau', NULL, CAST(COUNT(DISTINCT e.person_id) AS ${text}) FROM events AS e WHERE ${between(before(7))}
    UNION ALL
    SELECT 'mau', NULL, CAST(COUNT(DISTINCT e.person_id) AS ${text}) FROM events AS e WHERE ${between(before(30))}
    UNION ALL
    SELECT 'revenue', e.currency, CAST(SUM(e.revenue) AS ${text})
    FROM events AS e WHERE ${inRange} AND ${isOrder} AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
    GROUP BY e.currency`;
}
