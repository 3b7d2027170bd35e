import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeTdsServer,
  openSynapseOn,
  startFakeTdsServer,
  type TdsAnswer,
} from '../../test/support/fake-tds-server.ts';

let fake: FakeTdsServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function warehouseAnswering(answer: (sql: string) => TdsAnswer) {
  fake = await startFakeTdsServer({ answer: (call) => answer(call.sql) });
  return openSynapseOn(fake);
}

describe('the Synapse warehouse', () => {
  it('signs in to the database and sends sp_executesql with @1…@n typed from the values', async () => {
    const warehouse = await warehouseAnswering(() => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [[1]] }));
    const at = new Date('2026-11-01T10:00:00.000Z');
    const long = 'x'.repeat(5000);
    await sql`SELECT COUNT(*) AS n FROM events WHERE tenant_id = ${'acme'} AND n > ${2} AND x < ${1.5}
              AND ok = ${true} AND t >= CONVERT(datetime2, ${at}, 127) AND c = ${null} AND l = ${long}`.execute(
      warehouse.db,
    );
    expect(fake?.logins).toEqual([{ user: 'livora', database: 'analytics' }]);
    const [call] = fake?.calls ?? [];
    expect(call?.sql).toContain('tenant_id = @1 AND n > @2 AND x < @3');
    expect(call?.declaration).toMatch(
      /^@1 nvarchar\(4\), @2 bigint, @3 float, @4 bit, @5 nvarchar\(24\), @6 nvarchar\(1\), @7 nvarchar\(max\)$/,
    );
    expect(call?.parameters.map((p) => [p.name, p.type, p.value])).toEqual([
      ['@1', 'nvarchar', 'acme'],
      ['@2', 'intn', 2],
      ['@3', 'fltn', 1.5],
      ['@4', 'bitn', true],
      ['@5', 'nvarchar', '2026-11-01T10:00:00.000Z'],
      ['@6', 'nvarchar', null],
      ['@7', 'nvarchar', long],
    ]);
    await warehouse.close();
  });

  it('gives rows with plain values, and reuses its connection', async () => {
    const warehouse = await warehouseAnswering(() => ({
      columns: [
        { name: 'persons', type: 'bigint' },
        { name: 'huge', type: 'bigint' },
        { name: 'seconds', type: 'float' },
        { name: 'name', type: 'nvarchar' },
        { name: 'code', type: 'nvarchar' },
        { name: 'ok', type: 'bit' },
        { name: 'missing', type: 'nvarchar' },
      ],
      rows: [
        [42, '9007199254740993', 2.5, 'chaussures', '00123', true, null],
        [0, '1', -1, '', '7', false, null],
      ],
    }));
    const { rows } = await sql`SELECT 1`.execute(warehouse.db);
    expect(rows).toEqual([
      {
        persons: 42,
        huge: '9007199254740993',
        seconds: 2.5,
        name: 'chaussures',
        code: '00123',
        ok: true,
        missing: null,
      },
      { persons: 0, huge: 1, seconds: -1, name: '', code: '7', ok: false, missing: null },
    ]);
    await sql`SELECT 2`.execute(warehouse.db);
    expect(fake?.logins).toHaveLength(1);
    await warehouse.close();
  });

  it('fails a statement the server refuses with its message', async () => {
    const warehouse = await warehouseAnswering(() => {
      throw new Error("Invalid column name 'nope'.");
    });
    await expect(sql`SELECT nope`.execute(warehouse.db)).rejects.toThrow("Invalid column name 'nope'.");
    // The connection is still good for the next statement.
    await expect(sql`SELECT nope`.execute(warehouse.db)).rejects.toThrow(/nope/);
    await warehouse.close();
  });

  it('runs a transaction on one connection, BEGIN and COMMIT as plain batches around its statements', async () => {
    const warehouse = await warehouseAnswering(() => ({ columns: [], rows: [] }));
    await warehouse.db.transaction().execute(async (tx) => {
      await sql`DELETE FROM events WHERE day = ${'2026-11-01'}`.execute(tx);
      await sql`INSERT INTO events SELECT * FROM stage`.execute(tx);
    });
    await expect(
      warehouse.db.transaction().execute(async () => {
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // (tedious opens with a batch of session settings: not ours.)
    expect(fake?.statements.filter((text) => !text.startsWith('set '))).toEqual([
      'BEGIN TRANSACTION',
      'DELETE FROM events WHERE day = @1',
      'INSERT INTO events SELECT * FROM stage',
      'COMMIT TRANSACTION',
      'BEGIN TRANSACTION',
      'IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION',
    ]);
    expect(fake?.logins).toHaveLength(1); // one connection throughout
    await warehouse.close();
  });
});
