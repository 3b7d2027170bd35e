import { createDuckDbParquetEncoder } from '@livora/adapters/local';
import type { EventStream } from '@livora/adapters/ports';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createLeaseManager } from '../pipeline/consumer/leases.ts';
import { pipelineOwnerName, type RunningPipeline, startPipeline } from '../pipeline/consumer/pipeline.ts';
import { createLakeWriter } from '../pipeline/lake/lake-writer.ts';
import { createBatchProcessor } from '../pipeline/process-batch.ts';
import { createCampaignStep } from '../pipeline/steps/campaign.ts';
import { createDedupeStep } from '../pipeline/steps/dedupe.ts';
import { createGeoStep } from '../pipeline/steps/geo.ts';
import { createIdentityStep } from '../pipeline/steps/identity.ts';
import { createProfileStep } from '../pipeline/steps/profiles.ts';
import { createSessionStep } from '../pipeline/steps/sessions.ts';
import { createUserAgentStep } from '../pipeline/steps/user-agent.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import { createTenantService } from '../tenants/tenants.ts';
import type { Database } from './database.ts';
import { openGeoLookup } from './geo-database.ts';
import { openLakeStore } from './lake-store.ts';
import { stagingDirectory } from './staging-dir.ts';

/** The pipeline role: the steps in their order, the lake, the leases. */
export async function startPipelineRole(deps: {
  config: Config;
  dataDir: string;
  database: Pick<Database, 'db'>;
  stream: EventStream;
  metrics: Metrics;
  log: Logger;
  /** Only the steps named so (kept in the engine's order): what each costs, for a benchmark. The engine runs them all. */
  onlySteps?: readonly string[];
}): Promise<RunningPipeline & { close(): Promise<void> }> {
  const { config, database, log } = deps;
  const tenants = createTenantService(database.db);
  const truncation = createAsyncCache<string, boolean>({
    load: (id) => tenants.truncatesIp(id),
    ttlMs: 60_000,
    maxEntries: 100_000,
  });
  const steps = [
    createDedupeStep({ stableOffsets: deps.stream.capabilities?.stableOffsets ?? true }),
    createGeoStep({ lookup: openGeoLookup(config.pipeline.geoDatabase), truncates: (id) => truncation.get(id) }),
    createCampaignStep(),
    createUserAgentStep(),
    createIdentityStep({
      sharedAnonymousThreshold: config.pipeline.sharedAnonymousUsers,
      onRefusedMerge: (details) =>
        log.info(details, 'identity: refused to merge two identified people without an alias'),
    }),
    createSessionStep({ inactivityMs: config.pipeline.sessionTimeoutMinutes * 60_000 }),
    createProfileStep(),
  ].filter((step) => !deps.onlySteps || deps.onlySteps.includes(step.name));
  const unknown = deps.onlySteps?.filter((name) => !steps.some((step) => step.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`no pipeline step is named ${unknown.join(', ')}`);
  const encoder = await createDuckDbParquetEncoder({ stagingDir: await stagingDirectory(deps.dataDir) });
  const pipeline = startPipeline({
    stream: deps.stream,
    processor: createBatchProcessor({
      db: database.db,
      steps,
      timing: (step, seconds) => deps.metrics.pipelineStepSeconds.inc({ step }, seconds),
    }),
    lake: createLakeWriter({
      store: await openLakeStore(config, deps.dataDir),
      encoder,
      db: database.db,
      compression: config.lake.compression,
    }),
    leases: createLeaseManager({
      db: database.db,
      owner: pipelineOwnerName(),
      leaseMs: config.pipeline.leaseSeconds * 1000,
    }),
    metrics: deps.metrics,
    log,
    options: {
      batchSize: config.pipeline.batchSize,
      pollMs: config.pipeline.pollMs,
      rollBytes: config.lake.rollMegabytes * 1024 * 1024,
      rollMs: config.lake.rollSeconds * 1000,
      leaseMs: config.pipeline.leaseSeconds * 1000,
    },
  });
  await pipeline.ready();
  return {
    ...pipeline,
    async close() {
      await pipeline.stop();
      await encoder.close();
    },
  };
}
