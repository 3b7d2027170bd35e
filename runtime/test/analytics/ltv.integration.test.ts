import type { Warehouse } from '@livora/adapters/ports';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ltvQuery } from '../../src/analytics/ltv/ltv-query.ts';
import { shapeLtv } from '../../src/analytics/ltv/ltv-result.ts';
import type { LtvSpec } from '../../src/analytics/ltv/ltv-spec.ts';
import { type ReferenceLtv, referenceLtv } from './reference/ltv-reference.ts';
import { type CuratedEvent, generatedEvent, putEvents } from './support/curated-events.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const HOUR = 3_600_000;
const START = Date.parse('2026-01-24T00:00:00.000Z');

const warehouses = useTestWarehouses();

const eventArb = fc.record({
  person: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'),
  // Ties at a few hours: which first event wins must not depend on arrival.
  hour: fc.oneof(fc.integer({ min: 0, max: 2400 }), fc.constantFrom(0, 24, 48)),
  order: fc.constantFrom(true, false, 'without revenue' as const),
  // Amounts with up to 4 places, some large: sums must stay exact.
  cents: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(1, 3333, 99_999_999_999)),
  currency: fc.constantFrom('EUR', 'USD', 'EUR'),
  channel: fc.constantFrom('paid_search', 'email', null),
});
const worldArb = fc.array(eventArb, { minLength: 5, maxLength: 50, size: 'max' }).map((drafts) =>
  drafts.map(
    (d, i): CuratedEvent =>
      generatedEvent(i, 11, {
        person_id: d.person,
        type: d.order ? 'track' : 'page',
        event: d.order ? 'Order Completed' : null,
        timestamp: new Date(START + d.hour * HOUR),
        session_channel: d.channel,
        revenue: d.order === true ? (d.cents / 10_000).toFixed(4) : null,
        currency: d.order === true ? d.currency : null,
      }),
  ),
);
const specArb = fc.record({
  by: fc.constantFrom('cohort' as const, 'channel' as const),
  unit: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
  fromDay: fc.integer({ min: 0, max: 40 }),
  lengthDays: fc.integer({ min: 1, max: 80 }),
});

async function viaWarehouse(warehouse: Warehouse, spec: LtvSpec): Promise<ReferenceLtv> {
  const { rows } = await ltvQuery(warehouse.sql, spec).execute(warehouse.db);
  return new Map(
    shapeLtv(spec, rows).map((g) => [
      g.group,
      {
        persons: g.persons,
        revenue: new Map(
          g.revenue.map((r) => [
            r.currency,
            { paying: r.payingPersons, orders: r.orders, revenue: r.revenue, ltv: r.ltv },
          ]),
        ),
      },
    ]),
  );
}

describe('the LTV query', () => {
  it('gives the reference’s people, orders, exact revenue and LTV by cohort and by channel', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, specArb, async (world, drafted) => {
        const spec: LtvSpec = {
          tenantId: 'acme',
          by: drafted.by,
          unit: drafted.unit,
          from: new Date(START + drafted.fromDay * 24 * HOUR),
          to: new Date(START + (drafted.fromDay + drafted.lengthDays) * 24 * HOUR),
        };
        const expected = referenceLtv(world, spec);
        for (const warehouse of warehouses) {
          await putEvents(warehouse, [...world].reverse());
          expect(await viaWarehouse(warehouse, spec), warehouse.sql.engine).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
