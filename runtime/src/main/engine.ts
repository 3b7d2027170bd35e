import { readFileSync } from 'node:fs';
import { openPostgresChangeFeed } from '@livora/adapters/local';
import type { ChangeFeed, EventStream } from '@livora/adapters/ports';
import type { Logger } from 'pino';
import { createSavedFunnelStore } from '../analytics/funnel/saved-funnel-store.ts';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { CHANGES_CHANNEL } from '../db/migrations.ts';
import type { ReadinessCheck } from '../http/routes/health.ts';
import { createMetrics } from '../observability/metrics.ts';
import { type RunningApi, startApi } from './api.ts';
import { type LockName, loadOrCreateSecrets, lockDataDir, prepareDataDir } from './data-dir.ts';
import { type Database, openDatabase } from './database.ts';
import { describeLake, openLakeStore } from './lake-store.ts';
import { createLogger } from './logger.ts';
import { startPipelineRole } from './pipeline.ts';
import { createServices } from './services.ts';
import { describeStream, openEventStream } from './stream.ts';
import { INSTALL_HINT, resolveTemporal, type TemporalTarget } from './temporal-server.ts';
import { type OpenWarehouse, openWarehouse } from './warehouse.ts';
import { type RunningWorker, startWorker } from './worker.ts';

type RunningPipelineRole = Awaited<ReturnType<typeof startPipelineRole>>;

/**
 * The roles a process runs. `start` runs them all in one process; `api`, `worker` and
 * `pipeline` run alone for scale-out.
 */
export type Role = 'api' | 'worker' | 'pipeline';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

interface Running {
  log: Logger;
  database?: Database;
  stream?: EventStream;
  changes?: ChangeFeed;
  temporal?: TemporalTarget;
  api?: RunningApi;
  worker?: RunningWorker;
  pipeline?: RunningPipelineRole;
  warehouse?: OpenWarehouse;
  unlock?: () => Promise<void>;
}

