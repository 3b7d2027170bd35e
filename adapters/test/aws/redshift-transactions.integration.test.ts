import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedshiftWarehouse } from '../../src/aws/redshift-warehouse.ts';
import type { Warehouse } from '../../src/ports/warehouse.ts';
import { type FakeRedshiftData, startFakeRedshiftData } from '../support/fake-redshift-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let database: TestDatabase;
let dataApi: FakeRedshiftData;
let warehouse: Warehouse;

beforeAll(async () => {
  database = await createTestDatabase({});
  dataApi = await startFakeRedshiftData(database.url);
  warehouse = openRedshiftWarehouse({
    region: 'eu-west-1',
    endpoint: dataApi.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    target: { database: 'livora', workgroupName: 'analytics' },
  });
  await sql`CREATE TABLE loads (n INTEGER)`.execute(warehouse.db);
});
afterAll(async () => {
  await warehouse?.close();
  await dataApi?.close();
  await database?.drop();
});

const count = async () =>
  (await sql<{ n: number }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM loads`.execute(warehouse.db)).rows[0]?.n;

describe('transactions on the Redshift Data API warehouse', () => {
  it('runs a transaction in one Data API session: nothing is seen before COMMIT, all of it after', async () => {
    const seen: (number | undefined)[] = [];
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (1)`.execute(tx);
      await sql`CREATE TEMP TABLE scratch (n INTEGER)`.execute(tx); // a session's temporary table
      await sql`INSERT INTO scratch VALUES (2)`.execute(tx);
      await sql`INSERT INTO loads SELECT n FROM scratch`.execute(tx);
      seen.push(await count()); // outside the session: not yet
    });
    expect(seen).toEqual([0]);
    expect(await count()).toBe(2);
    const inTransaction = dataApi.statements.filter((s) => s.sessionId);
    expect(new Set(inTransaction.map((s) => s.sessionId)).size).toBe(1);
    expect(inTransaction.map((s) => s.sql.split(' ')[0])).toEqual(['INSERT', 'CREATE', 'INSERT', 'INSERT', 'COMMIT']);
  });

  it('rolls a failed transaction back whole, and the next one reuses the session', async () => {
    await expect(
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO loads VALUES (3)`.execute(tx);
        await sql`INSERT INTO no_such_table VALUES (4)`.execute(tx);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(await count()).toBe(2);
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (5)`.execute(tx);
    });
    expect(await count()).toBe(3);
    // One session opened (by the first BEGIN); every later transaction ran in it again.
    const begins = dataApi.statements.filter((s) => s.sql === 'BEGIN');
    expect(begins.map((s) => s.sessionId === undefined)).toEqual([true, false, false]);
    expect(new Set(dataApi.statements.flatMap((s) => (s.sessionId ? [s.sessionId] : []))).size).toBe(1);
  });

  it('reports a COMMIT that fails as itself, leaves nothing behind, and does not use that session again', async () => {
    await sql`CREATE TABLE once (n INTEGER, CONSTRAINT once_n UNIQUE (n) DEFERRABLE INITIALLY DEFERRED)`.execute(
      warehouse.db,
    );
    const sessionsBefore = new Set(dataApi.statements.flatMap((s) => (s.sessionId ? [s.sessionId] : [])));
    await expect(
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO once VALUES (1), (1)`.execute(tx); // checked at COMMIT
      }),
    ).rejects.toThrow(/once_n|duplicate key/);
    const failed = dataApi.statements.filter((s) => s.sql === 'COMMIT').at(-1)?.sessionId;
    const rows = async () =>
      (await sql<{ n: number }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM once`.execute(warehouse.db)).rows[0]?.n;
    expect(await rows()).toBe(0);
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO once VALUES (2)`.execute(tx);
    });
    expect(await rows()).toBe(1);
    const lastBegin = dataApi.statements.filter((s) => s.sql === 'BEGIN').at(-1);
    // The failed session was the reused one; the next transaction opened a new session.
    expect(sessionsBefore.has(failed as string)).toBe(true);
    expect(lastBegin?.sessionId).toBeUndefined();
  });

  it('runs transactions side by side in sessions of their own', async () => {
    const sessionOf = async (n: number) =>
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO loads VALUES (${n})`.execute(tx);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sql`INSERT INTO loads VALUES (${n})`.execute(tx);
      });
    const before = await count();
    await Promise.all([sessionOf(10), sessionOf(11)]);
    expect(await count()).toBe((before ?? 0) + 4);
    const inserts = dataApi.statements.filter((s) => /VALUES \(:p1\)/.test(s.sql) && s.sessionId).slice(-4);
    expect(new Set(inserts.map((s) => s.sessionId)).size).toBe(2);
  });
});
