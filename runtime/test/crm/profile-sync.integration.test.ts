import { createTestDatabase, type TestDatabase } from '@livora/adapters/testing';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfileSync } from '../../src/crm/profile-sync.ts';
import type { Tables } from '../../src/db/tables.ts';
import { migrations } from '../../src/main/migrations.ts';

let database: TestDatabase;
let db: Kysely<Tables>;

beforeAll(async () => {
  database = await createTestDatabase(migrations);
  db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: database.pool }) });
  await sql`INSERT INTO tenants (id, name) VALUES ('shop', 'Shop'), ('other', 'Other')`.execute(db);
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

async function profile(tenant: string, person: string, traits: Record<string, unknown>): Promise<void> {
  await sql`
    INSERT INTO profiles (tenant_id, person_id, traits, first_seen, last_seen, updated_at)
    VALUES (${tenant}, ${person}, ${JSON.stringify(traits)}::jsonb, now(), now(), now())
    ON CONFLICT (tenant_id, person_id) DO UPDATE SET traits = excluded.traits, updated_at = now()`.execute(db);
}

const contacts = async (tenant: string) =>
  (
    await sql<{ email: string; person_id: string; phone: string | null; first_name: string | null; version: number }>`
      SELECT email, person_id, phone, first_name, version FROM contacts WHERE tenant_id = ${tenant} ORDER BY email`.execute(
      db,
    )
  ).rows;

const P1 = '0190a000-0000-7000-8000-000000000001';
const P2 = '0190a000-0000-7000-8000-000000000002';
const P3 = '0190a000-0000-7000-8000-000000000003';

describe('profiles to contacts', () => {
  it('creates contacts from profiles with an email, fills the gaps of existing ones, and changes nothing when repeated', async () => {
    await sql`
      INSERT INTO contacts (id, tenant_id, email, first_name)
      VALUES (gen_random_uuid(), 'shop', 'known@shop.example', 'Set in the CRM')`.execute(db);
    await profile('shop', P1, { email: 'Known@Shop.example', first_name: 'From events', phone: '+1 555 0101' });
    await profile('shop', P2, { email: 'new@shop.example', firstName: 'Nina' });
    await profile('shop', P3, { name: 'No email' });
    await profile('other', P1, { email: 'known@shop.example' });
    const sync = createProfileSync(db);

    expect(await sync.sync()).toEqual({ profiles: 3, created: 2, updated: 1 });
    expect(await contacts('shop')).toEqual([
      { email: 'known@shop.example', person_id: P1, phone: '+1 555 0101', first_name: 'Set in the CRM', version: 2 },
      { email: 'new@shop.example', person_id: P2, phone: null, first_name: 'Nina', version: 1 },
    ]);
    expect((await contacts('other')).map((c) => c.email)).toEqual(['known@shop.example']);

    // Again: the same profiles (inside the overlap) change nothing.
    expect(await sync.sync()).toMatchObject({ created: 0, updated: 0 });
    expect((await contacts('shop')).map((c) => c.version)).toEqual([2, 1]);

    // A profile that learns a phone fills it; one the CRM already has keeps the CRM's.
    await profile('shop', P2, { email: 'new@shop.example', phone: '+1 555 0202' });
    expect(await sync.sync()).toMatchObject({ created: 0, updated: 1 });
    expect((await contacts('shop'))[1]).toMatchObject({ phone: '+1 555 0202', version: 2 });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_log WHERE actor = 'system:profile-sync'`.execute(db);
    expect(rows[0]?.n).toBe(4);
  });

  it('makes contacts of profiles with a phone and no email: by person, else by the phone’s digits, else new', async () => {
    const P4 = '0190a000-0000-7000-8000-000000000004';
    const P5 = '0190a000-0000-7000-8000-000000000005';
    const P6 = '0190a000-0000-7000-8000-000000000006';
    // The CRM knows this phone, written its own way, and nobody's person.
    await sql`
      INSERT INTO contacts (id, tenant_id, phone, first_name)
      VALUES (gen_random_uuid(), 'shop', '+44 (20) 7946-0001', 'Desk')`.execute(db);
    await profile('shop', P4, { phone: '+442079460001', last_name: 'Walker' });
    await profile('shop', P5, { phone: '+351 910 000 005', first_name: 'Rui' });
    await profile('shop', P6, { phone: 'n/a', email: 'not an email' });
    const sync = createProfileSync(db);
    const phones = async () =>
      (
        await sql<{ phone: string; person_id: string | null; first_name: string | null; last_name: string | null }>`
          SELECT phone, person_id, first_name, last_name FROM contacts
          WHERE tenant_id = 'shop' AND email IS NULL ORDER BY phone`.execute(db)
      ).rows;

    await sync.sync();
    expect(await phones()).toEqual([
      { phone: '+351 910 000 005', person_id: P5, first_name: 'Rui', last_name: null },
      { phone: '+44 (20) 7946-0001', person_id: P4, first_name: 'Desk', last_name: 'Walker' },
    ]);
    // Later runs find them by person, even when the phone changes: no second contact.
    await profile('shop', P5, { phone: '+351 910 000 999', first_name: 'Rui', last_name: 'Costa' });
    expect(await sync.sync()).toMatchObject({ created: 0 });
    expect(await phones()).toEqual([
      { phone: '+351 910 000 005', person_id: P5, first_name: 'Rui', last_name: 'Costa' },
      { phone: '+44 (20) 7946-0001', person_id: P4, first_name: 'Desk', last_name: 'Walker' },
    ]);
  });
});
