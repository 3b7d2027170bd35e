import type { ColumnSpec, LakeBulkLoad, ObjectStore, Warehouse } from '@livora/adapters/ports';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { SavedFunnel } from '../analytics/funnel/saved-funnel.ts';
import { EVENT_COLUMNS } from '../pipeline/lake/event-columns.ts';
import { PROFILE_COLUMNS, SESSION_COLUMNS } from '../pipeline/lake/snapshot-columns.ts';
import { columnsOf, createCuratedTables, lakeFileColumns } from './curated-schema.ts';
import { deriveDay } from './derive-day.ts';
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
/** Keys recorded per statement (engines cap parameters: Synapse at 2,100). */
const KEYS_PER_STATEMENT = 200;
/** Snapshot files per transaction: a rebuild's thousands must not keep one transaction (a Data API session) waiting. */
const SNAPSHOT_FILES_PER_LOAD = 1000;
const DAY_MS = 86_400_000;

// biome-ignore lint/suspicious/noExplicitAny: curated tables are not typed
type Db = Kysely<any>;

/**
 * Loads the lake into the warehouse's curated tables, on any engine: the files go in by
 * the engine's bulk load (DuckDB's read_parquet, Redshift's COPY…) into a staging table,
 * and SQL written once moves them on. Event partitions (tenant and day) are the unit: one
 * whose files changed is replaced whole in one transaction, with its order items and
 * product aggregates, so a load run twice, or stopped half-way, leaves the same tables.
 * Session and profile snapshots keep the latest one per session and person. Then saved
 * funnels' rows follow the changed days.
 */
