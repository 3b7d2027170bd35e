import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
let tenantId: string;

beforeAll(async () => {
  api = await startTestApi();
  ({ key, tenantId } = await api.tenant());
});
afterAll(async () => {
  await api?.close();
});

async function storedById(messageId: string): Promise<Record<string, unknown>> {
  const record = (await api.readLog()).find((r) => r.payload.includes(`"event_id":"${messageId}"`));
  if (!record) throw new Error(`event ${messageId} is not in the log`);
  return JSON.parse(record.payload);
}

describe('Segment HTTP Tracking API', () => {
  it('maps a Segment track call onto the canonical event', async () => {
    const response = await postJson(
      `${api.url}/v1/track`,
      {
        messageId: 'seg-track-1',
        userId: 42,
        anonymousId: 'anon-seg',
        event: 'Order Completed',
        properties: { order_id: 'o-1', revenue: 30.5, currency: 'EUR' },
        context: { userAgent: 'Mozilla/5.0', campaign: { source: 'newsletter' }, ip: '203.0.113.7' },
        timestamp: '2026-11-25T10:00:00.000Z',
        sentAt: '2026-11-25T10:00:05.000Z',
        channel: 'server',
      },
      { authorization: basic(key) },
    );
    expect(response.status).toBe(200);
    expect(response.json.success).toBe(true);
    const stored = await storedById('seg-track-1');
    expect(stored).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      user_id: '42',
      anonymous_id: 'anon-seg',
      tenant_id: tenantId,
      properties: { order_id: 'o-1', revenue: 30.5, currency: 'EUR' },
      context: { user_agent: 'Mozilla/5.0', campaign: { source: 'newsletter' }, ip: '203.0.113.7' },
      original_timestamp: '2026-11-25T10:00:00.000Z',
    });
    expect(stored.channel).toBeUndefined();
    // Clock skew corrected: 5 s before the server received it.
    expect(Date.parse(stored.received_at as string) - Date.parse(stored.timestamp as string)).toBe(5000);
  });

  it('takes a beacon: a batch as text/plain with the write key in the body, batch context merged', async () => {
    const response = await postJson(
      `${api.url}/v1/batch`,
      JSON.stringify({
        writeKey: key,
        context: { library: { name: 'analytics.js', version: '1' } },
        batch: [
          { type: 'page', messageId: 'beacon-1', anonymousId: 'b', name: 'Home', properties: { path: '/' } },
          {
            type: 'identify',
            messageId: 'beacon-2',
            anonymousId: 'b',
            userId: 'u-b',
            traits: { email: 'b@example.com' },
          },
        ],
      }),
      { 'content-type': 'text/plain;charset=UTF-8' },
    );
    expect(response.status).toBe(200);
    expect(await storedById('beacon-1')).toMatchObject({
      type: 'page',
      name: 'Home',
      context: { library: { name: 'analytics.js' } },
    });
    expect(await storedById('beacon-2')).toMatchObject({
      type: 'identify',
      user_id: 'u-b',
      traits: { email: 'b@example.com' },
    });
  });

  it('answers analytics.js one-letter paths', async () => {
    const response = await postJson(
      `${api.url}/v1/t`,
      { messageId: 'short-1', anonymousId: 'x', event: 'Clicked' },
      { authorization: basic(key) },
    );
    expect(response.status).toBe(200);
    expect(await storedById('short-1')).toMatchObject({ type: 'track', event: 'Clicked' });
  });

  it('refuses an invalid single call with the event’s own code', async () => {
    const response = await postJson(`${api.url}/v1/alias`, { anonymousId: 'x' }, { authorization: basic(key) });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('LIVORA_EVENT_INVALID');
  });

  it('delivers every call of the real Segment Node client (@segment/analytics-node)', async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({ writeKey: key, host: api.url, path: '/v1/batch', flushAt: 3, maxRetries: 1 });
    analytics.on('error', (error) => errors.push(error));
    analytics.track({ userId: 'seg-user', event: 'Product Added', properties: { product_id: 'sku-1', price: 12 } });
    analytics.identify({ userId: 'seg-user', traits: { email: 'seg@example.com', plan: 'pro' } });
    analytics.page({ anonymousId: 'seg-anon', name: 'Pricing', properties: { url: 'https://example.com/pricing' } });
    analytics.screen({ userId: 'seg-user', name: 'Cart' });
    analytics.group({ userId: 'seg-user', groupId: 'acme-inc', traits: { name: 'Acme' } });
    analytics.alias({ userId: 'seg-user', previousId: 'seg-anon' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const mine = (await api.readLog())
      .map((r) => JSON.parse(r.payload))
      .filter((e) => e.user_id === 'seg-user' || e.anonymous_id === 'seg-anon');
    const byType = Object.fromEntries(mine.map((e) => [e.type, e]));
    expect(Object.keys(byType).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
    expect(byType.track).toMatchObject({ event: 'Product Added', properties: { product_id: 'sku-1', price: 12 } });
    expect(byType.identify).toMatchObject({ traits: { email: 'seg@example.com', plan: 'pro' } });
    expect(byType.group).toMatchObject({ group_id: 'acme-inc' });
    expect(byType.alias).toMatchObject({ previous_id: 'seg-anon', user_id: 'seg-user' });
    expect(byType.track.context.library.name).toBe('@segment/analytics-node');
    for (const event of mine) expect(event.event_id).toMatch(/.+/);
  });
});
