import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { ObjectStore } from '../ports/object-store.ts';
import type { LakeBulkLoad } from '../ports/warehouse.ts';

/** File locations per COPY statement (one statement's text stays small). */
const FILES_PER_COPY = 100;

/**
 * Synapse's bulk load: COPY INTO a staging table (a heap, round robin: the quickest to
 * fill; COPY takes no temporary table), named for this load, from exactly the keys given,
 * read by the workspace's managed identity. `account` is the lake's storage account: its
 * blob endpoint is what COPY reads from (`https://<account>.blob.core.windows.net/…`).
 */
export function createSynapseBulkLoad(deps: { store: ObjectStore; account: string }): LakeBulkLoad {
  const { store, account } = deps;
  // The store names a key `az://<container>/<path>`; COPY wants the blob's URL.
  const url = (key: string) => store.locate(key).replace(/^az:\/\//, `https://${account}.blob.core.windows.net/`);
  return {
    async stage(db, name, columns, keys) {
      const table = sql.table(`${name}_${randomBytes(4).toString('hex')}`);
      await sql`CREATE TABLE ${table} (${sql.join(columns)}) WITH (HEAP, DISTRIBUTION = ROUND_ROBIN)`.execute(db);
      for (let start = 0; start < keys.length; start += FILES_PER_COPY) {
        const files = sql.join(keys.slice(start, start + FILES_PER_COPY).map((key) => sql.lit(url(key))));
        await sql`
          COPY INTO ${table} FROM ${files}
          WITH (FILE_TYPE = 'PARQUET', CREDENTIAL = (IDENTITY = 'Managed Identity'))`.execute(db);
      }
      return table;
    },
  };
}
