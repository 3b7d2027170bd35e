import { randomBytes } from 'node:crypto';
import type { Migration } from 'kysely/migration';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest } from '../../src/shared/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL (its `postgres` database), from postgres-global-setup.ts. */
    postgresAdminUrl: string;
  }
}

export interface TestDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database in the run's embedded PostgreSQL. */
export async function createTestDatabase(migrations: Readonly<Record<string, Migration>>): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateToLatest(url.toString(), migrations);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  // Tests that cut the database off make idle connections fail: expected, not a crash.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
