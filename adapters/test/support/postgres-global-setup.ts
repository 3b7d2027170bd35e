import type { TestProject } from 'vitest/node';
import { startScratchPostgres } from './scratch-postgres.ts';

import type {} from './test-database.ts'; // declares the provided postgresAdminUrl

/** One embedded PostgreSQL per test run; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  const scratch = await startScratchPostgres({
    name: 'test-pg',
    database: 'postgres',
    // Tests throw their databases away: durability buys nothing here.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  project.provide('postgresAdminUrl', scratch.server.url);
  return () => scratch.stop();
}
