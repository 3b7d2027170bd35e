import path from 'node:path';
import type { RunningPostgres } from '@livora/adapters/local';
import { type ScratchPostgres, startScratchPostgres } from '@livora/adapters/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livora, sendEvents, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';

// Scale-out shape: the API and the worker as separate processes on an external PostgreSQL.
let scratch: ScratchPostgres;
let dir: string;
let external: RunningPostgres;

beforeAll(async () => {
  scratch = await startScratchPostgres({ name: 'roles', user: 'ops', database: 'livora_prod' });
  ({ dir, server: external } = scratch);
}, 60_000);
afterAll(async () => {
  await scratch?.stop();
});

describe('roles run alone against DATABASE_URL', () => {
  it('livora api and livora worker share an external PostgreSQL, which they migrate and leave running', async () => {
    const env = await engineEnv(path.join(dir, 'data'), { DATABASE_URL: external.url });
    const api = await startEngine(env, path.join(dir, 'api.log'), 'api');
    const worker = await startEngine(env, path.join(dir, 'worker.log'), 'worker');
    try {
      const key = await tenantWithKey('shared', env);
      const response = await sendEvents(api.url, key, [{ type: 'track', event: 'Scaled Out', anonymous_id: 'a' }]);
      expect(response.status).toBe(202);
      const ready = (await (await fetch(`${api.url}/readyz`)).json()) as {
        components: { name: string; status: string }[];
      };
      expect(ready.components.find((c) => c.name === 'postgres')?.status).toBe('external (DATABASE_URL)');
      // The embedded warehouse lives in the worker's process: the API alone says so, clearly.
      const token = (await livora(['token', '--tenant', 'shared', '--role', 'analyst'], env)).stdout.trim();
      const analytics = await fetch(`${api.url}/v1/analytics/kpis?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(analytics.status).toBe(503);
      expect(((await analytics.json()) as { code: string }).code).toBe('LIVORA_ANALYTICS_UNAVAILABLE');
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(await api.stop('SIGTERM')).toBe(0);
    }
    // The external database is the operator's: still up, with the event in it.
    const client = new pg.Client({ connectionString: external.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM event_log WHERE payload LIKE '%Scaled Out%'`);
    await client.end();
    expect(rows[0].n).toBe(1);
  }, 180_000);
});
