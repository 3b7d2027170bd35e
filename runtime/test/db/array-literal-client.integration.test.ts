import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayLiteralClient } from '../../src/db/array-literal-client.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';

let database: EngineDatabase;
let client: ArrayLiteralClient;

beforeAll(async () => {
  database = await createEngineDatabase();
  client = new ArrayLiteralClient(database.url);
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await database.drop();
});

describe('the array literal client', () => {
  it('brings arrays of text back from PostgreSQL as they were sent, whatever they hold', async () => {
    const texts = [
      'plain',
      'with "quotes"',
      'back\\slash\\',
      'a,b',
      '{braces}',
      '',
      'NULL',
      ' spaced ',
      'ünïcode ✓',
      null,
    ];
    const { rows } = await client.query('SELECT $1::text[] AS texts, cardinality($1::text[]) AS n', [texts]);
    expect(rows).toEqual([{ texts, n: texts.length }]);
  });

  it('sends numbers, booleans and nulls, in the statement form and the config form alike', async () => {
    const text = 'SELECT $1::numeric[]::text[] AS amounts, $2::bool[] AS flags, $3::int AS plain';
    const values = [[1.25, -3, null, 10n], [true, false, null], 7];
    const expected = [{ amounts: ['1.25', '-3', null, '10'], flags: [true, false, null], plain: 7 }];
    expect((await client.query(text, values)).rows).toEqual(expected);
    expect((await client.query({ text, values })).rows).toEqual(expected);
  });

  it('leaves arrays of dates to pg', async () => {
    const at = new Date('2026-11-26T10:00:00.000Z');
    const { rows } = await client.query('SELECT ($1::timestamptz[])[1] AS at', [[at]]);
    expect(rows).toEqual([{ at }]);
  });
});
