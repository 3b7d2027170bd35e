import {
  type BigQuery,
  BigQueryDate,
  BigQueryDatetime,
  BigQueryInt,
  BigQueryTime,
  BigQueryTimestamp,
} from '@google-cloud/bigquery';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { IdleSessions } from '../shared/idle-sessions.ts';

/** Where unqualified table names resolve, and where jobs run. */
export interface BigQueryTarget {
  readonly projectId: string;
  readonly dataset: string;
  /** The dataset's location (`EU`, `us-central1`…); BigQuery finds it when unset. */
  readonly location?: string;
}

/** A released session serves another connection only this soon (BigQuery ends idle ones after 24 hours). */
const SESSION_REUSE_MS = 3600 * 1000;
/** BigQuery ends every session 7 days after it began, busy or not: an older one is not used again. */
const SESSION_MAX_AGE_MS = 6 * 24 * 3600 * 1000;

/**
 * Kysely's driver role over BigQuery's jobs.query: the compiled SQL's positional `?`
 * parameters go as typed query parameters (a null needs its type named: STRING, which
 * BigQuery casts where the SQL compares it), unqualified tables resolve in the target
 * dataset, and rows come back with JavaScript values: numbers, Dates for times, exact
 * text for NUMERIC. A connection is a BigQuery session (made by its first query, or a
 * released one reused, as a pool would), so a transaction (BEGIN TRANSACTION … COMMIT
 * TRANSACTION) and temporary tables live across its queries. A session in which a query
 * failed is ended (BQ.ABORT_SESSION, which rolls back what it left open), not reused.
 */
export class BigQueryDriver implements Driver {
  readonly #client: BigQuery;
  readonly #target: BigQueryTarget;
  readonly #idle = new IdleSessions<Session>({ reuseMs: SESSION_REUSE_MS, maxAgeMs: SESSION_MAX_AGE_MS });

  constructor(client: BigQuery, target: BigQueryTarget) {
    this.#client = client;
    this.#target = target;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new BigQueryConnection((query, sessionId) => this.#execute(query, sessionId), this.#idle.take());
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN TRANSACTION'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT TRANSACTION'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // BigQuery may have rolled back already (a failed statement ends its transaction); a
    // rollback that fails must not hide why it ran. The session is ended on release.
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK TRANSACTION')).catch(() => undefined);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const { session, failed } = connection as BigQueryConnection;
    if (!session) return;
    if (failed) await this.#execute(CompiledQuery.raw('CALL BQ.ABORT_SESSION()'), session.id).catch(() => undefined);
    else this.#idle.keep(session);
  }

  async destroy(): Promise<void> {}

  /** Runs `query` in the session `sessionId`; with null, makes a session and answers its id instead of rows. */
  async #execute<R>(query: CompiledQuery, sessionId: string | null): Promise<QueryResult<R>> {
    const t = this.#target;
    const params = query.parameters.map(parameterValue);
    const [rows] = await this.#client.query({
      query: query.sql,
      params,
      types: params.map(parameterType),
      defaultDataset: { projectId: t.projectId, datasetId: t.dataset },
      ...(t.location ? { location: t.location } : {}),
      ...(sessionId ? { connectionProperties: [{ key: 'session_id', value: sessionId }] } : { createSession: true }),
      wrapIntegers: true,
    });
    return { rows: (rows as Record<string, unknown>[]).map((row) => plainRow(row) as R) };
  }
}

type Execute = <R>(query: CompiledQuery, sessionId: string | null) => Promise<QueryResult<R>>;

/** A BigQuery session: its id, and when it began. */
interface Session {
  readonly id: string;
  readonly opened: number;
}

/** One BigQuery session: made by a first query that asks for its own id (`@@session_id`). */
class BigQueryConnection implements DatabaseConnection {
  readonly #execute: Execute;
  session: Session | null;
  /** A query failed in it: the session is ended on release, not reused. */
  failed = false;

  constructor(execute: Execute, session: Session | null) {
    this.#execute = execute;
    this.session = session;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      if (!this.session) {
        const opened = Date.now();
        const { rows } = await this.#execute<{ session_id: string }>(
          CompiledQuery.raw('SELECT @@session_id AS session_id'),
          null,
        );
        const id = rows[0]?.session_id;
        if (!id) throw new Error('BigQuery made no session');
        this.session = { id, opened };
      }
      return await this.#execute<R>(query, this.session.id);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  streamQuery(): never {
    throw new Error('the BigQuery warehouse does not stream rows');
  }
}

function parameterValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The parameter's BigQuery type, as the client wants it named. */
function parameterType(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (typeof value === 'boolean') return 'BOOL';
  if (value instanceof Date) return 'TIMESTAMP';
  return 'STRING';
}

/** A row with the client's wrappers unwrapped: INT64 as a number (text past 2^53), times as Dates. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value);
  return plain;
}

function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof BigQueryInt) {
    const n = Number(value.value);
    return Number.isSafeInteger(n) ? n : value.value;
  }
  if (value instanceof BigQueryTimestamp) return new Date(value.value);
  if (value instanceof BigQueryDate || value instanceof BigQueryDatetime || value instanceof BigQueryTime)
    return value.value;
  // NUMERIC and BIGNUMERIC arrive as Big numbers: exact text, as other warehouses give decimals.
  if (typeof value === 'object' && value.constructor?.name === 'Big') return String(value);
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}
