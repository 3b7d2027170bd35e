import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';

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
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('livora.tenant_id', ${tenantId}, true)`.execute(tx);
    await sql`SET LOCAL ROLE livora_tenant`.execute(tx);
    return work(tx);
  });
}
