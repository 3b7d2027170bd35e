import type { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, PostgresIntrospector } from 'kysely';
import type { Warehouse } from '../ports/warehouse.ts';
import { DuckDbDriver } from './duckdb-driver.ts';
import { duckDbSql } from './duckdb-sql.ts';

export interface DuckDbWarehouseOptions {
  /** The database file (`:memory:` for one that lives as long as the process). */
  readonly path: string;
  /** DuckDB's memory limit, e.g. `1GB` (its default is 80% of the machine). */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

/** The embedded warehouse: one DuckDB database that holds the curated tables and reads the lake's Parquet. */
export function openDuckDbWarehouse(options: DuckDbWarehouseOptions): Warehouse {
  let opened: Promise<DuckDBInstance> | null = null;
  const instance = () => {
    opened ??= import('@duckdb/node-api').then(({ DuckDBInstance }) =>
      DuckDBInstance.create(options.path, {
        ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
        ...(options.threads ? { threads: String(options.threads) } : {}),
      }),
    );
    return opened;
  };
  const db = new Kysely({
    dialect: {
      createAdapter: () => duckDbSql.createAdapter(),
      createDriver: () => new DuckDbDriver(instance),
      createQueryCompiler: () => duckDbSql.createQueryCompiler(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    },
  });
  return {
    sql: duckDbSql,
    db,
    async close() {
      await db.destroy();
      if (opened) (await opened).closeSync();
    },
  };
}
