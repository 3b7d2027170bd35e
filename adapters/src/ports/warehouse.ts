import type { DialectAdapter, Kysely, QueryCompiler, RawBuilder } from 'kysely';
import type { ColumnType } from './parquet-encoder.ts';

export type WarehouseEngine = 'duckdb' | 'redshift' | 'bigquery' | 'synapse';

/** Calendar units analytics group by: weeks start on Monday, everything is UTC. */
export type TimeUnit = 'day' | 'week' | 'month';

/** An expression inside a query: a column reference or any SQL fragment. */
export type SqlExpression = RawBuilder<unknown>;

/**
 * How one warehouse spells SQL: Kysely's adapter and compiler for its quoting and parameter
 * placeholders, plus the few functions whose spelling differs between engines. Analytics
 * queries are written once against this, as Kysely's dialects let one query builder speak
 * to every database; golden SQL tests pin what each engine receives.
 */
export interface WarehouseSql {
  readonly engine: WarehouseEngine;
  createAdapter(): DialectAdapter;
  createQueryCompiler(): QueryCompiler;
  /** What ends an ordered query to keep its first `count` rows (`LIMIT n`, or T-SQL's `OFFSET … FETCH`). */
  firstRows(count: number): SqlExpression;
  /** The engine's name for a type (in casts). */
  typeName(type: 'text' | 'float' | 'integer'): string;
  /** A timestamp parameter (sent as ISO 8601 text, read as UTC). */
  timestamp(value: Date): SqlExpression;
  /** `at` moved forward by a whole number of seconds. */
  plusSeconds(at: SqlExpression, seconds: number): SqlExpression;
  /** Seconds from `from` to `to`, with the engine's sub-second precision. */
  secondsBetween(from: SqlExpression, to: SqlExpression): SqlExpression;
  /** The start of the UTC day, week (Monday) or month `at` falls in, as a timestamp with zone. */
  truncate(unit: TimeUnit, at: SqlExpression): SqlExpression;
  /** Whole `unit`s from `from` to `to`, counted between their truncated starts. */
  unitsBetween(unit: TimeUnit, from: SqlExpression, to: SqlExpression): SqlExpression;
  /** A top-level key of a JSON text column, as text (null when absent; numbers as their JSON text). */
  jsonText(column: SqlExpression, key: string): SqlExpression;
  /** True when `value` holds `needle`, ignoring case (a condition). */
  contains(value: SqlExpression, needle: string): SqlExpression;
  /** True when `value` matches the regular expression `pattern` (a condition, for WHERE and CASE). */
  matches(value: SqlExpression, pattern: string): SqlExpression;
  /** The engine's column type for a lake column type (or a calendar day), in CREATE TABLE. */
  columnType(type: ColumnType | 'DATE'): string;
  /** Creates the table unless it exists; a temporary one lasts for the session (a transaction's). */
  createTable(name: string, columns: readonly SqlExpression[]): SqlExpression;
  /** How a session's temporary table `name` is created and named (`#name` in T-SQL). */
  temporaryTable(name: string): { create(columns: readonly SqlExpression[]): SqlExpression; ref: SqlExpression };
  /**
   * A join, after `FROM <table> AS <alias>`, giving one row per element of the JSON array
   * at `key` of `column` (none where it is absent or not an array), the element as JSON text.
   */
  jsonArrayElements(column: SqlExpression, key: string): { join: SqlExpression; element: SqlExpression };
  /** `value` (text) as an exact decimal or a whole number; NULL where it is not one. */
  tryCast(value: SqlExpression, type: 'decimal' | 'integer'): SqlExpression;
}

/**
 * The curated table of whole numbers from 0 (`i`), up to the most elements a JSON array is
 * read to: an engine with no function that unnests a JSON array reads it by index.
 */
export const NUMBERS_TABLE = 'livora_numbers';
export const NUMBERS_COUNT = 1000;

/**
 * A warehouse's bulk load: a temporary table of the connection (its session) named
 * `name`, with `columns` (the files' own, in their order), holding the rows of the lake's
 * Parquet files `keys`. It runs on one connection, outside any transaction (BigQuery's
 * LOAD DATA is not allowed in one); answers how SQL names the table.
 */
export interface LakeBulkLoad {
  stage(
    // biome-ignore lint/suspicious/noExplicitAny: curated tables are created by the loads, not typed here
    connection: Kysely<any>,
    name: string,
    columns: readonly SqlExpression[],
    keys: readonly string[],
  ): Promise<SqlExpression>;
}

/** A warehouse analytics run on: its SQL spellings, and a Kysely instance that executes on it. */
export interface Warehouse {
  readonly sql: WarehouseSql;
  // biome-ignore lint/suspicious/noExplicitAny: curated tables are created by the loads, not typed here
  readonly db: Kysely<any>;
  close(): Promise<void>;
}

/**
 * A query needs what this engine cannot express exactly: refused with this, never
 * approximated (the API answers it as a clear error with a stable code).
 */
export class UnsupportedInWarehouseError extends Error {
  override readonly name = 'UnsupportedInWarehouseError';
  readonly engine: WarehouseEngine;
  readonly feature: string;
  constructor(engine: WarehouseEngine, feature: string) {
    super(`${feature} is not supported by the ${engine} warehouse`);
    this.engine = engine;
    this.feature = feature;
  }
}
