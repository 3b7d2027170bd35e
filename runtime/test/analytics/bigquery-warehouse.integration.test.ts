import { openBigQueryWarehouse } from '@livora/adapters/gcp';
import { createMemoryCache } from '@livora/adapters/local';
import { type FakeAnswer, type FakeBigQuery, type RecordedQuery, startFakeBigQuery } from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsService } from '../../src/analytics/analytics-service.ts';

const FROM = new Date('2026-11-01T00:00:00.000Z');
const TO = new Date('2026-11-08T00:00:00.000Z');

/** `?` placeholders outside quoted text and backticked names. */
function placeholders(text: string): number {
  return text.replace(/'(?:[^'\\]|\\.)*'|`[^`]*`/g, '').split('?').length - 1;
}

// What BigQuery answers: the funnel's rows for the funnel, nothing for the rest. Every
// query must carry one typed parameter per placeholder, or BigQuery refuses it.
function answer(query: RecordedQuery): FakeAnswer {
  const sent = query.body.queryParameters?.length ?? 0;
  if (placeholders(query.body.query) !== sent)
    throw new Error(`${placeholders(query.body.query)} placeholders, ${sent} parameters`);
  if (query.body.query.includes('median_seconds'))
    return {
      fields: [
        { name: 'breakdown', type: 'STRING' },
        { name: 'step', type: 'INT64' },
        { name: 'persons', type: 'INT64' },
        { name: 'median_seconds', type: 'FLOAT64' },
      ],
      rows: [
        [null, '1', '40', null],
        [null, '2', '10', '95.5'],
      ],
    };
  return { fields: [], rows: [] };
}

let fake: FakeBigQuery;
beforeAll(async () => {
  fake = await startFakeBigQuery({ answer });
});
afterAll(async () => {
  await fake?.close();
});

describe('the analytics queries on BigQuery (through its API, answered by a stand-in)', () => {
  it('reach BigQuery as GoogleSQL with a typed parameter per placeholder, and their answers take shape', async () => {
    const warehouse = openBigQueryWarehouse({ projectId: 'p', dataset: 'livora', apiEndpoint: fake.url });
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
    expect(funnel.value.source).toBe('events');
    expect(funnel.value.series[0]?.steps.map((s) => [s.persons, s.medianSecondsFromPrevious])).toEqual([
      [40, null],
      [10, 95.5],
    ]);
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
    const sql = fake.queries.map((q) => q.body.query).join('\n');
    expect(sql).toContain('TIMESTAMP_ADD(');
    expect(sql).toContain('JSON_VALUE(');
    expect(sql).not.toContain('$1');
    expect(fake.queries.some((q) => (q.body.queryParameters?.length ?? 0) > 5)).toBe(true);
    expect(fake.queries.every((q) => q.body.defaultDataset?.datasetId === 'livora')).toBe(true);
    await warehouse.close();
  });
});
