import { type Kysely, sql } from 'kysely';
import { byUser, recordAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/roles.ts';
import { SQLSTATE } from '../db/sqlstate.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import { crmUser } from './crm-permissions.ts';

/** A static segment: a named list of contacts, filled by bulk actions. */
export interface Segment {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly members: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

/**
 * Static segments of a tenant's contacts: made, renamed and deleted here (each audited);
 * members come and go through bulk actions (add_to_segment, remove_from_segment) and are
 * listed as contacts (`segment_id` filter). Deleting a segment keeps its contacts.
 */
export function createSegments(tenantDb: TenantDatabase) {
  async function find(tx: Kysely<Tables>, tenantId: string, id?: string): Promise<Segment[]> {
    const { rows } = await sql<{
      id: string;
      name: string;
      description: string | null;
      created_by: string;
      created_at: Date;
      members: number;
    }>`
      SELECT s.id, s.name, s.description, s.created_by, s.created_at,
             (SELECT count(*)::int FROM segment_members AS m WHERE m.tenant_id = s.tenant_id AND m.segment_id = s.id) AS members
      FROM segments AS s
      WHERE s.tenant_id = ${tenantId} ${id ? sql`AND s.id = ${id}` : sql``}
      ORDER BY s.name`.execute(tx);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      members: r.members,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Runs `work` for the principal's tenant; a taken name is LIVORA_CRM_DUPLICATE. */
  async function scoped<T>(
    principal: Principal,
    how: 'read' | 'transaction',
    work: (tx: Kysely<Tables>, user: ReturnType<typeof crmUser>) => Promise<T>,
  ): Promise<T> {
    const user = crmUser(principal);
    try {
      return await tenantDb[how](user.tenantId, (tx) => work(tx, user));
    } catch (error) {
      if ((error as { code?: string }).code === SQLSTATE.UNIQUE_VIOLATION)
        throw new LivoraError('LIVORA_CRM_DUPLICATE', 'another segment has this name');
      throw error;
    }
  }

  async function one(tx: Kysely<Tables>, tenantId: string, id: string): Promise<Segment> {
    const [segment] = await find(tx, tenantId, id);
    if (!segment) throw new LivoraError('LIVORA_CRM_NOT_FOUND', 'no segment with this id');
    return segment;
  }

  return {
    list: (principal: Principal) => scoped(principal, 'read', (tx, user) => find(tx, user.tenantId)),

    get: (principal: Principal, id: string) => scoped(principal, 'read', (tx, user) => one(tx, user.tenantId, id)),

    create: (principal: Principal, input: { name: string; description?: string | null }, requestId?: string) =>
      scoped(principal, 'transaction', async (tx, user) => {
        const id = uuidV7();
        await tx
          .insertInto('segments')
          .values({
            id,
            tenant_id: user.tenantId,
            name: input.name,
            description: input.description ?? null,
            created_by: user.subject,
          })
          .execute();
        const segment = await one(tx, user.tenantId, id);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'segment.created',
          entity: 'segment',
          entityId: id,
          after: segment,
        });
        return segment;
      }),

    update: (
      principal: Principal,
      id: string,
      input: { name?: string; description?: string | null },
      requestId?: string,
    ) =>
      scoped(principal, 'transaction', async (tx, user) => {
        const before = await one(tx, user.tenantId, id);
        await tx
          .updateTable('segments')
          .set(input)
          .where('tenant_id', '=', user.tenantId)
          .where('id', '=', id)
          .execute();
        const after = await one(tx, user.tenantId, id);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'segment.updated',
          entity: 'segment',
          entityId: id,
          before,
          after,
        });
        return after;
      }),

    /** The pipeline's people of the segment's contacts (contacts with no person have no events to count). */
    persons: (principal: Principal, id: string) =>
      scoped(principal, 'transaction', async (tx, user) => {
        await one(tx, user.tenantId, id);
        const { rows } = await sql<{ person_id: string }>`
          SELECT DISTINCT c.person_id FROM segment_members AS m
          JOIN contacts AS c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id
          WHERE m.tenant_id = ${user.tenantId} AND m.segment_id = ${id} AND c.person_id IS NOT NULL`.execute(tx);
        return rows.map((r) => r.person_id);
      }),

    remove: (principal: Principal, id: string, requestId?: string) =>
      scoped(principal, 'transaction', async (tx, user) => {
        const before = await one(tx, user.tenantId, id);
        await tx.deleteFrom('segments').where('tenant_id', '=', user.tenantId).where('id', '=', id).execute();
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'segment.deleted',
          entity: 'segment',
          entityId: id,
          before,
        });
      }),
  };
}

export type Segments = ReturnType<typeof createSegments>;