export function createLakeLoader(deps: {
  store: ObjectStore;
  warehouse: Warehouse;
  bulkLoad: LakeBulkLoad;
  /** The saved funnels to keep up to date (none kept without it). */
  savedFunnels?: () => Promise<readonly SavedFunnel[]>;
  /**
   * A loaded file gone from the lake makes its day load again only within this many days
   * (an unfinished range removed after a crash); older ones were expired by the lake's
   * lifecycle, and the warehouse keeps their rows. Default 30.
   */
  goneReloadDays?: number;
}) {
  const { store, warehouse, bulkLoad } = deps;
  const w = warehouse.sql;
  const funnels = createFunnelMaterializer(warehouse);
  const db = warehouse.db as Db;
  const day = (value: string) => sql`CAST(${value} AS DATE)`;
  let ready: Promise<void> | null = null;

  async function load(options: LoadOptions = {}): Promise<LoadSummary> {
    const started = performance.now();
    ready ??= createCuratedTables(warehouse);
    await ready;
    const loaded = new Set(
      (await sql<{ key: string }>`SELECT ${sql.ref('key')} FROM lake_files`.execute(db)).rows.map((r) => r.key),
    );
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
    // New files, and loaded ones no longer in the lake: recent ones are an unfinished range
    // removed after a crash (the day loads again); older ones expired (only their record goes).
    const changed = new Set<string>();
    for (const key of eventKeys.filter((k) => !loaded.has(k))) {
      const partition = partitionOf(key);
      if (partition) changed.add(`${partition.tenantId}/${partition.day}`);
    }
    const recent = new Date(Date.now() - (deps.goneReloadDays ?? 30) * DAY_MS).toISOString().slice(0, 10);
    const expired: string[] = [];
    for (const key of [...loaded].filter((k) => !lake.has(k) && EVENT_KEY.test(k))) {
      const partition = partitionOf(key) as { tenantId: string; day: string };
      if (partition.day >= recent) changed.add(`${partition.tenantId}/${partition.day}`);
      else expired.push(key);
    }
    if (expired.length > 0) await db.transaction().execute((tx) => forgetFiles(tx, expired));
    const due = [...partitions.entries()]
      .filter(([id, p]) =>
        options.rebuild ? p.keys.length > 0 && (!options.since || p.day >= options.since) : changed.has(id),
      )
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
    const { tenantId } = partition;
    const ofDay = sql`tenant_id = ${tenantId} AND day = ${day(partition.day)}`;
    return withStaged('stage_events', EVENT_COLUMNS, partition.keys, (tx, stage) => replacePartition(tx, stage));

    async function replacePartition(tx: Db, stage: RawBuilder<unknown>): Promise<number> {
      for (const table of ['events', 'order_items', 'product_daily', 'product_revenue_daily'])
        await sql`DELETE FROM ${sql.table(table)} WHERE ${ofDay}`.execute(tx);
      const prefix = `events/tenant=${tenantId}/dt=${partition.day}/`;
      await sql`DELETE FROM lake_files WHERE LEFT(${sql.ref('key')}, ${sql.lit(prefix.length)}) = ${prefix}`.execute(
        tx,
      );
      const names = sql.join(EVENT_COLUMNS.map((c) => sql.ref(c.name)));
      // One row per event id, whatever a crash left behind; only the partition's tenant.
      await sql`
        INSERT INTO events (${names}, day)
        SELECT ${names}, ${day(partition.day)} FROM (
          SELECT ${names}, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY source_partition, source_offset) AS copy_number
          FROM ${stage} WHERE tenant_id = ${tenantId}) AS staged
        WHERE copy_number = 1`.execute(tx);
      await deriveDay(tx, w, tenantId, partition.day);
      await recordFiles(tx, partition.keys);
      const { rows } = await sql<{ n: number | bigint }>`SELECT COUNT(*) AS n FROM events WHERE ${ofDay}`.execute(tx);
      const count = Number(rows[0]?.n ?? 0);
      await sql`DELETE FROM partition_loads WHERE ${ofDay}`.execute(tx);
      await sql`
        INSERT INTO partition_loads (tenant_id, day, loaded_at, events)
        VALUES (${tenantId}, ${day(partition.day)}, ${w.timestamp(new Date())}, ${count})`.execute(tx);
      return count;
    }
  }

  /** New snapshot files (all of them on a rebuild): the latest snapshot of each id wins. */
  async function loadSnapshots(
    prefix: string,
    table: string,
    id: string,
    specs: readonly ColumnSpec[],
    loaded: ReadonlySet<string>,
    options: LoadOptions,
  ): Promise<number> {
    const keys = (await store.list(prefix)).filter(
      (k) => k.endsWith('.parquet') && (options.rebuild || !loaded.has(k)),
    );
    // In order, a bounded number per transaction: a later snapshot of an id still wins.
    for (let start = 0; start < keys.length; start += SNAPSHOT_FILES_PER_LOAD)
      await loadSnapshotFiles(table, id, specs, keys.slice(start, start + SNAPSHOT_FILES_PER_LOAD));
    return keys.length;
  }

  async function loadSnapshotFiles(
    table: string,
    id: string,
    specs: readonly ColumnSpec[],
    keys: readonly string[],
  ): Promise<void> {
    const names = sql.join(specs.map((c) => sql.ref(c.name)));
    const target = sql.table(table);
    const same = (a: string, b: RawBuilder<unknown>) =>
      sql`${sql.ref(`${a}.tenant_id`)} = ${b}.tenant_id AND ${sql.ref(`${a}.${id}`)} = ${b}.${sql.ref(id)}`;
    await withStaged('stage_snapshots', specs, keys, async (tx, stage) => {
      const latest = sql`(
        SELECT ${names} FROM (
          SELECT ${names}, ROW_NUMBER() OVER (PARTITION BY tenant_id, ${sql.ref(id)} ORDER BY snapshot_at DESC) AS copy_number
          FROM ${stage}) AS staged
        WHERE copy_number = 1)`;
      await sql`
        DELETE FROM ${target} WHERE EXISTS (
          SELECT 1 FROM ${latest} AS s WHERE ${same('s', target)} AND s.snapshot_at >= ${target}.snapshot_at)`.execute(
        tx,
      );
      await sql`
        INSERT INTO ${target} (${names})
        SELECT ${names} FROM ${latest} AS s
        WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${same('s', sql.ref('t'))})`.execute(tx);
      await recordFiles(tx, keys);
    });
  }

  /**
   * Runs `work` in one transaction on a connection whose temporary table `name` (the lake
   * files' columns) holds the rows of `keys`, staged by the engine's bulk load before the
   * transaction begins; the table is dropped afterwards, whatever happened (a failed drop
   * is reported only when nothing failed before it).
   */
  async function withStaged<T>(
    name: string,
    specs: readonly ColumnSpec[],
    keys: readonly string[],
    work: (tx: Db, stage: RawBuilder<unknown>) => Promise<T>,
  ): Promise<T> {
    return db.connection().execute(async (connection) => {
      const stage = await bulkLoad.stage(connection, name, columnsOf(w, lakeFileColumns(specs)), keys);
      let result: T;
      try {
        result = await connection.transaction().execute((tx) => work(tx, stage));
      } catch (error) {
        await sql`DROP TABLE ${stage}`.execute(connection).catch(() => undefined);
        throw error;
      }
      await sql`DROP TABLE ${stage}`.execute(connection);
      return result;
    });
  }

  /** Forgets the records of `keys` (expired from the lake, or about to be recorded again). */
  async function forgetFiles(tx: Db, keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
      await sql`DELETE FROM lake_files WHERE ${sql.ref('key')} IN (${sql.join(chunk)})`.execute(tx);
    }
  }

  /** Records `keys` as loaded now (in place of an earlier record of the same key). */
  async function recordFiles(tx: Db, keys: readonly string[]): Promise<void> {
    const now = w.timestamp(new Date());
    await forgetFiles(tx, keys);
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
      // SELECTs joined by UNION ALL: not every engine takes a VALUES list of many rows.
      const rows = sql.join(
        chunk.map((key) => sql`SELECT CAST(${key} AS ${sql.raw(w.typeName('text'))}), ${now}`),
        sql` UNION ALL `,
      );
      await sql`INSERT INTO lake_files (${sql.ref('key')}, loaded_at) ${rows}`.execute(tx);
    }
  }

  return { load };
}

export type LakeLoader = ReturnType<typeof createLakeLoader>;
