import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, useSignedInApi } from '../support/signed-in.ts';

const { env, as, call } = useSignedInApi(['admin', 'manager', 'sales', 'sales2', 'marketer', 'viewer']);
const contact = (who: string, body: Record<string, unknown>) => call(who, 'POST', '/v1/crm/contacts', body);
const bulk = (who: string, body: Record<string, unknown>) => call(who, 'POST', '/v1/crm/contacts/bulk', body);

describe('bulk changes', () => {
  it('tag, untag and assign a filter or an id list in one go, auditing each contact', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(String((await contact('admin', { first_name: `Bulk ${i}`, tags: ['batch'] })).json.id));
    const tagged = await bulk('admin', { action: 'tag', tag: 'vip', filter: { tag: 'batch' } });
    expect([tagged.status, tagged.json]).toMatchObject([200, { matched: 30, changed: 30 }]);
    expect((await bulk('admin', { action: 'tag', tag: 'vip', filter: { tag: 'batch' } })).json.changed).toBe(0);
    const one = (await call('viewer', 'GET', `/v1/crm/contacts/${ids[0]}`)).json;
    expect([one.tags, one.version]).toEqual([['batch', 'vip'], 2]);
    const audit = await call('admin', 'GET', '/v1/audit?action=contact.bulk_tag&limit=200');
    expect((audit.json.entries as unknown[]).length).toBe(30);
    const untagged = await bulk('admin', { action: 'untag', tag: 'vip', ids: ids.slice(0, 10) });
    expect(untagged.json).toMatchObject({ matched: 10, changed: 10 });
    const assigned = await bulk('manager', { action: 'assign', owner_id: as.sales2?.id, ids: ids.slice(0, 5) });
    expect(assigned.json.changed).toBe(5);
    expect((await call('viewer', 'GET', `/v1/crm/contacts/${ids[0]}`)).json).toMatchObject({
      tags: ['batch'],
      owner_id: as.sales2?.id,
    });
  });

  it('refuse the whole request for an unknown id, someone else’s contact, or too many, changing nothing', async () => {
    const mine = (await contact('sales', { first_name: 'Mine' })).json;
    const theirs = (await contact('admin', { first_name: 'Theirs' })).json;
    const forbidden = await bulk('sales', { action: 'tag', tag: 'x', ids: [mine.id, theirs.id] });
    expect([forbidden.status, forbidden.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
    const unknown = await bulk('admin', {
      action: 'tag',
      tag: 'x',
      ids: [mine.id, '0190a000-0000-7000-8000-0000000000ff'],
    });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'LIVORA_CRM_NOT_FOUND']);
    expect((await call('admin', 'GET', `/v1/crm/contacts/${mine.id}`)).json.tags).toEqual([]);
    const many = Array.from({ length: 100_001 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const tooMany = await bulk('admin', { action: 'tag', tag: 'x', ids: many });
    expect([tooMany.status, tooMany.json.code]).toEqual([400, 'LIVORA_CRM_BULK_TOO_LARGE']);
    const both = await bulk('admin', { action: 'tag', tag: 'x', ids: [mine.id], filter: { tag: 'batch' } });
    expect([both.status, both.json.code]).toEqual([400, 'LIVORA_HTTP_INVALID_REQUEST']);
    const noTag = await bulk('admin', { action: 'tag', ids: [mine.id] });
    expect(noTag.status).toBe(400);
    const giveAway = await bulk('marketer', { action: 'assign', owner_id: as.sales?.id, ids: [theirs.id] });
    expect([giveAway.status, giveAway.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
    expect((await bulk('viewer', { action: 'tag', tag: 'x', ids: [mine.id] })).status).toBe(403);
  });
});

describe('bulk field updates', () => {
  it('set a field or a custom field on every contact of a filter, each change audited', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(String((await contact('admin', { first_name: `Field ${i}`, tags: ['fields'] })).json.id));
    const company = (await call('admin', 'POST', '/v1/crm/companies', { name: 'Bulk Co' })).json;
    const moved = await bulk('marketer', {
      action: 'update',
      field: 'company_id',
      value: company.id,
      filter: { tag: 'fields' },
    });
    expect(moved.json).toMatchObject({ matched: 5, changed: 5 });
    expect((await call('viewer', 'GET', `/v1/crm/contacts?company_id=${company.id}`)).json.records).toHaveLength(5);

    await call('admin', 'POST', '/v1/crm/custom-fields', {
      entity: 'contact',
      key: 'score_band',
      label: 'Score band',
      type: 'select',
      options: ['a', 'b'],
    });
    const banded = await bulk('admin', { action: 'update', field: 'custom.score_band', value: 'b', ids });
    expect(banded.json).toMatchObject({ changed: 5 });
    const one = (await call('viewer', 'GET', `/v1/crm/contacts/${ids[0]}`)).json;
    expect([one.custom, one.version]).toEqual([{ score_band: 'b' }, 3]);
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${ids[0]}`);
    expect((audit.json.entries as unknown[])[0]).toMatchObject({
      action: 'contact.bulk_update',
      before: { custom: { score_band: null } },
      after: { custom: { score_band: 'b' } },
    });
    const cleared = await bulk('admin', { action: 'update', field: 'custom.score_band', value: null, ids });
    expect(cleared.json).toMatchObject({ changed: 5 });
    expect((await call('viewer', 'GET', `/v1/crm/contacts/${ids[0]}`)).json.custom).toEqual({});
  });

  it('refuse a field that is not settable in bulk, a bad value, or an unknown company, changing nothing', async () => {
    const mine = (await contact('admin', { first_name: 'Unchanged' })).json;
    const refused = async (body: Record<string, unknown>) => {
      const reply = await bulk('admin', { action: 'update', ids: [mine.id], ...body });
      return [reply.status, reply.json.code];
    };
    expect(await refused({ field: 'email', value: 'same@example.com' })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect(await refused({ field: 'first_name', value: 7 })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect(await refused({ field: 'first_name', value: 'x'.repeat(201) })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect(await refused({ field: 'custom.nope', value: 1 })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect(await refused({ field: 'custom.score_band', value: 'z' })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect(await refused({ field: 'company_id', value: '0190a000-0000-7000-8000-0000000000ff' })).toEqual([
      400,
      'LIVORA_CRM_INVALID',
    ]);
    expect(await refused({ field: 'first_name' })).toEqual([400, 'LIVORA_HTTP_INVALID_REQUEST']);
    expect(await refused({ field: 'constructor', value: null })).toEqual([400, 'LIVORA_CRM_INVALID_FIELD']);
    expect((await call('viewer', 'GET', `/v1/crm/contacts/${mine.id}`)).json).toMatchObject({
      first_name: 'Unchanged',
      version: 1,
    });
  });
});

describe('static segments', () => {
  it('are made, filled and emptied by bulk actions, listed as contacts, and kept per tenant', async () => {
    const made = await call('marketer', 'POST', '/v1/crm/segments', { name: 'Webinar', description: 'Attendees' });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    expect(made.json).toMatchObject({ name: 'Webinar', members: 0, created_by: as.marketer?.id });
    const again = await call('admin', 'POST', '/v1/crm/segments', { name: 'Webinar' });
    expect([again.status, again.json.code]).toEqual([409, 'LIVORA_CRM_DUPLICATE']);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await contact('sales', { first_name: `Seg ${i}` })).json.id));
    // Joining a segment changes no contact: anyone who may write adds anyone's contacts.
    const added = await bulk('sales2', { action: 'add_to_segment', segment_id: made.json.id, ids });
    expect(added.json).toMatchObject({ matched: 4, changed: 4 });
    expect((await bulk('sales2', { action: 'add_to_segment', segment_id: made.json.id, ids })).json.changed).toBe(0);
    const members = await call(
      'viewer',
      'GET',
      `/v1/crm/contacts?segment_id=${made.json.id}&sort=created_at&direction=asc`,
    );
    expect((members.json.records as { id: string }[]).map((r) => r.id)).toEqual(ids);
    expect((await call('viewer', 'GET', `/v1/crm/segments/${made.json.id}`)).json.members).toBe(4);
    // A segment is a filter of other bulk actions.
    const tagged = await bulk('admin', { action: 'tag', tag: 'attended', filter: { segment_id: made.json.id } });
    expect(tagged.json).toMatchObject({ matched: 4, changed: 4 });
    const removed = await bulk('marketer', {
      action: 'remove_from_segment',
      segment_id: made.json.id,
      ids: ids.slice(0, 3),
    });
    expect(removed.json).toMatchObject({ changed: 3 });
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${ids[0]}`);
    expect((audit.json.entries as { action: string }[]).map((e) => e.action).slice(0, 3)).toEqual([
      'contact.removed_from_segment',
      'contact.bulk_tag',
      'contact.added_to_segment',
    ]);
    // Another tenant sees no segment and cannot fill this one.
    expect((await call('other', 'GET', `/v1/crm/segments/${made.json.id}`)).status).toBe(404);
    expect((await call('other', 'GET', '/v1/crm/segments')).json.segments).toEqual([]);
    const foreign = (await contact('other', { first_name: 'Foreign' })).json;
    const intrude = await bulk('other', { action: 'add_to_segment', segment_id: made.json.id, ids: [foreign.id] });
    expect([intrude.status, intrude.json.code]).toEqual([404, 'LIVORA_CRM_NOT_FOUND']);
    // Renamed by writers, deleted by admins and managers only; its contacts stay.
    const renamed = await call('marketer', 'PATCH', `/v1/crm/segments/${made.json.id}`, { name: 'Webinar 2026' });
    expect(renamed.json).toMatchObject({ name: 'Webinar 2026', description: 'Attendees', members: 1 });
    expect((await call('marketer', 'DELETE', `/v1/crm/segments/${made.json.id}`)).status).toBe(403);
    expect((await call('manager', 'DELETE', `/v1/crm/segments/${made.json.id}`)).status).toBe(204);
    expect((await call('viewer', 'GET', `/v1/crm/contacts/${ids[3]}`)).status).toBe(200);
  });
});

describe('merging contacts in segments', () => {
  it('keeps the duplicate’s segments on the survivor', async () => {
    const segment = (await call('marketer', 'POST', '/v1/crm/segments', { name: 'Merge keeps me' })).json;
    const survivor = (await contact('admin', { first_name: 'Survivor' })).json;
    const duplicate = (await contact('admin', { first_name: 'Duplicate' })).json;
    await bulk('admin', { action: 'add_to_segment', segment_id: segment.id, ids: [duplicate.id] });
    const merged = await call('admin', 'POST', `/v1/crm/contacts/${survivor.id}/merge`, {
      version: 1,
      duplicate_id: duplicate.id,
      duplicate_version: 1,
    });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    const members = await call('viewer', 'GET', `/v1/crm/contacts?segment_id=${segment.id}`);
    expect((members.json.records as { id: string }[]).map((r) => r.id)).toEqual([survivor.id]);
  });
});

describe('long bulk changes', () => {
  // The last contact of a list is slow to change (and fails to, when tagged `doomed`): the
  // change outlasts the request's second, in its last 10,000, after progress was reported.
  beforeAll(async () => {
    await sql`CREATE FUNCTION test_slow_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.first_name = 'Many 30000' THEN
          PERFORM pg_sleep(1.5);
          IF 'doomed' = ANY(NEW.tags) THEN RAISE EXCEPTION 'late failure'; END IF;
        END IF;
        RETURN NEW;
      END $fn$`.execute(env.api.db);
    await sql`CREATE TRIGGER test_slow_row BEFORE UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION test_slow_row()`.execute(
      env.api.db,
    );
  });
  afterAll(async () => {
    await sql`DROP TRIGGER test_slow_row ON contacts`.execute(env.api.db);
    await sql`DROP FUNCTION test_slow_row()`.execute(env.api.db);
  });

  /** A tenant of 30,000 contacts (made in SQL: the API would take minutes), its admin, and their ids, the slow one last. */
  async function bigTenant(admin: string): Promise<string[]> {
    const { tenantId: tenant } = await env.api.tenant();
    Object.assign(as, await signIn(env.api, [{ name: admin, tenantId: tenant, role: 'admin' }]));
    await sql`
      INSERT INTO contacts (id, tenant_id, first_name)
      SELECT gen_random_uuid(), ${tenant}, 'Many ' || n FROM generate_series(1, 30000) AS n`.execute(env.api.db);
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM contacts WHERE tenant_id = ${tenant} ORDER BY first_name = 'Many 30000', id`.execute(env.api.db);
    return rows.map((r) => r.id);
  }

  async function follow(who: string, id: string): Promise<{ job: Record<string, unknown>; seen: number[] }> {
    const seen: number[] = [];
    let job: Record<string, unknown> = { status: 'running' };
    for (let i = 0; i < 600 && job.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await call(who, 'GET', `/v1/crm/jobs/${id}`)).json;
      seen.push(Number(job.done));
    }
    return { job, seen };
  }

  it('answer 202 with a job whose progress and outcome the requester follows', async () => {
    const ids = await bigTenant('bigadmin');
    const started = await bulk('bigadmin', { action: 'tag', tag: 'long', ids });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    expect(started.json).toMatchObject({ action: 'tag', status: 'running' });
    const { job, seen } = await follow('bigadmin', String(started.json.id));
    expect(job).toMatchObject({
      status: 'succeeded',
      total: 30000,
      done: 30000,
      result: { matched: 30000, changed: 30000 },
    });
    expect(
      seen.some((done) => done > 0 && done < 30000),
      `progress seen: ${[...new Set(seen)]}`,
    ).toBe(true);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM contacts WHERE id = ANY(${ids}::uuid[]) AND 'long' = ANY(tags)`.execute(
      env.api.db,
    );
    expect(rows[0]?.n).toBe(30000);
    // Only its requester (and admins and managers) see a job; other tenants never.
    expect((await call('other', 'GET', `/v1/crm/jobs/${started.json.id}`)).status).toBe(404);
  }, 120_000);

  it('apply nothing when they fail, and say why', async () => {
    const ids = await bigTenant('failadmin');
    const started = await bulk('failadmin', { action: 'tag', tag: 'doomed', ids });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    const { job } = await follow('failadmin', String(started.json.id));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'LIVORA_INTERNAL' }, result: null });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM contacts WHERE id = ANY(${ids}::uuid[]) AND 'doomed' = ANY(tags)`.execute(
      env.api.db,
    );
    expect(rows[0]?.n).toBe(0);
  }, 120_000);
});
