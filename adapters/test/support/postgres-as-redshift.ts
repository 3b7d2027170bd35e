import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { redshiftSql } from '../../src/aws/redshift-sql.ts';
import type { Warehouse } from '../../src/ports/warehouse.ts';

/**
 * The Redshift warehouse's SQL executed on a real PostgreSQL: the Redshift spelling keeps
 * to what both engines run, so analytics queries are checked on PostgreSQL where no
 * Redshift is reachable. Install `installRedshiftFunctions` on the database first.
 */
export function postgresAsRedshift(pool: pg.Pool): Warehouse {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  // The pool stays the caller's: Kysely's destroy would end it.
  return { sql: redshiftSql, db, close: async () => undefined };
}

/**
 * Redshift's JSON functions over text, as its documentation gives them, where PostgreSQL
 * has them only over `json` (or not at all): JSON_EXTRACT_PATH_TEXT, JSON_ARRAY_LENGTH and
 * JSON_EXTRACT_ARRAY_ELEMENT_TEXT, whose last argument (`null_if_invalid`) answers NULL for
 * text that is not JSON (or not an array) instead of failing.
 */
export async function installRedshiftFunctions(pool: pg.Pool): Promise<void> {
  const array = `pg_input_is_valid($1, 'json') AND json_typeof($1::json) = 'array'`;
  await pool.query(`
    CREATE OR REPLACE FUNCTION json_extract_path_text(text, VARIADIC text[]) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT json_extract_path_text($1::json, VARIADIC $2) $$;
    CREATE OR REPLACE FUNCTION json_extract_path_text(text, text, boolean) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN NOT $3 OR pg_input_is_valid($1, 'json') THEN json_extract_path_text($1::json, $2) END $$;
    CREATE OR REPLACE FUNCTION json_extract_path_text(json, text, boolean) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT json_extract_path_text($1, $2) $$;
    CREATE OR REPLACE FUNCTION json_array_length(text, boolean) RETURNS integer
      LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN NOT $2 OR ${array} THEN json_array_length($1::json) END $$;
    CREATE OR REPLACE FUNCTION json_extract_array_element_text(text, integer, boolean) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN NOT $3 OR ${array} THEN $1::json ->> $2 END $$;`);
}
