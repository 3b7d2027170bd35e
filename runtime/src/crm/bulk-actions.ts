import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { assertMayAssign, crmUser } from './crm-permissions.ts';
import { inTenant } from './tenant-scope.ts';

export const MAX_BULK = 100_000;

export type BulkAction =
  | { action: 'tag'; tag: string }
  | { action: 'untag'; tag: string }
  | { action: 'assign'; ownerId: string | null };

/** Which contacts: these ids, or those matching a filter. */
export type BulkTarget =
  | { ids: readonly string[] }
  | { filter: { ownerId?: string; tag?: string; companyId?: string } };

/**
 * Bulk changes of contacts (tag, untag, assign an owner) for up to 100,000 ids or a filter,
 * in one transaction: every contact changes and is audited (one entry each, before and
 * after), or none does. An unknown id, a contact the user may not change, or more than
 * 100,000 contacts refuses the whole request.
 */
export function createBulkActions(db: Kysely<Tables>) {
  return {
    async run(
      principal: Principal,
      change: BulkAction,
      target: BulkTarget,
      requestId?: string,
    ): Promise<{ matched: number; changed: number }> {
      const user = crmUser(principal);
      if (change.action === 'assign' && change.ownerId !== null) assertMayAssign(user, change.ownerId);
      if ('ids' in target && target.ids.length > MAX_BULK) throw tooLarge(target.ids.length);
      return inTenant(db, user.tenantId, async (tx) => {
        const ids = 'ids' in target ? [...new Set(target.ids)] : await matching(tx, user.tenantId, target.filter);
        const { rows } = await sql<{ found: number; others: number }>`
          SELECT count(*)::int AS found,
                 count(*) FILTER (WHERE owner_id IS NOT NULL AND owner_id::text <> ${user.subject})::int AS others
          FROM (SELECT owner_id FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ANY(${ids}::uuid[]) FOR UPDATE) AS t`.execute(
          tx,
        );
        const { found = 0, others = 0 } = rows[0] ?? {};
        if (found !== ids.length)
          throw new LivoraError(
            'LIVORA_CRM_NOT_FOUND',
            `${ids.length - found} of the contacts do not exist: nothing changed`,
          );
        if (user.role === 'sales' && others > 0)
          throw new LivoraError(
            'LIVORA_AUTH_FORBIDDEN',
            `${others} of the contacts are owned by someone else, which a sales user may not change: nothing changed`,
          );
        const [set, differs, field] =
          change.action === 'tag'
            ? [
                sql`tags = (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(c.tags || ARRAY[${change.tag}]::text[]) AS t)`,
                sql`NOT c.tags @> ARRAY[${change.tag}]::text[]`,
                'tags',
              ]
            : change.action === 'untag'
              ? [sql`tags = array_remove(c.tags, ${change.tag})`, sql`c.tags @> ARRAY[${change.tag}]::text[]`, 'tags']
              : [
                  sql`owner_id = ${change.ownerId}`,
                  sql`c.owner_id IS DISTINCT FROM ${change.ownerId}::uuid`,
                  'owner_id',
                ];
        if (change.action === 'assign' && change.ownerId !== null) {
          const owner = await tx
            .selectFrom('users')
            .select('id')
            .where('id', '=', change.ownerId)
            .where('tenant_id', '=', user.tenantId)
            .where('disabled_at', 'is', null)
            .executeTakeFirst();
          if (!owner)
            throw new LivoraError('LIVORA_CRM_INVALID', `owner ${change.ownerId} is not a user of this tenant`);
        }
        const column = sql.ref(field);
        const { rows: done } = await sql<{ n: number }>`
          WITH before AS (
            SELECT id, ${column} AS value FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ANY(${ids}::uuid[])),
          changed AS (
            UPDATE contacts AS c SET ${set}, version = c.version + 1, updated_at = now()
            FROM before AS b
            WHERE c.tenant_id = ${user.tenantId} AND c.id = b.id AND ${differs}
            RETURNING c.id, b.value AS before, ${sql.ref(`c.${field}`)} AS after),
          audited AS (
            INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, before, after, request_id)
            SELECT ${user.tenantId}, ${`user:${user.subject}`}, ${`contact.bulk_${change.action}`}, 'contact', id::text,
                   jsonb_build_object(${field}::text, before), jsonb_build_object(${field}::text, after), ${requestId ?? null}
            FROM changed
            RETURNING 1)
          SELECT count(*)::int AS n FROM audited`.execute(tx);
        return { matched: ids.length, changed: done[0]?.n ?? 0 };
      });
    },
  };
}

export type BulkActions = ReturnType<typeof createBulkActions>;

async function matching(
  tx: Kysely<Tables>,
  tenantId: string,
  filter: { ownerId?: string; tag?: string; companyId?: string },
): Promise<string[]> {
  const conditions = [sql`tenant_id = ${tenantId}`];
  if (filter.ownerId) conditions.push(sql`owner_id = ${filter.ownerId}`);
  if (filter.tag) conditions.push(sql`tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.companyId) conditions.push(sql`company_id = ${filter.companyId}`);
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM contacts WHERE ${sql.join(conditions, sql` AND `)} LIMIT ${MAX_BULK + 1}`.execute(tx);
  if (rows.length > MAX_BULK) throw tooLarge(`more than ${MAX_BULK}`);
  return rows.map((r) => r.id);
}

function tooLarge(count: number | string): LivoraError {
  return new LivoraError(
    'LIVORA_CRM_BULK_TOO_LARGE',
    `a bulk change takes at most ${MAX_BULK.toLocaleString('en')} contacts, not ${count}`,
  );
}
