import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { preparingClient } from '../../src/db/preparing-client.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';

let database: EngineDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createEngineDatabase();
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await sql`CREATE TABLE notes (id int PRIMARY KEY, body text)`.execute(database.db);
  await sql`INSERT INTO notes VALUES (1, 'one'), (2, 'two')`.execute(database.db);
  client = new (preparingClient())(database.url);
  await client.connect();
});

afterEach(async () => {
  await client.end();
  await sql`DROP TABLE notes`.execute(database.db);
});

/** The statements this connection has prepared, by their text. */
const prepared = async () =>
  (await client.query('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map(
    (r: { statement: string }) => r.statement,
  );

describe('the preparing client', () => {
  it('prepares a statement with parameters once, and runs it again by name', async () => {
    const text = 'SELECT body FROM notes WHERE id = $1';
    expect((await client.query(text, [1])).rows).toEqual([{ body: 'one' }]);
    expect((await client.query(text, [2])).rows).toEqual([{ body: 'two' }]);
    expect(await prepared()).toEqual([text]);
  });

  it('leaves statements without parameters, with many, or given an array, unprepared', async () => {
    await client.query('SELECT count(*) FROM notes', []);
    const ids = Array.from({ length: 100 }, (_, i) => i);
    const many = `SELECT count(*)::int AS n FROM notes WHERE id IN (${ids.map((i) => `$${i + 1}`).join(', ')})`;
    expect((await client.query(many, ids)).rows).toEqual([{ n: 2 }]);
    const array = 'SELECT count(*)::int AS n FROM notes WHERE id = ANY($1::int[])';
    for (let i = 0; i < 8; i++) expect((await client.query(array, [ids])).rows).toEqual([{ n: 2 }]);
    expect(await prepared()).toEqual([]);
  });

  it('answers a prepared SELECT * after a migration changed its table', async () => {
    const text = 'SELECT * FROM notes WHERE id = $1';
    await client.query(text, [1]);
    await sql`ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false`.execute(database.db);
    expect((await client.query(text, [1])).rows).toEqual([{ id: 1, body: 'one', pinned: false }]);
    expect((await client.query(text, [2])).rows).toEqual([{ id: 2, body: 'two', pinned: false }]);
  });

  it('prepares at most 200 statements on one connection', async () => {
    for (let i = 0; i < 210; i++) await client.query(`SELECT body, ${i} AS n FROM notes WHERE id = $1`, [1]);
    expect((await prepared()).length).toBe(200);
    expect((await client.query('SELECT body, 205 AS n FROM notes WHERE id = $1', [2])).rows).toEqual([
      { body: 'two', n: 205 },
    ]);
  });
});
