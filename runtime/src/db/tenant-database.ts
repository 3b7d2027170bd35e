import { AsyncLocalStorage } from 'node:async_hooks';
import { type DatabaseConnection, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { isTenantId } from '../tenants/tenants.ts';
import { preparingClient } from './preparing-client.ts';
import type { Tables } from './tables.ts';

/**
 * The database as the CRM sees it: every statement runs as the `livora_tenant` role with
 * one tenant set, so row-level security shows and accepts that tenant's rows only, even if
 * a query forgets its `tenant_id` condition (every query still states it: isolation is
 * enforced twice).
 */
export interface TenantDatabase {
  /**
   * Runs `work`'s statements for the tenant, each committed on its own: for reads (under
   * READ COMMITTED each statement sees what was committed when it began, in a transaction
   * or not, so one adds nothing to them).
   */
  read<T>(tenantId: string, work: (db: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** Runs `work` for the tenant as one transaction: all of its changes, or none. */
  transaction<T>(tenantId: string, work: (tx: Kysely<Tables>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the CRM's connections: a pool of their own, logged in as `livora_tenant` for their
 * whole life, each keeping the tenant it last served (a session setting). A connection is
 * switched, by one statement, only when the next work is for another tenant; so a read is
 * one round trip, where a transaction with local settings took three (BEGIN and the
 * settings, the query, COMMIT): a contact by id went from 2,177 to 3,356 requests/s.
 */
export function openTenantDatabase(options: {
  /** The pool's settings as the engine's other pool has them (URL, size, bounded waits). */
  pool: pg.PoolConfig;
  /** An idle connection failed (the server restarted, or is stopping). */
  onIdleError?: (error: Error) => void;
}): TenantDatabase {
  const pool = new pg.Pool({ ...asTenantRole(options.pool), Client: preparingClient() });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Kysely names the connection it reserves only to its hook: the reservation under way
  // (this async context's) learns it there.
  const reservations = new AsyncLocalStorage<{ connection?: DatabaseConnection }>();
  const tenantOf = new WeakMap<DatabaseConnection, string>();
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({
      pool,
      onReserveConnection: async (connection) => {
        const reservation = reservations.getStore();
        if (reservation) reservation.connection = connection;
      },
    }),
  });

  function forTenant<T>(tenantId: string, work: (connection: Kysely<Tables>) => Promise<T>): Promise<T> {
    if (!isTenantId(tenantId)) return Promise.reject(new Error(`not a tenant id: ${JSON.stringify(tenantId)}`));
    const reservation: { connection?: DatabaseConnection } = {};
    return reservations.run(reservation, () =>
      db.connection().execute(async (connection) => {
        const reserved = reservation.connection;
        if (!reserved) throw new Error('the tenant database reserved a connection without telling which');
        if (tenantOf.get(reserved) !== tenantId) {
          // Forgotten first: a switch whose answer is lost leaves the connection unknown, switched again next time.
          tenantOf.delete(reserved);
          const { rows } = await sql<{ role: string }>`
            SELECT set_config('livora.tenant_id', ${tenantId}, false), current_user AS role`.execute(connection);
          // Row-level security holds for that role only: never serve a tenant as another.
          if (rows[0]?.role !== TENANT_ROLE)
            throw new Error(`the tenant database is logged in as ${rows[0]?.role}, not ${TENANT_ROLE}`);
          tenantOf.set(reserved, tenantId);
        }
        return work(connection);
      }),
    );
  }

  return {
    read: forTenant,
    transaction: (tenantId, work) => forTenant(tenantId, (connection) => connection.transaction().execute(work)),
    close: () => db.destroy(),
  };
}

const TENANT_ROLE = 'livora_tenant';

/**
 * The pool's settings with the role set at login (`-c role=…`), after any options the URL
 * carries: pg lets the URL's `options` replace the config's, which would drop the role. The
 * URL is read as pg reads it: a socket's (`postgres://user@/db?host=/cloudsql/…`, as Cloud
 * SQL's connector gives) is no WHATWG URL.
 */
export function asTenantRole(config: pg.PoolConfig): pg.PoolConfig {
  const { connectionString, ...rest } = config;
  const fromUrl = connectionString ? (parse(connectionString) as pg.PoolConfig) : {};
  return { ...rest, ...fromUrl, options: joined(rest.options, fromUrl.options) };
}

function joined(...given: (string | null | undefined)[]): string {
  // CRM statements are short: a parallel plan's workers took longer to start (about 7 ms)
  // than a search takes without them.
  return [...given.filter(Boolean), `-c role=${TENANT_ROLE}`, '-c max_parallel_workers_per_gather=0'].join(' ');
}
