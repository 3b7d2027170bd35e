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
/** The session a statement ran in (a statement opening one carries none: the next ones name it). */
const sessionOfLast = (text: string) => dataApi.statements.filter((s) => s.sql === text).at(-1)?.sessionId;

describe('connections and transactions on the Redshift Data API warehouse', () => {
  it('runs a transaction in one Data API session: nothing is seen outside it before COMMIT, all of it after', async () => {
    const seen: (number | undefined)[] = [];
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (1)`.execute(tx);
      await sql`CREATE TEMP TABLE scratch (n INTEGER)`.execute(tx); // a session's temporary table
      await sql`INSERT INTO scratch VALUES (2)`.execute(tx);
      await sql`INSERT INTO loads SELECT n FROM scratch`.execute(tx);
      seen.push(await count()); // another connection: another session
    });
    expect(seen).toEqual([0]);
    expect(await count()).toBe(2);
    const transaction = sessionOfLast('COMMIT');
    expect(transaction).toBeDefined();
    for (const text of ['INSERT INTO scratch VALUES (2)', 'INSERT INTO loads SELECT n FROM scratch'])
      expect(sessionOfLast(text), text).toBe(transaction);
  });

  it('keeps a connection’s temporary table for its later statements (its session), outside any transaction', async () => {
    const n = await warehouse.db.connection().execute(async (connection) => {
      await sql`CREATE TEMP TABLE staged (n INTEGER)`.execute(connection);
      await sql`INSERT INTO staged VALUES (7), (8)`.execute(connection);
      const rows = await connection.transaction().execute(async (tx) => {
        await sql`INSERT INTO loads SELECT n FROM staged`.execute(tx);
        return (await sql<{ n: number }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM staged`.execute(tx)).rows;
      });
      await sql`DROP TABLE staged`.execute(connection);
      return rows[0]?.n;
    });
    expect(n).toBe(2);
    expect(await count()).toBe(4);
  });

  it('rolls a failed transaction back whole, and does not use that session again', async () => {
    await expect(
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO loads VALUES (3)`.execute(tx);
        await sql`INSERT INTO no_such_table VALUES (4)`.execute(tx);
      }),
    ).rejects.toThrow(/no_such_table/);
    const rolledBack = sessionOfLast('ROLLBACK');
    expect(rolledBack).toBeDefined();
    expect(await count()).toBe(4);
    const after = dataApi.statements.length;
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (5)`.execute(tx);
    });
    expect(await count()).toBe(5);
    // Had its ROLLBACK failed too, its transaction would still be open: it serves no one else.
    expect(dataApi.statements.slice(after).filter((s) => s.sessionId === rolledBack)).toEqual([]);
  });

  it('reuses a released session whose statements all ran, as a pool reuses connections', async () => {
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (6)`.execute(tx);
    });
    const committed = sessionOfLast('COMMIT');
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO loads VALUES (7)`.execute(tx);
    });
    expect(sessionOfLast('COMMIT')).toBe(committed);
    expect(await count()).toBe(7);
  });

  it('reports a COMMIT that fails as itself, leaves nothing behind, and does not use that session again', async () => {
    await sql`CREATE TABLE once (n INTEGER, CONSTRAINT once_n UNIQUE (n) DEFERRABLE INITIALLY DEFERRED)`.execute(
      warehouse.db,
    );
    await expect(
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO once VALUES (1), (1)`.execute(tx); // checked at COMMIT
      }),
    ).rejects.toThrow(/once_n|duplicate key/);
    const failed = sessionOfLast('COMMIT');
    const rows = async () =>
      (await sql<{ n: number }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM once`.execute(warehouse.db)).rows[0]?.n;
    expect(await rows()).toBe(0);
    const after = dataApi.statements.length;
    for (let i = 0; i < 3; i++)
      await warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO once VALUES (${10 + i})`.execute(tx);
      });
    expect(await rows()).toBe(3);
    // After its ROLLBACK, the failed session ran nothing more.
    expect(dataApi.statements.slice(after).filter((s) => s.sessionId === failed)).toEqual([]);
  });

  it('runs transactions side by side in sessions of their own', async () => {
    const twice = async (n: number) =>
      warehouse.db.transaction().execute(async (tx) => {
        await sql`INSERT INTO loads VALUES (${n})`.execute(tx);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sql`INSERT INTO loads VALUES (${n})`.execute(tx);
      });
    const before = await count();
    await Promise.all([twice(10), twice(11)]);
    expect(await count()).toBe((before ?? 0) + 4);
    const commits = dataApi.statements.filter((s) => s.sql === 'COMMIT').slice(-2);
    expect(new Set(commits.map((s) => s.sessionId)).size).toBe(2);
  });
});
