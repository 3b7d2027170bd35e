import { openRedshiftWarehouse } from '@livora/adapters/aws';
import { openDuckDbWarehouse } from '@livora/adapters/local';
import type { Warehouse } from '@livora/adapters/ports';
import {
  createTestDatabase,
  type FakeRedshiftData,
  postgresAsRedshift,
  startFakeRedshiftData,
  type TestDatabase,
} from '@livora/adapters/testing';
import { afterAll, beforeAll } from 'vitest';
import { funnelDayTables } from '../../../src/warehouse/curated-schema.ts';
import { createEventsTable, createPersonsTable } from './curated-events.ts';

/**
 * The warehouses analytics queries are executed on in tests: DuckDB in memory; Redshift's
 * SQL on a real PostgreSQL; and the same through the Redshift warehouse's own driver, the
 * Data API, answered by a stand-in that speaks its wire format over that PostgreSQL.
 * Filled in by the suite's beforeAll.
 */
export function useTestWarehouses(): Warehouse[] {
  const warehouses: Warehouse[] = [];
  let postgres: TestDatabase | undefined;
  let dataApi: FakeRedshiftData | undefined;
  beforeAll(async () => {
    postgres = await createTestDatabase({});
    dataApi = await startFakeRedshiftData(postgres.url);
    warehouses.push(
      openDuckDbWarehouse({ path: ':memory:' }),
      postgresAsRedshift(postgres.pool),
      openRedshiftWarehouse({
        region: 'eu-west-1',
        endpoint: dataApi.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        target: { database: 'livora', workgroupName: 'analytics' },
      }),
    );
    // The two Redshift warehouses share the database: its tables are made once.
    for (const warehouse of warehouses.slice(0, 2)) {
      await createEventsTable(warehouse);
      await createPersonsTable(warehouse);
      for (const ddl of funnelDayTables(warehouse.sql, 'VARCHAR')) await ddl.execute(warehouse.db);
    }
  }, 60_000);
  afterAll(async () => {
    for (const warehouse of warehouses) await warehouse.close();
    await dataApi?.close();
    await postgres?.drop();
  });
  return warehouses;
}
