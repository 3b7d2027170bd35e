import path from 'node:path';
import { openDuckDbWarehouse } from '@livora/adapters/local';
import type { ObjectStore, Warehouse } from '@livora/adapters/ports';
import type { Config } from '../config/schema.ts';
import { createCuratedTables } from '../warehouse/curated-schema.ts';
import { createDuckDbLakeLoader, type DuckDbLakeLoader } from '../warehouse/duckdb-lake-loader.ts';

export interface OpenWarehouse {
  readonly warehouse: Warehouse;
  readonly loader: DuckDbLakeLoader;
  readonly describe: string;
}

/**
 * The warehouse of `config`, with its curated tables, and the loads that fill it from the
 * lake. The embedded DuckDB file takes one process: the one that runs the loads (the
 * worker) and, in `livora start`, the API beside it.
 */
export async function openWarehouse(config: Config, dataDir: string, lake: ObjectStore): Promise<OpenWarehouse> {
  const file = config.warehouse.path ?? path.join(dataDir, 'warehouse.duckdb');
  const warehouse = openDuckDbWarehouse({ path: file, memoryLimit: config.warehouse.memoryLimit });
  await createCuratedTables(warehouse);
  return {
    warehouse,
    // Downloads of a cloud lake's files (a folder per load, named by pid, beside the pipeline's).
    loader: createDuckDbLakeLoader({ store: lake, warehouse, stagingDir: path.join(dataDir, 'staging', 'warehouse') }),
    describe: `duckdb ${file}`,
  };
}
