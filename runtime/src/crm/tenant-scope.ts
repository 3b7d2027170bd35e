import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { isTenantId } from '../tenants/tenants.ts';

/**
 * Runs `work` in one transaction as the `livora_tenant` role with the tenant set: row-level
 * security then shows and accepts that tenant's CRM rows only, even if a query forgets its
 * `tenant_id` condition (every query still states it: isolation is enforced twice).
 */
export function inTenant<T>(
  db: Kysely<Tables>,
  tenantId: string,
  work: (tx: Kysely<Tables>) => Promise<T>,
): Promise<T> {
  // Inlined into the opening statement (checked: letters, digits, hyphens only), so that
  // BEGIN, the tenant and the role cost one round trip, not three.
  if (!isTenantId(tenantId)) throw new Error(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return db.connection().execute(async (connection) => {
    await sql
      .raw(
        `BEGIN; SELECT set_config('livora.tenant_id', '${tenantId}', true), set_config('role', 'livora_tenant', true)`,
      )
      .execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      // A broken connection cannot roll back: the pool drops it, and the first error is the one to tell.
      await sql`ROLLBACK`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
