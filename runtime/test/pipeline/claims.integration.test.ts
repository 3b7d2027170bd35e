import type { ReadRecord } from '@livora/adapters/ports';
import { createTestDatabase, type TestDatabase } from '@livora/adapters/testing';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tables } from '../../src/db/tables.ts';
import { migrations } from '../../src/main/migrations.ts';
import { OK, type Step } from '../../src/pipeline/pipeline-event.ts';
import { createBatchProcessor } from '../../src/pipeline/process-batch.ts';
import { createDedupeStep } from '../../src/pipeline/steps/dedupe.ts';

let database: TestDatabase;
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await createTestDatabase(migrations);
  db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 4 }) }),
  });
  await sql`INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')`.execute(db);
}, 60_000);
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const record = (partition: string, offset: string, eventId: string): ReadRecord => ({
  partition,
  offset,
  appendedAt: new Date(),
  payload: JSON.stringify({
    v: 1,
    type: 'track',
    event: 'Retried',
    event_id: eventId,
    tenant_id: 'acme',
    source_id: 's',
    anonymous_id: `a-${partition}`,
    timestamp: '2026-11-26T10:00:00.000Z',
    received_at: '2026-11-26T10:00:00.000Z',
  }),
});

describe('two partitions claiming one event_id at once', () => {
  it('keep it once: the batch that loses the claim runs again, whole, and drops it as a duplicate', async () => {
    // Both batches pass the dedupe step before either commits, so neither sees the other's
    // claim; partition 0's commits first.
    let arrived = 0;
    let bothThere: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      bothThere = resolve;
    });
    let firstCommitted: () => void = () => undefined;
    const committed = new Promise<void>((resolve) => {
      firstCommitted = resolve;
    });
    let runs = 0;
    const meet: Step = {
      name: 'meet',
      async run(events) {
        runs += 1;
        if (++arrived === 2) bothThere();
        await barrier;
        if (events[0]?.partition === '1') await committed;
        return events.map(() => OK);
      },
    };
    const processor = createBatchProcessor({ db, steps: [createDedupeStep({ stableOffsets: true }), meet] });

    const [a, b] = await Promise.all([
      processor.process([record('0', '1', 'twice')], null).finally(firstCommitted),
      processor.process([record('1', '7', 'twice'), record('1', '8', 'once')], null),
    ]);

    expect(a?.kept.map((i) => i.event.event_id)).toEqual(['twice']);
    expect(b?.kept.map((i) => i.event.event_id)).toEqual(['once']);
    expect(b?.dropped.get('dedupe')).toBe(1);
    // Partition 1's batch ran twice, whole: not record by record (how a failed batch is retried).
    expect(runs).toBe(3);
    const { rows } = await sql<{ event_id: string; partition: string }>`
      SELECT event_id, partition FROM processed_events ORDER BY event_id`.execute(db);
    expect(rows.map((r) => r.event_id)).toEqual(['once', 'twice']);
    const { rows: letters } = await sql`SELECT 1 FROM dead_letters`.execute(db);
    expect(letters).toEqual([]);
  });
});
