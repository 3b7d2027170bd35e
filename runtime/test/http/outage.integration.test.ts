import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackEvent } from '../support/events.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
let admin: import('pg').Client;

beforeAll(async () => {
  api = await startTestApi();
  ({ key } = await api.tenant());
  const pg = await import('pg');
  admin = new pg.default.Client({ connectionString: api.database.url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await api?.close();
});

const databaseName = () => new URL(api.database.url).pathname.slice(1);

describe('when PostgreSQL stops answering', () => {
  it('answers 503 with Retry-After (not 500), and serves again once it is back', async () => {
    expect(
      (await postJson(`${api.url}/v1/events`, { events: [trackEvent()] }, { authorization: basic(key) })).status,
    ).toBe(202);

    await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [databaseName()],
    );
    try {
      // A key never seen (so not cached) needs the database; so does every append.
      const unknownKey = `lvk_${'B'.repeat(32)}`;
      for (const authorization of [basic(unknownKey), basic(key)]) {
        const response = await postJson(`${api.url}/v1/events`, { events: [trackEvent()] }, { authorization });
        expect(response.status, JSON.stringify(response.json)).toBe(503);
        expect(response.json.code).toMatch(/^LIVORA_(UNAVAILABLE|INGEST_LOG_UNAVAILABLE)$/);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
    }
    let status = 0;
    for (let i = 0; i < 20 && status !== 202; i++) {
      status = (await postJson(`${api.url}/v1/events`, { events: [trackEvent()] }, { authorization: basic(key) }))
        .status;
      if (status !== 202) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(202);
  });
});
