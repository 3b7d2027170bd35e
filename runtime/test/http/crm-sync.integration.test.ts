import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSignedInApi } from '../support/signed-in.ts';

const { call } = useSignedInApi(['admin', 'sales', 'viewer']);
beforeAll(async () => {
  await call('admin', 'POST', '/v1/crm/custom-fields', {
    entity: 'contact',
    key: 'plan',
    label: 'Plan',
    type: 'select',
    options: ['free', 'pro', 'enterprise'],
  });
  await call('admin', 'POST', '/v1/crm/custom-fields', {
    entity: 'contact',
    key: 'seats',
    label: 'Seats',
    type: 'number',
  });
});

type Result = {
  index: number;
  status: string;
  record?: Record<string, unknown> | null;
  conflicts?: { field: string; kept: string; lost: unknown }[];
  error?: { code: string; current?: Record<string, unknown> };
};
const sync = async (who: string, changes: Record<string, unknown>[]) => {
  const reply = await call(who, 'POST', '/v1/crm/sync', { changes });
  return { status: reply.status, results: reply.json.results as Result[], json: reply.json };
};
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe('offline sync', () => {
  it('applies a change made on the current version as sent', async () => {
    const made = (await call('sales', 'POST', '/v1/crm/contacts', { first_name: 'Ana', phone: '1' })).json;
    const { results } = await sync('sales', [
      {
        entity: 'contact',
        op: 'update',
        id: made.id,
        base_version: 1,
        base: { phone: '1' },
        fields: { phone: '2' },
        changed_at: new Date().toISOString(),
      },
    ]);
    expect(results[0]).toMatchObject({ index: 0, status: 'applied', record: { phone: '2', version: 2 } });
  });

  it('merges a stale change field by field, the later edit winning a field both changed, and reports what lost', async () => {
    const editStarted = hourAgo();
    const made = (
      await call('sales', 'POST', '/v1/crm/contacts', {
        first_name: 'Bia',
        last_name: 'Old',
        phone: '10',
        custom: { plan: 'free' },
      })
    ).json;
    // While the client is offline, the server's copy changes: phone and last name, then the plan.
    await call('admin', 'PATCH', `/v1/crm/contacts/${made.id}`, { version: 1, phone: '11', last_name: 'Server' });
    await call('admin', 'PATCH', `/v1/crm/contacts/${made.id}`, { version: 2, custom: { plan: 'enterprise' } });
    const { results } = await sync('sales', [
      {
        entity: 'contact',
        op: 'update',
        id: made.id,
        base_version: 1,
        base: { first_name: 'Bia', last_name: 'Old', custom: { plan: 'free' } },
        // first_name: only the client changed it; last_name: both, the client later; plan: both, the server later.
        fields: { first_name: 'Beatriz', last_name: 'Client' },
        changed_at: new Date().toISOString(),
      },
      {
        entity: 'contact',
        op: 'update',
        id: made.id,
        base_version: 1,
        base: { custom: { plan: 'free' } },
        fields: { custom: { plan: 'pro' } },
        changed_at: editStarted,
      },
    ]);
    expect(results[0]).toMatchObject({
      status: 'merged',
      record: { first_name: 'Beatriz', last_name: 'Client', phone: '11', version: 4 },
      conflicts: [{ field: 'last_name', kept: 'client', lost: 'Server' }],
    });
    expect(results[1]).toMatchObject({
      status: 'merged',
      record: { custom: { plan: 'enterprise' }, version: 4 },
      conflicts: [{ field: 'custom.plan', kept: 'server', lost: 'pro' }],
    });
    // The value that lost to the server is kept in the audit log, as is the one the client overwrote.
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${made.id}`);
    const entries = audit.json.entries as { action: string; before: unknown; after: unknown }[];
    expect(entries[0]).toMatchObject({ action: 'contact.sync_discarded', after: { 'custom.plan': 'pro' } });
    expect(entries[1]).toMatchObject({
      action: 'contact.synced',
      before: { first_name: 'Bia', last_name: 'Server' },
      after: { first_name: 'Beatriz', last_name: 'Client' },
    });
  });

  it('judges a conflict by the field’s own last change: not by values a sync discarded, nor by other custom keys', async () => {
    const made = (await call('sales', 'POST', '/v1/crm/contacts', { phone: '1', custom: { plan: 'free' } })).json as {
      id: string;
    };
    const update = (fields: Record<string, unknown>, base: Record<string, unknown>, changedAt: string) => ({
      entity: 'contact',
      op: 'update',
      id: made.id,
      base_version: 1,
      base,
      fields,
      changed_at: changedAt,
    });
    await call('admin', 'PATCH', `/v1/crm/contacts/${made.id}`, { version: 1, phone: '2' });
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // An older edit loses (and is kept in the audit log)…
    const older = await sync('sales', [update({ phone: 'old' }, { phone: '1' }, hourAgo())]);
    expect(older.results[0]?.conflicts).toMatchObject([{ field: 'phone', kept: 'server' }]);
    // …and does not make the server's phone newer than an edit made before it was discarded.
    const newer = await sync('sales', [update({ phone: 'new' }, { phone: '1' }, between)]);
    expect(newer.results[0]).toMatchObject({
      record: { phone: 'new' },
      conflicts: [{ field: 'phone', kept: 'client' }],
    });

    // Seats: the server set them, then the client edited them offline, then the server changed
    // only the plan. The client's seats are the later edit of that field: they win.
    const at = async () =>
      ((await call('admin', 'GET', `/v1/crm/contacts/${made.id}`)).json as { version: number }).version;
    await call('admin', 'PATCH', `/v1/crm/contacts/${made.id}`, { version: await at(), custom: { seats: 5 } });
    const edited = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call('admin', 'PATCH', `/v1/crm/contacts/${made.id}`, {
      version: await at(),
      custom: { plan: 'enterprise' },
    });
    const custom = await sync('sales', [update({ custom: { seats: 9 } }, { custom: { seats: null } }, edited)]);
    expect(custom.results[0]).toMatchObject({
      record: { custom: { plan: 'enterprise', seats: 9 } },
      conflicts: [{ field: 'custom.seats', kept: 'client', lost: 5 }],
    });
  });

  it('makes one record of a create sent twice, and refuses a delete of a record changed since', async () => {
    const id = randomUUID();
    const create = { entity: 'company', op: 'create', id, fields: { name: 'Offline Co' } };
    const first = await sync('admin', [create]);
    const again = await sync('admin', [create]);
    expect(first.results[0]).toMatchObject({ status: 'applied', record: { id, name: 'Offline Co', version: 1 } });
    expect(again.results[0]?.record).toEqual(first.results[0]?.record);
    // An id another tenant took is refused plainly (and that tenant's record stays unseen).
    const taken = await call('other', 'POST', '/v1/crm/companies', { name: 'Elsewhere' });
    const clash = await sync('admin', [
      { entity: 'company', op: 'create', id: taken.json.id, fields: { name: 'Mine' } },
    ]);
    expect(clash.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'LIVORA_CRM_DUPLICATE', message: expect.stringContaining('this id is taken') },
    });
    expect((await call('viewer', 'GET', '/v1/crm/companies?q=offline')).json.records).toHaveLength(1);

    await call('admin', 'PATCH', `/v1/crm/companies/${id}`, { version: 1, industry: 'Retail' });
    const stale = await sync('admin', [{ entity: 'company', op: 'delete', id, base_version: 1 }]);
    expect(stale.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'LIVORA_CRM_STALE_VERSION', current: { industry: 'Retail', version: 2 } },
    });
    const current = await sync('admin', [
      { entity: 'company', op: 'delete', id, base_version: 2 },
      { entity: 'company', op: 'delete', id, base_version: 2 },
    ]);
    expect(current.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await call('viewer', 'GET', `/v1/crm/companies/${id}`)).status).toBe(404);
  });

  it('applies each change on its own: a bad or forbidden one is rejected with its code, the others apply', async () => {
    const theirs = (await call('admin', 'POST', '/v1/crm/contacts', { first_name: 'Admin’s' })).json;
    const foreign = (await call('other', 'POST', '/v1/crm/contacts', { first_name: 'Foreign' })).json;
    const now = new Date().toISOString();
    const { status, results } = await sync('sales', [
      { entity: 'contact', op: 'create', id: randomUUID(), fields: { email: 'not an email' } },
      { entity: 'contact', op: 'create', id: randomUUID(), fields: { first_name: 'Fine' } },
      { entity: 'contact', op: 'create', id: randomUUID(), fields: { shoe_size: 42 } },
      { entity: 'deal', op: 'create', id: randomUUID(), fields: { name: 'No pipeline' } },
      {
        entity: 'contact',
        op: 'update',
        id: theirs.id,
        base_version: 1,
        base: {},
        fields: { first_name: 'Mine now' },
        changed_at: now,
      },
      {
        entity: 'contact',
        op: 'update',
        id: foreign.id,
        base_version: 1,
        base: {},
        fields: { first_name: 'x' },
        changed_at: now,
      },
      { entity: 'contact', op: 'create', id: randomUUID(), fields: { first_name: 'Bad plan', custom: { plan: 'x' } } },
    ]);
    expect(status).toBe(200);
    expect(results.map((r) => [r.index, r.status, r.error?.code])).toEqual([
      [0, 'rejected', 'LIVORA_HTTP_INVALID_REQUEST'],
      [1, 'applied', undefined],
      [2, 'rejected', 'LIVORA_HTTP_INVALID_REQUEST'],
      [3, 'rejected', 'LIVORA_HTTP_INVALID_REQUEST'],
      [4, 'rejected', 'LIVORA_AUTH_FORBIDDEN'],
      [5, 'rejected', 'LIVORA_CRM_NOT_FOUND'],
      [6, 'rejected', 'LIVORA_CRM_INVALID_FIELD'],
    ]);
    expect((await call('admin', 'GET', `/v1/crm/contacts/${theirs.id}`)).json.first_name).toBe('Admin’s');
    expect((await call('other', 'GET', `/v1/crm/contacts/${foreign.id}`)).json.first_name).toBe('Foreign');
  });

  it('deletes only for those who may delete (admins and managers), as DELETE does', async () => {
    const made = (await call('sales', 'POST', '/v1/crm/contacts', { first_name: 'Kept' })).json;
    const { results } = await sync('sales', [{ entity: 'contact', op: 'delete', id: made.id, base_version: 1 }]);
    expect(results[0]).toMatchObject({ status: 'rejected', error: { code: 'LIVORA_AUTH_FORBIDDEN' } });
    expect((await call('viewer', 'GET', `/v1/crm/contacts/${made.id}`)).status).toBe(200);
    const byAdmin = await sync('admin', [{ entity: 'contact', op: 'delete', id: made.id, base_version: 1 }]);
    expect(byAdmin.results[0]?.status).toBe('applied');
  });

  it('is for those who may write, and takes at most 500 changes', async () => {
    const one = { entity: 'company', op: 'create', id: randomUUID(), fields: { name: 'V' } };
    expect((await sync('viewer', [one])).status).toBe(403);
    const many = await sync(
      'admin',
      Array.from({ length: 501 }, () => ({ ...one, id: randomUUID() })),
    );
    expect([many.status, many.json.code]).toEqual([400, 'LIVORA_CRM_BULK_TOO_LARGE']);
    expect((await call('viewer', 'GET', '/v1/crm/companies?q=v')).json.records).toEqual([]);
  });
});
