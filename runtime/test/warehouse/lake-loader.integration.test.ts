import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedshiftBulkLoad, openRedshiftWarehouse } from '@livora/adapters/aws';
import { createDirectoryObjectStore, createDuckDbBulkLoad, openDuckDbWarehouse } from '@livora/adapters/local';
import type { LakeBulkLoad, ObjectStore, Warehouse } from '@livora/adapters/ports';
import {
  createTestDatabase,
  type FakeRedshiftData,
  LAKE_EMULATORS,
  type LakeEmulator,
  startFakeRedshiftData,
  type TestDatabase,
} from '@livora/adapters/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLakeLoader, type LakeLoader } from '../../src/warehouse/lake-loader.ts';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

/** A warehouse the lake is loaded into, with `sync` bringing its lake up to the pipeline's. */
interface LoadedEngine {
  readonly name: string;
  readonly warehouse: Warehouse;
  readonly loader: LakeLoader;
  /** The lake as this engine's loads read it, and its bulk load. */
  readonly store: ObjectStore;
  readonly bulkLoad: LakeBulkLoad;
  sync(): Promise<void>;
  close(): Promise<void>;
}

let api: TestApi;
let key: string;
let tenantId: string;
const engines: LoadedEngine[] = [];
const s3 = LAKE_EMULATORS.aws;
if (s3.missing) console.warn(`the Redshift load runs only where moto is installed: ${s3.missing}`);

const at = (day: number, minutes = 0) =>
  new Date(Date.parse('2026-11-02T09:00:00.000Z') + day * 86_400_000 + minutes * 60_000).toISOString();

/** DuckDB, reading the pipeline's directory lake in place. */
async function openDuckDb(lakeDir: string): Promise<LoadedEngine> {
  const staging = await mkdtemp(path.join(tmpdir(), 'livora-load-'));
  const store = createDirectoryObjectStore(lakeDir);
  const warehouse = openDuckDbWarehouse({ path: ':memory:' });
  const bulkLoad = createDuckDbBulkLoad({ store, stagingDir: staging });
  return {
    name: 'duckdb',
    warehouse,
    store,
    bulkLoad,
    loader: createLakeLoader({ store, warehouse, bulkLoad }),
    sync: async () => undefined,
    async close() {
      await warehouse.close();
      await rm(staging, { recursive: true, force: true });
    },
  };
}

/**
 * Redshift through its Data API (a stand-in speaking its wire format over a PostgreSQL,
 * COPY reading S3), with the lake copied to S3 on moto before each load.
 */
