import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import { Connection, type ConnectionConfiguration, Request, TYPES } from 'tedious';

/** A Synapse SQL pool (or any SQL Server) and how to sign in to it. */
export interface SynapseTarget {
  readonly server: string;
  readonly port?: number;
  readonly database: string;
  /** SQL authentication; Microsoft Entra ID (the default Azure credential chain) when unset. */
  readonly user?: { readonly name: string; readonly password: string };
  /** TLS (on by default, as Synapse requires; off only for a local stand-in). */
  readonly encrypt?: boolean;
}

/**
 * Kysely's driver role over TDS (tedious): each statement an `sp_executesql` call whose
 * `@1…@n` parameters are typed from their values (text as NVARCHAR, whole numbers as
 * BIGINT, others as FLOAT, booleans as BIT, times as ISO 8601 text that the SQL converts).
 * Connections are kept and reused, one statement at a time each, unless a statement failed
 * on one: that one is closed on release (the server rolls back whatever it left open). A
 * transaction is the connection's: BEGIN, COMMIT and ROLLBACK go as plain SQL batches
 * (inside sp_executesql a transaction left open is an error).
 */
export class SynapseDriver implements Driver {
  readonly #target: SynapseTarget;
  readonly #idle: Connection[] = [];
  readonly #open = new Set<Connection>();

  constructor(target: SynapseTarget) {
    this.#target = target;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#idle.pop() ?? (await this.#connect());
    return new SynapseConnection(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const { tds, failed } = connection as SynapseConnection;
    if (!this.#open.has(tds)) return;
    if (failed) tds.close();
    else this.#idle.push(tds);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SynapseConnection).batch('BEGIN TRANSACTION');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SynapseConnection).batch('COMMIT TRANSACTION');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SynapseConnection;
    // A rollback that fails must not hide why it ran: the connection is closed on release, which rolls back.
    await c.batch('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION').catch(() => undefined);
  }

  async destroy(): Promise<void> {
    for (const connection of this.#open) connection.close();
    this.#open.clear();
    this.#idle.length = 0;
  }

  #connect(): Promise<Connection> {
    const t = this.#target;
    const config: ConnectionConfiguration = {
      server: t.server,
      authentication: t.user
        ? { type: 'default', options: { userName: t.user.name, password: t.user.password } }
        : { type: 'azure-active-directory-default', options: {} },
      options: {
        database: t.database,
        port: t.port ?? 1433,
        encrypt: t.encrypt ?? true,
        rowCollectionOnRequestCompletion: false,
        // A load's COPY INTO or partition rewrite outlasts tedious's default of 15 s.
        requestTimeout: REQUEST_TIMEOUT_MS,
      },
    };
    return new Promise((resolve, reject) => {
      const connection = new Connection(config);
      connection.once('connect', (error) => {
        if (error) reject(new Error(`cannot sign in to Synapse at ${t.server}: ${error.message}`));
        else {
          this.#open.add(connection);
          resolve(connection);
        }
      });
      // A connection that dies is not given out again.
      connection.on('end', () => {
        this.#open.delete(connection);
        const i = this.#idle.indexOf(connection);
        if (i >= 0) this.#idle.splice(i, 1);
      });
      connection.on('error', () => connection.close());
      connection.connect();
    });
  }
}

class SynapseConnection implements DatabaseConnection {
  readonly tds: Connection;
  /** A statement failed on it: what it left (a transaction, a half-filled table) is not handed on. */
  failed = false;

  constructor(tds: Connection) {
    this.tds = tds;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#noting(this.#executeQuery<R>(query));
  }

  #executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return new Promise((resolve, reject) => {
      const rows: R[] = [];
      const request = new Request(query.sql, (error, rowCount) => {
        if (error) reject(error);
        else resolve({ rows, ...(rows.length === 0 ? { numAffectedRows: BigInt(rowCount ?? 0) } : {}) });
      });
      query.parameters.forEach((value, i) => {
        const [type, typed] = parameterOf(value);
        request.addParameter(String(i + 1), type, typed);
      });
      request.on('row', (columns: { metadata: { colName: string; type: { name: string } }; value: unknown }[]) => {
        const row: Record<string, unknown> = {};
        for (const column of columns)
          row[column.metadata.colName] = INTEGER_TYPES.has(column.metadata.type.name)
            ? wholeNumber(column.value)
            : column.value;
        rows.push(row as R);
      });
      this.tds.execSql(request);
    });
  }

  /** A plain SQL batch, without parameters. */
  batch(text: string): Promise<void> {
    return this.#noting(
      new Promise((resolve, reject) => {
        this.tds.execSqlBatch(new Request(text, (error) => (error ? reject(error) : resolve())));
      }),
    );
  }

  async #noting<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  // biome-ignore lint/correctness/useYield: Kysely's interface; streaming is refused
  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('the Synapse warehouse does not stream rows');
  }
}

/** How long one statement may run (a load's COPY of 100 files on a small pool takes minutes). */
const REQUEST_TIMEOUT_MS = 30 * 60 * 1000;

type TdsType = (typeof TYPES)[keyof typeof TYPES];

/** Column types whose 64-bit values tedious gives as text (a nullable BIGINT is an IntN of 8 bytes). */
const INTEGER_TYPES = new Set(['BigInt', 'IntN']);

function parameterOf(value: unknown): [TdsType, unknown] {
  if (value === null || value === undefined) return [TYPES.NVarChar, null];
  if (typeof value === 'number') return Number.isInteger(value) ? [TYPES.BigInt, value] : [TYPES.Float, value];
  if (typeof value === 'bigint') return [TYPES.BigInt, value.toString()];
  if (typeof value === 'boolean') return [TYPES.Bit, value];
  if (value instanceof Date) return [TYPES.NVarChar, value.toISOString()];
  return [TYPES.NVarChar, typeof value === 'string' ? value : JSON.stringify(value)];
}

/** BIGINT arrives as text: a number where it fits, else the exact text. */
function wholeNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
