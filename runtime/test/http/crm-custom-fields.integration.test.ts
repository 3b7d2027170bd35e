import { describe, expect, it } from 'vitest';
import { useSignedInApi } from '../support/signed-in.ts';

const { call } = useSignedInApi(['admin', 'sales', 'viewer']);

const define = (who: string, field: Record<string, unknown>) => call(who, 'POST', '/v1/crm/custom-fields', field);

describe('custom fields', () => {
  it('are defined by admins and managers only, per tenant', async () => {
    expect((await define('sales', { entity: 'contact', key: 'x', label: 'X', type: 'text' })).status).toBe(403);
    const plan = await define('admin', {
      entity: 'contact',
      key: 'plan',
      label: 'Plan',
      type: 'select',
      options: ['free', 'pro', 'enterprise'],
    });
    expect(plan.status, JSON.stringify(plan.json)).toBe(201);
    for (const field of [
      { key: 'seats', label: 'Seats', type: 'number' },
      { key: 'beta', label: 'Beta tester', type: 'boolean' },
      { key: 'renewal', label: 'Renewal', type: 'date' },
      { key: 'channels', label: 'Channels', type: 'multi_select', options: ['email', 'sms', 'push'] },
      { key: 'notes', label: 'Notes', type: 'text' },
    ])
      expect((await define('admin', { entity: 'contact', ...field })).status).toBe(201);
    const again = await define('admin', { entity: 'contact', key: 'plan', label: 'Plan', type: 'text' });
    expect(again.json.code).toBe('LIVORA_CRM_DUPLICATE');
    const listed = await call('viewer', 'GET', '/v1/crm/custom-fields?entity=contact');
    expect((listed.json.fields as { key: string }[]).map((f) => f.key)).toEqual([
      'plan',
      'seats',
      'beta',
      'renewal',
      'channels',
      'notes',
    ]);
    // Another tenant sees none of them, and may not use them.
    expect((await call('other', 'GET', '/v1/crm/custom-fields')).json.fields).toEqual([]);
    const foreign = await call('other', 'POST', '/v1/crm/contacts', { first_name: 'F', custom: { plan: 'pro' } });
    expect(foreign.json.code).toBe('LIVORA_CRM_INVALID_FIELD');
    // jsonb cannot hold a NUL either: a clear refusal, not a 500.
    const nul = await call('admin', 'POST', '/v1/crm/contacts', { first_name: 'N', custom: { notes: 'a\u0000b' } });
    expect([nul.status, nul.json.code, nul.json.detail]).toEqual([
      400,
      'LIVORA_HTTP_INVALID_REQUEST',
      'text may not contain NUL (U+0000)',
    ]);
  });

  it('refuse a select without options, options on a text field, and a required field once records exist', async () => {
    expect((await define('admin', { entity: 'deal', key: 'tier', label: 'T', type: 'select' })).json.code).toBe(
      'LIVORA_CRM_INVALID_FIELD',
    );
    const text = await define('admin', { entity: 'deal', key: 'memo', label: 'M', type: 'text', options: ['a'] });
    expect(text.json.code).toBe('LIVORA_CRM_INVALID_FIELD');
    const badKey = await define('admin', { entity: 'deal', key: 'Bad Key', label: 'B', type: 'text' });
    expect(badKey.json.code).toBe('LIVORA_HTTP_INVALID_REQUEST');
    await call('admin', 'POST', '/v1/crm/companies', { name: 'Exists' });
    const required = await define('admin', {
      entity: 'company',
      key: 'tax_id',
      label: 'Tax id',
      type: 'text',
      required: true,
    });
    expect(required.status).toBe(400);
    expect(required.json.code).toBe('LIVORA_CRM_INVALID_FIELD');
  });

  it('make a required field be given on create through the API, and never cleared', async () => {
    const added = await define('admin', {
      entity: 'activity',
      key: 'outcome',
      label: 'Outcome',
      type: 'select',
      options: ['won', 'lost'],
      required: true,
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    const task = { kind: 'note', subject: 'Called' };
    const missing = await call('sales', 'POST', '/v1/crm/activities', task);
    expect(missing.json).toMatchObject({ code: 'LIVORA_CRM_INVALID_FIELD', field: 'outcome' });
    const made = await call('sales', 'POST', '/v1/crm/activities', { ...task, custom: { outcome: 'won' } });
    expect(made.status).toBe(201);
    const renamed = await call('sales', 'PATCH', `/v1/crm/activities/${made.json.id}`, {
      version: 1,
      subject: 'Called back',
    });
    expect(renamed.status).toBe(200);
    const cleared = await call('sales', 'PATCH', `/v1/crm/activities/${made.json.id}`, {
      version: 2,
      custom: { outcome: null },
    });
    expect(cleared.json).toMatchObject({ code: 'LIVORA_CRM_INVALID_FIELD', field: 'outcome' });
  });

  it('type-check every value, keep what a change does not name, and clear with null', async () => {
    const bad = [
      [{ plan: 'gold' }, 'plan'],
      [{ seats: '12' }, 'seats'],
      [{ beta: 'yes' }, 'beta'],
      [{ renewal: '2026-02-30' }, 'renewal'],
      [{ channels: ['email', 'fax'] }, 'channels'],
      [{ unknown_key: 1 }, 'unknown_key'],
    ] as const;
    for (const [custom, field] of bad) {
      const reply = await call('sales', 'POST', '/v1/crm/contacts', { first_name: 'Bad', custom });
      expect(reply.status, JSON.stringify(custom)).toBe(400);
      expect(reply.json).toMatchObject({ code: 'LIVORA_CRM_INVALID_FIELD', field });
    }
    const none = await call('admin', 'GET', '/v1/crm/contacts?q=bad');
    expect(none.json.records).toEqual([]);

    const created = await call('sales', 'POST', '/v1/crm/contacts', {
      first_name: 'Typed',
      custom: { plan: 'pro', seats: 12, beta: true, renewal: '2027-01-31', channels: ['push', 'email'] },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.custom).toEqual({
      plan: 'pro',
      seats: 12,
      beta: true,
      renewal: '2027-01-31',
      channels: ['email', 'push'], // in the field's order
    });
    const changed = await call('sales', 'PATCH', `/v1/crm/contacts/${created.json.id}`, {
      version: 1,
      custom: { seats: 15, beta: null },
    });
    expect(changed.json.custom).toEqual({ plan: 'pro', seats: 15, renewal: '2027-01-31', channels: ['email', 'push'] });
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${created.json.id}`);
    expect((audit.json.entries as { action: string; before: unknown }[])[0]).toMatchObject({
      action: 'contact.updated',
      // Only the custom keys that changed: each field's history stays its own.
      before: { custom: { seats: 12, beta: true } },
      after: { custom: { seats: 15, beta: null } },
    });
    expect((audit.json.entries as { before: { custom: object } }[])[0]?.before.custom).not.toHaveProperty('plan');
    // A bad value in a change applies nothing of it.
    const refused = await call('sales', 'PATCH', `/v1/crm/contacts/${created.json.id}`, {
      version: 2,
      first_name: 'Renamed',
      custom: { seats: 'many' },
    });
    expect(refused.json.code).toBe('LIVORA_CRM_INVALID_FIELD');
    const kept = await call('sales', 'GET', `/v1/crm/contacts/${created.json.id}`);
    expect(kept.json).toMatchObject({ version: 2, first_name: 'Typed' });
  });

  it('filter lists by a typed value, and refuse a filter on an unknown field', async () => {
    await call('sales', 'POST', '/v1/crm/contacts', { first_name: 'Free', custom: { plan: 'free', seats: 1 } });
    await call('sales', 'POST', '/v1/crm/contacts', { first_name: 'Sms', custom: { channels: ['sms'] } });
    const names = async (query: string) => {
      const reply = await call('viewer', 'GET', `/v1/crm/contacts?${query}`);
      return (reply.json.records as { first_name: string }[] | undefined)?.map((r) => r.first_name) ?? reply.json.code;
    };
    expect(await names('custom_field=plan&custom_value=free')).toEqual(['Free']);
    expect(await names('custom_field=seats&custom_value=15')).toEqual(['Typed']);
    expect(await names('custom_field=channels&custom_value=sms')).toEqual(['Sms']);
    expect(await names('custom_field=seats&custom_value=lots')).toBe('LIVORA_CRM_INVALID_FIELD');
    expect(await names('custom_field=nope&custom_value=1')).toBe('LIVORA_CRM_INVALID_FIELD');
  });

  it('are removed only with their values purged, the old values kept in the audit log', async () => {
    const inUse = await call('admin', 'DELETE', '/v1/crm/custom-fields/contact/plan');
    expect(inUse.status).toBe(409);
    expect(inUse.json).toMatchObject({ code: 'LIVORA_CRM_FIELD_IN_USE', records: 2 });
    expect((await call('sales', 'DELETE', '/v1/crm/custom-fields/contact/plan?purge=true')).status).toBe(403);
    const purged = await call('admin', 'DELETE', '/v1/crm/custom-fields/contact/plan?purge=true');
    expect(purged.json).toEqual({ cleared: 2 });
    const typed = (await call('viewer', 'GET', '/v1/crm/contacts?q=typed')).json.records as {
      id: string;
      custom: Record<string, unknown>;
    }[];
    expect(typed[0]?.custom).not.toHaveProperty('plan');
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${typed[0]?.id}`);
    expect((audit.json.entries as { action: string; before: unknown }[])[0]).toMatchObject({
      action: 'contact.custom_field_purged',
      before: { custom: { plan: 'pro' } },
    });
    expect((await call('admin', 'DELETE', '/v1/crm/custom-fields/contact/plan')).status).toBe(404);
    // Unused fields go without purging.
    expect((await call('admin', 'DELETE', '/v1/crm/custom-fields/contact/notes')).json).toEqual({ cleared: 0 });
  });
});