async function openRedshift(lakeDir: string): Promise<LoadedEngine> {
  const lake: LakeEmulator = await s3.start();
  const database: TestDatabase = await createTestDatabase({});
  const endpoint = lake.env.LIVORA_LAKE_ENDPOINT as string;
  const dataApi: FakeRedshiftData = await startFakeRedshiftData(database.url, { s3: { endpoint } });
  const warehouse = openRedshiftWarehouse({
    region: 'us-east-1',
    endpoint: dataApi.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    target: { database: 'livora', workgroupName: 'analytics' },
  });
  const store: ObjectStore = lake.store;
  const source = createDirectoryObjectStore(lakeDir);
  const bulkLoad = createRedshiftBulkLoad({ store, iamRole: 'arn:aws:iam::123456789012:role/livora-copy' });
  return {
    name: 'redshift',
    warehouse,
    store,
    bulkLoad,
    loader: createLakeLoader({ store, warehouse, bulkLoad }),
    async sync() {
      const wanted = new Set(await source.list(''));
      for (const key of wanted) await store.put(key, (await source.get(key)) as Uint8Array);
      for (const key of await store.list('')) if (!wanted.has(key)) await store.delete(key);
    },
    async close() {
      await warehouse.close();
      await dataApi.close();
      await database.drop();
      await lake.stop();
    },
  };
}

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true });
  ({ key, tenantId } = await api.tenant());
  engines.push(await openDuckDb(api.lakeDir));
  if (!s3.missing) engines.push(await openRedshift(api.lakeDir));
}, 120_000);
afterAll(async () => {
  for (const engine of engines) await engine.close();
  await api?.close();
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

async function load(engine: LoadedEngine, options?: Parameters<LakeLoader['load']>[0]) {
  await engine.sync();
  return engine.loader.load(options);
}

/** Rows of a query every engine runs (as written: no engine's own functions). */
const rows = async <T>(engine: LoadedEngine, query: string) =>
  (await sql.raw<T>(query).execute(engine.warehouse.db)).rows;

const tables = (engine: LoadedEngine) =>
  rows(
    engine,
    `SELECT (SELECT CAST(COUNT(*) AS INTEGER) FROM events) AS events, (SELECT CAST(COUNT(*) AS INTEGER) FROM order_items) AS items,
            (SELECT CAST(SUM(views) AS INTEGER) FROM product_daily) AS views, (SELECT CAST(COUNT(*) AS INTEGER) FROM persons) AS persons`,
  );

describe('loading the lake into the warehouse, on every engine (DuckDB; Redshift where moto runs)', () => {
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
            { sku: 'sku-3', name: 'Sock', price: 'free', quantity: 'two' },
            // Not a product at all, and a price no exact decimal of the warehouse holds: neither stops the load.
            'just-a-string',
            { product_id: 'sku-4', price: '12345678901234567890' },
          ],
        },
        timestamp: at(1, 10),
      },
    ]);
    await lakeHolds(5);

    for (const engine of engines) {
      const first = await load(engine);
      expect(first.partitions.map((p) => p.day).sort(), engine.name).toEqual(['2026-11-02', '2026-11-03']);
      expect(first.events, engine.name).toBe(5);
      expect(
        await rows(
          engine,
          `SELECT CAST(COUNT(*) AS INTEGER) AS n, CAST(COUNT(DISTINCT person_id) AS INTEGER) AS people FROM events`,
        ),
        engine.name,
      ).toEqual([{ n: 5, people: 1 }]);
      expect(
        await rows(
          engine,
          `SELECT product_id, name, category, CAST(price AS VARCHAR) AS price, quantity, currency FROM order_items ORDER BY product_id`,
        ),
        engine.name,
      ).toEqual([
        { product_id: 'sku-1', name: 'Shoe', category: 'shoes', price: '19.9500', quantity: 2, currency: 'EUR' },
        { product_id: 'sku-2', name: 'Bag', category: null, price: '20.0000', quantity: 1, currency: 'EUR' },
        // Not numbers: no price, and a quantity of one.
        { product_id: 'sku-3', name: 'Sock', category: null, price: null, quantity: 1, currency: 'EUR' },
        { product_id: 'sku-4', name: null, category: null, price: null, quantity: 1, currency: 'EUR' },
        { product_id: null, name: null, category: null, price: null, quantity: 1, currency: 'EUR' },
      ]);
      expect(
        await rows(
          engine,
          `SELECT CAST(day AS VARCHAR) AS day, product_id, CAST(views AS INTEGER) AS views, CAST(adds AS INTEGER) AS adds,
                  CAST(purchases AS INTEGER) AS purchases, CAST(units AS INTEGER) AS units
           FROM product_daily ORDER BY day, product_id`,
        ),
        engine.name,
      ).toEqual([
        { day: '2026-11-02', product_id: 'sku-1', views: 1, adds: 0, purchases: 0, units: 0 },
        { day: '2026-11-02', product_id: 'sku-2', views: 1, adds: 0, purchases: 0, units: 0 },
        { day: '2026-11-03', product_id: 'sku-1', views: 1, adds: 1, purchases: 1, units: 2 },
        { day: '2026-11-03', product_id: 'sku-2', views: 0, adds: 0, purchases: 1, units: 1 },
        { day: '2026-11-03', product_id: 'sku-3', views: 0, adds: 0, purchases: 1, units: 1 },
        { day: '2026-11-03', product_id: 'sku-4', views: 0, adds: 0, purchases: 1, units: 1 },
      ]);
      expect(
        await rows(
          engine,
          `SELECT product_id, CAST(revenue AS VARCHAR) AS revenue FROM product_revenue_daily ORDER BY product_id`,
        ),
        engine.name,
      ).toEqual([
        { product_id: 'sku-1', revenue: '39.9000' },
        { product_id: 'sku-2', revenue: '20.0000' },
      ]);
      const [session] = await rows<{ n: number }>(engine, `SELECT CAST(COUNT(*) AS INTEGER) AS n FROM sessions`);
      expect(session?.n, engine.name).toBeGreaterThanOrEqual(2); // a visit per day
      expect(
        await rows(
          engine,
          `SELECT CAST(event_count AS INTEGER) AS events, order_count AS orders, CAST(person_id AS VARCHAR) AS person FROM persons`,
        ),
        engine.name,
      ).toEqual([{ events: 5, orders: 1, person: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);

      const again = await load(engine);
      expect(again.partitions, engine.name).toEqual([]);
      expect(again.sessionFiles + again.profileFiles, engine.name).toBe(0);
      expect(await tables(engine), engine.name).toEqual([{ events: 5, items: 5, views: 3, persons: 1 }]);
    }
  }, 120_000);

  it('reloads only the day that got new events, and a rebuild gives the same tables', async () => {
    const loadTimes = (engine: LoadedEngine) =>
      rows<{ day: string; loaded_at: Date }>(
        engine,
        `SELECT CAST(day AS VARCHAR) AS day, loaded_at FROM partition_loads ORDER BY day`,
      );
    const before = new Map<string, Awaited<ReturnType<typeof loadTimes>>>();
    for (const engine of engines) before.set(engine.name, await loadTimes(engine));
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
    for (const engine of engines) {
      const summary = await load(engine);
      expect(summary.partitions, engine.name).toEqual([{ tenantId, day: '2026-11-03' }]);
      const after = await loadTimes(engine);
      const earlier = before.get(engine.name) ?? [];
      expect(after[0], engine.name).toEqual(earlier[0]); // 2 November untouched
      expect(after[1]?.loaded_at.getTime(), engine.name).toBeGreaterThan(earlier[1]?.loaded_at.getTime() ?? 0);

      const incremental = await tables(engine);
      expect(incremental, engine.name).toEqual([{ events: 6, items: 5, views: 4, persons: 2 }]);
      const rebuilt = await load(engine, { rebuild: true });
      expect(rebuilt.partitions, engine.name).toHaveLength(2);
      expect(await tables(engine), engine.name).toEqual(incremental);
    }
  }, 120_000);

  it('keeps a day whose lake files expired (only their record goes), where a recent day would load again', async () => {
    const source = createDirectoryObjectStore(api.lakeDir);
    const [expiredKey] = await source.list(`events/tenant=${tenantId}/dt=2026-11-02/`);
    expect(expiredKey).toBeDefined();
    await source.delete(expiredKey as string);
    for (const engine of engines) {
      await engine.sync();
      const before = await tables(engine);
      // Every loaded day counts as old here: the lake's lifecycle took the file.
      const old = createLakeLoader({
        store: engine.store,
        warehouse: engine.warehouse,
        bulkLoad: engine.bulkLoad,
        goneReloadDays: 0,
      });
      const summary = await old.load();
      expect(summary.partitions, engine.name).toEqual([]);
      expect(await tables(engine), engine.name).toEqual(before);
      const records = await rows<{ n: number }>(
        engine,
        `SELECT CAST(COUNT(*) AS INTEGER) AS n FROM lake_files WHERE "key" = '${expiredKey}'`,
      );
      expect(records, engine.name).toEqual([{ n: 0 }]);
    }
  }, 120_000);
});
