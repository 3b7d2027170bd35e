import { createSynapseBulkLoad } from '@livora/adapters/azure';
import type { Warehouse } from '@livora/adapters/ports';
import {
  type FakeTdsServer,
  LAKE_EMULATORS,
  type LakeEmulator,
  openSynapseOn,
  startFakeTdsServer,
  type TdsAnswer,
  type TdsCall,
} from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLakeLoader } from '../../src/warehouse/lake-loader.ts';

let lake: LakeEmulator;
let synapse: FakeTdsServer;
let warehouse: Warehouse;
const EVENTS = 'events/tenant=acme/dt=2026-11-02';

/** No SQL runs in the stand-in: counts answer 1000 (the numbers table is full), everything else no rows. */
function countsFull(call: TdsCall): TdsAnswer {
  return /COUNT\(\*\)/.test(call.sql)
    ? { columns: [{ name: 'n', type: 'bigint' }], rows: [[1000]] }
    : { columns: [], rows: [] };
}

describe('loading the lake into Synapse (a TDS stand-in; the lake on Data Lake storage, azurite)', () => {
  beforeAll(async () => {
    lake = await LAKE_EMULATORS.azure.start();
    for (const key of [`${EVENTS}/hour=09/part-0-0-9.parquet`, `${EVENTS}/hour=10/part-1-0-4.parquet`])
      await lake.store.put(key, new TextEncoder().encode('parquet'));
    // The catalogue also has one events staging table a dead load left.
    synapse = await startFakeTdsServer({
      answer: (call) =>
        /FROM sys\.tables/.test(call.sql)
          ? {
              columns: [{ name: 'name', type: 'nvarchar' }],
              rows: call.parameters.some((p) => p.value === 'stage[_]events[_]%') ? [['stage_events_0badf00d']] : [],
            }
          : countsFull(call),
    });
    warehouse = openSynapseOn(synapse);
  }, 60_000);
  afterAll(async () => {
    await warehouse?.close();
    await synapse?.close();
    await lake?.stop();
  });

  it('stages a day’s files with COPY INTO a heap of its own, then replaces the day in one transaction', async () => {
    const loader = createLakeLoader({
      store: lake.store,
      warehouse,
      bulkLoad: createSynapseBulkLoad({ store: lake.store, account: 'acmelake' }),
    });
    const summary = await loader.load();
    expect(summary.partitions).toEqual([{ tenantId: 'acme', day: '2026-11-02' }]);

    const statements = synapse.statements.filter((text) => !text.startsWith('set '));
    const create = statements.findIndex((text) => /^CREATE TABLE "stage_events_[0-9a-f]{8}"/.test(text));
    expect(create).toBeGreaterThan(0);
    // First, what a load that died a day ago left behind goes.
    expect(statements[create - 1]).toBe('DROP TABLE "stage_events_0badf00d"');
    const stage = /^CREATE TABLE ("stage_events_[0-9a-f]{8}")/.exec(statements[create] as string)?.[1];
    expect(statements[create]).toMatch(/WITH \(HEAP, DISTRIBUTION = ROUND_ROBIN\)$/);
    const copy = statements[create + 1]?.replace(/\s+/g, ' ').trim();
    expect(copy).toBe(
      `COPY INTO ${stage} FROM 'https://acmelake.dfs.core.windows.net/livora-lake/engine/${EVENTS}/hour=09/part-0-0-9.parquet', 'https://acmelake.dfs.core.windows.net/livora-lake/engine/${EVENTS}/hour=10/part-1-0-4.parquet' WITH (FILE_TYPE = 'PARQUET', CREDENTIAL = (IDENTITY = 'Managed Identity'))`,
    );
    const rest = statements.slice(create + 2);
    expect(rest[0]).toBe('BEGIN TRANSACTION');
    const commit = rest.indexOf('COMMIT TRANSACTION');
    expect(rest.slice(1, commit).some((text) => text.includes(`FROM ${stage}`))).toBe(true);
    expect(rest.slice(1, commit).some((text) => text.includes('CROSS APPLY OPENJSON'))).toBe(true);
    expect(rest[commit + 1]).toBe(`DROP TABLE ${stage}`);
  });

  it('drops the table a COPY that failed was filling, reports that failure, and does not reuse the connection', async () => {
    let copies = 0;
    const failing = await startFakeTdsServer({
      answer: (call) => {
        if (/^\s*COPY INTO/.test(call.sql) && copies++ === 0) throw new Error('Cannot bulk load: access denied');
        return countsFull(call);
      },
    });
    const failingWarehouse = openSynapseOn(failing);
    try {
      const loader = createLakeLoader({
        store: lake.store,
        warehouse: failingWarehouse,
        bulkLoad: createSynapseBulkLoad({ store: lake.store, account: 'acmelake' }),
      });
      await expect(loader.load()).rejects.toThrow(/access denied/);
      const statements = failing.statements.filter((text) => !text.startsWith('set '));
      const copy = statements.findIndex((text) => /^\s*COPY INTO/.test(text));
      const stage = /^\s*COPY INTO ("stage_events_[0-9a-f]{8}")/.exec(statements[copy] as string)?.[1];
      expect(statements[copy + 1]).toBe(`DROP TABLE ${stage}`);
      expect(statements.slice(copy + 1).some((text) => text === 'BEGIN TRANSACTION')).toBe(false);
      // The next load signs in afresh: the connection the COPY failed on was closed, not pooled.
      const logins = failing.logins.length;
      await loader.load();
      expect(failing.logins.length).toBeGreaterThan(logins);
      expect(failing.statements.filter((text) => text === 'COMMIT TRANSACTION').length).toBeGreaterThan(0);
    } finally {
      await failingWarehouse.close();
      await failing.close();
    }
  });
});
