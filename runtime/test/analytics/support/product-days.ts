import type { Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';

export interface ProductDayFact {
  readonly day: string;
  readonly product_id: string;
  readonly views: number;
  readonly adds: number;
  readonly purchases: number;
  readonly units: number;
  /** Per currency, exact decimal text. */
  readonly revenue: Readonly<Record<string, string>>;
}

/** The daily product aggregates the loads produce, as plain tables on a test warehouse. */
export async function createProductTables(warehouse: Warehouse): Promise<void> {
  await sql`DROP TABLE IF EXISTS product_daily`.execute(warehouse.db);
  await sql`DROP TABLE IF EXISTS product_revenue_daily`.execute(warehouse.db);
  await sql`CREATE TABLE product_daily (tenant_id VARCHAR, day DATE, product_id VARCHAR, views BIGINT, adds BIGINT,
            purchases BIGINT, units BIGINT)`.execute(warehouse.db);
  await sql`CREATE TABLE product_revenue_daily (tenant_id VARCHAR, day DATE, product_id VARCHAR, currency VARCHAR,
            revenue DECIMAL(38,4))`.execute(warehouse.db);
}

export async function putProductDays(warehouse: Warehouse, tenantId: string, facts: readonly ProductDayFact[]) {
  await sql`DELETE FROM product_daily`.execute(warehouse.db);
  await sql`DELETE FROM product_revenue_daily`.execute(warehouse.db);
  for (const f of facts) {
    await sql`INSERT INTO product_daily VALUES (${tenantId}, CAST(${f.day} AS DATE), ${f.product_id}, ${f.views}, ${f.adds},
              ${f.purchases}, ${f.units})`.execute(warehouse.db);
    for (const [currency, amount] of Object.entries(f.revenue))
      await sql`INSERT INTO product_revenue_daily VALUES (${tenantId}, CAST(${f.day} AS DATE), ${f.product_id}, ${currency},
                CAST(${amount} AS DECIMAL(38,4)))`.execute(warehouse.db);
  }
}
