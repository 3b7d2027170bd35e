import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDirectoryObjectStore, openPostgresChangeFeed } from '@livora/adapters/local';
import type { ChangeFeed, EventStream, ReadRecord } from '@livora/adapters/ports';
import { createTestDatabase, type TestDatabase } from '@livora/adapters/testing';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { mintLocalToken } from '../../src/auth/local-tokens.ts';
import type { Role } from '../../src/auth/roles.ts';
import { loadConfig } from '../../src/config/load.ts';
import { CHANGES_CHANNEL } from '../../src/db/migrations.ts';
import type { Tables } from '../../src/db/tables.ts';
import { openTenantDatabase, type TenantDatabase } from '../../src/db/tenant-database.ts';
import { type RunningApi, startApi } from '../../src/main/api.ts';
import { lakeDirectory } from '../../src/main/lake-store.ts';
import { createLogger } from '../../src/main/logger.ts';
import { migrations } from '../../src/main/migrations.ts';
import { startPipelineRole } from '../../src/main/pipeline.ts';
import { createServices, type Services } from '../../src/main/services.ts';
import { openEventStream } from '../../src/main/stream.ts';
import { type OpenWarehouse, openWarehouse } from '../../src/main/warehouse.ts';
import { createMetrics } from '../../src/observability/metrics.ts';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

export interface TestApi {
  readonly url: string;
  readonly db: Kysely<Tables>;
  /** The CRM's tenant-scoped connections (row-level security). */
  readonly tenantDb: TenantDatabase;
  /** The pipeline role, when asked for; its lake is in `lakeDir`. */
  readonly pipeline: Awaited<ReturnType<typeof startPipelineRole>> | null;
  readonly lakeDir: string;
  /** The embedded warehouse and its loads, when asked for (the API answers analytics from it). */
  readonly warehouse: OpenWarehouse | null;
  readonly services: Services;
  readonly stream: EventStream;
  readonly database: TestDatabase;
  /** A tenant with one write key. */
  tenant(
    id?: string,
    limits?: { ratePerSecond?: number; burst?: number },
  ): Promise<{ tenantId: string; key: string; keyId: string }>;
  token(tenantId: string, role: Role, expiresInSeconds?: number): string;
  /** Every record of the log, all partitions. */
  readLog(): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

let tenants = 0;

/** The real API role (startApi) over a fresh migrated database and the local event log. */
export async function startTestApi(
  env: Record<string, string> = {},
  options: {
    pipeline?: boolean;
    warehouse?: boolean;
    /** Where the pipeline logs (silent by default): a test reads what it says. */
    pipelineLog?: Logger;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase(migrations);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'livora-test-data-'));
  const config = loadConfig({ LIVORA_PORT: '0', LIVORA_LOG_LEVEL: 'silent', LIVORA_STREAM_PARTITIONS: '4', ...env });
  const kyselyPool = new pg.Pool({ connectionString: database.url, max: 4 });
  kyselyPool.on('error', () => undefined); // idle connections cut by outage tests
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  const tenantDb = openTenantDatabase({
    pool: { connectionString: database.url, max: 4 },
    onIdleError: () => undefined,
  });
  const services = createServices(db, tenantDb);
  const stream = await openEventStream(config, database.pool);
  const changes: ChangeFeed = openPostgresChangeFeed(database.url, CHANGES_CHANNEL, () => undefined);
  const metrics = createMetrics(); // one registry, as in the engine: /metrics shows the pipeline's too
  const warehouse = options.warehouse
    ? await openWarehouse(
        config,
        dataDir,
        createDirectoryObjectStore(lakeDirectory(config, dataDir)),
        metrics,
        services.savedFunnels.all,
      )
    : null;
  const api: RunningApi = await startApi({
    config,
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    metrics,
    services,
    stream,
    changes,
    jwtSecret: TEST_JWT_SECRET,
    extraChecks: [],
    version: 'test',
    ...(warehouse ? { warehouse: warehouse.warehouse } : {}),
  });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const pipeline = options.pipeline
    ? await startPipelineRole({
        config,
        dataDir,
        database: { db },
        stream,
        metrics,
        log: options.pipelineLog ?? log,
      })
    : null;
  return {
    url: api.url,
    db,
    tenantDb,
    pipeline,
    warehouse,
    lakeDir: lakeDirectory(config, dataDir),
    services,
    stream,
    database,
    async tenant(id = `tenant-${++tenants}`, limits = {}) {
      await services.tenants.create(id);
      const { key, writeKey } = await services.keys.create(id, 'test', limits);
      return { tenantId: id, key, keyId: writeKey.id };
    },
    token: (tenantId, role, expiresInSeconds = 600) =>
      mintLocalToken(TEST_JWT_SECRET, { tenant: tenantId, role, expiresInSeconds }),
    async readLog() {
      const out: ReadRecord[] = [];
      for (const partition of await stream.listPartitions()) {
        let after: string | null = null;
        for (;;) {
          const page = await stream.read(partition, after, 1000);
          if (page.length === 0) break;
          out.push(...page);
          after = (page.at(-1) as ReadRecord).offset;
        }
      }
      return out;
    },
    async close() {
      await api.stop();
      await pipeline?.close();
      await warehouse?.warehouse.close();
      await stream.close();
      await changes.close();
      await db.destroy();
      await tenantDb.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Basic credentials of a write key, as Segment clients send them. */
export function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, json, text };
}

/** How many times each of `eventIds` is in the API's event log (a client that never sends twice: once each). */
export async function timesLogged(api: TestApi, eventIds: readonly string[]): Promise<number[]> {
  const logged = (await api.readLog()).map((r) => (JSON.parse(r.payload) as { event_id: string }).event_id);
  return eventIds.map((id) => logged.filter((l) => l === id).length);
}
