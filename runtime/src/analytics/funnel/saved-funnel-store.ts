import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { LivoraError } from '../../errors.ts';
import { uuidV7 } from '../../events/uuid-v7.ts';
import { type SavedFunnel, type SavedFunnelDefinition, savedFunnelOf } from './saved-funnel.ts';

/** A tenant's saved funnel, with the key its warehouse rows are kept under. */
export interface SavedFunnelRecord extends SavedFunnel {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

/** Saved funnels' definitions, in PostgreSQL: what the API saves and the warehouse loads keep up to date. */
export function createSavedFunnelStore(db: Kysely<Tables>) {
  const toRecord = (row: { id: string; name: string; definition: unknown; created_at: Date }): SavedFunnelRecord => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    ...savedFunnelOf(row.definition as SavedFunnelDefinition),
  });

  return {
    async save(name: string, definition: SavedFunnelDefinition): Promise<SavedFunnelRecord> {
      const saved = savedFunnelOf(definition);
      const row = await db
        .insertInto('saved_funnels')
        .values({ id: uuidV7(), tenant_id: definition.tenantId, name, definition: JSON.stringify(saved.definition) })
        .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new LivoraError('LIVORA_ANALYTICS_FUNNEL_EXISTS', `a saved funnel is named "${name}"`);
      return toRecord(row);
    },

    async list(tenantId: string): Promise<SavedFunnelRecord[]> {
      const rows = await db
        .selectFrom('saved_funnels')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute();
      return rows.map(toRecord);
    },

    async remove(tenantId: string, id: string): Promise<void> {
      const removed = await db
        .deleteFrom('saved_funnels')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n)
        throw new LivoraError('LIVORA_ANALYTICS_FUNNEL_NOT_FOUND', `no saved funnel ${id}`);
    },

    /** Every tenant's saved funnels, one per key (the loads keep each key's rows once). */
    async all(): Promise<SavedFunnel[]> {
      const rows = await db.selectFrom('saved_funnels').selectAll().orderBy('created_at').execute();
      const byKey = new Map(rows.map(toRecord).map((r) => [r.key, { key: r.key, definition: r.definition }]));
      return [...byKey.values()];
    },
  };
}

export type SavedFunnelStore = ReturnType<typeof createSavedFunnelStore>;
