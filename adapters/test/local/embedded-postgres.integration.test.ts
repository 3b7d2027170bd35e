import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgresOptions, startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { isAlive } from '../../src/shared/processes.ts';
import { freePort } from '../support/free-port.ts';

let dir: string;
let options: EmbeddedPostgresOptions;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'livora-embedded-pg-'));
  await chmod(dir, 0o755);
  options = {
    dataDir: path.join(dir, 'data'),
    logFile: path.join(dir, 'postgres.log'),
    port: await freePort(),
    user: 'livora',
    password: randomBytes(9).toString('hex'),
    database: 'livora',
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL lifecycle', () => {
  it('initialises once, then joins a server already running on the data directory', async () => {
    const first = await startEmbeddedPostgres(options);
    const second = await startEmbeddedPostgres(options);
    expect(first.adopted).toBe(false);
    expect(second).toMatchObject({ adopted: true, pid: first.pid, url: first.url });
    await second.stop();
    expect(isAlive(first.pid)).toBe(false);
  });

  it('starts afresh when the server it finds is shutting down', async () => {
    const first = await startEmbeddedPostgres(options);
    process.kill(first.pid, 'SIGINT'); // shutting down, not yet gone
    const next = await startEmbeddedPostgres(options);
    expect(next.pid).not.toBe(first.pid);
    await next.stop();
  });

  it('starts afresh past a lock file naming a live process that is not its server (after a reboot)', async () => {
    const stranger = spawn('sleep', ['30']);
    try {
      const pidFile = path.join(options.dataDir, 'postmaster.pid');
      await writeFile(pidFile, `${stranger.pid}\n${options.dataDir}\n1700000000\n${options.port}\n\n`);
      const server = await startEmbeddedPostgres(options);
      expect(server.adopted).toBe(false);
      expect(Number((await readFile(pidFile, 'utf8')).split('\n')[0])).toBe(server.pid);
      await server.stop();
    } finally {
      stranger.kill();
    }
  });

  it('lets two processes start on a fresh data directory at once: one initialises, both get the server', async () => {
    const fresh = { ...options, dataDir: path.join(dir, 'fresh'), port: await freePort() };
    const [a, b] = await Promise.all([startEmbeddedPostgres(fresh), startEmbeddedPostgres(fresh)]);
    expect(a.url).toBe(b.url);
    expect([a.adopted, b.adopted].sort()).toEqual([false, true]);
    await a.stop();
  });

  it.skipIf(userInfo().uid !== 0)('says which parent directory the postgres user cannot enter (as root)', async () => {
    const closed = await mkdtemp(path.join(tmpdir(), 'livora-closed-'));
    await chmod(closed, 0o700);
    try {
      await expect(startEmbeddedPostgres({ ...options, dataDir: path.join(closed, 'data') })).rejects.toThrow(
        new RegExp(`cannot enter ${closed} \\(mode 700\\)`),
      );
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});
