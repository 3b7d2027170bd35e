import { sql } from 'kysely';

/**
 * How a profile row folds into an existing one (`p`, the table aliased so): commutative,
 * so batches, partitions and person merges may arrive in any order. Traits keep, per
 * trait, the value set last; counts add up; the first user id a person got stays.
 */
export const MERGE_INTO_PROFILE = sql`
  ON CONFLICT (tenant_id, person_id) DO UPDATE SET
    user_id = COALESCE(p.user_id, excluded.user_id),
    -- Most rows bring no traits (only identify does): skip the merge functions for them.
    traits = CASE WHEN excluded.trait_times = '{}'::jsonb THEN p.traits
                  ELSE livora_merge_traits(p.traits, p.trait_times, excluded.traits, excluded.trait_times) END,
    trait_times = CASE WHEN excluded.trait_times = '{}'::jsonb THEN p.trait_times
                       ELSE livora_merge_trait_times(p.trait_times, excluded.trait_times) END,
    first_seen = LEAST(p.first_seen, excluded.first_seen),
    last_seen = GREATEST(p.last_seen, excluded.last_seen),
    event_count = p.event_count + excluded.event_count,
    session_count = p.session_count + excluded.session_count,
    last_channel = CASE WHEN excluded.last_seen >= p.last_seen THEN COALESCE(excluded.last_channel, p.last_channel)
                        ELSE p.last_channel END,
    order_count = p.order_count + excluded.order_count,
    updated_at = now()`;
