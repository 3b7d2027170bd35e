import type { Warehouse } from '@livora/adapters/ports';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retentionQuery } from '../../src/analytics/retention/retention-query.ts';
import { shapeRetention } from '../../src/analytics/retention/retention-result.ts';
import type { RetentionSpec } from '../../src/analytics/retention/retention-spec.ts';
import { type ReferenceRetention, referenceRetention } from './reference/retention-reference.ts';
import { type CuratedEvent, generatedEvent, putEvents } from './support/curated-events.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const HOUR = 3_600_000;
// A Saturday late in January: weeks and months turn within the first days.
const START = Date.parse('2026-01-24T00:00:00.000Z');

const warehouses = useTestWarehouses();

// Events over about 100 days, on an hour grid (some exactly at midnight, the start of a week or a month).
const eventArb = fc.record({
  person: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
  hour: fc.oneof(
    fc.integer({ min: 0, max: 2400 }),
    fc.integer({ min: 0, max: 100 }).map((d) => d * 24),
  ),
  kind: fc.constantFrom('Signed Up', 'Order Completed', '$pageview', 'Order Completed'),
  plan: fc.constantFrom('pro', 'free', undefined),
});
const worldArb = fc.array(eventArb, { minLength: 5, maxLength: 50, size: 'max' }).map((drafts) =>
  drafts.map(
    (d, i): CuratedEvent =>
      generatedEvent(i, 13, {
        person_id: d.person,
        type: d.kind === '$pageview' ? 'page' : 'track',
        event: d.kind === '$pageview' ? null : d.kind,
        timestamp: new Date(START + d.hour * HOUR),
        properties: d.plan === undefined ? {} : { plan: d.plan },
      }),
  ),
);
const matchArb = fc.constantFrom(
  { event: '$any' },
  { event: 'Signed Up' },
  { event: 'Order Completed' },
  { event: '$pageview' },
  { event: 'Order Completed', filters: [{ property: 'plan', operator: 'eq' as const, value: 'pro' }] },
);
const specArb = fc.record({
  start: matchArb,
  return: matchArb,
  unit: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
  fromDay: fc.integer({ min: 0, max: 40 }),
  lengthDays: fc.integer({ min: 1, max: 60 }),
  periods: fc.integer({ min: 2, max: 8 }),
});

async function viaWarehouse(warehouse: Warehouse, spec: RetentionSpec): Promise<ReferenceRetention> {
  const { rows } = await retentionQuery(warehouse.sql, spec).execute(warehouse.db);
  return new Map(shapeRetention(spec, rows).map((c) => [c.start, c.retained]));
}

describe('the retention query', () => {
  it('gives the reference’s matrix on DuckDB and on Redshift’s SQL (run on PostgreSQL)', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, specArb, async (world, drafted) => {
        const spec: RetentionSpec = {
          tenantId: 'acme',
          start: drafted.start,
          return: drafted.return,
          unit: drafted.unit,
          from: new Date(START + drafted.fromDay * 24 * HOUR),
          to: new Date(START + (drafted.fromDay + drafted.lengthDays) * 24 * HOUR),
          periods: drafted.periods,
        };
        const expected = referenceRetention(world, spec);
        for (const warehouse of warehouses) {
          await putEvents(warehouse, [...world].reverse());
          expect(await viaWarehouse(warehouse, spec), warehouse.sql.engine).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('puts a Sunday-night return in the week before the Monday-midnight one', async () => {
    const event = (id: string, name: string, iso: string): CuratedEvent => ({
      tenant_id: 'acme',
      event_id: id,
      person_id: 'p',
      type: 'track',
      event: name,
      timestamp: new Date(iso),
      properties: {},
      channel: null,
      geo_country: null,
    });
    const world = [
      event('e1', 'Signed Up', '2026-03-02T10:00:00.000Z'), // Monday, week of 2 March
      event('e2', 'Order Completed', '2026-03-15T23:59:59.000Z'), // Sunday night: the week of 9 March, +1
      event('e3', 'Order Completed', '2026-03-16T00:00:00.000Z'), // Monday midnight: week +2
    ];
    const spec: RetentionSpec = {
      tenantId: 'acme',
      start: { event: 'Signed Up' },
      return: { event: 'Order Completed' },
      unit: 'week',
      from: new Date('2026-03-01T00:00:00.000Z'),
      to: new Date('2026-03-08T00:00:00.000Z'),
      periods: 4,
    };
    for (const warehouse of warehouses) {
      await putEvents(warehouse, world);
      expect(await viaWarehouse(warehouse, spec), warehouse.sql.engine).toEqual(
        new Map([['2026-03-02', [1, 1, 1, 0]]]),
      );
    }
  });
});
