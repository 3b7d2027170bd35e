import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/lake.ts';
import { caller, type SignedIn, signIn } from '../support/signed-in.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
const as: SignedIn = {};
const call = caller(() => api, as);

const task = async (who: string, body: Record<string, unknown>) =>
  call(who, 'POST', '/v1/crm/activities', { kind: 'task', ...body });
const inbox = async (who: string) =>
  ((await call(who, 'GET', '/v1/crm/inbox')).json.tasks as { subject: string; overdue: boolean }[]).map((t) => [
    t.subject,
    t.overdue,
  ]);

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true });
  const tenant = await api.tenant();
  key = tenant.key;
  Object.assign(
    as,
    await signIn(
      api,
      ['manager', 'sales', 'sales2', 'viewer'].map((name) => ({
        name,
        tenantId: tenant.tenantId,
        role: name.replace(/\d$/, ''),
      })),
    ),
  );
}, 60_000);
afterAll(async () => {
  await api?.close();
});

describe('activities and the inbox', () => {
  it('give a task to its creator unless assigned, and list my open tasks, overdue first, undated last', async () => {
    const mine = await task('sales', { subject: 'Call back' });
    expect(mine.status, JSON.stringify(mine.json)).toBe(201);
    expect(mine.json.assignee_id).toBe(as.sales?.id);
    const day = 86_400_000;
    await task('manager', {
      subject: 'Later',
      assignee_id: as.sales2?.id,
      due_at: new Date(Date.now() + day).toISOString(),
    });
    await task('manager', { subject: 'Undated', assignee_id: as.sales2?.id });
    await task('manager', {
      subject: 'Late',
      assignee_id: as.sales2?.id,
      due_at: new Date(Date.now() - day).toISOString(),
    });
    expect(await inbox('sales2')).toEqual([
      ['Late', true],
      ['Later', false],
      ['Undated', false],
    ]);
    expect(await inbox('sales')).toEqual([['Call back', false]]);
    // Sales do not hand work to others.
    const handed = await task('sales', { subject: 'Yours', assignee_id: as.sales2?.id });
    expect([handed.status, handed.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
    expect((await task('viewer', { subject: 'No' })).status).toBe(403);
  });

  it('are completed by their assignee, once; only tasks are completed', async () => {
    const given = (await task('manager', { subject: 'Complete me', assignee_id: as.sales?.id })).json;
    const path = `/v1/crm/activities/${given.id}/complete`;
    const stale = await call('sales', 'POST', path, { version: 7 });
    expect([stale.status, stale.json.code]).toEqual([409, 'LIVORA_CRM_STALE_VERSION']);
    const done = await call('sales', 'POST', path, { version: 1 });
    expect([done.status, done.json.version]).toEqual([200, 2]);
    expect(done.json.completed_at).toBeTruthy();
    expect((await inbox('sales')).map(([subject]) => subject)).not.toContain('Complete me');
    // Someone else's task, not assigned to them: a colleague in sales may not.
    const theirs = (await task('manager', { subject: 'Not yours', assignee_id: as.sales2?.id })).json;
    expect((await call('sales', 'POST', `/v1/crm/activities/${theirs.id}/complete`, { version: 1 })).status).toBe(403);
    const note = (await call('sales', 'POST', '/v1/crm/activities', { kind: 'note', subject: 'Met at the fair' })).json;
    const refused = await call('sales', 'POST', `/v1/crm/activities/${note.id}/complete`, { version: 1 });
    expect([refused.status, refused.json.code]).toEqual([400, 'LIVORA_CRM_INVALID']);
  });
});

describe('the contact 360', () => {
  it('brings the contact, its company, its person’s profile and orders, activities and deals together', async () => {
    const events = [
      {
        type: 'identify',
        event_id: 'id-1',
        anonymous_id: 'anon-1',
        user_id: 'u-1',
        traits: { plan: 'pro', email: 'rita@shop.example' },
        timestamp: '2026-11-20T10:00:00Z',
      },
      {
        type: 'track',
        event_id: 'order-1',
        user_id: 'u-1',
        event: 'Order Completed',
        properties: { order_id: 'o-1', revenue: 42.5, currency: 'EUR' },
        timestamp: '2026-11-20T10:05:00Z',
      },
    ];
    expect((await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) })).status).toBe(202);
    let personId = '';
    await eventually(
      async () => {
        const profile = await call('viewer', 'GET', '/v1/profiles/u-1');
        personId = String(profile.json.person_id ?? '');
        return profile.status === 200 && profile.json.order_count === 1;
      },
      30_000,
      'the profile with its order',
    );
    const company = (await call('manager', 'POST', '/v1/crm/companies', { name: 'Shop' })).json;
    const contact = (
      await call('manager', 'POST', '/v1/crm/contacts', {
        email: 'rita@shop.example',
        company_id: company.id,
        person_id: personId,
        tags: ['customer'],
      })
    ).json;
    await call('manager', 'POST', '/v1/crm/activities', {
      kind: 'call',
      subject: 'Intro call',
      contact_id: contact.id,
    });
    const pipeline = (await call('manager', 'POST', '/v1/crm/pipelines', { name: 'Main', stages: [{ name: 'Open' }] }))
      .json;
    await call('manager', 'POST', '/v1/crm/deals', {
      name: 'Upsell',
      pipeline_id: pipeline.id,
      contact_id: contact.id,
    });

    const view = await call('viewer', 'GET', `/v1/crm/contacts/${contact.id}/360`);
    expect(view.status, JSON.stringify(view.json)).toBe(200);
    expect(view.json).toMatchObject({
      contact: { id: contact.id, tags: ['customer'] },
      company: { name: 'Shop' },
      profile: { person_id: personId, traits: { plan: 'pro' }, order_count: 1 },
      ltv: [{ currency: 'EUR', orders: 1, amount: '42.5000' }],
      recent: null, // this API process has no warehouse
    });
    expect((view.json.activities as { subject: string }[]).map((a) => a.subject)).toEqual(['Intro call']);
    expect((view.json.deals as { name: string }[]).map((d) => d.name)).toEqual(['Upsell']);
    // Sales outside the deal owner's team see the 360 without the deal.
    const sales = await call('sales', 'GET', `/v1/crm/contacts/${contact.id}/360`);
    expect(sales.json.deals).toEqual([]);
  }, 60_000);
});

