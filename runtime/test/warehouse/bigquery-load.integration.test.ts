import { createBigQueryBulkLoad, openBigQueryWarehouse } from '@livora/adapters/gcp';
import type { Warehouse } from '@livora/adapters/ports';
import { type FakeBigQuery, LAKE_EMULATORS, type LakeEmulator, startFakeBigQuery } from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLakeLoader } from '../../src/warehouse/lake-loader.ts';

const gcs = LAKE_EMULATORS.gcp;
if (gcs.missing) console.warn(`SKIPPED: the BigQuery load test needs the GCS emulator: ${gcs.missing}`);

let lake: LakeEmulator;
let bigquery: FakeBigQuery;
let warehouse: Warehouse;
const EVENTS = 'events/tenant=acme/dt=2026-11-02';

describe.skipIf(Boolean(gcs.missing))('loading the lake into BigQuery (its REST API stand-in; the lake on GCS)', () => {
  beforeAll(async () => {
    lake = await gcs.start();
    for (const key of [`${EVENTS}/hour=09/part-0-0-9.parquet`, `${EVENTS}/hour=10/part-1-0-4.parquet`])
      await lake.store.put(key, new TextEncoder().encode('parquet'));
    bigquery = await startFakeBigQuery({
      // No SQL runs here: counts answer 1000 (the numbers table is full), everything else no rows.
      answer: (query) =>
        /COUNT\(\*\)/.test(query.body.query)
          ? { fields: [{ name: 'n', type: 'INT64' }], rows: [['1000']] }
          : { fields: [], rows: [] },
    });
    warehouse = openBigQueryWarehouse({ projectId: 'livora-test', dataset: 'analytics', apiEndpoint: bigquery.url });
  }, 60_000);
  afterAll(async () => {
    await warehouse?.close();
    await bigquery?.close();
    await lake?.stop();
  });

  it('stages a day’s files with LOAD DATA in the session, then replaces the day in one transaction of it', async () => {
    const loader = createLakeLoader({
      store: lake.store,
      warehouse,
      bulkLoad: createBigQueryBulkLoad({ store: lake.store }),
    });
    const summary = await loader.load();
    expect(summary.partitions).toEqual([{ tenantId: 'acme', day: '2026-11-02' }]);

    const queries = bigquery.queries;
    const loadAt = queries.findIndex((q) => q.body.query.includes('LOAD DATA OVERWRITE TEMP TABLE'));
    const load = queries[loadAt];
    expect(load?.body.query).toContain('LOAD DATA OVERWRITE TEMP TABLE `stage_events` (`event_id` STRING');
    expect(load?.body.query).toContain(
      `FROM FILES (format = 'PARQUET', uris = ['gs://livora-lake/engine/${EVENTS}/hour=09/part-0-0-9.parquet', 'gs://livora-lake/engine/${EVENTS}/hour=10/part-1-0-4.parquet'])`,
    );
    // Then, in the same session: the transaction, and the staging table dropped after it.
    const after = queries.slice(loadAt + 1).filter((q) => q.sessionId === load?.sessionId);
    const verbs = after.map((q) => q.body.query.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(verbs[0]).toBe('BEGIN TRANSACTION');
    const commit = verbs.indexOf('COMMIT TRANSACTION');
    expect(commit).toBeGreaterThan(0);
    expect(verbs.slice(1, commit)).toEqual(expect.arrayContaining(['DELETE FROM', 'INSERT INTO']));
    expect(after[commit + 1]?.body.query).toBe('DROP TABLE `stage_events`');
    const orderItems = after.find((q) => q.body.query.includes('INSERT INTO order_items'));
    expect(orderItems?.body.query).toContain(
      `CROSS JOIN UNNEST(JSON_QUERY_ARRAY(\`e\`.\`properties\`, '$."products"')) AS element`,
    );
  });
});
