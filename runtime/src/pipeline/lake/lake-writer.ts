import type { Cell, ObjectStore, ParquetEncoder, ParquetFile } from '@livora/adapters/ports';
import { compareOffsets } from '@livora/adapters/ports';
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import { probeEach } from '../../db/probe-each.ts';
import type { Tables } from '../../db/tables.ts';
import type { PipelineEvent } from '../pipeline-event.ts';
import { EVENT_COLUMNS, eventRow } from './event-columns.ts';
import { PROFILE_COLUMNS, SESSION_COLUMNS } from './snapshot-columns.ts';

/**
 * The events of one partition's range that is not in the lake yet: rows go into their
 * Parquet files as batches are processed (held by the encoder, not the JS heap), and the
 * sessions and people they touched are remembered for the snapshots.
 */
export interface LakeRange {
  add(items: readonly PipelineEvent[]): Promise<void>;
  readonly events: number;
  /**
   * Writes the range as offsets `first`…`last` of its partition; `stillOurs` is asked
   * before each put, so a process that lost the partition stops writing (LeaseLostError)
   * instead of racing the new owner's clean-up. Answers the keys written.
   */
  write(partition: string, first: string, last: string, stillOurs: () => Promise<boolean>): Promise<string[]>;
  /** Drops what the range holds (a failure or a lost lease: it is read again). */
  discard(): void;
}

/**
 * Writes a flushed range of one partition to the lake: events as Parquet under
 * `events/tenant=…/dt=YYYY-MM-DD/hour=HH/`, plus snapshots of the sessions and profiles the
 * range touched. Files are named by partition and offset range, so a replay writes the
 * same keys again. The keys are recorded in `lake_pending` before any is written: after a
 * crash, files of a range no checkpoint covers are orphans and are removed.
 */
