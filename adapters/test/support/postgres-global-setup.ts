import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { freePort } from './free-port.ts';

import type {} from './test-database.ts'; // declares the provided postgresAdminUrl

/** One embedded PostgreSQL per test run; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), 'livora-test-pg-'));
  await chmod(dir, 0o755); // as root, the server runs as the postgres user and must reach its files
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    logFile: path.join(dir, 'postgres.log'),
    port: await freePort(),
    user: 'livora',
    password: randomBytes(12).toString('hex'),
    database: 'postgres',
    // Tests throw their databases away: durability buys nothing here.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  project.provide('postgresAdminUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
