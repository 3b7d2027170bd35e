import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore, Warehouse } from '@livora/adapters/ports';
import { type Kysely, sql } from 'kysely';
import type { SavedFunnel } from '../analytics/funnel/saved-funnel.ts';
import { ORDER_COMPLETED, PRODUCT_ADDED, PRODUCT_VIEWED } from '../events/commerce-events.ts';
import { EVENT_COLUMNS } from '../pipeline/lake/event-columns.ts';
import { PROFILE_COLUMNS, SESSION_COLUMNS } from '../pipeline/lake/snapshot-columns.ts';
import { createCuratedTables } from './curated-schema.ts';
import { createFunnelMaterializer } from './funnel-materializer.ts';

export interface LoadOptions {
  /** Reload every partition (or every one from this day on), not only those whose files changed. */
  readonly rebuild?: boolean;
  /** `YYYY-MM-DD`: with `rebuild`, the first day reloaded. */
  readonly since?: string;
}

export interface LoadSummary {
  /** Tenant and day of each events partition (re)loaded. */
  readonly partitions: { tenantId: string; day: string }[];
  readonly events: number;
  readonly sessionFiles: number;
  readonly profileFiles: number;
  /** Saved funnels kept up to date (built, or their changed days computed again). */
  readonly savedFunnels: number;
  readonly seconds: number;
}

