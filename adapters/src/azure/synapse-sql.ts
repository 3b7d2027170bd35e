import { MssqlAdapter, MssqlQueryCompiler, sql } from 'kysely';
import { UnsupportedInWarehouseError, type WarehouseSql } from '../ports/warehouse.ts';
import { createTableIfMissing, DECIMAL_TYPE, jsonPath, wholeRows, wholeSeconds } from '../shared/warehouse-compiler.ts';

/** 1900-01-01 was a Monday: days since it, modulo 7, is the weekday (0 = Monday). */
const MONDAY = sql.lit('19000101');

/**
 * Synapse's T-SQL (dedicated SQL pools): `@n` parameters, no regular expressions. Curated
 * tables hold times as UTC datetime2 and compare text with a binary collation, so equality
 * is case-sensitive here as on every other engine.
 */
export const synapseSql: WarehouseSql = {
  engine: 'synapse',
  createAdapter: () => new MssqlAdapter(),
  createQueryCompiler: () => new MssqlQueryCompiler(),
  firstRows: (count) => sql`OFFSET 0 ROWS FETCH NEXT ${sql.lit(wholeRows(count))} ROWS ONLY`,
  typeName: (type) => ({ text: 'NVARCHAR(4000)', float: 'FLOAT', integer: 'BIGINT' })[type],
  timestamp: (value) => sql`CONVERT(datetime2, ${value.toISOString()}, 127)`,
  plusSeconds: (at, seconds) => sql`DATEADD(second, ${sql.raw(String(wholeSeconds(seconds)))}, ${at})`,
  secondsBetween: (from, to) => sql`(DATEDIFF_BIG(microsecond, ${from}, ${to}) / 1000000.0)`,
  truncate: (unit, at) => {
    const day = sql`CAST(CAST(${at} AS date) AS datetime2)`;
    if (unit === 'day') return day;
    if (unit === 'week') return sql`DATEADD(day, -(DATEDIFF(day, ${MONDAY}, ${at}) % 7), ${day})`;
    return sql`CAST(DATEFROMPARTS(YEAR(${at}), MONTH(${at}), 1) AS datetime2)`;
  },
  unitsBetween(unit, from, to) {
    if (unit === 'week') return sql`(DATEDIFF(day, ${this.truncate('week', from)}, ${this.truncate('week', to)}) / 7)`;
    return sql`DATEDIFF(${sql.raw(unit)}, ${from}, ${to})`;
  },
  jsonText: (column, key) => sql`JSON_VALUE(${column}, ${sql.lit(jsonPath(key))})`,
  contains: (value, needle) => sql`(CHARINDEX(${needle.toLowerCase()}, LOWER(${value})) > 0)`,
  matches: () => {
    throw new UnsupportedInWarehouseError('synapse', 'a regular expression filter');
  },
  columnType: (type) =>
    ({
      VARCHAR: 'NVARCHAR(4000)',
      UUID: 'NVARCHAR(36)',
      DOUBLE: 'FLOAT',
      TIMESTAMPTZ: 'DATETIME2',
      INTEGER: 'INT',
      BOOLEAN: 'BIT',
    })[type as string] ?? type,
  createTable: (name, columns) =>
    createTableIfMissing(sql`IF OBJECT_ID(${sql.lit(name)}) IS NULL CREATE TABLE`, name, columns),
  temporaryTable: (name) => ({
    create: (columns) => createTableIfMissing(sql`CREATE TABLE`, `#${name}`, columns),
    ref: sql.table(`#${name}`),
  }),
  // OPENJSON walks an object's members too: only an array is given to it.
  jsonArrayElements: (column, key) => {
    const value = sql`JSON_QUERY(${column}, ${sql.lit(jsonPath(key))})`;
    return {
      join: sql`CROSS APPLY OPENJSON(CASE WHEN LEFT(${value}, 1) = '[' THEN ${value} END) AS element`,
      element: sql.ref('element.value'),
    };
  },
  tryCast: (value, type) => sql`TRY_CAST(${value} AS ${sql.raw(type === 'decimal' ? DECIMAL_TYPE : 'INT')})`,
};
