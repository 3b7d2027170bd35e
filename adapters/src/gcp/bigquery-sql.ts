import { MysqlAdapter, MysqlQueryCompiler, sql } from 'kysely';
import type { TimeUnit, WarehouseSql } from '../ports/warehouse.ts';
import { jsonPath, wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

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
};