describe('merging contacts', () => {
  it('keeps the survivor’s values, takes the duplicate’s where it has none, and moves its activities and deals', async () => {
    const survivor = (await call('manager', 'POST', '/v1/crm/contacts', { first_name: 'Ana', tags: ['a'] })).json;
    const duplicate = (
      await call('manager', 'POST', '/v1/crm/contacts', {
        first_name: 'Ana Maria',
        email: 'ana.maria@shop.example',
        phone: '+351 900 000 000',
        tags: ['b', 'a'],
      })
    ).json;
    const call1 = (
      await call('manager', 'POST', '/v1/crm/activities', {
        kind: 'call',
        subject: 'Asked for a quote',
        contact_id: duplicate.id,
      })
    ).json;
    const pipeline = (
      await call('manager', 'POST', '/v1/crm/pipelines', { name: 'Merges', stages: [{ name: 'Open' }] })
    ).json;
    const deal = (
      await call('manager', 'POST', '/v1/crm/deals', {
        name: 'Quote',
        pipeline_id: pipeline.id,
        contact_id: duplicate.id,
      })
    ).json;
    const path = `/v1/crm/contacts/${survivor.id}/merge`;

    const stale = await call('manager', 'POST', path, { version: 1, duplicate_id: duplicate.id, duplicate_version: 9 });
    expect([stale.status, stale.json.code]).toEqual([409, 'LIVORA_CRM_STALE_VERSION']);
    const itself = await call('manager', 'POST', path, { version: 1, duplicate_id: survivor.id, duplicate_version: 1 });
    expect([itself.status, itself.json.code]).toEqual([400, 'LIVORA_CRM_INVALID']);
    const bySales = await call('sales', 'POST', path, { version: 1, duplicate_id: duplicate.id, duplicate_version: 1 });
    expect([bySales.status, bySales.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);

    const merged = await call('manager', 'POST', path, {
      version: 1,
      duplicate_id: duplicate.id,
      duplicate_version: 1,
    });
    expect(merged.status, JSON.stringify(merged.json)).toBe(200);
    expect(merged.json).toMatchObject({
      id: survivor.id,
      version: 2,
      first_name: 'Ana',
      email: 'ana.maria@shop.example',
      phone: '+351 900 000 000',
      tags: ['a', 'b'],
    });
    expect((await call('manager', 'GET', `/v1/crm/contacts/${duplicate.id}`)).status).toBe(404);
    expect((await call('manager', 'GET', `/v1/crm/activities/${call1.id}`)).json.contact_id).toBe(survivor.id);
    expect((await call('manager', 'GET', `/v1/crm/deals/${deal.id}`)).json.contact_id).toBe(survivor.id);
    // The audit entry keeps the duplicate as it was, for review.
    const { rows } = await sql<{ before: { absorbed: { id: string; email: string } } }>`
      SELECT before FROM audit_log WHERE action = 'contact.merged' AND entity_id = ${String(survivor.id)}`.execute(
      api.db,
    );
    expect(rows[0]?.before.absorbed).toMatchObject({ id: duplicate.id, email: 'ana.maria@shop.example' });
  });
});
