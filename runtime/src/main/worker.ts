import { fileURLToPath } from 'node:url';
import type { EventStream } from '@livora/adapters/ports';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Tables } from '../db/tables.ts';
import { createCrmProfileSyncActivities } from '../temporal/activities/crm-profile-sync.ts';
import { createEventLogActivities } from '../temporal/activities/event-log.ts';
import { createPipelineMaintenanceActivities } from '../temporal/activities/pipeline-maintenance.ts';
import { createWarehouseLoadActivities } from '../temporal/activities/warehouse-load.ts';
import { ensureSchedules, WAREHOUSE_LOAD_SCHEDULE } from '../temporal/schedules.ts';
import type { LakeLoader } from '../warehouse/lake-loader.ts';

export interface RunningWorker {
  /** Starts the hourly warehouse load now (after the running one, if any). */
  loadWarehouseSoon(): Promise<void>;
  /** Stops polling, finishes running activities, closes connections. */
  stop(): Promise<void>;
}

// Temporal's Runtime (its Rust core) is installed once per process.
let runtimeInstalled = false;

/** The Temporal worker role: bundles the workflows, registers the activities, ensures the schedules. */
export async function startWorker(deps: {
  config: Config;
  address: string;
  stream: EventStream;
  db: Kysely<Tables>;
  log: Logger;
  /** The warehouse loads this worker runs. */
  loader: LakeLoader | null;
}): Promise<RunningWorker> {
  const { config, address, log } = deps;
  if (!runtimeInstalled) {
    Runtime.install({
      logger: {
        log: (level, message, meta) =>
          log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')]({ temporal: meta }, message),
        trace: (message, meta) => log.trace({ temporal: meta }, message),
        debug: (message, meta) => log.debug({ temporal: meta }, message),
        info: (message, meta) => log.info({ temporal: meta }, message),
        warn: (message, meta) => log.warn({ temporal: meta }, message),
        error: (message, meta) => log.error({ temporal: meta }, message),
      },
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    });
    runtimeInstalled = true;
  }
  // Temporal Cloud: an API key over TLS; a self-hosted cluster: TLS when asked.
  const secure = config.temporal.apiKey
    ? { tls: true, apiKey: config.temporal.apiKey }
    : config.temporal.tls
      ? { tls: true }
      : {};
  const connection = await NativeConnection.connect({ address, ...secure });
  let clientConnection: Connection | undefined;
  let worker: Worker;
  try {
    clientConnection = await Connection.connect({ address, ...secure });
    const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
    await ensureSchedules(client, {
      taskQueue: config.temporal.taskQueue,
      retentionHours: config.stream.retentionHours,
      dedupeWindowHours: config.pipeline.dedupeWindowHours,
      sessionTtlDays: config.pipeline.sessionTtlDays,
    });
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowsPath: fileURLToPath(new URL('../temporal/workflows/index.ts', import.meta.url)),
      activities: {
        ...createEventLogActivities(deps.stream),
        ...createPipelineMaintenanceActivities(deps.db),
        ...createCrmProfileSyncActivities(deps.db),
        ...createWarehouseLoadActivities(deps.loader),
      },
    });
  } catch (error) {
    await clientConnection?.close();
    await connection.close();
    throw error;
  }
  const client = clientConnection;
  const running = worker.run();
  running.catch((error) => log.error({ err: error }, 'the Temporal worker stopped'));
  log.info({ address, taskQueue: config.temporal.taskQueue }, 'Temporal worker polling');
  return {
    async loadWarehouseSoon() {
      const schedules = new Client({ connection: client, namespace: config.temporal.namespace }).schedule;
      await schedules.getHandle(WAREHOUSE_LOAD_SCHEDULE).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
    },
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await client.close();
      await connection.close();
    },
  };
}
