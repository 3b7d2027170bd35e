import { PostgresAdapter, PostgresQueryCompiler, sql } from 'kysely';
import { NUMBERS_TABLE, type SqlExpression, type TimeUnit, type WarehouseSql } from '../ports/warehouse.ts';
import { createTableIfMissing, DECIMAL_TYPE, wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

/**
 * Redshift's SQL, kept to what Redshift and PostgreSQL both run, so the same text is
 * executed on a real PostgreSQL in tests. Parameters compile as `$n`; the Data API
 * driver renames them (it takes `:name`). JSON columns are text in Redshift (`json` in
 * the PostgreSQL the tests use): both read keys with JSON_EXTRACT_PATH_TEXT.
 */
export const redshiftSql: WarehouseSql = {
  engine: 'redshift',
  createAdapter: () => new PostgresAdapter(),
  createQueryCompiler: () => new PostgresQueryCompiler(),
  firstRows: (count) => sql`LIMIT ${sql.lit(wholeRows(count))}`,
  typeName: (type) => ({ text: 'VARCHAR', float: 'DOUBLE PRECISION', integer: 'BIGINT' })[type],
  timestamp: (value) => sql`CAST(${value.toISOString()} AS TIMESTAMPTZ)`,
  plusSeconds: (at, seconds) => sql`(${at} + INTERVAL ${sql.lit(`${wholeSeconds(seconds)} seconds`)})`,
  secondsBetween: (from, to) => sql`EXTRACT(EPOCH FROM (${to} - ${from}))`,
  truncate: (unit, at) => sql`(${utcStart(unit, at)} AT TIME ZONE 'UTC')`,
  unitsBetween: (unit, from, to) => {
    const start = (at: SqlExpression) => utcStart(unit, at);
    if (unit === 'month')
      return sql`((EXTRACT(YEAR FROM ${start(to)}) * 12 + EXTRACT(MONTH FROM ${start(to)})) - (EXTRACT(YEAR FROM ${start(from)}) * 12 + EXTRACT(MONTH FROM ${start(from)})))`;
    const days = sql`(CAST(${start(to)} AS DATE) - CAST(${start(from)} AS DATE))`;
    return unit === 'day' ? days : sql`(${days} / 7)`;
  },
  // null_if_invalid: text that is not a JSON object (a bare string in an array) reads as NULL, not an error.
  jsonText: (column, key) => sql`JSON_EXTRACT_PATH_TEXT(${column}, ${sql.lit(key)}, true)`,
  contains: (value, needle) => sql`(STRPOS(LOWER(${value}), ${needle.toLowerCase()}) > 0)`,
  matches: (value, pattern) => sql`(${value} ~ ${pattern})`,
  // Text is VARCHAR(65535): Redshift's bare VARCHAR holds 256 bytes, too few for JSON columns.
  columnType: (type) =>
    ({ VARCHAR: 'VARCHAR(65535)', UUID: 'VARCHAR(36)', DOUBLE: 'DOUBLE PRECISION' })[type as string] ?? type,
  createTable: (name, columns) => createTableIfMissing(sql`CREATE TABLE IF NOT EXISTS`, name, columns),
  temporaryTable: (name) => ({
    create: (columns) => createTableIfMissing(sql`CREATE TEMP TABLE`, name, columns),
    ref: sql.table(name),
  }),
  // No function unnests a JSON array: its elements are read by index, joined to a numbers table.
  jsonArrayElements: (column, key) => {
    const array = sql`JSON_EXTRACT_PATH_TEXT(${column}, ${sql.lit(key)}, true)`;
    return {
      join: sql`JOIN ${sql.table(NUMBERS_TABLE)} AS element_index ON element_index.i < JSON_ARRAY_LENGTH(${array}, true)`,
      element: sql`JSON_EXTRACT_ARRAY_ELEMENT_TEXT(${array}, element_index.i, true)`,
    };
  },
  // No TRY_CAST: a cast only of text that has the number's form.
  tryCast: (value, type) =>
    type === 'decimal'
      ? sql`CASE WHEN ${value} ~ '^-?[0-9]{1,16}([.][0-9]+)?$' THEN CAST(${value} AS ${sql.raw(DECIMAL_TYPE)}) END`
      : sql`CASE WHEN ${value} ~ '^-?[0-9]{1,9}$' THEN CAST(${value} AS INTEGER) END`,
};

/** The start of `at`'s day, week or month as a UTC wall-clock TIMESTAMP (no zone). */
function utcStart(unit: TimeUnit, at: SqlExpression): SqlExpression {
  return sql`DATE_TRUNC(${sql.lit(unit)}, ${at} AT TIME ZONE 'UTC')`;
}
