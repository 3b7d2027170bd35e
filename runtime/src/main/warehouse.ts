import path from 'node:path';
import { createDuckDbBulkLoad, openDuckDbWarehouse } from '@livora/adapters/local';
import type { LakeBulkLoad, ObjectStore, Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { Gauge } from 'prom-client';
import type { SavedFunnel } from '../analytics/funnel/saved-funnel.ts';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createCuratedTables } from '../warehouse/curated-schema.ts';
import { createLakeLoader, type LakeLoader } from '../warehouse/lake-loader.ts';

export interface OpenWarehouse {
  readonly warehouse: Warehouse;
  readonly loader: LakeLoader;
  readonly describe: string;
}

/**
 * The warehouse of `config`, with its curated tables, and the loads that fill it from the
 * lake by the engine's bulk load. The embedded DuckDB file takes one process: the one that
 * runs the loads (the worker) and, in `livora start`, the API beside it.
 */
export async function openWarehouse(
  config: Config,
  dataDir: string,
  lake: ObjectStore,
  metrics?: Metrics,
  savedFunnels?: () => Promise<readonly SavedFunnel[]>,
): Promise<OpenWarehouse> {
  const { warehouse, bulkLoad, describe } = await openEngine(config, dataDir, lake);
  await createCuratedTables(warehouse);
  if (metrics) reportFreshness(metrics, warehouse);
  return {
    warehouse,
    loader: createLakeLoader({ store: lake, warehouse, bulkLoad, ...(savedFunnels ? { savedFunnels } : {}) }),
    describe,
  };
}

async function openEngine(
  config: Config,
  dataDir: string,
  lake: ObjectStore,
): Promise<{ warehouse: Warehouse; bulkLoad: LakeBulkLoad; describe: string }> {
  if (config.warehouse.engine === 'synapse') {
    // loadConfig has checked the server, pool and account, and that the lake is in Azure.
    const { openSynapseWarehouse, createSynapseBulkLoad } = await import('@livora/adapters/azure');
    const s = config.warehouse.synapse;
    return {
      // Signed in as the process's Entra ID identity (a managed identity in Container Apps).
      warehouse: openSynapseWarehouse({ server: s.server as string, database: s.database as string }),
      bulkLoad: createSynapseBulkLoad({ store: lake, account: s.storageAccount as string }),
      describe: `synapse ${s.server}/${s.database}`,
    };
  }
  if (config.warehouse.engine === 'bigquery') {
    // loadConfig has checked the project, and that the lake is in GCS.
    const { openBigQueryWarehouse, createBigQueryBulkLoad } = await import('@livora/adapters/gcp');
    const b = config.warehouse.bigquery;
    return {
      warehouse: openBigQueryWarehouse({
        projectId: b.project as string,
        dataset: b.dataset,
        ...(b.location ? { location: b.location } : {}),
        ...(b.endpoint ? { apiEndpoint: b.endpoint } : {}),
      }),
      bulkLoad: createBigQueryBulkLoad({ store: lake }),
      describe: `bigquery ${b.project}.${b.dataset}`,
    };
  }
  if (config.warehouse.engine === 'redshift') {
    // loadConfig has checked the region, the workgroup or cluster, and that the lake is in S3.
    const { openRedshiftWarehouse, createRedshiftBulkLoad } = await import('@livora/adapters/aws');
    const r = config.warehouse.redshift;
    const target = {
      database: r.database,
      ...(r.workgroup ? { workgroupName: r.workgroup } : {}),
      ...(r.cluster ? { clusterIdentifier: r.cluster } : {}),
      ...(r.secretArn ? { secretArn: r.secretArn } : {}),
      ...(r.dbUser ? { dbUser: r.dbUser } : {}),
    };
    return {
      warehouse: openRedshiftWarehouse({
        region: r.region as string,
        target,
        ...(r.endpoint ? { endpoint: r.endpoint } : {}),
      }),
      bulkLoad: createRedshiftBulkLoad({ store: lake, iamRole: r.copyRole }),
      describe: `redshift ${r.workgroup ?? r.cluster}/${r.database}`,
    };
  }
  const file = config.warehouse.path ?? path.join(dataDir, 'warehouse.duckdb');
  return {
    warehouse: openDuckDbWarehouse({ path: file, memoryLimit: config.warehouse.memoryLimit }),
    // Downloads of a cloud lake's files (a folder per load, named by pid, beside the pipeline's).
    bulkLoad: createDuckDbBulkLoad({ store: lake, stagingDir: path.join(dataDir, 'staging', 'warehouse') }),
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