export function createLakeWriter(deps: {
  store: ObjectStore;
  encoder: ParquetEncoder;
  db: Kysely<Tables>;
  compression: 'zstd' | 'snappy';
}) {
  const { store, encoder, db, compression } = deps;

  return {
    openRange(): LakeRange {
      const contents: RangeContents = {
        files: new Map(),
        eventIds: new TenantIds(),
        sessions: new TenantIds(),
        persons: new TenantIds(),
        events: 0,
      };
      const range: LakeRange = {
        async add(items) {
          for (const item of items) {
            const tenant = item.event.tenant_id;
            // Once per range: a stream that renumbers redeliveries can bring a retry back as a replay.
            if (!contents.eventIds.add(tenant, item.event.event_id)) continue;
            const hour = utcHour(item.event.timestamp);
            let file = contents.files.get(tenant)?.get(hour);
            if (!file) {
              file = await encoder.start(EVENT_COLUMNS);
              const ofTenant = contents.files.get(tenant) ?? new Map<string, ParquetFile>();
              contents.files.set(tenant, ofTenant.set(hour, file));
            }
            file.appendRow(eventRow(item));
            contents.sessions.add(item.event.tenant_id, item.derived.session_id);
            contents.persons.add(item.event.tenant_id, item.derived.person_id);
            contents.events += 1;
          }
        },
        get events() {
          return contents.events;
        },
        async write(partition, first, last, stillOurs) {
          const name = `part-${partition}-${first}-${last}.parquet`;
          const snapshots = [
            ...(await sessionSnapshots(contents.sessions, name)),
            ...(await profileSnapshots(contents.persons, name)),
          ];
          const keys = [
            ...eventFiles(contents).map(({ folder }) => `${folder}/${name}`),
            ...snapshots.map((f) => f.key),
          ];
          await sql`
          INSERT INTO lake_pending (partition, first_offset, last_offset, keys)
          VALUES (${partition}, ${first}::numeric, ${last}::numeric, ${keys}::text[])
          ON CONFLICT (partition, first_offset) DO UPDATE
            SET last_offset = excluded.last_offset, keys = ARRAY(SELECT DISTINCT unnest(lake_pending.keys || excluded.keys))`.execute(
            db,
          );
          const put = async (key: string, body: Uint8Array) => {
            if (!(await stillOurs()))
              throw new LeaseLostError(`lost partition ${partition} while writing its lake range`);
            await store.put(key, body);
          };
          for (const { tenant, hour, folder, file } of eventFiles(contents)) {
            contents.files.get(tenant)?.delete(hour);
            await put(`${folder}/${name}`, await file.finish(compression));
          }
          for (const file of snapshots) await put(file.key, await encoder.encode(file.columns, file.rows, compression));
          return keys;
        },
        discard() {
          for (const { file } of eventFiles(contents)) file.discard();
          contents.files.clear();
        },
      };
      return range;
    },

    /** The range starting at `first` is covered by a checkpoint now: its files are no longer at risk. */
    async committed(partition: string, first: string): Promise<void> {
      await sql`DELETE FROM lake_pending WHERE partition = ${partition} AND first_offset = ${first}::numeric`.execute(
        db,
      );
    },

    /** Removes the files of ranges a crash left written but never covered by the checkpoint. */
    async removeOrphans(partition: string, checkpoint: string | null): Promise<number> {
      const { rows } = await sql<{ first_offset: string; last_offset: string; keys: string[] }>`
        SELECT first_offset::text AS first_offset, last_offset::text AS last_offset, keys
        FROM lake_pending WHERE partition = ${partition}`.execute(db);
      let removed = 0;
      for (const row of rows) {
        const covered = checkpoint !== null && compareOffsets(row.last_offset, checkpoint) <= 0;
        if (!covered) {
          for (const key of row.keys) await store.delete(key);
          removed += row.keys.length;
        }
        await sql`DELETE FROM lake_pending WHERE partition = ${partition} AND first_offset = ${row.first_offset}::numeric`.execute(
          db,
        );
      }
      return removed;
    },
  };

  async function sessionSnapshots(touched: TenantIds, name: string) {
    const rows = await touched.query((tenantId, ids) =>
      // The session's columns, with its times as text.
      probeEach<
        Omit<Selectable<Tables['sessions']>, 'started_at' | 'ended_at'> & {
          started_at: string;
          ended_at: string;
          duration: number;
        }
      >(
        ids,
        'uuid',
        (id) => sql`
          SELECT session_id, tenant_id, person_id, ${isoText(sql.ref('started_at'))} AS started_at,
                 ${isoText(sql.ref('ended_at'))} AS ended_at, extract(epoch FROM ended_at - started_at)::float8 AS duration,
                 page_views, events, landing_page, entry_channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content
          FROM sessions WHERE tenant_id = ${tenantId} AND session_id = ${id}`,
      ).execute(db),
    );
    const snapshotAt = new Date().toISOString();
    const byKey = new Map<string, Cell[][]>();
    for (const r of rows) {
      const key = `sessions/tenant=${r.tenant_id}/dt=${r.started_at.slice(0, 10)}/${name}`;
      const list = byKey.get(key) ?? [];
      list.push([
        r.session_id,
        r.tenant_id,
        r.person_id,
        r.started_at,
        r.ended_at,
        r.duration,
        r.page_views,
        r.events,
        r.events <= 1,
        r.landing_page,
        r.entry_channel,
        r.utm_source,
        r.utm_medium,
        r.utm_campaign,
        r.utm_term,
        r.utm_content,
        snapshotAt,
      ]);
      byKey.set(key, list);
    }
    return [...byKey].map(([key, list]) => ({ key, columns: SESSION_COLUMNS, rows: list }));
  }

  async function profileSnapshots(touched: TenantIds, name: string) {
    const rows = await touched.query((tenantId, ids) =>
      probeEach<{
        tenant_id: string;
        person_id: string;
        user_id: string | null;
        traits: unknown;
        first_seen: string;
        last_seen: string;
        event_count: string;
        session_count: number;
        last_channel: string | null;
        order_count: number;
        revenue: unknown;
      }>(
        ids,
        'uuid',
        (id) => sql`
          SELECT p.tenant_id, p.person_id, p.traits, p.event_count, p.session_count, p.last_channel, p.order_count,
                 COALESCE((SELECT u.user_id FROM persons u WHERE u.tenant_id = p.tenant_id AND u.person_id = p.person_id), p.user_id) AS user_id,
                 ${isoText(sql.ref('p.first_seen'))} AS first_seen, ${isoText(sql.ref('p.last_seen'))} AS last_seen,
                 (SELECT COALESCE(jsonb_object_agg(r.currency, r.revenue::text), '{}') FROM profile_revenue r
                       WHERE r.tenant_id = p.tenant_id AND r.person_id = p.person_id) AS revenue
          FROM profiles p WHERE p.tenant_id = ${tenantId} AND p.person_id = ${id}`,
      ).execute(db),
    );
    const snapshotAt = new Date().toISOString();
    const byKey = new Map<string, Cell[][]>();
    for (const r of rows) {
      const key = `profiles/tenant=${r.tenant_id}/${name}`;
      const list = byKey.get(key) ?? [];
      list.push([
        r.person_id,
        r.tenant_id,
        r.user_id,
        JSON.stringify(r.traits),
        r.first_seen,
        r.last_seen,
        Number(r.event_count),
        r.session_count,
        r.last_channel,
        r.order_count,
        JSON.stringify(r.revenue),
        snapshotAt,
      ]);
      byKey.set(key, list);
    }
    return [...byKey].map(([key, list]) => ({ key, columns: PROFILE_COLUMNS, rows: list }));
  }
}

