import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

// One story through the API, the pipeline and the lake: duplicates, late events, an
// identify/alias chain, several sessions, a shared device and a refused merge.
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const LONDON = '81.2.69.142';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let api: TestApi;
let key: string;
let tenantId: string;
let token: string;
let accepted = 0;

async function send(events: Record<string, unknown>[]) {
  const response = await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) });
  expect(response.status).toBe(202);
  accepted += (response.json.accepted as unknown[]).length;
}

const page = (id: string, minutes: number, anonymousId: string, extra: Record<string, unknown> = {}) => ({
  type: 'page',
  event_id: id,
  anonymous_id: anonymousId,
  name: 'Page',
  timestamp: at(minutes),
  ...extra,
});

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1', LIVORA_SHARED_ANONYMOUS_USERS: '2' }, { pipeline: true });
  ({ key, tenantId } = await api.tenant());
  token = api.token(tenantId, 'analyst');

  const google = {
    ip: LONDON,
    user_agent: IPHONE,
    page: {
      url: 'https://shop.example.com/?utm_source=Google&utm_medium=CPC&utm_campaign=Shoes',
      referrer: 'https://www.google.com/',
    },
  };
  // Visitor a-1, first session: a paid search visit.
  await send([
    page('a-p1', 0, 'a-1', { context: google }),
    page('a-p2', 1, 'a-1', { context: { ip: LONDON, page: { url: 'https://shop.example.com/shoes' } } }),
    {
      type: 'identify',
      event_id: 'a-id1',
      anonymous_id: 'a-1',
      user_id: 'u-1',
      traits: { email: 'one@example.com', plan: 'free' },
      timestamp: at(3),
    },
    {
      type: 'track',
      event_id: 'a-o1',
      event: 'Order Completed',
      user_id: 'u-1',
      anonymous_id: 'a-1',
      properties: { order_id: 'o-1', revenue: 19.99, currency: 'EUR' },
      timestamp: at(5),
    },
  ]);
  // A retry of an event already sent: accepted, never counted twice.
  await send([page('a-p2', 1, 'a-1', { context: { ip: LONDON, page: { url: 'https://shop.example.com/shoes' } } })]);
  // Second session, 45 minutes later, from an email; then a newer plan.
  await send([
    page('a-p3', 45, 'a-1', {
      user_id: 'u-1',
      context: { page: { url: 'https://shop.example.com/?utm_source=newsletter&utm_medium=email' } },
    }),
    {
      type: 'track',
      event_id: 'a-o2',
      event: 'Order Completed',
      user_id: 'u-1',
      properties: { order_id: 'o-2', revenue: 0.01, currency: 'EUR' },
      timestamp: at(47),
    },
    { type: 'identify', event_id: 'a-id2', user_id: 'u-1', traits: { plan: 'pro' }, timestamp: at(50) },
  ]);
  // Late arrivals: an event of the first session, and a stale plan that must not win.
  await send([
    {
      type: 'track',
      event_id: 'a-late',
      event: 'Product Viewed',
      anonymous_id: 'a-1',
      user_id: 'u-1',
      timestamp: at(0.5),
    },
    { type: 'identify', event_id: 'a-id-stale', user_id: 'u-1', traits: { plan: 'trial' }, timestamp: at(4) },
  ]);
  // Partitions are consumed independently: what follows depends on a-1's story being processed.
  await eventually(
    async () => {
      const profile = await fetch(`${api.url}/v1/profiles/u-1`, { headers: { authorization: `Bearer ${token}` } });
      return profile.status === 200 && ((await profile.json()) as { order_count: number }).order_count === 2;
    },
    30_000,
    "a-1's events to be processed",
  );
  // Visitor b-1 becomes u-2, then u-2 is aliased to u-1: an explicit merge of two identified people.
  await send([
    page('b-p1', 2, 'b-1'),
    {
      type: 'identify',
      event_id: 'b-id',
      anonymous_id: 'b-1',
      user_id: 'u-2',
      traits: { phone: '+44 20 0000' },
      timestamp: at(3),
    },
  ]);
  // Sent from b-1's device, as browser SDKs do: it follows b-1's events through their partition.
  await send([
    { type: 'alias', event_id: 'b-alias', anonymous_id: 'b-1', previous_id: 'u-2', user_id: 'u-1', timestamp: at(6) },
  ]);
  // Partitions are consumed independently: b-1's next page comes once the alias is processed.
  await eventually(
    async () => {
      const profile = await fetch(`${api.url}/v1/profiles/u-2`, { headers: { authorization: `Bearer ${token}` } });
      const ids = profile.status === 200 ? ((await profile.json()) as { user_ids: string[] }).user_ids : [];
      return ids.includes('u-1') && ids.includes('u-2');
    },
    30_000,
    'the alias to be processed',
  );
  await send([page('b-p2', 7, 'b-1')]);
  // A shared kiosk: s-1 is used by three people (threshold 2): the third is not merged into it.
  await send([
    { type: 'identify', event_id: 's-1a', anonymous_id: 's-1', user_id: 'k-1', timestamp: at(10) },
    { type: 'identify', event_id: 's-1b', anonymous_id: 's-1', user_id: 'k-2', timestamp: at(20) },
    { type: 'identify', event_id: 's-1c', anonymous_id: 's-1', user_id: 'k-3', timestamp: at(30) },
  ]);
  // c-1 belongs to u-20; a different identified user on it must not merge the two.
  await send([
    { type: 'identify', event_id: 'c-1a', anonymous_id: 'c-1', user_id: 'u-20', timestamp: at(10) },
    { type: 'track', event_id: 'c-1b', event: 'Clicked', anonymous_id: 'c-1', user_id: 'u-21', timestamp: at(11) },
  ]);

  const expected = accepted - 1; // the one retry
  await eventually(
    async () => {
      const [row] = await queryLake(api.lakeDir, `SELECT count(*)::INT AS n FROM {events}`);
      return row?.n === expected;
    },
    30_000,
    `${expected} events in the lake`,
  );
}, 90_000);

