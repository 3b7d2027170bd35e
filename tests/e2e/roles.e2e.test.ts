import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningPostgres, startEmbeddedPostgres } from '@livora/adapters/local';
import { freePort } from '@livora/adapters/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEvents, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';

// Scale-out shape: the API and the worker as separate processes on an external PostgreSQL.
let dir: string;
let external: RunningPostgres;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'livora-roles-'));
  await chmod(dir, 0o755);
  external = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'external-pg'),
    logFile: path.join(dir, 'external-pg.log'),
    port: await freePort(),
    user: 'ops',
    password: randomBytes(9).toString('hex'),
    database: 'livora_prod',
  });
}, 60_000);
afterAll(async () => {
  await external?.stop();
  await rm(dir, { recursive: true, force: true });
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
