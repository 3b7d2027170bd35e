import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { isUuid } from '../shared/formats.ts';

export interface Profile {
  readonly person_id: string;
  readonly user_id: string | null;
  readonly anonymous_ids: string[];
  readonly user_ids: string[];
  readonly traits: Record<string, unknown>;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly event_count: number;
  readonly session_count: number;
  readonly last_channel: string | null;
  readonly order_count: number;
  readonly revenue: { currency: string; orders: number; amount: string }[];
  readonly recent_sessions: {
    session_id: string;
    started_at: string;
    ended_at: string;
    duration_seconds: number;
    page_views: number;
    events: number;
    bounce: boolean;
    landing_page: string | null;
    entry_channel: string;
  }[];
}

/** Profiles as the pipeline keeps them in PostgreSQL, found by person id, user id or anonymous id. */
export function createProfileReader(db: Kysely<Tables>) {
  async function personOf(tenantId: string, id: string): Promise<string | null> {
    if (isUuid(id)) {
      // A merged person answers with the person it was merged into.
      const { rows } = await sql<{ person_id: string }>`
        WITH RECURSIVE chain(person_id, merged_into, depth) AS (
          SELECT person_id, merged_into, 0 FROM persons WHERE tenant_id = ${tenantId} AND person_id = ${id}::uuid
          UNION ALL
          SELECT p.person_id, p.merged_into, c.depth + 1 FROM persons p
          JOIN chain c ON p.tenant_id = ${tenantId} AND p.person_id = c.merged_into WHERE c.depth < 16)
        SELECT person_id FROM chain WHERE merged_into IS NULL LIMIT 1`.execute(db);
      if (rows[0]) return rows[0].person_id;
    }
    const { rows } = await sql<{ person_id: string }>`
      SELECT person_id FROM person_ids WHERE tenant_id = ${tenantId} AND distinct_id IN (${`u:${id}`}, ${`a:${id}`})
      ORDER BY distinct_id DESC LIMIT 1`.execute(db);
    return rows[0]?.person_id ?? null;
  }

  return {
    async get(tenantId: string, id: string): Promise<Profile> {
      const person = await personOf(tenantId, id);
      const profile = person
        ? await db
            .selectFrom('profiles')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .where('person_id', '=', person)
            .executeTakeFirst()
        : undefined;
      if (!person || !profile) throw new LivoraError('LIVORA_PROFILE_NOT_FOUND', `no profile for "${id}"`);
      const [owner, ids, revenue, sessions] = await Promise.all([
        // The person's user id is the identity graph's, whatever the merges brought into the profile.
        db
          .selectFrom('persons')
          .select('user_id')
          .where('tenant_id', '=', tenantId)
          .where('person_id', '=', person)
          .executeTakeFirst(),
        db
          .selectFrom('person_ids')
          .select('distinct_id')
          .where('tenant_id', '=', tenantId)
          .where('person_id', '=', person)
          .execute(),
        db
          .selectFrom('profile_revenue')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('person_id', '=', person)
          .orderBy('currency')
          .execute(),
        db
          .selectFrom('sessions')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('person_id', '=', person)
          .orderBy('started_at', 'desc')
          .limit(10)
          .execute(),
      ]);
      return {
        person_id: person,
        user_id: owner?.user_id ?? profile.user_id,
        anonymous_ids: ids
          .filter((i) => i.distinct_id.startsWith('a:'))
          .map((i) => i.distinct_id.slice(2))
          .sort(),
        user_ids: ids
          .filter((i) => i.distinct_id.startsWith('u:'))
          .map((i) => i.distinct_id.slice(2))
          .sort(),
        traits: profile.traits as Record<string, unknown>,
        first_seen: profile.first_seen.toISOString(),
        last_seen: profile.last_seen.toISOString(),
        event_count: Number(profile.event_count),
        session_count: profile.session_count,
        last_channel: profile.last_channel,
        order_count: profile.order_count,
        revenue: revenue.map((r) => ({ currency: r.currency, orders: r.orders, amount: r.revenue })),
        recent_sessions: sessions.map((s) => ({
          session_id: s.session_id,
          started_at: s.started_at.toISOString(),
          ended_at: s.ended_at.toISOString(),
          duration_seconds: (s.ended_at.getTime() - s.started_at.getTime()) / 1000,
          page_views: s.page_views,
          events: s.events,
          bounce: s.events <= 1,
          landing_page: s.landing_page,
          entry_channel: s.entry_channel,
        })),
      };
    },
  };
}

export type ProfileReader = ReturnType<typeof createProfileReader>;
