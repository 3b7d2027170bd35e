import { PostgresAdapter, PostgresQueryCompiler, sql } from 'kysely';
import type { WarehouseSql } from '../ports/warehouse.ts';
import { createTableIfMissing, DECIMAL_TYPE, jsonPath, wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

/**
 * DuckDB's SQL: PostgreSQL's quoting and `$n` parameters. The bundled DuckDB has no ICU,
 * so TIMESTAMPTZ is UTC and calendar functions work on its UTC TIMESTAMP.
 */
export const duckDbSql: WarehouseSql = {
  engine: 'duckdb',
  createAdapter: () => new PostgresAdapter(),
  createQueryCompiler: () => new PostgresQueryCompiler(),
  firstRows: (count) => sql`LIMIT ${sql.lit(wholeRows(count))}`,
  typeName: (type) => ({ text: 'VARCHAR', float: 'DOUBLE', integer: 'BIGINT' })[type],
  timestamp: (value) => sql`CAST(${value.toISOString()} AS TIMESTAMPTZ)`,
  plusSeconds: (at, seconds) => sql`(${at} + INTERVAL ${sql.lit(`${wholeSeconds(seconds)} seconds`)})`,
  secondsBetween: (from, to) => sql`(epoch(${to}) - epoch(${from}))`,
  truncate: (unit, at) => sql`CAST(date_trunc(${sql.lit(unit)}, CAST(${at} AS TIMESTAMP)) AS TIMESTAMPTZ)`,
  unitsBetween: (unit, from, to) =>
    sql`date_diff(${sql.lit(unit)}, date_trunc(${sql.lit(unit)}, CAST(${from} AS TIMESTAMP)), date_trunc(${sql.lit(unit)}, CAST(${to} AS TIMESTAMP)))`,
  jsonText: (column, key) => sql`json_extract_string(${column}, ${sql.lit(jsonPath(key))})`,
  contains: (value, needle) => sql`(strpos(lower(${value}), ${needle.toLowerCase()}) > 0)`,
  matches: (value, pattern) => sql`regexp_matches(${value}, ${pattern})`,
  columnType: (type) => type,
  createTable: (name, columns) => createTableIfMissing(sql`CREATE TABLE IF NOT EXISTS`, name, columns),
  temporaryTable: (name) => ({
    create: (columns) => createTableIfMissing(sql`CREATE TEMP TABLE`, name, columns),
    ref: sql.table(name),
  }),
  // json_each walks an object's members too: only an array is given to it.
  jsonArrayElements: (column, key) => {
    const value = sql`json_extract(${column}, ${sql.lit(jsonPath(key))})`;
    return {
      join: sql`CROSS JOIN json_each(CASE WHEN json_type(${value}) = 'ARRAY' THEN ${value} END) AS element`,
      element: sql`element.value`,
    };
  },
  tryCast: (value, type) => sql`TRY_CAST(${value} AS ${sql.raw(type === 'decimal' ? DECIMAL_TYPE : 'INTEGER')})`,
};
