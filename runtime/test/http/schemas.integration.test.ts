import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackEvent } from '../support/events.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let tenantId: string;
let key: string;
let admin: Record<string, string>;

beforeAll(async () => {
  api = await startTestApi();
  ({ tenantId, key } = await api.tenant());
  admin = { authorization: `Bearer ${api.token(tenantId, 'admin')}` };
});
afterAll(async () => {
  await api?.close();
});

const orderV1 = {
  type: 'object',
  properties: {
    order_id: { type: 'string', minLength: 1 },
    revenue: { type: 'number', minimum: 0 },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    products: {
      type: 'array',
      items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } },
    },
  },
  required: ['order_id', 'revenue'],
};

const register = (event: string, schema: unknown, headers = admin) =>
  postJson(`${api.url}/v1/schemas/${encodeURIComponent(event)}`, { schema }, headers);
const get = async (path: string, headers = admin) => {
  const response = await fetch(`${api.url}${path}`, { headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe('schema registry', () => {
  it('registers version 1, answers it again unchanged, and lists it', async () => {
    const created = await register('Order Completed', orderV1);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ event: 'Order Completed', version: 1 });
    const again = await register('Order Completed', orderV1);
    expect(again.status).toBe(200);
    expect(again.json.version).toBe(1);
    const list = await get('/v1/schemas');
    expect((list.json.schemas as { event: string }[]).map((s) => s.event)).toEqual(['Order Completed']);
  });

  it('validates events naming a registered schema, and stamps the version on accepted ones', async () => {
    const good = trackEvent({
      event: 'Order Completed',
      properties: { order_id: 'o-1', revenue: 10, currency: 'EUR' },
    });
    const bad = trackEvent({ event: 'Order Completed', properties: { order_id: 'o-2', revenue: -1, currency: 'GBP' } });
    const other = trackEvent({ event: 'Not Registered', properties: { anything: true } });
    const response = await postJson(
      `${api.url}/v1/events`,
      { events: [good, bad, other] },
      { authorization: basic(key) },
    );
    expect(response.status).toBe(202);
    expect((response.json.accepted as { index: number }[]).map((a) => a.index)).toEqual([0, 2]);
    const [rejected] = response.json.rejected as { index: number; code: string; message: string }[];
    expect(rejected).toMatchObject({ index: 1, code: 'LIVORA_EVENT_SCHEMA_MISMATCH' });
    expect(rejected?.message).toMatch(/\/revenue/);
    const stored = (await api.readLog()).map((r) => JSON.parse(r.payload)).find((e) => e.event_id === good.event_id);
    expect(stored.schema_version).toBe(1);
  });

  it('takes a backward-compatible version 2 and applies it to events at once', async () => {
    const v2 = structuredClone(orderV1) as typeof orderV1 & { properties: Record<string, unknown> };
    v2.properties.coupon = { type: 'string' };
    v2.properties.currency = { type: 'string', enum: ['EUR', 'USD', 'GBP'] };
    const response = await register('Order Completed', v2);
    expect(response.status).toBe(201);
    expect(response.json.version).toBe(2);
    const gbp = trackEvent({ event: 'Order Completed', properties: { order_id: 'o-3', revenue: 5, currency: 'GBP' } });
    const sent = await postJson(`${api.url}/v1/events`, { events: [gbp] }, { authorization: basic(key) });
    expect(sent.status).toBe(202);
  });

  it('refuses an incompatible version with 409 and says why', async () => {
    const v3 = structuredClone(orderV1) as typeof orderV1 & { required: string[] };
    v3.required = [...v3.required, 'currency'];
    const response = await register('Order Completed', v3);
    expect(response.status).toBe(409);
    expect(response.json.code).toBe('LIVORA_SCHEMA_INCOMPATIBLE');
    expect(response.json.detail).toMatch(/currency.*became required/);
    expect((response.json.issues as unknown[]).length).toBeGreaterThan(0);
    const versions = await get(`/v1/schemas/${encodeURIComponent('Order Completed')}`);
    expect((versions.json.versions as unknown[]).length).toBe(2);
  });

  it('refuses a schema outside the supported subset with 400', async () => {
    const response = await register('Weird', { type: 'object', properties: { a: { oneOf: [] } } });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('LIVORA_SCHEMA_INVALID');
    expect(response.json.detail).toMatch(/\/properties\/a/);
  });

  it('exports each version as JSON Schema and as an Avro schema that avsc accepts', async () => {
    const path = `/v1/schemas/${encodeURIComponent('Order Completed')}/versions/2`;
    const jsonSchema = await get(`${path}?format=json-schema`);
    expect(jsonSchema.status).toBe(200);
    expect(jsonSchema.json).toMatchObject({
      title: 'Order Completed',
      properties: { event: { const: 'Order Completed' } },
    });
    const avroSchema = await get(`${path}?format=avro`);
    const type = avro.Type.forSchema(avroSchema.json as never);
    const fields = (type as unknown as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect(fields).toContain('properties');
    const missing = await get(`/v1/schemas/${encodeURIComponent('Order Completed')}/versions/9`);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('LIVORA_SCHEMA_NOT_FOUND');
  });

  it('serves the canonical event as JSON Schema, Avro and .proto without credentials', async () => {
    expect((await fetch(`${api.url}/v1/canonical-event`)).status).toBe(200);
    const proto = await fetch(`${api.url}/v1/canonical-event?format=proto`);
    expect(await proto.text()).toMatch(/message LivoraEvent/);
    const avroDoc = await (await fetch(`${api.url}/v1/canonical-event?format=avro`)).json();
    expect(() => avro.Type.forSchema(avroDoc as never)).not.toThrow();
  });

  it('lets readers read and only admins and managers write; write keys do neither', async () => {
    const analyst = { authorization: `Bearer ${api.token(tenantId, 'analyst')}` };
    expect((await get('/v1/schemas', analyst)).status).toBe(200);
    const denied = await register('Other', orderV1, analyst);
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('LIVORA_AUTH_FORBIDDEN');
    expect((await get('/v1/schemas', { authorization: basic(key) })).status).toBe(403);
  });

  it('keeps tenants apart', async () => {
    const other = await api.tenant();
    const theirs = { authorization: `Bearer ${api.token(other.tenantId, 'admin')}` };
    expect(((await get('/v1/schemas', theirs)).json.schemas as unknown[]).length).toBe(0);
    expect((await get(`/v1/schemas/${encodeURIComponent('Order Completed')}`, theirs)).status).toBe(404);
  });
});
