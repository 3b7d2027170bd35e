import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asTenantRole } from './tenant-database.ts';

describe('asTenantRole', () => {
  it('reads a socket’s URL as pg does (Cloud SQL’s connector gives one) and logs in as the tenant role', () => {
    const config = asTenantRole({ connectionString: 'postgres://livora:pw@/livora?host=/cloudsql/p:r:i', max: 3 });
    const client = new pg.Client(config);
    expect([client.host, client.user, client.password, client.database]).toEqual([
      '/cloudsql/p:r:i',
      'livora',
      'pw',
      'livora',
    ]);
    expect(config.max).toBe(3);
    expect(config.options).toBe('-c role=livora_tenant -c max_parallel_workers_per_gather=0');
  });

  it('puts the URL’s options and the config’s before the role, so that none replaces it', () => {
    const config = asTenantRole({
      connectionString: 'postgres://u@db:5432/d?options=-c%20statement_timeout%3D5&sslmode=disable',
      options: '-c work_mem=8MB',
    });
    expect(config.options).toBe(
      '-c work_mem=8MB -c statement_timeout=5 -c role=livora_tenant -c max_parallel_workers_per_gather=0',
    );
    expect(new pg.Client(config).port).toBe(5432);
  });
});
