import { sql } from 'kysely';
import type { ObjectStore } from '../ports/object-store.ts';
import type { LakeBulkLoad } from '../ports/warehouse.ts';
import { bigQuerySql } from './bigquery-sql.ts';

/**
 * BigQuery's bulk load: LOAD DATA into a temporary table of the session, with the files'
 * columns, from exactly the keys given (`gs://` URIs of the lake in GCS). The session then
 * runs the transaction that reads it (LOAD DATA itself may not run inside one). OVERWRITE:
 * a table of that name the session kept (a drop that failed) is replaced, not appended to.
 */
export function createBigQueryBulkLoad(deps: { store: ObjectStore }): LakeBulkLoad {
  const { store } = deps;
  return {
    async stage(db, name, columns, keys) {
      const table = bigQuerySql.temporaryTable(name);
      if (keys.length === 0) {
        await table.create(columns).execute(db);
        return table.ref;
      }
      const uris = sql.join(keys.map((key) => sql.lit(store.locate(key))));
      await sql`
        LOAD DATA OVERWRITE TEMP TABLE ${table.ref} (${sql.join(columns)})
        FROM FILES (format = 'PARQUET', uris = [${uris}])`.execute(db);
      return table.ref;
    },
  };
}
