import { DummyDriver, Kysely, type RawBuilder, sql } from 'kysely';
import type { WarehouseSql } from '../ports/warehouse.ts';

/**
 * A Kysely instance that only compiles (Kysely's DummyDriver): what each engine would be
 * sent, for golden SQL tests and for engines this machine cannot reach.
 */
// biome-ignore lint/suspicious/noExplicitAny: compile-only, no tables
export function compilerFor(warehouse: WarehouseSql): Kysely<any> {
  return new Kysely({
    dialect: {
      createAdapter: () => warehouse.createAdapter(),
      createDriver: () => new DummyDriver(),
      createQueryCompiler: () => warehouse.createQueryCompiler(),
      createIntrospector: () => {
        throw new Error('a compile-only warehouse has no introspector');
      },
    },
  });
}

/** The SQL text and parameters `query` becomes on `warehouse`. */
export function compileFor(warehouse: WarehouseSql, query: RawBuilder<unknown>) {
  return query.compile(compilerFor(warehouse));
}

/** A whole number of seconds for an interval literal (never a parameter: some engines want a constant). */
export function wholeSeconds(seconds: number): number {
  if (!Number.isSafeInteger(seconds)) throw new RangeError(`not a whole number of seconds: ${seconds}`);
  return seconds;
}

/** A JSON key as a quoted JSONPath member (`$."key"`), for engines that take a path literal. */
export function jsonPath(key: string): string {
  return `$.${JSON.stringify(key)}`;
}

/** `<create> <table> (<columns>)`: CREATE TABLE as most engines spell it. */
export function createTableIfMissing(
  create: RawBuilder<unknown>,
  table: string,
  columns: readonly RawBuilder<unknown>[],
): RawBuilder<unknown> {
  return sql`${create} ${sql.table(table)} (${sql.join(columns)})`;
}

/** The exact decimal type of the curated tables (money): DECIMAL(20,4) everywhere. */
export const DECIMAL_TYPE = 'DECIMAL(20,4)';

/** A row count for a limit literal: a positive whole number. */
export function wholeRows(count: number): number {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`not a row count: ${count}`);
  return count;
}