export type LakeWriter = ReturnType<typeof createLakeWriter>;

/** The partition's lease ran out during a lake write: another process owns the range now. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

interface RangeContents {
  /** One Parquet file per lake folder the range's events fall in, by tenant, then UTC hour (`YYYY-MM-DDTHH`). */
  readonly files: Map<string, Map<string, ParquetFile>>;
  readonly eventIds: TenantIds;
  readonly sessions: TenantIds;
  readonly persons: TenantIds;
  events: number;
}

/** The distinct ids a range holds or touched, per tenant: their rows are read one tenant at a time. */
class TenantIds {
  readonly #ids = new Map<string, Set<string>>();

  /** False when the id was there already. */
  add(tenant: string, id: string | undefined): boolean {
    if (id === undefined) return false;
    const ids = this.#ids.get(tenant);
    if (!ids) this.#ids.set(tenant, new Set([id]));
    else if (ids.has(id)) return false;
    else ids.add(id);
    return true;
  }

  async query<Row>(read: (tenantId: string, ids: string[]) => Promise<{ rows: Row[] }>): Promise<Row[]> {
    const rows: Row[] = [];
    for (const [tenantId, ids] of this.#ids) for (const row of (await read(tenantId, [...ids])).rows) rows.push(row);
    return rows;
  }
}

/** The range's event files with their lake folders (`events/tenant=…/dt=…/hour=…`). */
function eventFiles(contents: RangeContents) {
  return [...contents.files].flatMap(([tenant, byHour]) =>
    [...byHour].map(([hour, file]) => ({
      tenant,
      hour,
      folder: `events/tenant=${tenant}/dt=${hour.slice(0, 10)}/hour=${hour.slice(11, 13)}`,
      file,
    })),
  );
}

/**
 * `YYYY-MM-DDTHH` of an ISO 8601 time, in UTC: as written when it is UTC already (the API
 * writes Z), except 24:00, which is the next day's 00.
 */
function utcHour(timestamp: string): string {
  const hour = timestamp.slice(11, 13);
  return (timestamp.endsWith('Z') && hour < '24' ? timestamp : new Date(timestamp).toISOString()).slice(0, 13);
}

/**
 * A timestamptz as JavaScript's toISOString writes it (UTC, milliseconds): the text goes to
 * the snapshot as is, without a Date parsed from PostgreSQL's text and printed again.
 */
function isoText(column: RawBuilder<unknown>) {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
