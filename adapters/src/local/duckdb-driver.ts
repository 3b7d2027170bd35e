import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * Kysely's driver role for DuckDB (@duckdb/node-api): one DuckDB connection per Kysely
 * connection, opened on demand and kept for reuse. Rows come back as plain JS values
 * (BIGINT as bigint, DECIMAL as number, times as Date).
 */
export class DuckDbDriver implements Driver {
  readonly #instance: () => Promise<DuckDBInstance>;
  readonly #idle: DuckDbConnection[] = [];
  readonly #all = new Set<DuckDbConnection>();

  constructor(instance: () => Promise<DuckDBInstance>) {
    this.#instance = instance;
  }

  async init(): Promise<void> {
    await this.#instance();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const connection = new DuckDbConnection(await (await this.#instance()).connect());
    this.#all.add(connection);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN TRANSACTION'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#idle.push(connection as DuckDbConnection);
  }

  async destroy(): Promise<void> {
    for (const connection of this.#all) connection.close();
    this.#all.clear();
    this.#idle.length = 0;
  }
}

class DuckDbConnection implements DatabaseConnection {
  readonly #connection: DuckDBConnection;

  constructor(connection: DuckDBConnection) {
    this.#connection = connection;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const reader = await this.#connection.runAndReadAll(query.sql, query.parameters as DuckDBValue[]);
    return { rows: reader.getRowObjectsJS() as R[] };
  }

  // biome-ignore lint/correctness/useYield: DuckDB results are read whole here; streaming is not offered
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the DuckDB warehouse does not stream results');
  }

  close(): void {
    this.#connection.closeSync();
  }
}
