import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { ObjectStore } from '../ports/object-store.ts';
import type { LakeBulkLoad } from '../ports/warehouse.ts';

/** File locations per COPY statement (one statement's text stays small). */
const FILES_PER_COPY = 100;

/**
 * Synapse's bulk load: COPY INTO a staging table (a heap, round robin: the quickest to
 * fill; COPY takes no temporary table), named for this load, from exactly the keys given,
 * read by the workspace's managed identity. `account` is the lake's storage account (Data
 * Lake Storage Gen2): COPY reads Parquet as a managed identity only through its Data Lake
 * endpoint (`https://<account>.dfs.core.windows.net/…`), not the blob one. A COPY that
 * fails drops the table it was filling; staging tables a dead process left (a day old)
 * are dropped by the next load.
 */
export function createSynapseBulkLoad(deps: { store: ObjectStore; account: string }): LakeBulkLoad {
  const { store, account } = deps;
  // The store names a key `az://<container>/<path>`; COPY wants the file's URL.
  const url = (key: string) => store.locate(key).replace(/^az:\/\//, `https://${account}.dfs.core.windows.net/`);
  return {
    async stage(db, name, columns, keys) {
      await dropLeftovers(db, name);
      const table = sql.table(`${name}_${randomBytes(4).toString('hex')}`);
      await sql`CREATE TABLE ${table} (${sql.join(columns)}) WITH (HEAP, DISTRIBUTION = ROUND_ROBIN)`.execute(db);
      try {
        for (let start = 0; start < keys.length; start += FILES_PER_COPY) {
          const files = sql.join(keys.slice(start, start + FILES_PER_COPY).map((key) => sql.lit(url(key))));
          await sql`
            COPY INTO ${table} FROM ${files}
            WITH (FILE_TYPE = 'PARQUET', CREDENTIAL = (IDENTITY = 'Managed Identity'))`.execute(db);
        }
      } catch (error) {
        await sql`DROP TABLE ${table}`.execute(db).catch(() => undefined);
        throw error;
      }
      return table;
    },
  };
}

/** How old a staging table must be to count as left behind (no load runs this long). */
const LEFTOVER_HOURS = 24;

/** Drops staging tables of `name` a process that died mid-load left in the pool. */
// biome-ignore lint/suspicious/noExplicitAny: the warehouse's tables are not typed here
async function dropLeftovers(db: Kysely<any>, name: string): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM sys.tables
    WHERE name LIKE ${`${name.replace(/_/g, '[_]')}[_]%`} AND create_date < DATEADD(hour, -${sql.lit(LEFTOVER_HOURS)}, GETUTCDATE())`.execute(
    db,
  );
  // Another load may be dropping the same one: that is not this load's failure.
  for (const row of rows) await sql`DROP TABLE ${sql.table(row.name)}`.execute(db).catch(() => undefined);
}
