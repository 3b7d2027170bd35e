import { openBigQueryWarehouse } from '@livora/adapters/gcp';
import { createMemoryCache } from '@livora/adapters/local';
import type { Warehouse } from '@livora/adapters/ports';
import {
  type FakeAnswer,
  type FakeBigQuery,
  type FakeTdsServer,
  openSynapseOn,
  type RecordedQuery,
  startFakeBigQuery,
  startFakeTdsServer,
  type TdsAnswer,
  type TdsCall,
} from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsService } from '../../src/analytics/analytics-service.ts';

// The warehouses no SQL of theirs can run on here: every analytics query goes through the
// real driver to a stand-in speaking the warehouse's wire protocol, which refuses a query
// whose placeholders and parameters disagree (as the warehouse would), and answers the
// funnel with rows (so the answer's shaping is exercised too) and the rest with none.

const FROM = new Date('2026-11-01T00:00:00.000Z');
const TO = new Date('2026-11-08T00:00:00.000Z');
const FUNNEL_ROWS = [
  [null, 1, 40, null],
  [null, 2, 10, 95.5],
] as const;

/** Runs every analytics query through `warehouse`; returns the funnel's people and medians. */
async function everyQuery(warehouse: Warehouse): Promise<unknown> {
  const analytics = createAnalyticsService({
    warehouse,
    cache: createMemoryCache({ maxEntries: 100 }),
    ttlSeconds: 60,
  });
  const tenantId = 'acme';
  const funnel = await analytics.funnel({
    tenantId,
    steps: [
      { event: 'Product Viewed', filters: [{ property: 'category', operator: 'in', value: ['a', 'b'] }] },
      { event: 'Order Completed' },
    ],
    from: FROM,
    to: TO,
    windowSeconds: 86_400,
    order: 'ordered',
    breakdown: { property: 'plan', of: 'person' },
  });
  await analytics.retention({
    tenantId,
    start: { event: '$any' },
    return: { event: 'Order Completed' },
    unit: 'week',
    from: FROM,
    to: TO,
    periods: 4,
  });
  await analytics.ltv({ tenantId, by: 'channel', unit: 'month', from: FROM, to: TO });
  await analytics.products({
    tenantId,
    from: '2026-11-01',
    to: '2026-11-08',
    sort: 'revenue',
    direction: 'desc',
    limit: 20,
    search: 'shoe',
  });
  await analytics.kpis({ tenantId, from: FROM, to: TO });
  return funnel.value.series[0]?.steps.map((s) => [s.persons, s.medianSecondsFromPrevious]);
}

const isFunnel = (sql: string) => sql.includes('median_seconds');

describe('the analytics queries on BigQuery (jobs.query, answered by a stand-in)', () => {
  let fake: FakeBigQuery;
  beforeAll(async () => {
    fake = await startFakeBigQuery({
      answer(query: RecordedQuery): FakeAnswer {
        const placeholders = query.body.query.replace(/'(?:[^'\\]|\\.)*'|`[^`]*`/g, '').split('?').length - 1;
        const sent = query.body.queryParameters?.length ?? 0;
        if (placeholders !== sent) throw new Error(`${placeholders} placeholders, ${sent} parameters`);
        if (!isFunnel(query.body.query)) return { fields: [], rows: [] };
        return {
          fields: [
            { name: 'breakdown', type: 'STRING' },
            { name: 'step', type: 'INT64' },
            { name: 'persons', type: 'INT64' },
            { name: 'median_seconds', type: 'FLOAT64' },
          ],
          rows: FUNNEL_ROWS.map((row) => row.map((v) => (v === null ? null : String(v)))),
        };
      },
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('reach BigQuery as GoogleSQL with a typed parameter per placeholder, and their answers take shape', async () => {
    const warehouse = openBigQueryWarehouse({ projectId: 'p', dataset: 'livora', apiEndpoint: fake.url });
    expect(await everyQuery(warehouse)).toEqual([
      [40, null],
      [10, 95.5],
    ]);
    const sql = fake.queries.map((q) => q.body.query).join('\n');
    expect(sql).toContain('TIMESTAMP_ADD(');
    expect(fake.queries.some((q) => (q.body.queryParameters?.length ?? 0) > 5)).toBe(true);
    expect(fake.queries.every((q) => q.body.defaultDataset?.datasetId === 'livora')).toBe(true);
    await warehouse.close();
  });
});

describe('the analytics queries on Synapse (TDS, answered by a stand-in)', () => {
  let fake: FakeTdsServer;
  beforeAll(async () => {
    fake = await startFakeTdsServer({
      answer(call: TdsCall): TdsAnswer {
        const used = new Set(call.sql.replace(/'(?:[^']|'')*'/g, '').match(/@\d+/g) ?? []);
        const declared = new Set(call.parameters.map((p) => p.name));
        if ([...used].some((name) => !declared.has(name)) || used.size !== declared.size)
          throw new Error(`Must declare the scalar variable: ${[...used].filter((n) => !declared.has(n)).join(', ')}`);
        if (!isFunnel(call.sql)) return { columns: [], rows: [] };
        return {
          columns: [
            { name: 'breakdown', type: 'nvarchar' },
            { name: 'step', type: 'bigint' },
            { name: 'persons', type: 'bigint' },
            { name: 'median_seconds', type: 'float' },
          ],
          rows: FUNNEL_ROWS,
        };
      },
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('reach Synapse as T-SQL with every @n declared, and their answers take shape', async () => {
    const warehouse = openSynapseOn(fake, 'livora');
    expect(await everyQuery(warehouse)).toEqual([
      [40, null],
      [10, 95.5],
    ]);
    const sql = fake.calls.map((c) => c.sql).join('\n');
    expect(sql).toContain('DATEADD(');
    expect(fake.calls.some((c) => c.parameters.length > 5)).toBe(true);
    await warehouse.close();
  });
});
