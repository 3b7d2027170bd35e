import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;
let tenantId: string;
let analyst: string;

const at = (minutes: number) => new Date(Date.parse('2026-11-10T09:00:00.000Z') + minutes * 60_000).toISOString();
const track = (
  id: string,
  anonymousId: string,
  event: string,
  minutes: number,
  properties: Record<string, unknown> = {},
) => ({
  type: 'track',
  event_id: id,
  anonymous_id: anonymousId,
  event,
  properties,
  timestamp: at(minutes),
});

async function send(events: Record<string, unknown>[]) {
  const response = await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) });
  expect(response.status).toBe(202);
}

async function load(lakeEvents: number) {
  await eventually(
    async () => Number((await queryLake(api.lakeDir, 'SELECT count(*) AS n FROM {events}'))[0]?.n ?? 0) >= lakeEvents,
    30_000,
    `${lakeEvents} events in the lake`,
  );
  await api.warehouse?.loader.load();
}

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${analyst}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    json: () => JSON.parse(text),
  };
}

const funnel = {
  steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }, { event: 'Order Completed' }],
  from: '2026-11-10T00:00:00Z',
  to: '2026-11-11T00:00:00Z',
  window_seconds: 3600,
};

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true, warehouse: true });
  ({ key, tenantId } = await api.tenant());
  analyst = api.token(tenantId, 'analyst');
  await send([
    track('a1', 'anna', 'Product Viewed', 0, { product_id: 'sku-1' }),
    track('a2', 'anna', 'Product Added', 2, { product_id: 'sku-1' }),
    track('a3', 'anna', 'Order Completed', 5, {
      revenue: 30,
      currency: 'EUR',
      products: [{ product_id: 'sku-1', price: 30, quantity: 1 }],
    }),
    track('b1', 'bob', 'Product Viewed', 10, { product_id: 'sku-2' }),
    track('b2', 'bob', 'Product Added', 14, { product_id: 'sku-2' }),
    track('c1', 'cleo', 'Product Viewed', 20, { product_id: 'sku-1' }),
  ]);
  await load(6);
}, 60_000);
afterAll(async () => {
  await api?.close();
});

