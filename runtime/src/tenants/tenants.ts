import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;

export function isTenantId(id: string): boolean {
  return TENANT_ID.test(id);
}

/** Tenants: the unit of isolation. Every event, key, schema and row carries one. */
export function createTenantService(db: Kysely<Tables>) {
  return {
    async create(id: string, name = id): Promise<Tenant> {
      if (!isTenantId(id)) throw new LivoraError('LIVORA_TENANT_INVALID_ID', `"${id}" is not a valid tenant id`);
      const row = await db
        .insertInto('tenants')
        .values({ id, name })
        .onConflict((oc) => oc.column('id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new LivoraError('LIVORA_TENANT_EXISTS', `tenant "${id}" exists`);
      return { id: row.id, name: row.name, createdAt: row.created_at };
    },
    async list(): Promise<Tenant[]> {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
    },
    /** Whether the tenant asked for IPs to be truncated after geo lookup. */
    async truncatesIp(id: string): Promise<boolean> {
      const row = await db.selectFrom('tenants').select('truncate_ip').where('id', '=', id).executeTakeFirst();
      return row?.truncate_ip ?? false;
    },
    async setTruncateIp(id: string, truncate: boolean): Promise<void> {
      const result = await db
        .updateTable('tenants')
        .set({ truncate_ip: truncate })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new LivoraError('LIVORA_TENANT_NOT_FOUND', `no tenant "${id}"`);
    },
    async exists(id: string): Promise<boolean> {
      return (await db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    async require(id: string): Promise<Tenant> {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new LivoraError('LIVORA_TENANT_NOT_FOUND', `no tenant "${id}"`);
      return { id: row.id, name: row.name, createdAt: row.created_at };
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
