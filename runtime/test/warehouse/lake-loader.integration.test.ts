import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDirectoryObjectStore, openDuckDbWarehouse } from '@livora/adapters/local';
import type { Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbLakeLoader, type DuckDbLakeLoader } from '../../src/warehouse/duckdb-lake-loader.ts';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
let tenantId: string;
let warehouse: Warehouse;
let loader: DuckDbLakeLoader;
let staging: string;

const at = (day: number, minutes = 0) =>
  new Date(Date.parse('2026-11-02T09:00:00.000Z') + day * 86_400_000 + minutes * 60_000).toISOString();

const rows = async <T>(query: string) => (await sql.raw<T>(query).execute(warehouse.db)).rows;

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true });
  ({ key, tenantId } = await api.tenant());
  staging = await mkdtemp(path.join(tmpdir(), 'livora-load-'));
  warehouse = openDuckDbWarehouse({ path: ':memory:' });
  loader = createDuckDbLakeLoader({ store: createDirectoryObjectStore(api.lakeDir), warehouse, stagingDir: staging });
}, 60_000);
afterAll(async () => {
  await warehouse?.close();
  await api?.close();
  if (staging) await rm(staging, { recursive: true, force: true });
});

async function send(events: Record<string, unknown>[]) {
  const response = await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) });
  expect(response.status).toBe(202);
}

async function lakeHolds(n: number) {
  await eventually(
    async () => Number((await queryLake(api.lakeDir, 'SELECT count(*) AS n FROM {events}'))[0]?.n ?? 0) >= n,
    30_000,
    `${n} events in the lake`,
  );
}

describe('loading the lake into the DuckDB warehouse', () => {
  it('fills the curated tables, and a second load of the same lake changes nothing', async () => {
    const viewed = (id: string, day: number, product: string) => ({
      type: 'track',
      event: 'Product Viewed',
      event_id: id,
      anonymous_id: 'anon-1',
      properties: { product_id: product },
      timestamp: at(day),
    });
    await send([
      viewed('v1', 0, 'sku-1'),
      viewed('v2', 0, 'sku-2'),
      viewed('v3', 1, 'sku-1'),
      {
        type: 'track',
        event: 'Product Added',
        event_id: 'a1',
        anonymous_id: 'anon-1',
        properties: { product_id: 'sku-1' },
        timestamp: at(1, 5),
      },
      {
        type: 'track',
        event: 'Order Completed',
        event_id: 'o1',
        anonymous_id: 'anon-1',
        properties: {
          order_id: 'order-1',
          revenue: 59.9,
          currency: 'EUR',
          products: [
            { product_id: 'sku-1', name: 'Shoe', category: 'shoes', price: 19.95, quantity: 2 },
            { product_id: 'sku-2', name: 'Bag', price: 20 },
          ],
        },
        timestamp: at(1, 10),
      },
    ]);
    await lakeHolds(5);

    const first = await loader.load();
    expect(first.partitions.map((p) => p.day).sort()).toEqual(['2026-11-02', '2026-11-03']);
    expect(first.events).toBe(5);
    expect(await rows(`SELECT count(*)::INT AS n, count(DISTINCT person_id)::INT AS people FROM events`)).toEqual([
      { n: 5, people: 1 },
    ]);
    expect(
      await rows(
        `SELECT product_id, name, category, price::VARCHAR AS price, quantity, currency FROM order_items ORDER BY product_id`,
      ),
    ).toEqual([
      { product_id: 'sku-1', name: 'Shoe', category: 'shoes', price: '19.9500', quantity: 2, currency: 'EUR' },
      { product_id: 'sku-2', name: 'Bag', category: null, price: '20.0000', quantity: 1, currency: 'EUR' },
    ]);
    expect(
      await rows(
        `SELECT strftime(day, '%Y-%m-%d') AS day, product_id, views::INT AS views, adds::INT AS adds, purchases::INT AS purchases, units::INT AS units
         FROM product_daily ORDER BY day, product_id`,
      ),
    ).toEqual([
      { day: '2026-11-02', product_id: 'sku-1', views: 1, adds: 0, purchases: 0, units: 0 },
      { day: '2026-11-02', product_id: 'sku-2', views: 1, adds: 0, purchases: 0, units: 0 },
      { day: '2026-11-03', product_id: 'sku-1', views: 1, adds: 1, purchases: 1, units: 2 },
      { day: '2026-11-03', product_id: 'sku-2', views: 0, adds: 0, purchases: 1, units: 1 },
    ]);
    expect(
      await rows(`SELECT product_id, revenue::VARCHAR AS revenue FROM product_revenue_daily ORDER BY product_id`),
    ).toEqual([
      { product_id: 'sku-1', revenue: '39.9000' },
      { product_id: 'sku-2', revenue: '20.0000' },
    ]);
    const [session] = await rows<{ n: number }>(`SELECT count(*)::INT AS n FROM sessions`);
    expect(session?.n).toBeGreaterThanOrEqual(2); // a visit per day
    expect(await rows(`SELECT event_count::INT AS events, order_count AS orders FROM persons`)).toEqual([
      { events: 5, orders: 1 },
    ]);

    const again = await loader.load();
    expect(again.partitions).toEqual([]);
    expect(await rows(`SELECT count(*)::INT AS n FROM events`)).toEqual([{ n: 5 }]);
  }, 60_000);

  it('reloads only the day that got new events, and a rebuild gives the same tables', async () => {
    const before = await rows<{ day: string; loaded_at: Date }>(
      `SELECT strftime(day, '%Y-%m-%d') AS day, loaded_at FROM partition_loads ORDER BY day`,
    );
    await send([
      {
        type: 'track',
        event: 'Product Viewed',
        event_id: 'v4',
        anonymous_id: 'anon-2',
        properties: { product_id: 'sku-2' },
        timestamp: at(1, 30),
      },
    ]);
    await lakeHolds(6);
    const summary = await loader.load();
    expect(summary.partitions).toEqual([{ tenantId, day: '2026-11-03' }]);
    const after = await rows<{ day: string; loaded_at: Date }>(
      `SELECT strftime(day, '%Y-%m-%d') AS day, loaded_at FROM partition_loads ORDER BY day`,
    );
    expect(after[0]).toEqual(before[0]); // 2 November untouched
    expect(after[1]?.loaded_at.getTime()).toBeGreaterThan(before[1]?.loaded_at.getTime() ?? 0);

    const tables = async () =>
      rows(`SELECT (SELECT count(*) FROM events)::INT AS events, (SELECT count(*) FROM order_items)::INT AS items,
                   (SELECT sum(views) FROM product_daily)::INT AS views, (SELECT count(*) FROM persons)::INT AS persons`);
    const incremental = await tables();
    expect(incremental).toEqual([{ events: 6, items: 2, views: 4, persons: 2 }]);
    const rebuilt = await loader.load({ rebuild: true });
    expect(rebuilt.partitions).toHaveLength(2);
    expect(await tables()).toEqual(incremental);
  }, 60_000);
});
