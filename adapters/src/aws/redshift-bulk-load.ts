import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { ObjectStore } from '../ports/object-store.ts';
import type { LakeBulkLoad } from '../ports/warehouse.ts';
import { redshiftSql } from './redshift-sql.ts';

/** Where load manifests are written in the lake, beside (never under) its data prefixes. */
const MANIFESTS = 'loads/';

/**
 * Redshift's bulk load: one COPY … FORMAT AS PARQUET MANIFEST of exactly the keys given
 * (a prefix would take whatever else lies under it). The manifest is written to the lake
 * with each file's size, which Redshift requires for Parquet, and removed after the COPY.
 * `iamRole` is the role Redshift assumes to read the lake (`default`: the cluster's own).
 */
export function createRedshiftBulkLoad(deps: { store: ObjectStore; iamRole: string }): LakeBulkLoad {
  const { store, iamRole } = deps;
  const role = iamRole === 'default' ? sql`default` : sql.lit(iamRole);
  return {
    async stage(db, name, columns, keys) {
      // Sizes first: the session waits for nothing between its statements.
      const entries = [];
      for (const key of keys) {
        const size = await store.size(key);
        // Removed since listed: the next load sees its partition changed.
        if (size !== null) entries.push({ url: store.locate(key), mandatory: true, meta: { content_length: size } });
      }
      const temporary = redshiftSql.temporaryTable(name);
      await temporary.create(columns).execute(db);
      const table = temporary.ref;
      if (entries.length === 0) return table;
      const manifest = `${MANIFESTS}manifest-${Date.now()}-${randomBytes(4).toString('hex')}.json`;
      await store.put(manifest, new TextEncoder().encode(JSON.stringify({ entries })));
      try {
        await sql`COPY ${table} FROM ${sql.lit(store.locate(manifest))} IAM_ROLE ${role} FORMAT AS PARQUET MANIFEST`.execute(
          db,
        );
      } finally {
        await store.delete(manifest);
      }
      return table;
    },
  };
}