describe('the analytics API', () => {
  it('answers a funnel from the warehouse: counts, conversion, drop-off and median times', async () => {
    const response = await call('POST', '/v1/analytics/funnel', funnel);
    expect(response.status, response.text).toBe(200);
    const [series] = response.json().series;
    expect(series.steps.map((s: { persons: number }) => s.persons)).toEqual([3, 2, 1]);
    expect(series.steps[1]).toMatchObject({ conversion: 2 / 3, drop_off: 1 / 3, median_seconds_from_previous: 180 });
    expect(series.steps[2]).toMatchObject({ conversion: 1 / 3, drop_off: 0.5, median_seconds_from_previous: 180 });
  });

  it('serves a cached answer until new data lands in the range it read', async () => {
    // The warehouse changed behind the cache's back (not by a load): the answer stays.
    await sql`DELETE FROM events WHERE event = 'Order Completed'`.execute(api.warehouse?.warehouse.db as never);
    const cached = (await call('POST', '/v1/analytics/funnel', funnel)).json();
    expect(cached.series[0].steps[2].persons).toBe(1);
    // A load for that day: within a second (the data version is looked up once a second) the answer is computed afresh.
    await send([track('c2', 'cleo', 'Product Added', 25, { product_id: 'sku-1' })]);
    await load(7);
    const persons = async () =>
      (await call('POST', '/v1/analytics/funnel', funnel))
        .json()
        .series[0].steps.map((s: { persons: number }) => s.persons);
    await eventually(async () => JSON.stringify(await persons()) === '[3,3,1]', 5_000, 'the fresh funnel');
  }, 60_000);

  it('breaks a funnel down by a trait of the person, and keeps only a first-seen cohort', async () => {
    await send([
      {
        type: 'identify',
        event_id: 'id-anna',
        anonymous_id: 'anna',
        user_id: 'u-anna',
        traits: { plan: 'pro' },
        timestamp: at(1),
      },
    ]);
    await load(8);
    const byPlan = async () =>
      (await call('POST', '/v1/analytics/funnel', { ...funnel, breakdown: { property: 'plan', of: 'person' } })).json()
        .series;
    await eventually(
      async () => (await byPlan()).some((s: { breakdown: string | null }) => s.breakdown === 'pro'),
      5_000,
      'the pro series',
    );
    const series = await byPlan();
    const persons = (value: string | null) =>
      series
        .find((s: { breakdown: string | null }) => s.breakdown === value)
        .steps.map((t: { persons: number }) => t.persons);
    expect(persons('pro')).toEqual([1, 1, 1]); // anna
    expect(persons(null)).toEqual([2, 2, 0]); // bob and cleo: no plan
    const none = await call('POST', '/v1/analytics/funnel', {
      ...funnel,
      cohort: { first_seen_from: '2026-01-01T00:00:00Z', first_seen_to: '2026-02-01T00:00:00Z' },
    });
    expect(none.json().series).toEqual([]);
    const everyone = await call('POST', '/v1/analytics/funnel', {
      ...funnel,
      cohort: { first_seen_from: '2026-11-10T00:00:00Z', first_seen_to: '2026-11-11T00:00:00Z' },
    });
    expect(everyone.json().series[0].steps.map((t: { persons: number }) => t.persons)).toEqual([3, 3, 1]);
  }, 60_000);

  it('keeps only the people of a CRM static segment', async () => {
    const marketer = { authorization: `Bearer ${api.token(tenantId, 'marketer')}` };
    const crm = async (path: string, body: unknown) =>
      (await call('POST', path, body, marketer)).json() as { id: string } & Record<string, unknown>;
    const personOf = async (anonymousId: string) =>
      (
        await sql<{ person_id: string }>`
          SELECT person_id FROM person_ids WHERE tenant_id = ${tenantId} AND distinct_id = ${`a:${anonymousId}`}`.execute(
          api.db,
        )
      ).rows[0]?.person_id;
    const segment = await crm('/v1/crm/segments', { name: 'Anna and Cleo' });
    const contacts = [
      await crm('/v1/crm/contacts', { first_name: 'Anna', person_id: await personOf('anna') }),
      await crm('/v1/crm/contacts', { first_name: 'Cleo', person_id: await personOf('cleo') }),
      await crm('/v1/crm/contacts', { first_name: 'No events yet' }),
    ];
    await crm('/v1/crm/contacts/bulk', {
      action: 'add_to_segment',
      segment_id: segment.id,
      ids: contacts.map((c) => c.id),
    });
    const inSegment = await call('POST', '/v1/analytics/funnel', { ...funnel, segment_id: segment.id });
    expect(inSegment.status, inSegment.text).toBe(200);
    expect(inSegment.json().series[0].steps.map((t: { persons: number }) => t.persons)).toEqual([2, 2, 1]);

    const nobody = await crm('/v1/crm/segments', { name: 'Nobody with events' });
    await crm('/v1/crm/contacts/bulk', { action: 'add_to_segment', segment_id: nobody.id, ids: [contacts[2]?.id] });
    expect((await call('POST', '/v1/analytics/funnel', { ...funnel, segment_id: nobody.id })).json().series).toEqual(
      [],
    );
    const unknown = await call('POST', '/v1/analytics/funnel', {
      ...funnel,
      segment_id: '0190a000-0000-7000-8000-0000000000ff',
    });
    expect([unknown.status, unknown.json().code]).toEqual([404, 'LIVORA_CRM_NOT_FOUND']);

    // The contact 360 shows the person's latest events and orders from the warehouse.
    const view = (await call('GET', `/v1/crm/contacts/${contacts[0]?.id}/360`, undefined, marketer)).json() as {
      recent: { events: { name: string; type: string }[]; orders: { revenue: string; currency: string }[] };
    };
    expect(view.recent.events.filter((e) => e.type === 'track').map((e) => e.name)).toEqual([
      'Order Completed',
      'Product Added',
      'Product Viewed',
    ]);
    expect(view.recent.orders).toHaveLength(1);
    expect([Number(view.recent.orders[0]?.revenue), view.recent.orders[0]?.currency]).toEqual([30, 'EUR']);
  }, 60_000);

  it('gives every table as CSV too', async () => {
    const response = await call('POST', '/v1/analytics/funnel', funnel, { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/csv/);
    const lines = response.text.trim().split('\r\n');
    expect(lines[0]).toBe('breakdown,step,event,persons,conversion,drop_off,median_seconds_from_previous');
    expect(lines[1]).toBe(',1,Product Viewed,3,1,0,');
    const products = await call('GET', '/v1/analytics/product-performance?from=2026-11-10&to=2026-11-11', undefined, {
      accept: 'text/csv',
    });
    expect(products.text.split('\r\n')[0]).toBe('product_id,views,adds,purchases,units,revenue,currency,conversion');
  });

  it('answers the product table, cohorts, LTV and KPIs', async () => {
    const products = (
      await call('GET', '/v1/analytics/product-performance?from=2026-11-10&to=2026-11-11&sort=views')
    ).json();
    expect(products.currency).toBe('EUR');
    expect(products.rows.map((r: { product_id: string; views: number }) => [r.product_id, r.views])).toEqual([
      ['sku-1', 2],
      ['sku-2', 1],
    ]);
    expect(products.rows[0]).toMatchObject({ adds: 2, purchases: 1, units: 1, revenue: '30.0000' });
    expect(products.rows[0].series).toEqual([{ day: '2026-11-10', views: 2, purchases: 1, revenue: '30.0000' }]);

    const cohorts = await call('POST', '/v1/analytics/cohorts', {
      start: { event: 'Product Viewed' },
      return: { event: '$any' },
      unit: 'day',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-20T00:00:00Z',
      periods: 3,
    });
    expect(cohorts.json().cohorts).toEqual([
      { start: '2026-11-10', persons: 3, retained: [3, 0, 0], rates: [1, 0, 0] },
    ]);

    const ltv = (
      await call('GET', '/v1/analytics/ltv?from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z&unit=month')
    ).json();
    // The order deleted behind the cache's back came back with the reload of its day.
    expect(ltv.groups).toEqual([
      {
        group: '2026-11-01',
        persons: 3,
        revenue: [{ currency: 'EUR', paying_persons: 1, orders: 1, revenue: '30.0000', ltv: '10.0000' }],
      },
    ]);

    const kpis = (await call('GET', '/v1/analytics/kpis?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z')).json();
    expect(kpis.current).toMatchObject({ active_persons: 3, dau: 3, wau: 3, mau: 3 });
    expect(kpis.previous).toMatchObject({ active_persons: 0 });
    expect(kpis.change.active_persons).toBeNull();
  });

  it('pages the product table with a cursor, and refuses a cursor it did not give', async () => {
    const first = (
      await call('GET', '/v1/analytics/product-performance?from=2026-11-10&to=2026-11-11&sort=views&limit=1')
    ).json();
    expect(first.rows.map((r: { product_id: string }) => r.product_id)).toEqual(['sku-1']);
    const second = (
      await call(
        'GET',
        `/v1/analytics/product-performance?from=2026-11-10&to=2026-11-11&sort=views&limit=1&cursor=${first.next_cursor}`,
      )
    ).json();
    expect(second.rows.map((r: { product_id: string }) => r.product_id)).toEqual(['sku-2']);
    expect(second.next_cursor).toBeNull();
    const bad = await call('GET', '/v1/analytics/product-performance?from=2026-11-10&to=2026-11-11&cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.json().code).toBe('LIVORA_ANALYTICS_INVALID_CURSOR');
  });

  it('refuses bad queries with a stable code, and people who may not read analytics', async () => {
    const backwards = await call('POST', '/v1/analytics/funnel', { ...funnel, from: funnel.to, to: funnel.from });
    expect([backwards.status, backwards.json().code]).toEqual([400, 'LIVORA_ANALYTICS_INVALID_QUERY']);
    const unknown = await call('POST', '/v1/analytics/funnel', { ...funnel, breakdown: { property: '$nope' } });
    expect([unknown.status, unknown.json().code]).toEqual([400, 'LIVORA_ANALYTICS_INVALID_QUERY']);
    const oneStep = await call('POST', '/v1/analytics/funnel', { ...funnel, steps: [{ event: 'A' }] });
    expect([oneStep.status, oneStep.json().code]).toEqual([400, 'LIVORA_HTTP_INVALID_REQUEST']);
    const viewer = await call('POST', '/v1/analytics/funnel', funnel, {
      authorization: `Bearer ${api.token(tenantId, 'viewer')}`,
    });
    expect([viewer.status, viewer.json().code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
  });

  it('streams the tenant’s events as they are accepted (server-sent events)', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.url}/v1/analytics/live`, {
      headers: { authorization: `Bearer ${analyst}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    await send([track('live-1', 'dora', 'Product Viewed', 30)]);
    while (!received.includes('live-1')) received += decoder.decode((await reader.read()).value);
    controller.abort();
    const message = received.split('\n\n').find((m) => m.includes('live-1')) as string;
    expect(message).toMatch(/^event: events\ndata: /m);
    const events = JSON.parse(message.slice(message.indexOf('data: ') + 6));
    expect(events[0]).toMatchObject({
      event_id: 'live-1',
      type: 'track',
      name: 'Product Viewed',
      anonymous_id: 'dora',
    });
  });

  it('reports, per tenant, how long ago data last landed in the warehouse', async () => {
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith(`livora_warehouse_last_load_age_seconds{tenant="${tenantId}"}`));
    expect(Number(line?.split(' ')[1])).toBeGreaterThanOrEqual(0);
    expect(Number(line?.split(' ')[1])).toBeLessThan(120);
  });

  it('saves a funnel: built at the next load, then answered from its day rows as it was from the events', async () => {
    const fromEvents = (await call('POST', '/v1/analytics/funnel', funnel)).json();
    expect(fromEvents.source).toBe('events');
    const definition = { name: 'Checkout', steps: funnel.steps, window_seconds: funnel.window_seconds };
    const saved = await call('POST', '/v1/analytics/saved-funnels', definition);
    expect(saved.status, saved.text).toBe(201);
    expect(saved.json()).toMatchObject({ name: 'Checkout', order: 'ordered', breakdown: null, status: 'building' });
    const again = await call('POST', '/v1/analytics/saved-funnels', definition);
    expect([again.status, again.json().code]).toEqual([409, 'LIVORA_ANALYTICS_FUNNEL_EXISTS']);
    const marketer = await call('POST', '/v1/analytics/saved-funnels', definition, {
      authorization: `Bearer ${api.token(tenantId, 'marketer')}`,
    });
    expect([marketer.status, marketer.json().code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);

    await api.warehouse?.loader.load();
    const status = async () => (await call('GET', '/v1/analytics/saved-funnels')).json().funnels[0]?.status;
    await eventually(async () => (await status()) === 'ready', 5_000, 'the saved funnel built');
    const fromSaved = (await call('POST', '/v1/analytics/funnel', funnel)).json();
    expect(fromSaved).toEqual({ ...fromEvents, source: 'saved' });
    // Part of a day: from the events.
    const partDay = (await call('POST', '/v1/analytics/funnel', { ...funnel, to: '2026-11-10T12:00:00Z' })).json();
    expect(partDay.source).toBe('events');

    const id = saved.json().id;
    expect((await call('DELETE', `/v1/analytics/saved-funnels/${id}`)).status).toBe(204);
    const gone = await call('DELETE', `/v1/analytics/saved-funnels/${id}`);
    expect([gone.status, gone.json().code]).toEqual([404, 'LIVORA_ANALYTICS_FUNNEL_NOT_FOUND']);
    await api.warehouse?.loader.load();
    const source = async () => (await call('POST', '/v1/analytics/funnel', funnel)).json().source;
    await eventually(async () => (await source()) === 'events', 5_000, 'the funnel from the events again');
  }, 60_000);

  it('documents every analytics endpoint in the OpenAPI document, with examples', async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    for (const path of ['funnel', 'cohorts', 'ltv', 'product-performance', 'kpis', 'live', 'saved-funnels'])
      expect(Object.keys(document.paths)).toContain(`/v1/analytics/${path}`);
    expect(JSON.stringify(document.paths['/v1/analytics/saved-funnels']?.post)).toContain('Checkout Started');
    const body = JSON.stringify(document.paths['/v1/analytics/funnel']?.post?.requestBody?.content['application/json']);
    expect(body).toContain('Checkout Started');
    const reply = JSON.stringify(document.paths['/v1/analytics/cohorts']?.post);
    expect(reply).toContain('2026-09-07');
  });
});
