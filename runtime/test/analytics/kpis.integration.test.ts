import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kpiQuery } from '../../src/analytics/kpis/kpi-query.ts';
import { type KpiFigures, shapeKpiFigures } from '../../src/analytics/kpis/kpi-result.ts';
import { type CuratedEvent, generatedEvent, putEvents } from './support/curated-events.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-10-01T00:00:00.000Z');

const warehouses = useTestWarehouses();

/** The KPIs by brute force. */
function reference(events: readonly CuratedEvent[], from: number, to: number): KpiFigures {
  const mine = events.filter((e) => e.tenant_id === 'acme');
  const within = (start: number) => mine.filter((e) => e.timestamp.getTime() >= start && e.timestamp.getTime() < to);
  const inRange = within(from);
  const isOrder = (e: CuratedEvent) => e.type === 'track' && e.event === 'Order Completed';
  const people = (list: CuratedEvent[]) => new Set(list.map((e) => e.person_id)).size;
  const days = Math.round((to - from) / DAY);
  let dailySum = 0;
  for (let d = 0; d < days; d++)
    dailySum += people(inRange.filter((e) => Math.floor((e.timestamp.getTime() - from) / DAY) === d));
  const revenue: Record<string, number> = {};
  for (const e of inRange.filter(isOrder))
    if (e.revenue && e.currency)
      revenue[e.currency] = (revenue[e.currency] ?? 0) + Math.round(Number(e.revenue) * 10_000);
  const active = people(inRange);
  return {
    activePersons: active,
    dau: days > 0 ? dailySum / days : 0,
    wau: people(within(to - 7 * DAY)),
    mau: people(within(to - 30 * DAY)),
    orders: inRange.filter(isOrder).length,
    conversionRate: active === 0 ? 0 : people(inRange.filter(isOrder)) / active,
    revenue: Object.fromEntries(
      Object.entries(revenue)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([c, units]) => [c, (units / 10_000).toFixed(4)]),
    ),
  };
}

const worldArb = fc
  .array(
    fc.record({
      person: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
      hour: fc.integer({ min: 0, max: 60 * 24 }),
      order: fc.boolean(),
      amount: fc.constantFrom('10.0000', '0.9999', '250.5000'),
      currency: fc.constantFrom('EUR', 'USD'),
    }),
    { minLength: 5, maxLength: 40, size: 'max' },
  )
  .map((drafts) =>
    drafts.map(
      (d, i): CuratedEvent =>
        generatedEvent(i, 9, {
          person_id: d.person,
          type: d.order ? 'track' : 'page',
          event: d.order ? 'Order Completed' : null,
          timestamp: new Date(START + d.hour * HOUR),
          revenue: d.order ? d.amount : null,
          currency: d.order ? d.currency : null,
        }),
    ),
  );

describe('the KPI query', () => {
  it('gives the reference’s DAU, WAU, MAU, orders, conversion and revenue', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        async (world, a, n) => {
          const from = START + a * DAY;
          const to = from + n * DAY;
          const expected = reference(world, from, to);
          for (const warehouse of warehouses) {
            await putEvents(warehouse, world);
            const { rows } = await kpiQuery(warehouse.sql, {
              tenantId: 'acme',
              from: new Date(from),
              to: new Date(to),
            }).execute(warehouse.db);
            expect(shapeKpiFigures(rows, n), warehouse.sql.engine).toEqual(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
