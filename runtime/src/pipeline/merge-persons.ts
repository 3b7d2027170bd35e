import { sql } from 'kysely';
import { MERGE_INTO_PROFILE } from './profile-merge.ts';
import type { Tx } from './state.ts';

/**
 * Folds person `from` into person `to` (both locked by the caller): ids, sessions and the
 * profile move to `to`; `from` stays as a pointer so lookups by its id still land.
 * Profile traits keep, per trait, the value set last.
 */
export async function mergePersons(tx: Tx, tenantId: string, from: string, to: string): Promise<void> {
  await sql`UPDATE persons SET merged_into = ${to}::uuid WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(
    tx,
  );
  await sql`UPDATE persons SET merged_into = ${to}::uuid WHERE tenant_id = ${tenantId} AND merged_into = ${from}::uuid`.execute(
    tx,
  );
  await sql`UPDATE person_ids SET person_id = ${to}::uuid WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(
    tx,
  );
  await sql`UPDATE sessions SET person_id = ${to}::uuid WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(
    tx,
  );
  await sql`
    INSERT INTO profile_revenue (tenant_id, person_id, currency, orders, revenue)
    SELECT tenant_id, ${to}::uuid, currency, orders, revenue FROM profile_revenue
    WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid
    ON CONFLICT (tenant_id, person_id, currency) DO UPDATE
      SET orders = profile_revenue.orders + excluded.orders, revenue = profile_revenue.revenue + excluded.revenue`.execute(
    tx,
  );
  await sql`DELETE FROM profile_revenue WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(tx);
  const { rows } = await sql<{ from_row: boolean }>`
    SELECT true AS from_row FROM profiles WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(tx);
  if (rows.length === 0) return;
  await sql`
    INSERT INTO profiles AS p (tenant_id, person_id, user_id, traits, trait_times, first_seen, last_seen, event_count,
                               session_count, last_channel, order_count, updated_at)
    SELECT tenant_id, ${to}::uuid, user_id, traits, trait_times, first_seen, last_seen, event_count,
           session_count, last_channel, order_count, now()
    FROM profiles WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid
    ${MERGE_INTO_PROFILE}`.execute(tx);
  await sql`DELETE FROM profiles WHERE tenant_id = ${tenantId} AND person_id = ${from}::uuid`.execute(tx);
}
