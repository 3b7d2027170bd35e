import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { ObjectStore } from '../ports/object-store.ts';
import type { LakeBulkLoad } from '../ports/warehouse.ts';
import { duckDbSql } from './duckdb-sql.ts';

/**
 * DuckDB's bulk load: read_parquet over the files, in place for a directory lake, else
 * downloaded to `stagingDir` first (removed once read).
 */
export function createDuckDbBulkLoad(deps: { store: ObjectStore; stagingDir: string }): LakeBulkLoad {
  const { store, stagingDir } = deps;
  return {
    async stage(db, name, columns, keys) {
      const temporary = duckDbSql.temporaryTable(name);
      await temporary.create(columns).execute(db);
      const table = temporary.ref;
      if (keys.length === 0) return table;
      const inPlace = keys.map((k) => store.locate(k));
      const read = async (files: readonly string[]) => {
        if (files.length === 0) return;
        // Only the files' columns: not the `tenant=…/dt=…` folders' names as well.
        const list = sql.join(files.map((f) => sql.lit(f)));
        await sql`INSERT INTO ${table} SELECT * FROM read_parquet([${list}], hive_partitioning = false)`.execute(db);
      };
      if (inPlace.every((p) => path.isAbsolute(p))) {
        await read(inPlace);
        return table;
      }
      const dir = path.join(stagingDir, `warehouse-load-${process.pid}-${Date.now()}`);
      await mkdir(dir, { recursive: true });
      try {
        const files: string[] = [];
        for (const [i, key] of keys.entries()) {
          const body = await store.get(key);
          if (!body) continue; // removed since listed: the next load sees its partition changed
          const file = path.join(dir, `${i}.parquet`);
          await writeFile(file, body);
          files.push(file);
        }
        await read(files);
        return table;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