/** Starts the roles, then runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runEngine(
  roles: readonly Role[],
  options: { lockName: LockName; config?: Config },
): Promise<void> {
  const config = options.config ?? loadConfig();
  const running: Running = { log: createLogger(config.log.level, { roles }) };
  const { log } = running;
  let stopping: Promise<void> | null = null;
  const started = startAll(roles, config, running, options.lockName);
  // A signal during start-up waits for the step under way, so nothing it starts is left behind.
  const shutdown = (reason: string, code: number) => {
    stopping ??= started
      .catch(() => undefined)
      .then(() => stopAll(running, reason))
      .then(
        () => exitAfterFlush(log, code),
        (error) => {
          log.error({ err: error }, 'shutdown failed');
          exitAfterFlush(log, 1);
        },
      );
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      void shutdown(signal, 0);
    });
  }

  try {
    await started;
  } catch (error) {
    log.fatal({ err: error }, 'the engine could not start');
    process.stderr.write(`\nLivora could not start: ${(error as Error).message}\n`);
    await shutdown('start-up failed', 1);
  }
}

async function startAll(roles: readonly Role[], config: Config, running: Running, lockName: LockName): Promise<void> {
  const { log } = running;
  const dataDir = await prepareDataDir(config.data.dir);
  running.unlock = await lockDataDir(dataDir, lockName);
  const secrets = await loadOrCreateSecrets(dataDir);
  const metrics = createMetrics();

  running.database = await openDatabase(config, dataDir, secrets, log, {
    stopServer: lockName === 'engine' ? 'always' : 'if-started-here',
  });
  const { database } = running;
  running.stream = await openEventStream(config, database.pool);
  const stream = running.stream;

  // The embedded warehouse takes one process: the worker's, which loads it (and the API's beside
  // it); a remote one (Redshift) serves every process.
  if (roles.includes('worker') || config.warehouse.engine !== 'duckdb')
    running.warehouse = await openWarehouse(
      config,
      dataDir,
      await openLakeStore(config, dataDir),
      metrics,
      createSavedFunnelStore(database.db).all,
    );

  if (roles.includes('worker')) {
    running.temporal = await resolveTemporal(config, dataDir, log);
    const temporal = running.temporal;
    if (temporal.kind === 'ready') {
      running.worker = await startWorker({
        config,
        address: temporal.address,
        stream,
        db: database.db,
        log,
        loader: running.warehouse?.loader ?? null,
      });
    } else {
      log.warn(
        { reason: temporal.reason, hint: INSTALL_HINT },
        'Temporal is unavailable: workflows and schedules are DISABLED',
      );
    }
  }

  if (roles.includes('api')) {
    running.changes = openPostgresChangeFeed(database.url, CHANGES_CHANNEL, (error) =>
      log.warn({ err: error }, 'change feed lost its connection'),
    );
    const temporal = running.temporal;
    const checks: ReadinessCheck[] = [
      {
        name: 'postgres',
        required: true,
        async check() {
          await database.pool.query('SELECT 1');
          return database.describe;
        },
      },
    ];
    if (temporal) {
      checks.push({
        name: 'temporal',
        required: false,
        check: async () => (temporal.kind === 'ready' ? temporal.describe : `disabled: ${temporal.reason}`),
      });
    }
    running.api = await startApi({
      config,
      log,
      metrics,
      services: createServices(database.db, database.tenantDb),
      stream,
      changes: running.changes,
      jwtSecret: config.auth.jwtSecret ?? secrets.jwtSecret,
      extraChecks: checks,
      version: VERSION,
      ...(running.warehouse ? { warehouse: running.warehouse.warehouse } : {}),
      // A saved funnel is built by the next load: with the worker here, that is now.
      ...(running.worker ? { loadWarehouseSoon: running.worker.loadWarehouseSoon } : {}),
    });
  }
  if (roles.includes('pipeline')) {
    running.pipeline = await startPipelineRole({ config, dataDir, database, stream, metrics, log });
  }
  printBanner(roles, config, running, dataDir);
  log.info({ roles, api: running.api?.url, temporal: running.temporal?.kind ?? 'not used' }, 'Livora is ready');
}

async function stopAll(running: Running, reason: string): Promise<void> {
  const { log } = running;
  log.info({ reason }, 'shutting down: draining in-flight requests');
  const step = async (name: string, action: (() => Promise<void>) | undefined) => {
    if (!action) return;
    try {
      await action();
    } catch (error) {
      log.error({ err: error, step: name }, 'shutdown step failed');
    }
  };
  await step('api', running.api?.stop);
  await step('pipeline', running.pipeline?.close);
  await step('worker', running.worker?.stop);
  await step('warehouse', running.warehouse?.warehouse.close);
  await step('event log', running.stream?.close);
  await step('change feed', running.changes?.close);
  await step('database', running.database?.close);
  await step('temporal', running.temporal?.kind === 'ready' ? running.temporal.stop : undefined);
  await step('lock', running.unlock);
  log.info('stopped');
}

function exitAfterFlush(log: Logger, code: number): void {
  log.flush(() => process.exit(code));
}

function printBanner(roles: readonly Role[], config: Config, running: Running, dataDir: string): void {
  const lines = [`Livora ${VERSION} is running (${roles.join(' + ')}; Ctrl-C stops it)`];
  if (running.api) {
    lines.push(
      `  API          ${running.api.url}   (docs ${running.api.url}/docs, OpenAPI ${running.api.url}/openapi.json)`,
    );
  }
  lines.push(`  PostgreSQL   ${running.database?.describe}`);
  lines.push(`  Event log    ${describeStream(config)}`);
  const temporal = running.temporal;
  if (temporal?.kind === 'ready') lines.push(`  Temporal     ${temporal.describe}`);
  if (temporal?.kind === 'disabled') {
    lines.push(
      '',
      '  !! Temporal is DISABLED: workflows and schedules will not run (ingestion works).',
      `  !! Why: ${temporal.reason}`,
      `  !! Fix: ${INSTALL_HINT}`,
    );
  }
  if (running.pipeline) {
    lines.push(
      `  Pipeline     ${running.pipeline.partitions().length} partitions held; lake in ${describeLake(config, dataDir)}`,
    );
  }
  if (running.warehouse) lines.push(`  Warehouse    ${running.warehouse.describe} (loaded hourly from the lake)`);
  lines.push(`  Data         ${dataDir}`, '');
  process.stderr.write(`\n${lines.join('\n')}\n`);
}
