import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true });
});
afterAll(async () => {
  await api?.close();
});

it('looks the full IP up, then keeps only its network part for tenants that ask for it', async () => {
  const open = await api.tenant();
  const careful = await api.tenant();
  await api.services.tenants.setTruncateIp(careful.tenantId, true);
  const event = (id: string) => ({
    type: 'track',
    event: 'Seen',
    event_id: id,
    anonymous_id: 'v',
    context: { ip: '81.2.69.142' },
  });
  expect(
    (await postJson(`${api.url}/v1/events`, { events: [event('open-1')] }, { authorization: basic(open.key) })).status,
  ).toBe(202);
  expect(
    (await postJson(`${api.url}/v1/events`, { events: [event('careful-1')] }, { authorization: basic(careful.key) }))
      .status,
  ).toBe(202);
  await eventually(
    async () => (await queryLake(api.lakeDir, 'SELECT count(*)::INT AS n FROM {events}'))[0]?.n === 2,
    20_000,
    'both events in the lake',
  );
  const rows = await queryLake(
    api.lakeDir,
    `SELECT event_id, geo_city, json_extract_string(context, '$.ip') AS ip FROM {events} ORDER BY event_id`,
  );
  expect(rows).toEqual([
    { event_id: 'careful-1', geo_city: 'London', ip: '81.2.69.0' },
    { event_id: 'open-1', geo_city: 'London', ip: '81.2.69.142' },
  ]);
});
