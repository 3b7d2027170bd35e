import type { WarehouseSql } from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { ORDER_COMPLETED } from '../../events/commerce-events.ts';
import type { LtvSpec } from './ltv-spec.ts';

/**
 * Per group: a row with `currency` null holding the people of the group, then one row per
 * currency they paid in, with paying people, orders and revenue (exact decimal text).
 */
export interface LtvRow {
  grp: string | Date;
  currency: string | null;
  persons: number | string | bigint;
  orders: number | string | bigint | null;
  revenue: string | null;
}

/** Realised LTV as one SQL statement, written once for every warehouse. */
export function ltvQuery(warehouse: WarehouseSql, spec: LtvSpec): RawBuilder<LtvRow> {
  const text = sql.raw(warehouse.typeName('text'));
  const from = warehouse.timestamp(spec.from);
  const to = warehouse.timestamp(spec.to);
  // A person's first time is an aggregate (no sort of all events); by channel, the events
  // at that time are read again, equal times ordered by event id.
  const people =
    spec.by === 'cohort'
      ? sql`
          SELECT f.person_id, ${warehouse.truncate(spec.unit, sql.ref('f.first_at'))} AS grp
          FROM firsts AS f WHERE f.first_at >= ${from} AND f.first_at < ${to}`
      : sql`
          SELECT c.person_id, COALESCE(c.channel, 'direct') AS grp
          FROM (
            SELECT e.person_id, e.session_channel AS channel,
                   ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.event_id) AS n
            FROM firsts AS f
            JOIN events AS e ON e.person_id = f.person_id AND ${sql.ref('e.timestamp')} = f.first_at
            WHERE e.tenant_id = ${spec.tenantId} AND f.first_at >= ${from} AND f.first_at < ${to}) AS c
          WHERE c.n = 1`;
  return sql<LtvRow>`
    WITH firsts AS (
      SELECT e.person_id, MIN(${sql.ref('e.timestamp')}) AS first_at
      FROM events AS e
      WHERE e.tenant_id = ${spec.tenantId}
      GROUP BY e.person_id),
    people AS (${people}),
    spend AS (
      SELECT e.person_id, e.currency, COUNT(*) AS orders, SUM(e.revenue) AS revenue
      FROM events AS e
      WHERE e.tenant_id = ${spec.tenantId} AND ${sql.ref('e.type')} = 'track' AND ${sql.ref('e.event')} = ${ORDER_COMPLETED}
        AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
      GROUP BY e.person_id, e.currency)
    SELECT p.grp, CAST(NULL AS ${text}) AS currency, COUNT(*) AS persons, CAST(NULL AS ${sql.raw(warehouse.typeName('integer'))}) AS orders,
           CAST(NULL AS ${text}) AS revenue
    FROM people AS p GROUP BY p.grp
    UNION ALL
    SELECT p.grp, s.currency, COUNT(*) AS persons, SUM(s.orders) AS orders, CAST(SUM(s.revenue) AS ${text}) AS revenue
    FROM people AS p JOIN spend AS s ON s.person_id = p.person_id
    GROUP BY p.grp, s.currency`;
}
