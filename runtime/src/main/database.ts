import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, type RunningPostgres, startEmbeddedPostgres } from '@livora/adapters/local';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { ArrayLiteralClient } from '../db/array-literal-client.ts';
import type { Tables } from '../db/tables.ts';
import { openTenantDatabase, type TenantDatabase } from '../db/tenant-database.ts';
import { engineRunsOn, type LocalSecrets } from './data-dir.ts';
import { migrations } from './migrations.ts';

/**
 * Embedded server settings for a write-heavy event log: WAL files recycled rather than
 * created and zero-filled under load (those stalls were the p99), more WAL buffered,
 * checkpoints spaced out. Durability is untouched: fsync and synchronous_commit stay on.
 * The buffer cache is sized to the machine (PostgreSQL's own default, 128 MB, held an
 * eighth of the CRM bench's contacts: contact reads went from 5,322 to 6,431 a second).
 */
export const POSTGRES_SETTINGS = {
  shared_buffers: sharedBuffersFor(os.totalmem(), process.constrainedMemory()),
  wal_buffers: '16MB',
  wal_init_zero: 'off',
  min_wal_size: '512MB',
  max_wal_size: '2GB',
  checkpoint_timeout: '15min',
  max_connections: '200',
  // The identity step locks each identified person of a batch (advisory locks) until commit.
  max_locks_per_transaction: '256',
};

/**
 * A quarter of the memory (the container's limit where one is set, below the host's
 * memory), as PostgreSQL's tuning guide starts from, within 128 MB (its default) and 2 GB
 * (the engine's own processes and DuckDB share the machine).
 */
export function sharedBuffersFor(hostBytes: number, limitBytes: number | undefined): string {
  const memory = limitBytes && limitBytes < hostBytes ? limitBytes : hostBytes;
  const mb = Math.floor(memory / 4 / 2 ** 20);
  return `${Math.min(2048, Math.max(128, mb))}MB`;
}

export interface Database {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly db: Kysely<Tables>;
  /** The CRM's connections (as `livora_tenant`, row-level security), a pool of the same size. */
  readonly tenantDb: TenantDatabase;
  /** Where it runs: "embedded (port N)" or "external". */
  readonly describe: string;
  /** Closes connections; stops the embedded server when this process owns it. */
  close(): Promise<void>;
}

/**
 * The engine's PostgreSQL: DATABASE_URL when set (Aurora, Cloud SQL, Azure Database),
 * else the embedded server in the data directory, started here or, when one is already
 * running on that directory (another command, or an engine killed without stopping it),
 * joined. Migrations run on both.
 */
export async function openDatabase(
  config: Config,
  dataDir: string,
  secrets: LocalSecrets,
  log: Logger,
  options: { stopServer: 'always' | 'if-started-here' },
): Promise<Database> {
  let embedded: RunningPostgres | null = null;
  let url = config.database.url ? withPassword(config.database.url, config.database.password) : undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      logFile: path.join(dataDir, 'postgres.log'),
      port: config.database.embeddedPort,
      user: 'livora',
      password: secrets.postgresPassword,
      database: 'livora',
      settings: POSTGRES_SETTINGS,
    });
    url = embedded.url;
    if (embedded.adopted && options.stopServer === 'always')
      log.warn({ pid: embedded.pid }, 'joined an embedded PostgreSQL that was already running on the data directory');
  }
  const applied = await migrateToLatest(url, migrations);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  // Bounded waits: a stuck database must fail requests (503), not hold them forever.
  const poolConfig: pg.PoolConfig = {
    connectionString: url,
    max: config.database.poolSize,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
  };
  const pool = new pg.Pool({ ...poolConfig, Client: ArrayLiteralClient });
  // pool.end() does not wait for its idle connections to close: the server stopping right
  // after ends them with an error, expected then and not reported.
  let closing = false;
  const onIdleError = (error: Error) => {
    if (!closing) log.error({ err: error }, 'idle PostgreSQL connection failed');
  };
  pool.on('error', onIdleError);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const tenantDb = openTenantDatabase({ pool: poolConfig, onIdleError });
  const server = embedded;
  return {
    url,
    pool,
    db,
    tenantDb,
    describe: server
      ? `embedded (127.0.0.1:${new URL(url).port}, data in ${path.join(dataDir, 'postgres')})`
      : 'external (DATABASE_URL)',
    async close() {
      closing = true;
      await Promise.all([db.destroy(), tenantDb.close()]);
      // A command that started the server leaves it to an engine that has since joined it.
      const stop = options.stopServer === 'always' || (!server?.adopted && !(await engineRunsOn(dataDir)));
      if (server && stop) await server.stop();
    },
  };
}

/**
 * The external database's URL with the password set apart (LIVORA_DATABASE_PASSWORD): a
 * container platform fills that from a secret, the rest of the URL being plain settings.
 */
export function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  // By text, not WHATWG's URL, which refuses a socket's (`postgres://user@/db?host=/cloudsql/…`).
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^:@/?#]*)(?::[^@/?#]*)?@)?(.*)$/i.exec(url);
  if (!parts) throw new Error('the database URL is not a postgres:// URL');
  return `${parts[1]}${parts[2] ?? ''}:${encodeURIComponent(password)}@${parts[3]}`;
}
