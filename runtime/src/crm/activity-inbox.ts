import { sql } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { crmUser } from './crm-permissions.ts';
import { type CrmRecord, type RecordService, shape } from './record-service.ts';

/** The activity inbox: my open tasks, soonest due first (so the overdue lead), and completing them. */
export function createActivityInbox(tenantDb: TenantDatabase, activities: RecordService) {
  return {
    async inbox(principal: Principal, limit: number): Promise<(CrmRecord & { overdue: boolean })[]> {
      const user = crmUser(principal);
      return tenantDb.read(user.tenantId, async (tx) => {
        const { rows } = await sql<Record<string, unknown>>`
          SELECT *, (due_at < now()) IS TRUE AS overdue FROM activities
          WHERE tenant_id = ${user.tenantId} AND assignee_id::text = ${user.subject}
            AND kind = 'task' AND completed_at IS NULL
          ORDER BY due_at ASC NULLS LAST, id
          LIMIT ${limit}`.execute(tx);
        return rows.map((row) => ({ ...shape(row), overdue: row.overdue === true }));
      });
    },

    complete(principal: Principal, id: string, version: number, requestId?: string): Promise<CrmRecord> {
      return activities.change(principal, id, version, 'activity.completed', requestId, async (_tx, _user, current) => {
        if (current.kind !== 'task') throw new LivoraError('LIVORA_CRM_INVALID', 'only tasks are completed');
        return current.completed_at ? {} : { completed_at: new Date().toISOString() };
      });
    },
  };
}

export type ActivityInbox = ReturnType<typeof createActivityInbox>;
