import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { redshiftSql } from '../../src/aws/redshift-sql.ts';
import type { Warehouse } from '../../src/ports/warehouse.ts';

/**
 * The Redshift warehouse's SQL executed on a real PostgreSQL: the Redshift spelling keeps
 * to what both engines run, so analytics queries are checked on PostgreSQL where no
 * Redshift is reachable.
 */
export function postgresAsRedshift(pool: pg.Pool): Warehouse {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  // The pool stays the caller's: Kysely's destroy would end it.
  return { sql: redshiftSql, db, close: async () => undefined };
}
