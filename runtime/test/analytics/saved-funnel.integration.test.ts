import type { Warehouse } from '@livora/adapters/ports';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FUNNEL_DAYS_TABLE, funnelFromDaysQuery } from '../../src/analytics/funnel/funnel-days-query.ts';
import { shapeFunnel } from '../../src/analytics/funnel/funnel-result.ts';
import type { FunnelSpec } from '../../src/analytics/funnel/funnel-spec.ts';
import { savedFunnelOf } from '../../src/analytics/funnel/saved-funnel.ts';
import { createFunnelMaterializer } from '../../src/warehouse/funnel-materializer.ts';
import { asReference, byBreakdown, type ReferenceFunnel, referenceFunnel } from './reference/funnel-reference.ts';
import {
  type CuratedEvent,
  type CuratedPerson,
  generatedEvent,
  putEvents,
  putPersons,
} from './support/curated-events.ts';
import { useTestWarehouses } from './support/test-warehouses.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-03-02T00:00:00.000Z');

// The Data API runs no transactions, which the loads' materializer needs: the saved rows are
// built on DuckDB and on Redshift's SQL run by PostgreSQL.
const warehouses = useTestWarehouses();
const materializing = () => warehouses.slice(0, 2);

// Five days on a six-hour grid, so that windows of whole grid steps end exactly on events
// and attempts cross midnight.
const worldArb = fc
  .array(
    fc.record({
      person: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
      slot: fc.integer({ min: 0, max: 19 }),
      kind: fc.constantFrom('A', 'B', 'C', 'A', 'B', 'other'),
      plan: fc.constantFrom('pro', 'free', undefined),
      late: fc.boolean(),
    }),
    { minLength: 10, maxLength: 60 },
  )
  .map((drafts) =>
    drafts.map((d, i) => ({
      late: d.late,
      event: generatedEvent(i, 13, {
        person_id: d.person,
        type: 'track',
        event: d.kind,
        timestamp: new Date(START + d.slot * 6 * HOUR),
        properties: d.plan === undefined ? {} : { plan: d.plan },
      }),
    })),
  );
const persons: CuratedPerson[] = ['p1', 'p2', 'p3'].map((id, i) => ({
  tenant_id: 'acme',
  person_id: id,
  traits: { plan: i === 0 ? 'pro' : 'free' },
  first_seen: new Date(START + i * DAY),
}));
const specArb = fc
  .record({
    steps: fc.array(
      fc.record(
        {
          event: fc.constantFrom('A', 'B', 'C'),
          filters: fc.constantFrom([], [{ property: 'plan', operator: 'eq' as const, value: 'pro' }]),
        },
        { requiredKeys: ['event'] },
      ),
      { minLength: 2, maxLength: 4 },
    ),
    fromDay: fc.integer({ min: 0, max: 3 }),
    days: fc.integer({ min: 1, max: 4 }),
    windowHours: fc.constantFrom(6, 12, 24, 48),
    order: fc.constantFrom('ordered' as const, 'strict' as const, 'any' as const),
    breakdown: fc.constantFrom(undefined, { property: 'plan' }, { property: 'plan', of: 'person' as const }),
    cohort: fc.boolean(),
    segment: fc.constantFrom(undefined, ['p1'], ['p2', 'p3']),
  })
  .map(
    (s): FunnelSpec => ({
      tenantId: 'acme',
      steps: s.steps,
      from: new Date(START + s.fromDay * DAY),
      to: new Date(START + (s.fromDay + s.days) * DAY),
      windowSeconds: s.windowHours * 3600,
      order: s.order,
      ...(s.breakdown ? { breakdown: s.breakdown } : {}),
      ...(s.cohort ? { cohort: { firstSeenFrom: new Date(START), firstSeenTo: new Date(START + 2 * DAY) } } : {}),
      ...(s.segment ? { persons: s.segment } : {}),
    }),
  );

async function clearSavedRows(warehouse: Warehouse): Promise<void> {
  await sql`DELETE FROM ${sql.table(FUNNEL_DAYS_TABLE)}`.execute(warehouse.db);
  await sql`DELETE FROM funnel_builds`.execute(warehouse.db);
}

async function fromSavedRows(warehouse: Warehouse, spec: FunnelSpec): Promise<ReferenceFunnel[]> {
  const { rows } = await funnelFromDaysQuery(warehouse.sql, spec, savedFunnelOf(spec).key).execute(warehouse.db);
  return byBreakdown(asReference(shapeFunnel(spec, rows)));
}

async function savedRows(warehouse: Warehouse): Promise<unknown[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM ${sql.table(FUNNEL_DAYS_TABLE)} ORDER BY funnel_key, person_id, entered_on`.execute(warehouse.db);
  return rows.map((r) => JSON.stringify(r));
}

describe('saved funnels', () => {
  it('answer from their day rows what the reference finds from the events', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, specArb, async (world, spec) => {
        const events = world.map((w) => w.event);
        const expected = byBreakdown(referenceFunnel(events, spec, persons));
        for (const warehouse of materializing()) {
          await putEvents(warehouse, [...events].reverse());
          await putPersons(warehouse, persons);
          await clearSavedRows(warehouse);
          await createFunnelMaterializer(warehouse).build(savedFunnelOf(spec));
          expect(await fromSavedRows(warehouse, spec), warehouse.sql.engine).toEqual(expected);
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it('kept up to date load by load hold the rows of a build from scratch, late events included', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, specArb, async (world, spec) => {
        const funnel = savedFunnelOf(spec);
        const events = world.map((w) => w.event);
        for (const warehouse of materializing()) {
          const materializer = createFunnelMaterializer(warehouse);
          // First load: what was on time; the second brings the late events, on any day.
          await clearSavedRows(warehouse);
          await putEvents(
            warehouse,
            world.filter((w) => !w.late).map((w) => w.event),
          );
          await materializer.sync([funnel], []);
          await putEvents(warehouse, events);
          const late = world.filter((w) => w.late).map((w) => ({ tenantId: 'acme', day: dayOf(w.event) }));
          await materializer.sync([funnel], late);
          const kept = await savedRows(warehouse);
          await materializer.sync([funnel], [], true);
          expect(kept, warehouse.sql.engine).toEqual(await savedRows(warehouse));
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('drops the rows of funnels no longer saved', async () => {
    const [warehouse] = materializing();
    if (!warehouse) throw new Error('no warehouse');
    const spec = (event: string): FunnelSpec => ({
      tenantId: 'acme',
      steps: [{ event: 'A' }, { event }],
      from: new Date(START),
      to: new Date(START + DAY),
      windowSeconds: DAY / 1000,
      order: 'ordered',
    });
    const events = ['A', 'B', 'C'].map((name, i) =>
      generatedEvent(i, 99, { person_id: 'p1', type: 'track', event: name, timestamp: new Date(START + i * HOUR) }),
    );
    await putEvents(warehouse, events);
    await clearSavedRows(warehouse);
    const materializer = createFunnelMaterializer(warehouse);
    await materializer.sync([savedFunnelOf(spec('B')), savedFunnelOf(spec('C'))], []);
    await materializer.sync([savedFunnelOf(spec('C'))], []);
    const { rows } = await sql<{ funnel_key: string }>`
      SELECT DISTINCT funnel_key FROM ${sql.table(FUNNEL_DAYS_TABLE)}
      UNION SELECT funnel_key FROM funnel_builds`.execute(warehouse.db);
    expect(rows.map((r) => r.funnel_key)).toEqual([savedFunnelOf(spec('C')).key]);
  });
});

function dayOf(event: CuratedEvent): string {
  return event.timestamp.toISOString().slice(0, 10);
}
