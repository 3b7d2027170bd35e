import { PostgresAdapter, PostgresQueryCompiler, sql } from 'kysely';
import type { SqlExpression, TimeUnit, WarehouseSql } from '../ports/warehouse.ts';
import { wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

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
  jsonText: (column, key) => sql`JSON_EXTRACT_PATH_TEXT(${column}, ${sql.lit(key)})`,
  contains: (value, needle) => sql`(STRPOS(LOWER(${value}), ${needle.toLowerCase()}) > 0)`,
  matches: (value, pattern) => sql`(${value} ~ ${pattern})`,
};

/** The start of `at`'s day, week or month as a UTC wall-clock TIMESTAMP (no zone). */
function utcStart(unit: TimeUnit, at: SqlExpression): SqlExpression {
  return sql`DATE_TRUNC(${sql.lit(unit)}, ${at} AT TIME ZONE 'UTC')`;
}
