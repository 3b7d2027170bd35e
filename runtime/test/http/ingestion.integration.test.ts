import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackEvent } from '../support/events.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let tenantId: string;
let key: string;
let keyId: string;

beforeAll(async () => {
  api = await startTestApi();
  ({ tenantId, key, keyId } = await api.tenant());
});
afterAll(async () => {
  await api?.close();
});

const events = (body: unknown, headers: Record<string, string> = { authorization: basic(key) }) =>
  postJson(`${api.url}/v1/events`, body, headers);

describe('POST /v1/events', () => {
  it('answers 202 with the durable position of every event, and the log holds exactly them', async () => {
    const batch = [
      trackEvent(),
      trackEvent({ type: 'identify', event: undefined, traits: { plan: 'pro' }, user_id: 'u-1' }),
    ];
    delete (batch[1] as Record<string, unknown>).event;
    delete (batch[1] as Record<string, unknown>).properties;
    const response = await events({ events: batch });
    expect(response.status).toBe(202);
    const accepted = response.json.accepted as { index: number; event_id: string; partition: string; offset: string }[];
    expect(accepted.map((a) => a.index)).toEqual([0, 1]);
    expect(response.json.rejected).toEqual([]);

    const log = await api.readLog();
    for (const [i, position] of accepted.entries()) {
      const record = log.find((r) => r.partition === position.partition && r.offset === position.offset);
      expect(record, `event ${i} at ${position.partition}/${position.offset}`).toBeDefined();
      const stored = JSON.parse(record?.payload ?? '{}');
      expect(stored).toMatchObject({
        v: 1,
        event_id: batch[i]?.event_id,
        tenant_id: tenantId,
        source_id: keyId,
        type: batch[i]?.type,
      });
      expect(Date.parse(stored.received_at)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('accepts the valid events of a batch and reports each rejected one by index and code', async () => {
    const response = await events({
      events: [
        trackEvent(),
        { type: 'track', anonymous_id: 'a' },
        { type: 'purchase', anonymous_id: 'a' },
        trackEvent({ anonymous_id: undefined, user_id: undefined }),
        trackEvent({ properties: 'not an object' }),
        trackEvent({ propertes: {} }),
        trackEvent({ properties: { blob: 'x'.repeat(40_000) } }),
        trackEvent(),
        // PostgreSQL text cannot hold a NUL, so the pipeline could never store it: refused here.
        trackEvent({ properties: { note: 'a\u0000b' } }),
        trackEvent({ properties: { 'key\u0000': 1 } }),
        // A backslash followed by "u0000" is text like any other.
        trackEvent({ properties: { path: 'C:\\u0000' } }),
      ],
    });
    expect(response.status).toBe(202);
    expect((response.json.accepted as { index: number }[]).map((a) => a.index)).toEqual([0, 7, 10]);
    const rejected = response.json.rejected as { index: number; code: string; message: string }[];
    expect(rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'LIVORA_EVENT_INVALID'],
      [2, 'LIVORA_EVENT_UNKNOWN_TYPE'],
      [3, 'LIVORA_EVENT_IDENTITY_MISSING'],
      [4, 'LIVORA_EVENT_INVALID'],
      [5, 'LIVORA_EVENT_INVALID'],
      [6, 'LIVORA_EVENT_TOO_LARGE'],
      [8, 'LIVORA_EVENT_INVALID'],
      [9, 'LIVORA_EVENT_INVALID'],
    ]);
    expect(rejected[0]?.message).toMatch(/event/);
    expect(rejected.slice(-2).map((r) => r.message)).toEqual([
      '/properties/note: text may not contain NUL (U+0000)',
      '/properties/key\\u0000: text may not contain NUL (U+0000)',
    ]);
    expect(rejected[4]?.message).toMatch(/propertes/);
  });

  it('answers 400 when every event is rejected, listing why', async () => {
    const response = await events({ events: [{ type: 'track', anonymous_id: 'a' }] });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.json).toMatchObject({ code: 'LIVORA_INGEST_ALL_REJECTED', status: 400 });
    expect(response.json.rejected).toEqual([expect.objectContaining({ index: 0, code: 'LIVORA_EVENT_INVALID' })]);
  });

  it('makes an event id when the client sends none, and accepts a re-sent id again', async () => {
    const withoutId = trackEvent();
    delete withoutId.event_id;
    const first = await events({ events: [withoutId] });
    const made = (first.json.accepted as { event_id: string }[])[0]?.event_id;
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const again = trackEvent();
    const a = await events({ events: [again] });
    const b = await events({ events: [again] });
    expect([a.status, b.status]).toEqual([202, 202]);
    const ids = [a, b].map((r) => (r.json.accepted as { event_id: string }[])[0]?.event_id);
    expect(ids).toEqual([again.event_id, again.event_id]);
  });

  it('accepts a bearer token of a role that may send events', async () => {
    const response = await events(
      { events: [trackEvent()] },
      { authorization: `Bearer ${api.token(tenantId, 'marketer')}` },
    );
    expect(response.status).toBe(202);
    const [stored] = (await api.readLog()).filter((r) =>
      r.payload.includes((response.json.accepted as { event_id: string }[])[0]?.event_id ?? '-'),
    );
    expect(JSON.parse(stored?.payload ?? '{}').source_id).toBe('sub:cli:marketer');
  });

  it('takes a browser’s text/plain post with the write key in the body, readable from any origin', async () => {
    const response = await fetch(`${api.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://shop.example' },
      body: JSON.stringify({ writeKey: key, events: [trackEvent()] }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await fetch(`${api.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey: 'wk_not_a_key', events: [trackEvent()] }),
    });
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([401, '*']);
    const preflight = await fetch(`${api.url}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    // Only ingestion is open to other origins.
    const crm = await fetch(`${api.url}/v1/crm/contacts`, { headers: { origin: 'https://shop.example' } });
    expect(crm.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('bad input gets its own status and stable code, and the engine keeps serving', () => {
  const cases: {
    name: string;
    send: () => Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
    status: number;
    code: string;
  }[] = [
    {
      name: 'malformed JSON',
      send: () => events('{"events": [', undefined),
      status: 400,
      code: 'LIVORA_HTTP_MALFORMED_JSON',
    },
    {
      name: 'wrong content type',
      send: () =>
        postJson(`${api.url}/v1/events`, 'events=1', {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(key),
        }),
      status: 415,
      code: 'LIVORA_HTTP_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'a body over 512 KB',
      send: () =>
        events({ events: Array.from({ length: 20 }, () => trackEvent({ properties: { blob: 'x'.repeat(30_000) } })) }),
      status: 413,
      code: 'LIVORA_HTTP_BODY_TOO_LARGE',
    },
    {
      name: 'a batch of 101 events',
      send: () => events({ events: Array.from({ length: 101 }, () => trackEvent()) }),
      status: 400,
      code: 'LIVORA_INGEST_BATCH_TOO_LARGE',
    },
    { name: 'an empty batch', send: () => events({ events: [] }), status: 400, code: 'LIVORA_INGEST_BATCH_EMPTY' },
    { name: 'no events field', send: () => events({ batch: [] }), status: 400, code: 'LIVORA_HTTP_INVALID_REQUEST' },
    {
      name: 'no credentials',
      send: () => events({ events: [trackEvent()] }, {}),
      status: 401,
      code: 'LIVORA_AUTH_MISSING',
    },
    {
      name: 'an unknown write key',
      send: () => events({ events: [trackEvent()] }, { authorization: basic('lvk_not-a-real-key') }),
      status: 401,
      code: 'LIVORA_AUTH_UNKNOWN_KEY',
    },
    {
      name: 'a well-formed write key that does not exist',
      send: () => events({ events: [trackEvent()] }, { authorization: basic(`lvk_${'A'.repeat(32)}`) }),
      status: 401,
      code: 'LIVORA_AUTH_UNKNOWN_KEY',
    },
    {
      name: 'a huge write key in a beacon body (never cached)',
      send: () =>
        postJson(
          `${api.url}/v1/batch`,
          { writeKey: 'x'.repeat(100_000), batch: [{ type: 'track', event: 'x', anonymousId: 'a' }] },
          {},
        ),
      status: 400,
      code: 'LIVORA_HTTP_INVALID_REQUEST',
    },
    {
      name: 'a beacon body (text/plain) that tries prototype poisoning',
      send: () =>
        postJson(
          `${api.url}/v1/events`,
          '{"events":[{"type":"track","event":"x","anonymous_id":"a","__proto__":{"admin":true}}]}',
          {
            'content-type': 'text/plain',
            authorization: basic(key),
          },
        ),
      status: 400,
      code: 'LIVORA_HTTP_MALFORMED_JSON',
    },
    {
      name: 'a token for a tenant that does not exist',
      send: () =>
        events({ events: [trackEvent()] }, { authorization: `Bearer ${api.token('no-such-tenant', 'admin')}` }),
      status: 401,
      code: 'LIVORA_AUTH_TOKEN_INVALID',
    },
    {
      name: 'an unsupported authorization scheme',
      send: () => events({ events: [trackEvent()] }, { authorization: 'Digest abc' }),
      status: 401,
      code: 'LIVORA_AUTH_MALFORMED',
    },
    {
      name: 'an expired token',
      send: async () => {
        const token = api.token(tenantId, 'admin', 1);
        await new Promise((resolve) => setTimeout(resolve, 2100));
        return events({ events: [trackEvent()] }, { authorization: `Bearer ${token}` });
      },
      status: 401,
      code: 'LIVORA_AUTH_TOKEN_EXPIRED',
    },
    {
      name: 'a token that is not a JWT',
      send: () => events({ events: [trackEvent()] }, { authorization: 'Bearer not.a.token' }),
      status: 401,
      code: 'LIVORA_AUTH_TOKEN_INVALID',
    },
    {
      name: 'a token signed with another secret',
      send: async () => {
        const { mintLocalToken } = await import('../../src/auth/local-tokens.ts');
        const forged = mintLocalToken('another-secret-that-is-long-enough-for-hs256', {
          tenant: tenantId,
          role: 'admin',
        });
        return events({ events: [trackEvent()] }, { authorization: `Bearer ${forged}` });
      },
      status: 401,
      code: 'LIVORA_AUTH_TOKEN_INVALID',
    },
    {
      name: 'a role that may not send events',
      send: () => events({ events: [trackEvent()] }, { authorization: `Bearer ${api.token(tenantId, 'viewer')}` }),
      status: 403,
      code: 'LIVORA_AUTH_FORBIDDEN',
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const response = await c.send();
      expect(response.status).toBe(c.status);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.json).toMatchObject({ code: c.code, status: c.status });
      expect(typeof response.json.request_id).toBe('string');
      expect(typeof response.json.detail).toBe('string');
    });
  }

  it('refuses a revoked key at once, even though it was cached', async () => {
    const { key: doomed, keyId: doomedId } = await api.tenant();
    expect((await events({ events: [trackEvent()] }, { authorization: basic(doomed) })).status).toBe(202);
    await api.services.keys.revoke(doomedId);
    let response = await events({ events: [trackEvent()] }, { authorization: basic(doomed) });
    // The revocation reaches the API's cache through NOTIFY: allow it a moment.
    for (let i = 0; i < 20 && response.status === 202; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await events({ events: [trackEvent()] }, { authorization: basic(doomed) });
    }
    expect(response.status).toBe(401);
    expect(response.json.code).toBe('LIVORA_AUTH_REVOKED_KEY');
  });

  it('still accepts valid events after all of that', async () => {
    const response = await events({ events: [trackEvent()] });
    expect(response.status).toBe(202);
  });
});

describe('rate limits', () => {
  it('refuses a flood beyond a key’s limit with 429 and Retry-After, and only that key', async () => {
    const slow = await api.tenant(undefined, { ratePerSecond: 50, burst: 200 });
    const batch = () => ({ events: Array.from({ length: 100 }, () => trackEvent()) });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof events>> | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await events(batch(), { authorization: basic(slow.key) });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(statuses.slice(2)).toEqual([429, 429]);
    expect(limited?.json).toMatchObject({ code: 'LIVORA_RATE_LIMITED', scope: 'source' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Nothing of the refused batches reached the log.
    const logged = (await api.readLog()).filter((r) => r.payload.includes(`"source_id":"${slow.keyId}"`));
    expect(logged).toHaveLength(200);
    // Other keys are not affected.
    expect((await events({ events: [trackEvent()] })).status).toBe(202);
  });

  it('limits a tenant across all of its keys', async () => {
    const limitedApi = await startTestApi({
      LIVORA_RATE_TENANT_EVENTS_PER_SECOND: '10',
      LIVORA_RATE_TENANT_BURST: '150',
    });
    try {
      const { tenantId: t, key: first } = await limitedApi.tenant();
      const { key: second } = await limitedApi.services.keys.create(t, 'second');
      const batch = { events: Array.from({ length: 100 }, () => trackEvent()) };
      const a = await postJson(`${limitedApi.url}/v1/events`, batch, { authorization: basic(first) });
      const b = await postJson(`${limitedApi.url}/v1/events`, batch, { authorization: basic(second) });
      expect(a.status).toBe(202);
      expect(b.status).toBe(429);
      expect(b.json).toMatchObject({ code: 'LIVORA_RATE_LIMITED', scope: 'tenant' });
    } finally {
      await limitedApi.close();
    }
  });
});
