import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';

/** Profiles read again before the watermark: a pipeline transaction open that long commits late. */
const OVERLAP_MINUTES = 5;
const BATCH = 50_000;

/** The contact `c` lacks a value the profile (`excluded`) has. */
const FILLS_A_GAP = sql`((c.person_id IS NULL AND excluded.person_id IS NOT NULL)
  OR (c.phone IS NULL AND excluded.phone IS NOT NULL)
  OR (c.first_name IS NULL AND excluded.first_name IS NOT NULL)
  OR (c.last_name IS NULL AND excluded.last_name IS NOT NULL))`;

/** A phone number as its digits (and a leading +): how phones compare. */
const digits = (phone: RawBuilder<unknown>) => sql`regexp_replace(${phone}, '[^0-9+]', '', 'g')`;

/**
 * The pipeline's profiles become CRM contacts: a profile with an email trait creates the
 * tenant's contact of that email, or fills the gaps of the existing one (its person, phone,
 * names); a profile with a phone and no email does the same with the contact of its person,
 * else of its phone (digits compared), else a new one; the CRM's own values always win. Runs every minute (a Temporal schedule), reading
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
          WITH batch AS (
            SELECT tenant_id, person_id, traits, updated_at,
                   CASE WHEN traits->>'email' ~ '^[^[:space:]@]+@[^[:space:]@]+\\.[^[:space:]@]+$'
                        THEN lower(traits->>'email') END AS email,
                   traits->>'phone' AS phone,
                   coalesce(traits->>'first_name', traits->>'firstName') AS first_name,
                   coalesce(traits->>'last_name', traits->>'lastName') AS last_name
            FROM profiles WHERE updated_at >= ${from} ORDER BY updated_at LIMIT ${BATCH}),
          with_email AS (
            SELECT DISTINCT ON (tenant_id, email) * FROM batch
            WHERE email IS NOT NULL
            ORDER BY tenant_id, email, updated_at DESC),
          by_email AS (
            INSERT INTO contacts AS c (id, tenant_id, email, phone, first_name, last_name, person_id)
            SELECT gen_random_uuid(), tenant_id, email, phone, first_name, last_name, person_id FROM with_email
            ON CONFLICT (tenant_id, email) WHERE email IS NOT NULL DO UPDATE SET
              person_id = coalesce(c.person_id, excluded.person_id),
              phone = coalesce(c.phone, excluded.phone),
              first_name = coalesce(c.first_name, excluded.first_name),
              last_name = coalesce(c.last_name, excluded.last_name),
              version = c.version + 1, updated_at = now()
            WHERE ${FILLS_A_GAP}
            RETURNING c.id, c.tenant_id, c.email, c.person_id, (xmax = 0) AS created),
          -- Profiles with a phone and no email: their contact is the one of their person, else of their phone.
          phone_only AS (
            SELECT b.*, (
              SELECT c.id FROM contacts AS c
              WHERE c.tenant_id = b.tenant_id
                AND (c.person_id = b.person_id
                     OR (c.phone IS NOT NULL AND ${digits(sql`c.phone`)} = ${digits(sql`b.phone`)}))
              ORDER BY c.person_id = b.person_id DESC NULLS LAST, c.created_at
              LIMIT 1) AS contact_id
            FROM batch AS b
            WHERE b.email IS NULL AND ${digits(sql`b.phone`)} ~ '[0-9]{6,}'),
          phone_filled AS (
            UPDATE contacts AS c SET
              person_id = coalesce(c.person_id, excluded.person_id),
              phone = coalesce(c.phone, excluded.phone),
              first_name = coalesce(c.first_name, excluded.first_name),
              last_name = coalesce(c.last_name, excluded.last_name),
              version = c.version + 1, updated_at = now()
            FROM phone_only AS excluded
            WHERE c.tenant_id = excluded.tenant_id AND c.id = excluded.contact_id AND ${FILLS_A_GAP}
            RETURNING c.id, c.tenant_id, c.email, c.person_id, false AS created),
          phone_made AS (
            INSERT INTO contacts (id, tenant_id, phone, first_name, last_name, person_id)
            SELECT gen_random_uuid(), tenant_id, phone, first_name, last_name, person_id
            FROM phone_only WHERE contact_id IS NULL
            RETURNING id, tenant_id, email, person_id, true AS created),
          upserted AS (
            SELECT * FROM by_email UNION ALL SELECT * FROM phone_filled UNION ALL SELECT * FROM phone_made),
          -- Runs whatever reads it (a data-changing WITH always does).
          audited AS (
            INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, after)
            SELECT tenant_id, 'system:profile-sync', CASE WHEN created THEN 'contact.created' ELSE 'contact.synced' END,
                   'contact', id::text, jsonb_build_object('email', email, 'person_id', person_id)
            FROM upserted
            RETURNING 1)
          SELECT (SELECT count(*)::int FROM with_email) + (SELECT count(*)::int FROM phone_only) AS profiles,
                 (SELECT count(*)::int FROM upserted WHERE created) AS created,
                 (SELECT count(*)::int FROM upserted WHERE NOT created) AS updated,
                 (SELECT max(updated_at) FROM batch) AS until`.execute(tx);
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
