import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDirectoryObjectStore, createDuckDbParquetEncoder } from '@livora/adapters/local';
import type { ParquetEncoder } from '@livora/adapters/ports';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tables } from '../../src/db/tables.ts';
import type { StoredEvent } from '../../src/events/canonical-event.ts';
import { createLakeWriter } from '../../src/pipeline/lake/lake-writer.ts';
import type { PipelineEvent } from '../../src/pipeline/pipeline-event.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';
import { queryLake } from '../support/lake.ts';

let database: EngineDatabase;
let dir: string;
let encoder: ParquetEncoder;

beforeAll(async () => {
  database = await createEngineDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'livora-lake-writer-'));
  encoder = await createDuckDbParquetEncoder({ stagingDir: path.join(dir, 'staging') });
});

afterAll(async () => {
  await encoder.close();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

const item = (tenant: string, eventId: string, timestamp: string, offset: number): PipelineEvent => ({
  partition: '3',
  offset: String(offset),
  event: {
    v: 1,
    type: 'track',
    event: 'Viewed',
    event_id: eventId,
    tenant_id: tenant,
    source_id: 'test',
    anonymous_id: 'a',
    timestamp,
    received_at: timestamp,
  } as unknown as StoredEvent,
  derived: {},
});

describe('the lake writer', () => {
  it('files events by tenant and UTC hour, whatever offset their time has, and each event id once', async () => {
    const lake = path.join(dir, 'lake');
    const writer = createLakeWriter({
      store: createDirectoryObjectStore(lake),
      encoder,
      db: database.db,
      compression: 'zstd',
    });
    const range = writer.openRange();
    await range.add([
      item('t1', 'e1', '2026-11-25T23:30:00.000Z', 1),
      item('t1', 'e2', '2026-11-26T01:15:00+02:00', 2), // 23:15 UTC, the day before
      item('t1', 'e3', '2026-11-25T18:59:59.5-05:00', 3), // 23:59:59.5 UTC
      item('t2', 'e1', '2026-11-25T23:00:00.000Z', 4), // the same id in another tenant: another event
      item('t2', 'e2', '2026-11-24T24:00:00Z', 5), // the end of the 24th: the 25th at 00
    ]);
    await range.add([item('t1', 'e2', '2026-11-26T01:15:00+02:00', 2)]); // read again: once in the range
    expect(range.events).toBe(5);
    const keys = await range.write('3', '1', '4', async () => true);
    expect(keys.sort()).toEqual([
      'events/tenant=t1/dt=2026-11-25/hour=23/part-3-1-4.parquet',
      'events/tenant=t2/dt=2026-11-25/hour=00/part-3-1-4.parquet',
      'events/tenant=t2/dt=2026-11-25/hour=23/part-3-1-4.parquet',
    ]);
    expect(await readdir(path.join(lake, 'events/tenant=t1/dt=2026-11-25/hour=23'))).toEqual(['part-3-1-4.parquet']);
    const rows = await queryLake(lake, 'SELECT tenant_id, event_id FROM {events} ORDER BY tenant_id, event_id');
    expect(rows).toEqual([
      { tenant_id: 't1', event_id: 'e1' },
      { tenant_id: 't1', event_id: 'e2' },
      { tenant_id: 't1', event_id: 'e3' },
      { tenant_id: 't2', event_id: 'e1' },
      { tenant_id: 't2', event_id: 'e2' },
    ]);
  });

  it('snapshots the sessions and profiles the range touched, times in UTC to the millisecond, whatever the server’s zone', async () => {
    await sql`ALTER DATABASE ${sql.id(new URL(database.url).pathname.slice(1))} SET timezone = 'America/New_York'`.execute(
      database.db,
    );
    // New connections, which take the database's zone.
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    const lake = path.join(dir, 'lake-snapshots');
    const session = '33333333-3333-4333-8333-333333333333';
    const person = '11111111-1111-4111-8111-111111111111';
    try {
      await sql`
        INSERT INTO sessions (tenant_id, session_id, person_id, started_at, ended_at, page_views, events, entry_channel)
        VALUES ('t1', ${session}, ${person}, '2026-11-25T23:59:59.123Z', '2026-11-26T00:10:00.5Z', 2, 3, 'direct')`.execute(
        db,
      );
      await sql`
        INSERT INTO profiles (tenant_id, person_id, first_seen, last_seen, event_count)
        VALUES ('t1', ${person}, '2026-11-25T23:59:59.123Z', '2026-11-26T00:10:00.5Z', 3)`.execute(db);
      const writer = createLakeWriter({ store: createDirectoryObjectStore(lake), encoder, db, compression: 'zstd' });
      const range = writer.openRange();
      const touched = item('t1', 'e9', '2026-11-26T00:10:00.500Z', 9);
      await range.add([{ ...touched, derived: { session_id: session, person_id: person } }]);
      const keys = await range.write('3', '9', '9', async () => true);
      expect(keys).toContain('sessions/tenant=t1/dt=2026-11-25/part-3-9-9.parquet');
      expect(
        await queryLake(
          lake,
          `SELECT epoch_ms(started_at)::BIGINT AS started, epoch_ms(ended_at)::BIGINT AS ended, duration_seconds AS duration, bounce FROM {sessions}`,
        ),
      ).toEqual([
        {
          started: String(Date.parse('2026-11-25T23:59:59.123Z')),
          ended: String(Date.parse('2026-11-26T00:10:00.500Z')),
          duration: 601.377,
          bounce: false,
        },
      ]);
      expect(
        await queryLake(
          lake,
          `SELECT epoch_ms(first_seen)::BIGINT AS first, epoch_ms(last_seen)::BIGINT AS last FROM {profiles}`,
        ),
      ).toEqual([
        { first: String(Date.parse('2026-11-25T23:59:59.123Z')), last: String(Date.parse('2026-11-26T00:10:00.500Z')) },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
