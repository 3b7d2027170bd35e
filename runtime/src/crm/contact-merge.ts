import { sql } from 'kysely';
import { byUser, recordAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/roles.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { assertMayEdit, crmUser } from './crm-permissions.ts';
import { type CrmRecord, shape } from './record-service.ts';

/** Fields the survivor takes from the absorbed contact where it has none. */
const FILLED = ['email', 'phone', 'first_name', 'last_name', 'company_id', 'person_id', 'owner_id'] as const;

/**
 * Merges a duplicate contact into a survivor, in one transaction: the survivor keeps its
 * values and takes the duplicate's where it has none (custom fields too; tags and segments
 * united), the duplicate's activities and deals move to it, and the duplicate is deleted. One audit entry holds
 * both records as they were and the survivor as it became, for review. Both versions
 * must be current, and the caller must be allowed to change both.
 */
export function createContactMerge(tenantDb: TenantDatabase) {
  return {
    async merge(
      principal: Principal,
      survivor: { id: string; version: number },
      duplicate: { id: string; version: number },
      requestId?: string,
    ): Promise<CrmRecord> {
      const user = crmUser(principal);
      if (survivor.id === duplicate.id) throw new LivoraError('LIVORA_CRM_INVALID', 'a contact cannot absorb itself');
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const { rows } = await sql<Record<string, unknown>>`
          SELECT * FROM contacts WHERE tenant_id = ${user.tenantId} AND id IN (${survivor.id}, ${duplicate.id})
          ORDER BY id FOR UPDATE`.execute(tx);
        const byId = new Map(rows.map((r) => [String(r.id), shape(r)]));
        const [kept, absorbed] = [byId.get(survivor.id), byId.get(duplicate.id)];
        if (!kept || !absorbed) throw new LivoraError('LIVORA_CRM_NOT_FOUND', 'no contact with this id');
        for (const [record, expected] of [
          [kept, survivor.version],
          [absorbed, duplicate.version],
        ] as const) {
          assertMayEdit(user, record.owner_id);
          if (record.version !== expected)
            throw new LivoraError(
              'LIVORA_CRM_STALE_VERSION',
              `contact ${record.id} is at version ${record.version}, not ${expected}: merge again with it`,
              { current: record },
            );
        }
        const values: Record<string, unknown> = {};
        for (const field of FILLED)
          if (kept[field] === null && absorbed[field] !== null) values[field] = absorbed[field];
        values.tags = [...new Set([...(kept.tags as string[]), ...(absorbed.tags as string[])])].sort();
        // Custom values too: the survivor's win, the duplicate's fill the gaps.
        values.custom = { ...(absorbed.custom as object), ...(kept.custom as object) };
        // The duplicate goes first: its email may move to the survivor, and emails are unique.
        await sql`UPDATE activities SET contact_id = ${kept.id} WHERE tenant_id = ${user.tenantId} AND contact_id = ${absorbed.id}`.execute(
          tx,
        );
        await sql`UPDATE deals SET contact_id = ${kept.id} WHERE tenant_id = ${user.tenantId} AND contact_id = ${absorbed.id}`.execute(
          tx,
        );
        // Its segments too (deleting it would drop its memberships).
        await sql`
          INSERT INTO segment_members (tenant_id, segment_id, contact_id)
          SELECT tenant_id, segment_id, ${kept.id} FROM segment_members
          WHERE tenant_id = ${user.tenantId} AND contact_id = ${absorbed.id}
          ON CONFLICT DO NOTHING`.execute(tx);
        await sql`DELETE FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ${absorbed.id}`.execute(tx);
        const columns = Object.keys(values);
        await sql`
          UPDATE contacts
          SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${values[c]}`))}, version = version + 1, updated_at = now()
          WHERE tenant_id = ${user.tenantId} AND id = ${kept.id}`.execute(tx);
        const { rows: after } = await sql<Record<string, unknown>>`
          SELECT * FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ${kept.id}`.execute(tx);
        const merged = shape(after[0] as Record<string, unknown>);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'contact.merged',
          entity: 'contact',
          entityId: kept.id,
          before: { survivor: kept, absorbed },
          after: merged,
        });
        return merged;
      });
    },
  };
}

export type ContactMerge = ReturnType<typeof createContactMerge>;
