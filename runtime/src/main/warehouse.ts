import path from 'node:path';
import { openDuckDbWarehouse } from '@livora/adapters/local';
import type { ObjectStore, Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { SavedFunnel } from '../analytics/funnel/saved-funnel.ts';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../observability/metrics.ts';
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
export async function openWarehouse(
  config: Config,
  dataDir: string,
  lake: ObjectStore,
  metrics?: Metrics,
  savedFunnels?: () => Promise<readonly SavedFunnel[]>,
): Promise<OpenWarehouse> {
  const file = config.warehouse.path ?? path.join(dataDir, 'warehouse.duckdb');
  const warehouse = openDuckDbWarehouse({ path: file, memoryLimit: config.warehouse.memoryLimit });
  await createCuratedTables(warehouse);
  if (metrics) reportFreshness(metrics, warehouse);
  return {
    warehouse,
    // Downloads of a cloud lake's files (a folder per load, named by pid, beside the pipeline's).
    loader: createDuckDbLakeLoader({
      store: lake,
      warehouse,
      stagingDir: path.join(dataDir, 'staging', 'warehouse'),
      ...(savedFunnels ? { savedFunnels } : {}),
    }),
    describe: `duckdb ${file}`,
  };
}

/** Freshness, per tenant, read from the warehouse at each scrape: how long ago its last load landed. */
function reportFreshness(metrics: Metrics, warehouse: Warehouse): void {
  const rows = async () =>
    (
      await sql<{ tenant_id: string; loaded_at: Date }>`
        SELECT tenant_id, MAX(loaded_at) AS loaded_at FROM partition_loads GROUP BY tenant_id`.execute(warehouse.db)
    ).rows;
  new Gauge({
    name: 'livora_warehouse_last_load_age_seconds',
    help: 'Seconds since data for the tenant last landed in the warehouse',
    labelNames: ['tenant'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const row of await rows())
        this.set({ tenant: row.tenant_id }, (Date.now() - new Date(row.loaded_at).getTime()) / 1000);
    },
  });
}
