import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTenantDatabase, type TenantDatabase } from '../../src/db/tenant-database.ts';
import { createEngineDatabase, type EngineDatabase } from '../support/engine-database.ts';

let database: EngineDatabase;
const opened: TenantDatabase[] = [];
const open = (max: number) => {
  const tenantDb = openTenantDatabase({ pool: { connectionString: database.url, max } });
  opened.push(tenantDb);
  return tenantDb;
};

beforeAll(async () => {
  database = await createEngineDatabase();
  await sql`INSERT INTO tenants (id, name) VALUES ('shop', 'Shop'), ('other', 'Other')`.execute(database.db);
  await sql`
    INSERT INTO contacts (id, tenant_id, email)
    SELECT gen_random_uuid(), t.id, t.id || i || '@example.com'
    FROM (VALUES ('shop', 3), ('other', 5)) AS t(id, n), generate_series(1, t.n) AS i`.execute(database.db);
});

afterAll(async () => {
  for (const tenantDb of opened) await tenantDb.close();
  await database.drop();
});

/** Contacts the statement sees, asking for no tenant: row-level security alone decides. */
const visibleContacts = async (tenantDb: TenantDatabase, tenantId: string) =>
  tenantDb.read(tenantId, async (db) => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(db);
    return rows[0]?.n;
  });

describe('the tenant database', () => {
  it('switches one connection between tenants, each statement seeing its tenant’s rows only', async () => {
    const tenantDb = open(1);
    expect(await visibleContacts(tenantDb, 'shop')).toBe(3);
    expect(await visibleContacts(tenantDb, 'other')).toBe(5);
    expect(await visibleContacts(tenantDb, 'shop')).toBe(3);
    const { role, tenant } = await tenantDb.read('other', async (db) => {
      const { rows } = await sql<{ role: string; tenant: string }>`
        SELECT current_user AS role, current_setting('livora.tenant_id') AS tenant`.execute(db);
      return rows[0] as { role: string; tenant: string };
    });
    expect([role, tenant]).toEqual(['livora_tenant', 'other']);
  });

  it('shows, through the search views, the rows of the session’s tenant only, and none without one', async () => {
    const tenantDb = open(1);
    const inView = (tenantId: string) =>
      tenantDb.read(tenantId, async (db) => {
        const { rows } = await sql<{ n: number; tenants: string[] }>`
          SELECT count(*)::int AS n, array_agg(DISTINCT tenant_id) AS tenants FROM contacts_in_tenant`.execute(db);
        return rows[0];
      });
    expect(await inView('shop')).toEqual({ n: 3, tenants: ['shop'] });
    expect(await inView('other')).toEqual({ n: 5, tenants: ['other'] });
    // A connection that never had a tenant set reads nothing: the view's condition fails.
    const bare = new pg.Client({ connectionString: database.url, options: '-c role=livora_tenant' });
    await bare.connect();
    try {
      await expect(bare.query('SELECT count(*) FROM contacts_in_tenant')).rejects.toThrow(/livora\.tenant_id/);
    } finally {
      await bare.end();
    }
  });

  it('has search views with every column of their tables (a view keeps the columns it was made with)', async () => {
    const columns = async (name: string) => {
      const { rows } = await sql<{ column_name: string }>`
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ${name} ORDER BY ordinal_position`.execute(database.db);
      return rows.map((r) => r.column_name);
    };
    for (const table of ['contacts', 'companies', 'deals', 'activities'])
      expect(await columns(`${table}_in_tenant`), table).toEqual(await columns(table));
  });

  it('gives concurrent work the connection set to its own tenant', async () => {
    const tenantDb = open(3);
    const asked = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 'other' : 'shop'));
    const seen = await Promise.all(
      asked.map((tenantId) =>
        tenantDb.read(tenantId, async (db) => {
          // A pause between statements: other work takes the other connections meanwhile.
          await sql`SELECT pg_sleep(0.001)`.execute(db);
          const { rows } = await sql<{ tenant: string }>`SELECT current_setting('livora.tenant_id') AS tenant`.execute(
            db,
          );
          return rows[0]?.tenant;
        }),
      ),
    );
    expect(seen).toEqual(asked);
  });

  it('applies all of a transaction or none of it, and its connection goes on serving', async () => {
    const tenantDb = open(1);
    const failing = tenantDb.transaction('shop', async (tx) => {
      await sql`INSERT INTO contacts (id, tenant_id, email) VALUES (gen_random_uuid(), 'shop', 'kept@example.com')`.execute(
        tx,
      );
      await sql`INSERT INTO contacts (id, tenant_id, email) VALUES (gen_random_uuid(), 'other', 'x@example.com')`.execute(
        tx,
      );
    });
    await expect(failing).rejects.toThrow(/row-level security/);
    expect(await visibleContacts(tenantDb, 'shop')).toBe(3);
    await tenantDb.transaction('shop', (tx) =>
      sql`INSERT INTO contacts (id, tenant_id, email) VALUES (gen_random_uuid(), 'shop', 'new@example.com')`.execute(
        tx,
      ),
    );
    expect(await visibleContacts(tenantDb, 'shop')).toBe(4);
    expect(await visibleContacts(tenantDb, 'other')).toBe(5);
    await sql`DELETE FROM contacts WHERE email = 'new@example.com'`.execute(database.db);
  });

  it('logs in as livora_tenant with the options the URL carries kept', async () => {
    const url = new URL(database.url);
    url.searchParams.set('options', '-c statement_timeout=12345');
    const tenantDb = openTenantDatabase({ pool: { connectionString: url.toString(), max: 1 } });
    opened.push(tenantDb);
    const seen = await tenantDb.read('shop', async (db) => {
      const { rows } = await sql<{ role: string; timeout: string; workers: string }>`
        SELECT current_user AS role, current_setting('statement_timeout') AS timeout,
               current_setting('max_parallel_workers_per_gather') AS workers`.execute(db);
      return rows[0];
    });
    // No parallel plans either: their workers cost more to start than a CRM statement takes.
    expect(seen).toEqual({ role: 'livora_tenant', timeout: '12345ms', workers: '0' });
  });

  it('refuses to serve a tenant on a connection that is not livora_tenant', async () => {
    const tenantDb = open(1);
    await tenantDb.read('shop', (db) => sql`SET ROLE NONE`.execute(db));
    await expect(visibleContacts(tenantDb, 'other')).rejects.toThrow(/logged in as \w+, not livora_tenant/);
  });

  it('refuses a tenant id that is not one, before any statement', async () => {
    const tenantDb = open(1);
    await expect(tenantDb.read("shop'; --", async () => 1)).rejects.toThrow(/not a tenant id/);
    expect(await visibleContacts(tenantDb, 'shop')).toBe(3);
  });
});
