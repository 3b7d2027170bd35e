import { sql } from 'kysely';
import { ORDER_COMPLETED } from '../../events/commerce-events.ts';
import { OK, type PipelineEvent, type Step, type StepOutcome } from '../pipeline-event.ts';
import { MERGE_INTO_PROFILE } from '../profile-merge.ts';
import type { Tx } from '../state.ts';

interface Aggregate {
  userId: string | null;
  firstSeen: number;
  lastSeen: number;
  lastChannel: string | null;
  events: number;
  sessions: number;
  traits: Record<string, unknown>;
  traitTimes: Record<string, number>;
  orders: number;
}

/**
 * Live profiles per person: traits (latest wins, by event time, per trait), first and
 * last seen, event and session counts, the channel of the latest session, and orders with revenue per
 * currency from `Order Completed` (summed as DECIMAL in PostgreSQL, never as floats).
 * Runs after identity and sessions (persons are locked by then).
 */
export function createProfileStep(): Step {
  return {
    name: 'profiles',
    async run(events, { tx }) {
      const byTenant = new Map<string, PipelineEvent[]>();
      for (const item of events) {
        if (item.replayOf) continue;
        const list = byTenant.get(item.event.tenant_id);
        if (list) list.push(item);
        else byTenant.set(item.event.tenant_id, [item]);
      }
      for (const [tenantId, items] of byTenant) await updateTenant(tx, tenantId, items);
      return events.map((): StepOutcome => OK);
    },
  };
}

async function updateTenant(tx: Tx, tenantId: string, items: PipelineEvent[]): Promise<void> {
  const aggregates = new Map<string, Aggregate>();
  const orders: { person: string; currency: string; amount: string }[] = [];
  for (const item of items) {
    const person = item.derived.person_id as string;
    const at = Date.parse(item.event.timestamp);
    let a = aggregates.get(person);
    if (!a) {
      a = {
        userId: null,
        firstSeen: at,
        lastSeen: at,
        lastChannel: null,
        events: 0,
        sessions: 0,
        traits: {},
        traitTimes: {},
        orders: 0,
      };
      aggregates.set(person, a);
    }
    a.events += 1;
    if (item.opensSession) a.sessions += 1;
    if (item.event.user_id !== undefined) a.userId = item.event.user_id;
    a.firstSeen = Math.min(a.firstSeen, at);
    if (at >= a.lastSeen) {
      a.lastSeen = at;
      a.lastChannel = item.derived.session_channel ?? item.derived.channel ?? a.lastChannel;
    }
    if (item.event.type === 'identify') {
      for (const [name, value] of Object.entries((item.event.traits ?? {}) as Record<string, unknown>)) {
        if ((a.traitTimes[name] ?? Number.NEGATIVE_INFINITY) <= at) {
          a.traits[name] = value;
          a.traitTimes[name] = at;
        }
      }
    }
    if (item.event.type === 'track' && item.event.event === ORDER_COMPLETED) {
      a.orders += 1;
      const order = orderOf((item.event.properties ?? {}) as Record<string, unknown>);
      if (order) orders.push({ person, ...order });
    }
  }

  // One commutative upsert: merged in SQL (traits by time, counts added, extremes kept),
  // so it needs no read first and any order of batches gives the same profile.
  const out = [...aggregates.entries()].map(([person, a]) => ({
    person,
    userId: a.userId,
    traits: JSON.stringify(a.traits),
    times: JSON.stringify(
      Object.fromEntries(Object.entries(a.traitTimes).map(([k, t]) => [k, new Date(t).toISOString()])),
    ),
    firstSeen: new Date(a.firstSeen).toISOString(),
    lastSeen: new Date(a.lastSeen).toISOString(),
    lastChannel: a.lastChannel,
    events: a.events,
    sessions: a.sessions,
    orders: a.orders,
  }));
  const column = <T>(pick: (row: (typeof out)[number]) => T) => out.map(pick);
  await sql`
    INSERT INTO profiles AS p (tenant_id, person_id, user_id, traits, trait_times, first_seen, last_seen, event_count,
                               session_count, last_channel, order_count, updated_at)
    SELECT ${tenantId}, person, user_id, traits::jsonb, times::jsonb, first_seen, last_seen, events, sessions, last_channel, orders, now()
    FROM unnest(${column((r) => r.person)}::uuid[], ${column((r) => r.userId)}::text[], ${column((r) => r.traits)}::text[],
                ${column((r) => r.times)}::text[], ${column((r) => r.firstSeen)}::timestamptz[], ${column((r) => r.lastSeen)}::timestamptz[],
                ${column((r) => r.events)}::bigint[], ${column((r) => r.sessions)}::int[], ${column((r) => r.lastChannel)}::text[],
                ${column((r) => r.orders)}::int[])
      AS u(person, user_id, traits, times, first_seen, last_seen, events, sessions, last_channel, orders)
    ${MERGE_INTO_PROFILE}`.execute(tx);

  if (orders.length > 0) {
    await sql`
      INSERT INTO profile_revenue AS r (tenant_id, person_id, currency, orders, revenue)
      SELECT ${tenantId}, person, currency, count(*), sum(amount::numeric)
      FROM unnest(${orders.map((o) => o.person)}::uuid[], ${orders.map((o) => o.currency)}::text[], ${orders.map((o) => o.amount)}::text[])
        AS o(person, currency, amount)
      GROUP BY person, currency
      ON CONFLICT (tenant_id, person_id, currency) DO UPDATE SET
        orders = r.orders + excluded.orders, revenue = r.revenue + excluded.revenue`.execute(tx);
  }
}

/** The order's revenue and currency, as Segment's e-commerce spec names them. */
export function orderOf(properties: Record<string, unknown>): { currency: string; amount: string } | null {
  const raw = properties.revenue ?? properties.total ?? properties.value;
  const amount =
    typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  if (amount === null || !/^-?\d+(\.\d+)?$/.test(amount)) return null;
  const currency =
    typeof properties.currency === 'string' && /^[A-Za-z]{3}$/.test(properties.currency)
      ? properties.currency.toUpperCase()
      : 'USD';
  return { currency, amount };
}
