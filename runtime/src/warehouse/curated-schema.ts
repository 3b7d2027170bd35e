import {
  type ColumnSpec,
  type ColumnType,
  NUMBERS_COUNT,
  NUMBERS_TABLE,
  type Warehouse,
  type WarehouseSql,
} from '@livora/adapters/ports';
import { type RawBuilder, sql } from 'kysely';
import { FUNNEL_DAY_TIMES, FUNNEL_DAYS_TABLE } from '../analytics/funnel/funnel-days-query.ts';
import { EVENT_COLUMNS } from '../pipeline/lake/event-columns.ts';
import { PROFILE_COLUMNS, SESSION_COLUMNS } from '../pipeline/lake/snapshot-columns.ts';

type Column = { readonly name: string; readonly type: ColumnType | 'DATE' };

/** Column definitions in the engine's types. */
export function columnsOf(warehouse: WarehouseSql, specs: readonly Column[]): RawBuilder<unknown>[] {
  return specs.map((c) => sql`${sql.ref(c.name)} ${sql.raw(warehouse.columnType(c.type))}`);
}

/**
 * The columns of the lake's Parquet files as they are written (a UUID as text): what a
 * staging table for a bulk load of them is made of.
 */
export function lakeFileColumns(specs: readonly ColumnSpec[]): ColumnSpec[] {
  return specs.map((c) => (c.type === 'UUID' ? { name: c.name, type: 'VARCHAR' } : c));
}

const text = (name: string): Column => ({ name, type: 'VARCHAR' });
const counted = (name: string): Column => ({ name, type: 'BIGINT' });

export const ORDER_ITEM_COLUMNS: readonly Column[] = [
  text('tenant_id'),
  text('event_id'),
  { name: 'person_id', type: 'UUID' },
  { name: 'timestamp', type: 'TIMESTAMPTZ' },
  { name: 'day', type: 'DATE' },
  text('order_id'),
  text('product_id'),
  text('name'),
  text('category'),
  { name: 'price', type: 'DECIMAL(20,4)' },
  { name: 'quantity', type: 'INTEGER' },
  text('currency'),
];

/**
 * The warehouse's curated tables, in each engine's types. `events` is the lake's events
 * with the UTC day they fall in; `order_items` unnests `Order Completed` products; sessions
 * and persons keep the latest lake snapshot of each; `product_daily` and
 * `product_revenue_daily` aggregate commerce events per product and day; `funnel_days`
 * keeps saved funnels' best attempts per person and day. `lake_files` and
 * `partition_loads` say what was loaded and when (freshness and cache versions).
 */
export function curatedTables(warehouse: WarehouseSql): RawBuilder<unknown>[] {
  const table = (name: string, specs: readonly Column[]) => warehouse.createTable(name, columnsOf(warehouse, specs));
  return [
    table('events', [...EVENT_COLUMNS, { name: 'day', type: 'DATE' }]),
    table('order_items', ORDER_ITEM_COLUMNS),
    table('sessions', SESSION_COLUMNS),
    table('persons', PROFILE_COLUMNS),
    table('product_daily', [
      text('tenant_id'),
      { name: 'day', type: 'DATE' },
      text('product_id'),
      ...['views', 'adds', 'purchases', 'units'].map(counted),
    ]),
    table('product_revenue_daily', [
      text('tenant_id'),
      { name: 'day', type: 'DATE' },
      text('product_id'),
      text('currency'),
      { name: 'revenue', type: 'DECIMAL(20,4)' },
    ]),
    ...funnelDayTables(warehouse),
    table('lake_files', [text('key'), { name: 'loaded_at', type: 'TIMESTAMPTZ' }]),
    table('partition_loads', [
      text('tenant_id'),
      { name: 'day', type: 'DATE' },
      { name: 'loaded_at', type: 'TIMESTAMPTZ' },
      counted('events'),
    ]),
    table(NUMBERS_TABLE, [{ name: 'i', type: 'INTEGER' }]),
  ];
}

/**
 * Saved funnels' rows (see funnel-materializer.ts), and when each funnel's were last
 * refreshed. Person ids are UUIDs; tests whose events name people in short text say so.
 */
export function funnelDayTables(warehouse: WarehouseSql, personId: ColumnType = 'UUID'): RawBuilder<unknown>[] {
  const at = (name: string): Column => ({ name, type: 'TIMESTAMPTZ' });
  return [
    warehouse.createTable(
      FUNNEL_DAYS_TABLE,
      columnsOf(warehouse, [
        text('funnel_key'),
        text('tenant_id'),
        at('entered_on'),
        { name: 'person_id', type: personId },
        text('breakdown'),
        { name: 'reached', type: 'INTEGER' },
        ...FUNNEL_DAY_TIMES.map(at),
      ]),
    ),
    warehouse.createTable(
      'funnel_builds',
      columnsOf(warehouse, [text('funnel_key'), text('tenant_id'), at('refreshed_at')]),
    ),
  ];
}

/**
 * Creates the curated tables that are missing, and fills the numbers table. The API and the
 * worker may both do it at once on a shared warehouse, where one may lose a serialization
 * conflict (Redshift): it tries again.
 */
export async function createCuratedTables(warehouse: Warehouse, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const ddl of curatedTables(warehouse.sql)) await ddl.execute(warehouse.db);
      await fillNumbers(warehouse);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/**
 * 0…NUMBERS_COUNT-1 in the numbers table, once: ten digits row by row, then the rest from
 * them (a multi-row VALUES is not taken by every engine).
 */
async function fillNumbers(warehouse: Warehouse): Promise<void> {
  const numbers = sql.table(NUMBERS_TABLE);
  const count = async () =>
    Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${numbers}`.execute(warehouse.db)).rows[0]?.n ?? 0);
  if ((await count()) === NUMBERS_COUNT) return;
  await warehouse.db.transaction().execute(async (tx) => {
    await sql`DELETE FROM ${numbers}`.execute(tx);
    for (let digit = 0; digit < 10; digit++)
      await sql`INSERT INTO ${numbers} (i) VALUES (${sql.lit(digit)})`.execute(tx);
    const n = sql`a.i + 10 * b.i + 100 * c.i`;
    await sql`
      INSERT INTO ${numbers} (i)
      SELECT ${n} FROM ${numbers} AS a CROSS JOIN ${numbers} AS b CROSS JOIN ${numbers} AS c
      WHERE ${n} >= 10 AND ${n} < ${sql.lit(NUMBERS_COUNT)}`.execute(tx);
  });
}
