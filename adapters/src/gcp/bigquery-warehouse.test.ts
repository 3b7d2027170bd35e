import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAnswer, type FakeBigQuery, startFakeBigQuery } from '../../test/support/fake-bigquery.ts';
import { openBigQueryWarehouse } from './bigquery-warehouse.ts';

let fake: FakeBigQuery | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const target = { projectId: 'livora-test', dataset: 'analytics', location: 'EU' };

async function warehouseAnswering(answer: FakeAnswer, options: { pendingPolls?: number; pageSize?: number } = {}) {
  fake = await startFakeBigQuery({ answer: () => answer, ...options });
  return openBigQueryWarehouse({ ...target, apiEndpoint: fake.url });
}

describe('the BigQuery warehouse', () => {
  it('sends the SQL with typed positional parameters, in the target dataset and location', async () => {
    const warehouse = await warehouseAnswering({ fields: [{ name: 'n', type: 'INT64' }], rows: [['1']] });
    const at = new Date('2026-11-01T10:00:00.000Z');
    await sql`SELECT COUNT(*) AS n FROM events WHERE tenant_id = ${'acme'} AND n > ${2} AND x < ${1.5}
              AND ok = ${true} AND t >= ${at} AND c = ${null}`.execute(warehouse.db);
    // The connection's session is made first (its id read back), then the query runs in it.
    const [opening, query] = fake?.queries ?? [];
    expect(opening?.body).toMatchObject({ query: 'SELECT @@session_id AS session_id', createSession: true });
    expect(query?.body.connectionProperties).toEqual([{ key: 'session_id', value: opening?.sessionId }]);
    expect(query?.project).toBe('livora-test');
    expect(query?.body.query).toContain('tenant_id = ? AND n > ? AND x < ?');
    expect(query?.body).toMatchObject({
      useLegacySql: false,
      parameterMode: 'positional',
      defaultDataset: { projectId: 'livora-test', datasetId: 'analytics' },
      location: 'EU',
    });
    expect(query?.body.queryParameters?.map((p) => [p.parameterType.type, p.parameterValue.value ?? null])).toEqual([
      ['STRING', 'acme'],
      // The client writes numbers and booleans as JSON values, which BigQuery takes for their text.
      ['INT64', 2],
      ['FLOAT64', 1.5],
      ['BOOL', true],
      ['TIMESTAMP', expect.stringMatching(/^2026-11-01[ T]10:00:00/)],
      ['STRING', null],
    ]);
    await warehouse.close();
  });

  it('gives rows with plain values: numbers, Dates, exact decimals, days and nulls', async () => {
    const warehouse = await warehouseAnswering({
      fields: [
        { name: 'persons', type: 'INT64' },
        { name: 'huge', type: 'INT64' },
        { name: 'seconds', type: 'FLOAT64' },
        { name: 'revenue', type: 'NUMERIC' },
        { name: 'at', type: 'TIMESTAMP' },
        { name: 'day', type: 'DATE' },
        { name: 'name', type: 'STRING' },
        { name: 'missing', type: 'STRING' },
      ],
      rows: [['42', '9007199254740993', '2.5', '1234.5600', '1793527200123456', '2026-11-01', 'shoes', null]],
    });
    const { rows } = await sql`SELECT 1`.execute(warehouse.db);
    expect(rows).toEqual([
      {
        persons: 42,
        huge: '9007199254740993',
        seconds: 2.5,
        revenue: '1234.56',
        at: new Date('2026-11-01T10:00:00.123Z'),
        day: '2026-11-01',
        name: 'shoes',
        missing: null,
      },
    ]);
    await warehouse.close();
  });

  it('waits for a job still running, and reads every page of a long result', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [String(i)]);
    const warehouse = await warehouseAnswering(
      { fields: [{ name: 'i', type: 'INT64' }], rows },
      { pendingPolls: 2, pageSize: 10 },
    );
    const result = await sql<{ i: number }>`SELECT i FROM t`.execute(warehouse.db);
    expect(result.rows.map((r) => r.i)).toEqual(rows.map((_, i) => i));
    // The session's query (two polls, a page), then the query's: two polls, then three pages.
    expect(fake?.resultCalls).toBe(8);
    await warehouse.close();
  });

  it('fails a query BigQuery refuses with its message', async () => {
    fake = await startFakeBigQuery({
      answer: () => {
        throw new Error('Unrecognized name: nope at [1:8]');
      },
    });
    const warehouse = openBigQueryWarehouse({ ...target, apiEndpoint: fake.url });
    await expect(sql`SELECT nope`.execute(warehouse.db)).rejects.toThrow(/Unrecognized name: nope/);
    await warehouse.close();
  });

  it('runs a transaction in one session, and a released session serves the next connection', async () => {
    const warehouse = await warehouseAnswering({ fields: [], rows: [] });
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`DELETE FROM events WHERE day = ${'2026-11-01'}`.execute(tx);
      await sql`INSERT INTO events SELECT * FROM stage_events`.execute(tx);
    });
    await sql`SELECT 1`.execute(warehouse.db);
    const queries = fake?.queries ?? [];
    expect(queries.map((q) => q.body.query.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'SELECT @@session_id',
      'BEGIN TRANSACTION',
      'DELETE FROM',
      'INSERT INTO',
      'COMMIT TRANSACTION',
      'SELECT 1',
    ]);
    expect(new Set(queries.map((q) => q.sessionId)).size).toBe(1);
    await warehouse.close();
  });

  it('ends a session in which a query failed, keeping the failure’s own message, and uses a new one next', async () => {
    fake = await startFakeBigQuery({
      answer: (query) => {
        if (/^INSERT/.test(query.body.query.trim())) throw new Error('Query error: quota exceeded');
        if (/^ROLLBACK/.test(query.body.query.trim())) throw new Error('no transaction is active');
        return { fields: [], rows: [] };
      },
    });
    const warehouse = openBigQueryWarehouse({ ...target, apiEndpoint: fake.url });
    await expect(
      warehouse.db.transaction().execute(async (tx) => {
        await sql`DELETE FROM events WHERE day = ${'2026-11-01'}`.execute(tx);
        await sql`INSERT INTO events SELECT * FROM stage_events`.execute(tx);
      }),
    ).rejects.toThrow(/quota exceeded/);
    await sql`SELECT 1`.execute(warehouse.db);
    const queries = fake.queries.map((q) => `${q.sessionId} ${q.body.query.trim().split(/\s+/).slice(0, 2).join(' ')}`);
    expect(queries).toEqual([
      'session_1 SELECT @@session_id',
      'session_1 BEGIN TRANSACTION',
      'session_1 DELETE FROM',
      'session_1 INSERT INTO',
      'session_1 ROLLBACK TRANSACTION',
      'session_1 CALL BQ.ABORT_SESSION()',
      'session_2 SELECT @@session_id',
      'session_2 SELECT 1',
    ]);
    await warehouse.close();
  });
});
