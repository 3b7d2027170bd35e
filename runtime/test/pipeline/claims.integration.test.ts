import type { ReadRecord } from '@livora/adapters/ports';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tables } from '../../src/db/tables.ts';
import { OK, type Step } from '../../src/pipeline/pipeline-event.ts';
import { createBatchProcessor } from '../../src/pipeline/process-batch.ts';
import { createDedupeStep } from '../../src/pipeline/steps/dedupe.ts';
import { createIdentityStep } from '../../src/pipeline/steps/identity.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';

let database: EngineDatabase;
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await createEngineDatabase();
  db = database.db;
  await sql`INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')`.execute(db);
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const record = (
  partition: string,
  offset: string,
  eventId: string,
  fields: Record<string, unknown> = {},
): ReadRecord => ({
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
    ...fields,
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

  it('an alias that links another partition’s anonymous id first: that partition’s batch runs again and follows the link', async () => {
    // Partition 0 aliases anonymous id x-1 to user u-1 while partition 1 processes x-1's first
    // page: both read x-1 as unknown; partition 0 commits once partition 1 waits on its link.
    // (Anonymous ids are not locked: each reaches the pipeline through one partition only.)
    // Partition 1 reads x-1 only once partition 0 has linked it (not committed yet).
    let linked: () => void = () => undefined;
    const aliasLinked = new Promise<void>((resolve) => {
      linked = resolve;
    });
    const gate: Step = {
      name: 'gate',
      async run(events) {
        if (events.some((e) => e.event.type === 'page')) await aliasLinked;
        return events.map(() => OK);
      },
    };
    const waitForAnotherBatch = async () => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
        if ((rows[0]?.n ?? 0) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('no other batch waited on the alias’s links');
    };
    const holdAlias: Step = {
      name: 'hold',
      async run(events) {
        if (events.some((e) => e.event.type === 'alias')) {
          linked();
          await waitForAnotherBatch();
        }
        return events.map(() => OK);
      },
    };
    const identity = createIdentityStep({ sharedAnonymousThreshold: 3 });
    const processor = createBatchProcessor({ db, steps: [gate, identity, holdAlias] });

    const [alias, page] = await Promise.all([
      processor.process(
        [record('0', '20', 'alias-1', { type: 'alias', anonymous_id: 'd-1', user_id: 'u-1', previous_id: 'x-1' })],
        null,
      ),
      processor.process([record('1', '30', 'page-x', { type: 'page', anonymous_id: 'x-1' })], null),
    ]);

    const person = alias?.kept[0]?.derived.person_id;
    expect(person).toBeDefined();
    expect(page?.kept[0]?.derived.person_id).toBe(person);
    const { rows } = await sql<{ person_id: string }>`
      SELECT person_id FROM person_ids WHERE tenant_id = 'acme' AND distinct_id = 'a:x-1'`.execute(db);
    expect(rows.map((r) => r.person_id)).toEqual([person]);
  });
});
