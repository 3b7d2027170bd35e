import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { freePort } from '@livora/adapters/testing';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { openDatabase, POSTGRES_SETTINGS } from '../../src/main/database.ts';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the engine’s embedded database', () => {
  it('closes without reporting its own pool’s connections, ended by the server stopping, as failures', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'livora-database-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data
    const lines: { level: number; msg: string }[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const config = loadConfig({ LIVORA_DATA_DIR: dir, LIVORA_PG_PORT: String(await freePort()) });
    const database = await openDatabase(
      config,
      dir,
      { jwtSecret: 'x'.repeat(48), postgresPassword: 'test-password' },
      log,
      { stopServer: 'always' },
    );
    // Its buffer cache is sized to the machine, not left at PostgreSQL's 128 MB.
    const { rows } = await database.pool.query<{ setting: string; unit: string }>(
      "SELECT setting, unit FROM pg_settings WHERE name = 'shared_buffers'",
    );
    expect(rows[0]?.unit).toBe('8kB');
    expect(`${(Number(rows[0]?.setting) * 8) / 1024}MB`).toBe(POSTGRES_SETTINGS.shared_buffers);
    // Several connections at once, then idle in the pool, as after a burst of requests.
    await Promise.all(Array.from({ length: 4 }, () => database.pool.query('SELECT pg_sleep(0.05)')));
    expect(database.pool.idleCount).toBeGreaterThan(1);
    await database.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  }, 60_000);
});
