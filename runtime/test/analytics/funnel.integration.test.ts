import type { Warehouse } from '@livora/adapters/ports';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analytics/funnel/funnel-query.ts';
import { shapeFunnel } from '../../src/analytics/funnel/funnel-result.ts';
import type { FunnelSpec } from '../../src/analytics/funnel/funnel-spec.ts';
import { asReference, byBreakdown, type ReferenceFunnel, referenceFunnel } from './reference/funnel-reference.ts';
import {
  type CuratedEvent,
  type CuratedPerson,
  generatedEvent,
  putEvents,
  putPersons,
} from './support/curated-events.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T00:00:00.000Z');

const warehouses = useTestWarehouses();

// Small worlds where edge cases are common: three event names, times on a minute grid (ties
// and events exactly at the window's end), a property sometimes absent, a page view now and then.
const eventArb = fc.record({
  person: fc.constantFrom('p1', 'p2', 'p3'),
  minute: fc.integer({ min: 0, max: 30 }).map((m) => m * 2),
  kind: fc.constantFrom('A', 'B', 'C', 'A', 'B', '$pageview', 'other'),
  plan: fc.constantFrom('pro', 'free', undefined),
  country: fc.constantFrom('FR', 'DE', null),
});
const worldArb = fc.array(eventArb, { minLength: 10, maxLength: 60, size: 'max' }).map((drafts) =>
  drafts.map(
    (d, i): CuratedEvent =>
      generatedEvent(i, 17, {
        person_id: d.person,
        type: d.kind === '$pageview' ? 'page' : 'track',
        event: d.kind === '$pageview' ? null : d.kind,
        timestamp: new Date(START + d.minute * MINUTE),
        properties: d.plan === undefined ? {} : { plan: d.plan, n: d.minute % 3 },
        geo_country: d.country,
      }),
  ),
);
const stepArb = fc.record(
  {
    event: fc.constantFrom('A', 'B', 'C', '$pageview'),
    filters: fc.constantFrom(
      [],
      [{ property: 'plan', operator: 'eq' as const, value: 'pro' }],
      [{ property: 'plan', operator: 'is_set' as const }],
      [{ property: 'n', operator: 'in' as const, value: ['0', '2'] }],
      [{ property: '$geo_country', operator: 'neq' as const, value: 'DE' }],
      [{ property: 'plan', operator: 'contains' as const, value: 'R' }],
    ),
  },
  { requiredKeys: ['event'] },
);
// The people's traits and first-seen times (p4 has none: an event's person need not be loaded yet).
const personsArb = fc
  .tuple(
    ...['p1', 'p2', 'p3'].map(() =>
      fc.record({ plan: fc.constantFrom('pro', 'free', undefined), minute: fc.constantFrom(0, 10, 20, 30, 45, 61) }),
    ),
  )
  .map((drafts) =>
    drafts.map(
      (d, i): CuratedPerson => ({
        tenant_id: 'acme',
        person_id: `p${i + 1}`,
        traits: d.plan === undefined ? {} : { plan: d.plan },
        first_seen: new Date(START + d.minute * MINUTE),
      }),
    ),
  );
const specArb = fc.record({
  steps: fc.array(stepArb, { minLength: 2, maxLength: 4 }),
  fromMinute: fc.integer({ min: 0, max: 30 }),
  lengthMinutes: fc.integer({ min: 1, max: 40 }),
  windowMinutes: fc.constantFrom(2, 4, 10, 20),
  order: fc.constantFrom('ordered' as const, 'strict' as const, 'any' as const),
  breakdown: fc.constantFrom(
    undefined,
    { property: 'plan' },
    { property: '$geo_country' },
    { property: 'plan', of: 'person' as const },
  ),
  cohortMinutes: fc.constantFrom(undefined, [0, 30] as const, [20, 61] as const),
  segment: fc.constantFrom(undefined, [] as string[], ['p1'], ['p2', 'p3']),
});

function toSpec(s: typeof specArb extends fc.Arbitrary<infer T> ? T : never): FunnelSpec {
  return {
    tenantId: 'acme',
    steps: s.steps,
    from: new Date(START + s.fromMinute * MINUTE),
    to: new Date(START + (s.fromMinute + s.lengthMinutes) * MINUTE),
    windowSeconds: s.windowMinutes * 60,
    order: s.order,
    ...(s.breakdown ? { breakdown: s.breakdown } : {}),
    ...(s.cohortMinutes
      ? {
          cohort: {
            firstSeenFrom: new Date(START + s.cohortMinutes[0] * MINUTE),
            firstSeenTo: new Date(START + s.cohortMinutes[1] * MINUTE),
          },
        }
      : {}),
    ...(s.segment ? { persons: s.segment } : {}),
  };
}

async function viaWarehouse(warehouse: Warehouse, spec: FunnelSpec): Promise<ReferenceFunnel[]> {
  const { rows } = await funnelQuery(warehouse.sql, spec).execute(warehouse.db);
  return asReference(shapeFunnel(spec, rows));
}

describe('the funnel query', () => {
  it('gives the reference’s counts and medians on DuckDB and on Redshift’s SQL (run on PostgreSQL)', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, personsArb, specArb, async (world, persons, drafted) => {
        const spec = toSpec(drafted);
        const expected = byBreakdown(referenceFunnel(world, spec, persons));
        for (const warehouse of warehouses) {
          // Arrival order must not matter: the rows go in reversed.
          await putEvents(warehouse, [...world].reverse());
          await putPersons(warehouse, persons);
          expect(byBreakdown(await viaWarehouse(warehouse, spec)), warehouse.sql.engine).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('counts an event exactly at the window’s end, and not one a second later', async () => {
    const at = (minutes: number, seconds = 0) => new Date(START + minutes * MINUTE + seconds * 1000);
    const event = (id: string, person: string, name: string, timestamp: Date): CuratedEvent => ({
      tenant_id: 'acme',
      event_id: id,
      person_id: person,
      type: 'track',
      event: name,
      timestamp,
      properties: {},
      channel: null,
      geo_country: null,
    });
    const world = [
      event('e1', 'on-time', 'A', at(0)),
      event('e2', 'on-time', 'B', at(10)),
      event('e3', 'late', 'A', at(0)),
      event('e4', 'late', 'B', at(10, 1)),
      // Repeated step: A → A, where the second A is also step 2.
      event('e5', 'twice', 'A', at(1)),
      event('e6', 'twice', 'A', at(2)),
    ];
    const spec: FunnelSpec = {
      tenantId: 'acme',
      steps: [{ event: 'A' }, { event: 'B' }],
      from: at(0),
      to: at(5),
      windowSeconds: 600,
      order: 'ordered',
    };
    const repeated: FunnelSpec = { ...spec, steps: [{ event: 'A' }, { event: 'A' }] };
    for (const warehouse of warehouses) {
      await putEvents(warehouse, world);
      const [series] = await viaWarehouse(warehouse, spec);
      expect(series?.persons, warehouse.sql.engine).toEqual([3, 1]);
      expect(series?.medianSeconds, warehouse.sql.engine).toEqual([600]);
      const [again] = await viaWarehouse(warehouse, repeated);
      expect(again?.persons, warehouse.sql.engine).toEqual([3, 1]);
      expect(again?.medianSeconds, warehouse.sql.engine).toEqual([60]);
    }
  });
});