const EVENT_KEY = /^events\/tenant=([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/hour=\d{2}\/[^/]+\.parquet$/;

/**
 * Loads the lake into the embedded (DuckDB) warehouse's curated tables. Event partitions
 * (tenant and day) are the unit: one whose files changed is replaced whole in one
 * transaction, with its order items and product aggregates, so a load run twice, or
 * stopped half-way, leaves the same tables. Session and profile snapshots keep the latest
 * one per session and person. Then saved funnels' rows follow the changed days.
 */
export function createDuckDbLakeLoader(deps: {
  store: ObjectStore;
  warehouse: Warehouse;
  stagingDir: string;
  /** The saved funnels to keep up to date (none kept without it). */
  savedFunnels?: () => Promise<readonly SavedFunnel[]>;
}) {
  const { store, warehouse, stagingDir } = deps;
  const funnels = createFunnelMaterializer(warehouse);
  const db = warehouse.db as Kysely<Record<string, never>>;
  let ready: Promise<void> | null = null;

  async function load(options: LoadOptions = {}): Promise<LoadSummary> {
    const started = performance.now();
    ready ??= createCuratedTables(warehouse);
    await ready;
    const loaded = new Set((await sql<{ key: string }>`SELECT key FROM lake_files`.execute(db)).rows.map((r) => r.key));
    const eventKeys = await store.list('events/');
    const partitions = new Map<string, { tenantId: string; day: string; keys: string[] }>();
    const partitionOf = (key: string) => {
      const match = EVENT_KEY.exec(key);
      if (!match) return null;
      const [, tenantId, day] = match as unknown as [string, string, string];
      const id = `${tenantId}/${day}`;
      const partition = partitions.get(id) ?? { tenantId, day, keys: [] };
      partitions.set(id, partition);
      return partition;
    };
    for (const key of eventKeys) partitionOf(key)?.keys.push(key);
    const lake = new Set(eventKeys);
    // New files, and loaded ones no longer in the lake (an unfinished range removed after a crash).
    const changed = new Set<string>();
    for (const key of [...eventKeys.filter((k) => !loaded.has(k)), ...[...loaded].filter((k) => !lake.has(k))]) {
      const partition = partitionOf(key);
      if (partition) changed.add(`${partition.tenantId}/${partition.day}`);
    }
    const due = [...partitions.entries()]
      .filter(([id, p]) => (options.rebuild ? !options.since || p.day >= options.since : changed.has(id)))
      .map(([, p]) => p);
    let events = 0;
    for (const partition of due) events += await loadPartition(partition);

    const sessionFiles = await loadSnapshots('sessions/', 'sessions', 'session_id', SESSION_COLUMNS, loaded, options);
    const profileFiles = await loadSnapshots('profiles/', 'persons', 'person_id', PROFILE_COLUMNS, loaded, options);
    const saved = deps.savedFunnels ? await deps.savedFunnels() : [];
    if (deps.savedFunnels) await funnels.sync(saved, due, options.rebuild === true && !options.since);
    return {
      partitions: due.map(({ tenantId, day }) => ({ tenantId, day })),
      events,
      sessionFiles,
      profileFiles,
      savedFunnels: saved.length,
      seconds: (performance.now() - started) / 1000,
    };
  }

  async function loadPartition(partition: { tenantId: string; day: string; keys: string[] }): Promise<number> {
    const { tenantId, day } = partition;
    return withLocalFiles(partition.keys, async (files) => {
      return db.transaction().execute(async (tx) => {
        for (const table of ['events', 'order_items', 'product_daily', 'product_revenue_daily'])
          await sql`DELETE FROM ${sql.table(table)} WHERE tenant_id = ${tenantId} AND day = CAST(${day} AS DATE)`.execute(
            tx,
          );
        await sql`DELETE FROM lake_files WHERE starts_with(key, ${`events/tenant=${tenantId}/dt=${day}/`})`.execute(tx);
        if (files.length > 0) {
          const names = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c.name)));
          // One row per event id, whatever a crash left behind.
          await sql`
            INSERT INTO events (${names}, day)
            SELECT ${names}, CAST(${day} AS DATE) FROM read_parquet([${sql.join(files.map((f) => sql.lit(f)))}])
            QUALIFY ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY source_partition, source_offset) = 1`.execute(tx);
          await deriveDay(tx, tenantId, day);
        }
        for (const key of partition.keys)
          await sql`INSERT INTO lake_files (key, loaded_at) VALUES (${key}, now())`.execute(tx);
        const { rows } = await sql<{ n: bigint }>`
          SELECT count(*) AS n FROM events WHERE tenant_id = ${tenantId} AND day = CAST(${day} AS DATE)`.execute(tx);
        const count = Number(rows[0]?.n ?? 0);
        await sql`
          INSERT INTO partition_loads (tenant_id, day, loaded_at, events) VALUES (${tenantId}, CAST(${day} AS DATE), now(), ${count})
          ON CONFLICT (tenant_id, day) DO UPDATE SET loaded_at = excluded.loaded_at, events = excluded.events`.execute(
          tx,
        );
        return count;
      });
    });
  }

  /** New snapshot files (all of them on a rebuild): the latest snapshot of each id wins. */
  async function loadSnapshots(
    prefix: string,
    table: string,
    id: string,
    specs: readonly { name: string }[],
    loaded: ReadonlySet<string>,
    options: LoadOptions,
  ): Promise<number> {
    const keys = (await store.list(prefix)).filter(
      (k) => k.endsWith('.parquet') && (options.rebuild || !loaded.has(k)),
    );
    if (keys.length === 0) return 0;
    const names = sql.join(specs.map((c) => sql.ref(c.name)));
    const updates = sql.join(
      specs
        .filter((c) => c.name !== id && c.name !== 'tenant_id')
        .map((c) => sql`${sql.ref(c.name)} = excluded.${sql.ref(c.name)}`),
    );
    await withLocalFiles(keys, (files) =>
      db.transaction().execute(async (tx) => {
        await sql`
          INSERT INTO ${sql.table(table)} (${names})
          SELECT ${names} FROM read_parquet([${sql.join(files.map((f) => sql.lit(f)))}])
          QUALIFY ROW_NUMBER() OVER (PARTITION BY tenant_id, ${sql.ref(id)} ORDER BY snapshot_at DESC) = 1
          ON CONFLICT (tenant_id, ${sql.ref(id)}) DO UPDATE SET ${updates}
          WHERE excluded.snapshot_at >= ${sql.table(table)}.snapshot_at`.execute(tx);
        for (const key of keys)
          await sql`INSERT INTO lake_files (key, loaded_at) VALUES (${key}, now()) ON CONFLICT (key) DO UPDATE SET loaded_at = now()`.execute(
            tx,
          );
      }),
    );
    return keys.length;
  }

  /** Runs `work` on local paths of `keys`: in place for a directory lake, else downloaded to staging first. */
  async function withLocalFiles<T>(keys: readonly string[], work: (files: string[]) => Promise<T>): Promise<T> {
    const inPlace = keys.map((k) => store.locate(k));
    if (inPlace.every((p) => path.isAbsolute(p))) return work(inPlace);
    const dir = path.join(stagingDir, `warehouse-load-${process.pid}-${Date.now()}`);
    await mkdir(dir, { recursive: true });
    try {
      const files: string[] = [];
      for (const [i, key] of keys.entries()) {
        const body = await store.get(key);
        if (!body) continue; // removed since listed: the next load sees its partition changed
        const file = path.join(dir, `${i}.parquet`);
        await writeFile(file, body);
        files.push(file);
      }
      return await work(files);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return { load };
}

export type DuckDbLakeLoader = ReturnType<typeof createDuckDbLakeLoader>;

/**
 * What the curated tables derive from a day's events (in DuckDB): order items of its
 * `Order Completed` events, and per-product views, adds, purchases, units and revenue.
 */
// biome-ignore lint/suspicious/noExplicitAny: curated tables are not typed
export async function deriveDay(tx: Kysely<any>, tenantId: string, day: string): Promise<void> {
  const ofDay = sql`tenant_id = ${tenantId} AND day = CAST(${day} AS DATE)`;
  await sql`
    INSERT INTO order_items
    SELECT e.tenant_id, e.event_id, e.person_id, e."timestamp", e.day, e.order_id,
           COALESCE(json_extract_string(j.value, '$.product_id'), json_extract_string(j.value, '$.sku')) AS product_id,
           json_extract_string(j.value, '$.name'), json_extract_string(j.value, '$.category'),
           TRY_CAST(json_extract_string(j.value, '$.price') AS DECIMAL(20,4)),
           COALESCE(TRY_CAST(json_extract_string(j.value, '$.quantity') AS INTEGER), 1),
           e.currency
    FROM events AS e, json_each(e.properties, '$.products') AS j
    WHERE ${ofDay} AND e.type = 'track' AND e.event = ${ORDER_COMPLETED}`.execute(tx);
  await sql`
    INSERT INTO product_daily
    SELECT ${tenantId}, CAST(${day} AS DATE), product_id, SUM(views), SUM(adds), SUM(purchases), SUM(units)
    FROM (
      SELECT json_extract_string(properties, '$.product_id') AS product_id,
             CASE WHEN event = ${PRODUCT_VIEWED} THEN 1 ELSE 0 END AS views,
             CASE WHEN event = ${PRODUCT_ADDED} THEN 1 ELSE 0 END AS adds, 0 AS purchases, 0 AS units
      FROM events WHERE ${ofDay} AND type = 'track' AND event IN (${PRODUCT_VIEWED}, ${PRODUCT_ADDED})
      UNION ALL
      SELECT product_id, 0, 0, COUNT(DISTINCT event_id), SUM(quantity) FROM order_items WHERE ${ofDay} GROUP BY product_id)
    WHERE product_id IS NOT NULL
    GROUP BY product_id`.execute(tx);
  await sql`
    INSERT INTO product_revenue_daily
    SELECT ${tenantId}, CAST(${day} AS DATE), product_id, currency, SUM(price * quantity)
    FROM order_items WHERE ${ofDay} AND product_id IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
    GROUP BY product_id, currency`.execute(tx);
}
