import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { ObjectSchema } from './event-schema.ts';

export interface SchemaVersion {
  readonly tenantId: string;
  readonly event: string;
  readonly version: number;
  readonly schema: ObjectSchema;
  readonly description: string | null;
  readonly createdAt: Date;
}

/** Event schema versions in PostgreSQL (`event_schemas`). */
export function createSchemaStore(db: Kysely<Tables>) {
  const toVersion = (row: {
    tenant_id: string;
    event_name: string;
    version: number;
    schema: unknown;
    description: string | null;
    created_at: Date;
  }): SchemaVersion => ({
    tenantId: row.tenant_id,
    event: row.event_name,
    version: row.version,
    schema: row.schema as ObjectSchema,
    description: row.description,
    createdAt: row.created_at,
  });

  return {
    async versions(tenantId: string, event: string): Promise<SchemaVersion[]> {
      const rows = await db
        .selectFrom('event_schemas')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('event_name', '=', event)
        .orderBy('version')
        .execute();
      return rows.map(toVersion);
    },
    /** The latest version of every event schema of a tenant. */
    async latestOfTenant(tenantId: string): Promise<SchemaVersion[]> {
      const rows = await db
        .selectFrom('event_schemas')
        .selectAll()
        .distinctOn('event_name')
        .where('tenant_id', '=', tenantId)
        .orderBy('event_name')
        .orderBy('version', 'desc')
        .execute();
      return rows.map(toVersion);
    },
    /** Inserts `version`; false when another writer took that number first. */
    async insert(version: Omit<SchemaVersion, 'createdAt'>): Promise<SchemaVersion | null> {
      const row = await db
        .insertInto('event_schemas')
        .values({
          tenant_id: version.tenantId,
          event_name: version.event,
          version: version.version,
          schema: JSON.stringify(version.schema),
          description: version.description,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'event_name', 'version']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ? toVersion(row) : null;
    },
  };
}

export type SchemaStore = ReturnType<typeof createSchemaStore>;
