import {
  type BigQuery,
  BigQueryDate,
  BigQueryDatetime,
  BigQueryInt,
  BigQueryTime,
  BigQueryTimestamp,
} from '@google-cloud/bigquery';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';

/** Where unqualified table names resolve, and where jobs run. */
export interface BigQueryTarget {
  readonly projectId: string;
  readonly dataset: string;
  /** The dataset's location (`EU`, `us-central1`…); BigQuery finds it when unset. */
  readonly location?: string;
}

/**
 * Kysely's driver role over BigQuery's jobs.query: the compiled SQL's positional `?`
 * parameters go as typed query parameters (a null needs its type named: STRING, which
 * BigQuery casts where the SQL compares it), unqualified tables resolve in the target
 * dataset, and rows come back with JavaScript values: numbers, Dates for times, exact
 * text for NUMERIC. Read-only use: statements are not one session, so there are no
 * transactions here.
 */
export class BigQueryDriver implements Driver {
  readonly #client: BigQuery;
  readonly #target: BigQueryTarget;

  constructor(client: BigQuery, target: BigQueryTarget) {
    this.#client = client;
    this.#target = target;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return {
      executeQuery: (query) => this.#execute(query),
      streamQuery: () => {
        throw new Error('the BigQuery warehouse does not stream rows');
      },
    };
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the BigQuery warehouse runs single statements, not transactions');
  }

  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}

  async #execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const t = this.#target;
    const params = query.parameters.map(parameterValue);
    const [rows] = await this.#client.query({
      query: query.sql,
      params,
      types: params.map(parameterType),
      defaultDataset: { projectId: t.projectId, datasetId: t.dataset },
      ...(t.location ? { location: t.location } : {}),
      wrapIntegers: true,
    });
    return { rows: (rows as Record<string, unknown>[]).map((row) => plainRow(row) as R) };
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
