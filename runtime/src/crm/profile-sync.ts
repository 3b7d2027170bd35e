import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';

/** Profiles read again before the watermark: a pipeline transaction open that long commits late. */
const OVERLAP_MINUTES = 5;
const BATCH = 50_000;

/**
 * The pipeline's profiles become CRM contacts: a profile with an email trait creates the
 * tenant's contact of that email, or fills the gaps of the existing one (its person, phone,
 * names); the CRM's own values always win. Runs every minute (a Temporal schedule), reading
 * profiles changed since the last run (a few minutes more, for late commits): repeating it
 * changes nothing, so contacts follow profiles within about a minute of the pipeline.
 */
export function createProfileSync(db: Kysely<Tables>) {
  return {
    async sync(): Promise<{ profiles: number; created: number; updated: number }> {
      return db.transaction().execute(async (tx) => {
        const mark = await tx.selectFrom('crm_profile_sync').select('synced_until').forUpdate().executeTakeFirst();
        const from = mark ? new Date(mark.synced_until.getTime() - OVERLAP_MINUTES * 60_000) : new Date(0);
        const { rows } = await sql<{ profiles: number; created: number; updated: number; until: Date | null }>`
          WITH changed AS (
            SELECT DISTINCT ON (p.tenant_id, lower(p.traits->>'email'))
                   p.tenant_id, p.person_id, lower(p.traits->>'email') AS email, p.traits->>'phone' AS phone,
                   coalesce(p.traits->>'first_name', p.traits->>'firstName') AS first_name,
                   coalesce(p.traits->>'last_name', p.traits->>'lastName') AS last_name, p.updated_at
            FROM (SELECT * FROM profiles WHERE updated_at >= ${from} ORDER BY updated_at LIMIT ${BATCH}) AS p
            WHERE p.traits->>'email' ~ '^[^[:space:]@]+@[^[:space:]@]+\\.[^[:space:]@]+$'
            ORDER BY p.tenant_id, lower(p.traits->>'email'), p.updated_at DESC),
          upserted AS (
            INSERT INTO contacts AS c (id, tenant_id, email, phone, first_name, last_name, person_id)
            SELECT gen_random_uuid(), tenant_id, email, phone, first_name, last_name, person_id FROM changed
            ON CONFLICT (tenant_id, email) WHERE email IS NOT NULL DO UPDATE SET
              person_id = coalesce(c.person_id, excluded.person_id),
              phone = coalesce(c.phone, excluded.phone),
              first_name = coalesce(c.first_name, excluded.first_name),
              last_name = coalesce(c.last_name, excluded.last_name),
              version = c.version + 1, updated_at = now()
            WHERE (c.person_id IS NULL AND excluded.person_id IS NOT NULL)
               OR (c.phone IS NULL AND excluded.phone IS NOT NULL)
               OR (c.first_name IS NULL AND excluded.first_name IS NOT NULL)
               OR (c.last_name IS NULL AND excluded.last_name IS NOT NULL)
            RETURNING c.id, c.tenant_id, c.email, c.person_id, (xmax = 0) AS created),
          -- Runs whatever reads it (a data-changing WITH always does).
          audited AS (
            INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, after)
            SELECT tenant_id, 'system:profile-sync', CASE WHEN created THEN 'contact.created' ELSE 'contact.synced' END,
                   'contact', id::text, jsonb_build_object('email', email, 'person_id', person_id)
            FROM upserted
            RETURNING 1)
          SELECT (SELECT count(*)::int FROM changed) AS profiles,
                 (SELECT count(*)::int FROM upserted WHERE created) AS created,
                 (SELECT count(*)::int FROM upserted WHERE NOT created) AS updated,
                 (SELECT max(updated_at) FROM (SELECT updated_at FROM profiles WHERE updated_at >= ${from}
                   ORDER BY updated_at LIMIT ${BATCH}) AS read) AS until`.execute(tx);
        const result = rows[0] ?? { profiles: 0, created: 0, updated: 0, until: null };
        const until = result.until ?? mark?.synced_until ?? new Date(0);
        await sql`
          INSERT INTO crm_profile_sync (singleton, synced_until) VALUES (true, ${until})
          ON CONFLICT (singleton) DO UPDATE SET synced_until = GREATEST(crm_profile_sync.synced_until, excluded.synced_until)`.execute(
          tx,
        );
        return { profiles: result.profiles, created: result.created, updated: result.updated };
      });
    },
  };
}

export type ProfileSync = ReturnType<typeof createProfileSync>;
