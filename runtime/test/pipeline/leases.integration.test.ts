import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tables } from '../../src/db/tables.ts';
import { createLeaseManager } from '../../src/pipeline/consumer/leases.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';

const PARTITIONS = ['0', '1', '2', '3', '4', '5', '6', '7'];
let database: EngineDatabase;
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await createEngineDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.drop();
});

describe('partition leases', () => {
  it('share the partitions fairly between processes, and hand a crashed one’s over once its leases expire', async () => {
    const a = createLeaseManager({ db, owner: 'a', leaseMs: 1500 });
    const b = createLeaseManager({ db, owner: 'b', leaseMs: 1500 });
    // Alone, a takes everything.
    expect((await a.sync(PARTITIONS)).held).toEqual(PARTITIONS);
    // b joins: the share is 4 each; a gives back its surplus, b takes it.
    await b.sync(PARTITIONS);
    const shrink = await a.sync(PARTITIONS);
    expect(shrink.held).toHaveLength(4);
    for (const partition of shrink.surplus) await a.release(partition);
    const fair = await b.sync(PARTITIONS);
    expect(fair.held).toHaveLength(4);
    expect(new Set([...shrink.held, ...fair.held]).size).toBe(8);
    expect(await a.holds(shrink.held[0] as string)).toBe(true);
    expect(await b.holds(shrink.held[0] as string)).toBe(false);

    // a "crashes": it stops renewing. Until its leases expire, b cannot take them…
    expect((await b.sync(PARTITIONS)).held).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    // …then, a's leases and membership expired together, it takes them all.
    expect((await b.sync(PARTITIONS)).held).toEqual(PARTITIONS);
    expect(await a.holds(shrink.held[0] as string)).toBe(false);
  }, 20_000);
});
