import type { LtvSpec } from '../../../src/analytics/ltv/ltv-spec.ts';
import type { CuratedEvent } from '../support/curated-events.ts';
import { periodStart } from './calendar.ts';

/** Group → people, and per currency: paying people, orders, revenue and LTV (4 places). */
export type ReferenceLtv = Map<
  string,
  { persons: number; revenue: Map<string, { paying: number; orders: number; revenue: string; ltv: string }> }
>;

/** Realised LTV by brute force, in integer 1/10,000ths. */
export function referenceLtv(events: readonly CuratedEvent[], spec: LtvSpec): ReferenceLtv {
  const mine = [...events]
    .filter((e) => e.tenant_id === spec.tenantId)
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.event_id < b.event_id ? -1 : 1));
  const groupOf = new Map<string, string>();
  for (const e of mine) {
    if (groupOf.has(e.person_id)) continue;
    groupOf.set(e.person_id, ''); // first event seen: decide once
    const at = e.timestamp.getTime();
    if (at < spec.from.getTime() || at >= spec.to.getTime()) continue;
    groupOf.set(
      e.person_id,
      spec.by === 'cohort'
        ? new Date(periodStart(spec.unit, at)).toISOString().slice(0, 10)
        : (e.session_channel ?? 'direct'),
    );
  }
  const result: ReferenceLtv = new Map();
  for (const group of groupOf.values()) {
    if (group === '') continue;
    const entry = result.get(group) ?? { persons: 0, revenue: new Map() };
    entry.persons += 1;
    result.set(group, entry);
  }
  const spent = new Map<string, { people: Set<string>; orders: number; units: bigint }>(); // group|currency
  for (const e of mine) {
    const group = groupOf.get(e.person_id);
    if (!group || e.type !== 'track' || e.event !== 'Order Completed' || !e.revenue || !e.currency) continue;
    const key = `${group}|${e.currency}`;
    const s = spent.get(key) ?? { people: new Set(), orders: 0, units: 0n };
    s.people.add(e.person_id);
    s.orders += 1;
    s.units += BigInt(Math.round(Number(e.revenue) * 10_000));
    spent.set(key, s);
  }
  for (const [key, s] of spent) {
    const [group, currency] = key.split('|') as [string, string];
    const entry = result.get(group);
    if (!entry) continue;
    const ltv = Math.round((Number(s.units) / entry.persons) * 1) / 10_000;
    entry.revenue.set(currency, {
      paying: s.people.size,
      orders: s.orders,
      revenue: (Number(s.units) / 10_000).toFixed(4),
      ltv: ltv.toFixed(4),
    });
  }
  return result;
}
