import type { ColumnSpec, Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { FUNNEL_DAY_TIMES, FUNNEL_DAYS_TABLE } from '../analytics/funnel/funnel-days-query.ts';
import { EVENT_COLUMNS } from '../pipeline/lake/event-columns.ts';
import { PROFILE_COLUMNS, SESSION_COLUMNS } from '../pipeline/lake/snapshot-columns.ts';

const columns = (specs: readonly ColumnSpec[]) => specs.map((c) => `"${c.name}" ${c.type}`).join(', ');

/**
 * The embedded warehouse's curated tables (DuckDB). `events` is the lake's events with the
 * UTC day they fall in; `order_items` unnests `Order Completed` products; sessions and
 * persons keep the latest lake snapshot of each; `product_daily` and
 * `product_revenue_daily` aggregate commerce events per product and day; `funnel_days`
 * keeps saved funnels' best attempts per person and day. `lake_files` and
 * `partition_loads` say what was loaded and when (freshness and cache versions).
 */
export const CURATED_TABLES = [
  `CREATE TABLE IF NOT EXISTS events (${columns(EVENT_COLUMNS)}, day DATE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS order_items (tenant_id VARCHAR, event_id VARCHAR, person_id UUID, "timestamp" TIMESTAMPTZ,
     day DATE, order_id VARCHAR, product_id VARCHAR, name VARCHAR, category VARCHAR, price DECIMAL(20,4),
     quantity INTEGER, currency VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS sessions (${columns(SESSION_COLUMNS)}, PRIMARY KEY (tenant_id, session_id))`,
  `CREATE TABLE IF NOT EXISTS persons (${columns(PROFILE_COLUMNS)}, PRIMARY KEY (tenant_id, person_id))`,
  `CREATE TABLE IF NOT EXISTS product_daily (tenant_id VARCHAR, day DATE, product_id VARCHAR, views BIGINT,
     adds BIGINT, purchases BIGINT, units BIGINT)`,
  `CREATE TABLE IF NOT EXISTS product_revenue_daily (tenant_id VARCHAR, day DATE, product_id VARCHAR,
     currency VARCHAR, revenue DECIMAL(38,4))`,
  ...funnelDayTables('UUID'),
  `CREATE TABLE IF NOT EXISTS lake_files (key VARCHAR PRIMARY KEY, loaded_at TIMESTAMPTZ NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS partition_loads (tenant_id VARCHAR, day DATE, loaded_at TIMESTAMPTZ NOT NULL,
     events BIGINT NOT NULL, PRIMARY KEY (tenant_id, day))`,
] as const;

/** Saved funnels' rows (see funnel-materializer.ts), and when each funnel's were last refreshed. */
export function funnelDayTables(personIdType: string): string[] {
  const times = FUNNEL_DAY_TIMES.map((t) => `${t} TIMESTAMPTZ`).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${FUNNEL_DAYS_TABLE} (funnel_key VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
       entered_on TIMESTAMPTZ NOT NULL, person_id ${personIdType} NOT NULL, breakdown VARCHAR, reached INTEGER NOT NULL, ${times})`,
    `CREATE TABLE IF NOT EXISTS funnel_builds (funnel_key VARCHAR NOT NULL, tenant_id VARCHAR NOT NULL,
       refreshed_at TIMESTAMPTZ NOT NULL)`,
  ];
}

export async function createCuratedTables(warehouse: Warehouse): Promise<void> {
  for (const ddl of CURATED_TABLES) await sql.raw(ddl).execute(warehouse.db);
}