afterAll(async () => {
  await api?.close();
});

const events = async () =>
  Object.fromEntries(
    (
      await queryLake(
        api.lakeDir,
        `SELECT event_id, person_id, session_id, channel, session_channel, geo_country, geo_city, ua_os, utm_source, revenue, currency FROM {events}`,
      )
    ).map((row) => [row.event_id as string, row]),
  );

describe('the pipeline, end to end', () => {
  it('holds every accepted event once: the retry is dropped', async () => {
    const rows = await queryLake(
      api.lakeDir,
      `SELECT event_id, count(*)::INT AS n FROM {events} GROUP BY event_id HAVING count(*) > 1`,
    );
    expect(rows).toEqual([]);
    const all = await events();
    expect(Object.keys(all)).toHaveLength(accepted - 1);
  });

  it('reports per step what it processed and dropped, and no lag once caught up', async () => {
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const value = (pattern: string) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('livora_pipeline_events_total\\{step="dedupe",outcome="dropped"\\}')).toBe(1);
    expect(value('livora_pipeline_events_total\\{step="profiles",outcome="processed"\\}')).toBe(accepted - 1);
    const lags = [...metrics.matchAll(/^livora_pipeline_lag_events\{partition="(\d+)"\} (\S+)$/gm)];
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.map((m) => Number(m[2]))).toEqual(lags.map(() => 0));
    const ages = [...metrics.matchAll(/^livora_pipeline_lag_seconds\{partition="(\d+)"\} (\S+)$/gm)];
    expect(ages.map((m) => m[1])).toEqual(expect.arrayContaining(lags.map((m) => m[1])));
    expect(ages.map((m) => Number(m[2]))).toEqual(ages.map(() => 0));
  });

  it('gives a visitor and the user they became one person, with geo, device and channel', async () => {
    const e = await events();
    const person = e['a-p1']?.person_id;
    for (const id of ['a-p2', 'a-id1', 'a-o1', 'a-p3', 'a-o2', 'a-id2', 'a-late', 'a-id-stale'])
      expect(e[id]?.person_id, id).toBe(person);
    expect(e['a-p1']).toMatchObject({
      geo_country: 'GB',
      geo_city: 'London',
      ua_os: 'iOS',
      utm_source: 'google',
      channel: 'paid_search',
    });
    expect(e['a-o1']).toMatchObject({ revenue: '19.9900', currency: 'EUR', session_channel: 'paid_search' });
  });

  it('splits sessions after 30 minutes or a new campaign, and puts late events in the session they belong to', async () => {
    const e = await events();
    const first = e['a-p1']?.session_id;
    for (const id of ['a-p2', 'a-id1', 'a-o1', 'a-late']) expect(e[id]?.session_id, id).toBe(first);
    const second = e['a-p3']?.session_id;
    expect(second).not.toBe(first);
    expect(e['a-o2']?.session_id).toBe(second);
    expect(e['a-p3']?.session_channel).toBe('email');
    const sessions = await queryLake(
      api.lakeDir,
      `SELECT session_id::VARCHAR AS session_id, arg_max(entry_channel, snapshot_at) AS channel, arg_max(events, snapshot_at) AS events,
              arg_max(landing_page, snapshot_at) AS landing, epoch_ms(arg_max(started_at, snapshot_at)) AS started
       FROM {sessions} GROUP BY session_id`,
    );
    const byId = Object.fromEntries(sessions.map((s) => [s.session_id, s]));
    expect(byId[first as string]).toMatchObject({ channel: 'paid_search', landing: '/', started: String(T0) });
  });

  it('continues a stored session from a later batch: its end and counts move on', async () => {
    const e = await events();
    const first = e['a-p1']?.session_id as string;
    // b-1's alias (6 min) and next page (7 min), each processed after a-1's story was, join
    // the merged person's first session: it was stored, and is updated.
    expect(e['b-alias']?.session_id).toBe(first);
    expect(e['b-p2']?.session_id).toBe(first);
    const { rows } = await sql<{ events: number; page_views: number; ended_at: Date }>`
      SELECT events, page_views, ended_at FROM sessions WHERE session_id = ${first}`.execute(api.db);
    // a-p1, a-p2, a-id1, a-o1, a-late, a-id-stale, b-alias, b-p2; three of them pages.
    expect(rows[0]).toEqual({ events: 8, page_views: 3, ended_at: new Date(at(7)) });
  });

  it('merges through an alias, keeps a shared device apart, and refuses to merge two identified people', async () => {
    const e = await events();
    const person = e['a-p1']?.person_id;
    expect(e['b-p1']?.person_id).not.toBe(person); // before the alias: b-1's own person
    expect(e['b-p2']?.person_id).toBe(person); // after it: the merged person
    expect(e['s-1c']?.person_id).not.toBe(e['s-1a']?.person_id);
    expect(e['c-1b']?.person_id).not.toBe(e['c-1a']?.person_id);
  });

  it('keeps the profile: latest traits by time, orders and exact revenue, reachable by any of the ids', async () => {
    const response = await fetch(`${api.url}/v1/profiles/u-2`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const profile = (await response.json()) as Record<string, unknown>;
    expect(profile).toMatchObject({
      user_id: 'u-1',
      traits: { email: 'one@example.com', plan: 'pro', phone: '+44 20 0000' },
      order_count: 2,
      revenue: [{ currency: 'EUR', orders: 2, amount: '20.0000' }],
      last_channel: 'email',
      session_count: 3,
    });
    // (Had the alias been processed before u-2 was ever seen, "u-2" would also be kept as an anonymous id.)
    expect(profile.anonymous_ids).toEqual(expect.arrayContaining(['a-1', 'b-1']));
    expect(profile.user_ids).toEqual(['u-1', 'u-2']);
    const byPerson = await fetch(`${api.url}/v1/profiles/${(await events())['b-p1']?.person_id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await byPerson.json()) as { person_id: string }).person_id).toBe(profile.person_id);
    const missing = await fetch(`${api.url}/v1/profiles/nobody`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
  });
});
