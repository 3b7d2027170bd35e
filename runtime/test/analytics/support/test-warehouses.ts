import { openDuckDbWarehouse } from '@livora/adapters/local';
import type { Warehouse } from '@livora/adapters/ports';
import { createTestDatabase, postgresAsRedshift, type TestDatabase } from '@livora/adapters/testing';
import { afterAll, beforeAll } from 'vitest';
import { createEventsTable, createPersonsTable } from './curated-events.ts';

/**
 * The warehouses analytics queries are executed on in tests: DuckDB in memory, and
 * Redshift's SQL on a real PostgreSQL. Filled in by the suite's beforeAll.
 */
export function useTestWarehouses(): Warehouse[] {
  const warehouses: Warehouse[] = [];
  let postgres: TestDatabase | undefined;
  beforeAll(async () => {
    postgres = await createTestDatabase({});
    warehouses.push(openDuckDbWarehouse({ path: ':memory:' }), postgresAsRedshift(postgres.pool));
    for (const warehouse of warehouses) {
      await createEventsTable(warehouse);
      await createPersonsTable(warehouse);
    }
  }, 60_000);
  afterAll(async () => {
    for (const warehouse of warehouses) await warehouse.close();
    await postgres?.drop();
  });
  return warehouses;
}
