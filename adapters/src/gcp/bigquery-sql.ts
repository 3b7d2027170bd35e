import { MysqlAdapter, MysqlQueryCompiler, sql } from 'kysely';
import type { TimeUnit, WarehouseSql } from '../ports/warehouse.ts';
import { createTableIfMissing, jsonPath, wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

/** BigQuery's calendar parts: weeks start on Monday, as everywhere in Livora. */
const PART: Record<TimeUnit, string> = { day: 'DAY', week: 'WEEK(MONDAY)', month: 'MONTH' };

/**
 * BigQuery's GoogleSQL. MySQL's compiler already speaks its quoting (backticks) and
 * positional `?` parameters, which the BigQuery client takes as `params: [...]`.
 */
export const bigQuerySql: WarehouseSql = {
  engine: 'bigquery',
  createAdapter: () => new MysqlAdapter(),
  createQueryCompiler: () => new MysqlQueryCompiler(),
  firstRows: (count) => sql`LIMIT ${sql.lit(wholeRows(count))}`,
  typeName: (type) => ({ text: 'STRING', float: 'FLOAT64', integer: 'INT64' })[type],
  timestamp: (value) => sql`TIMESTAMP(${value.toISOString()})`,
  plusSeconds: (at, seconds) => sql`TIMESTAMP_ADD(${at}, INTERVAL ${sql.raw(String(wholeSeconds(seconds)))} SECOND)`,
  secondsBetween: (from, to) => sql`(TIMESTAMP_DIFF(${to}, ${from}, MICROSECOND) / 1000000)`,
  truncate: (unit, at) => sql`TIMESTAMP_TRUNC(${at}, ${sql.raw(PART[unit])}, 'UTC')`,
  unitsBetween: (unit, from, to) => sql`DATE_DIFF(DATE(${to}, 'UTC'), DATE(${from}, 'UTC'), ${sql.raw(PART[unit])})`,
  jsonText: (column, key) => sql`JSON_VALUE(${column}, ${sql.lit(jsonPath(key))})`,
  contains: (value, needle) => sql`(STRPOS(LOWER(${value}), ${needle.toLowerCase()}) > 0)`,
  matches: (value, pattern) => sql`REGEXP_CONTAINS(${value}, ${pattern})`,
  columnType: (type) =>
    ({
      VARCHAR: 'STRING',
      UUID: 'STRING',
      DOUBLE: 'FLOAT64',
      TIMESTAMPTZ: 'TIMESTAMP',
      'DECIMAL(20,4)': 'NUMERIC',
      INTEGER: 'INT64',
      BIGINT: 'INT64',
      BOOLEAN: 'BOOL',
      DATE: 'DATE',
    })[type],
  createTable: (name, columns) => createTableIfMissing(sql`CREATE TABLE IF NOT EXISTS`, name, columns),
  temporaryTable: (name) => ({
    create: (columns) => createTableIfMissing(sql`CREATE TEMP TABLE`, name, columns),
    ref: sql.table(name),
  }),
  jsonArrayElements: (column, key) => ({
    join: sql`CROSS JOIN UNNEST(JSON_QUERY_ARRAY(${column}, ${sql.lit(jsonPath(key))})) AS element`,
    element: sql`element`,
  }),
  tryCast: (value, type) => sql`SAFE_CAST(${value} AS ${sql.raw(type === 'decimal' ? 'NUMERIC' : 'INT64')})`,
};
