import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type FakeEventHubs,
  findPubSubEmulator,
  type PubSubEmulator,
  startFakeEventHubs,
  startPubSubEmulator,
} from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

// The engine on each cloud stream: events go in through the API, the pipeline reads them
// back, and the lake ends exactly right (once each, one person per visitor).
const launcher = findPubSubEmulator();

describe.skipIf(!launcher)(
  `the pipeline on Pub/Sub (Google's emulator${launcher ? '' : ': SKIPPED, no cloud-pubsub-emulator with Java here'})`,
  () => {
    let emulator: PubSubEmulator;
    let api: TestApi;
    let key: string;

    beforeAll(async () => {
      emulator = await startPubSubEmulator(launcher as string);
      api = await startTestApi(
        { LIVORA_STREAM: 'gcp', PUBSUB_EMULATOR_HOST: emulator.host, LIVORA_LAKE_ROLL_SECONDS: '1' },
        { pipeline: true },
      );
      ({ key } = await api.tenant());
    }, 90_000);
    afterAll(async () => {
      await api?.close();
      await emulator?.stop();
    });

    it('takes events through the API into the lake, once each, with one person per visitor', () => story(api, key));

    it('replays a range whose lake write failed under the new numbers Pub/Sub gives redeliveries: every event once', async () => {
      // Pub/Sub numbers what it redelivers in arrival order: events processed under one offset
      // come back under another, and must count as replays, not as duplicates of themselves.
      const tenant = await api.tenant();
      const blocker = path.join(api.lakeDir, 'profiles', `tenant=${tenant.tenantId}`);
      await mkdir(path.dirname(blocker), { recursive: true });
      await writeFile(blocker, 'not a folder'); // the range's profile snapshot cannot be written
      const send = async (from: number) => {
        const events = Array.from({ length: 30 }, (_, i) => ({
          type: 'track',
          event: 'Viewed',
          event_id: `renumbered-${from + i}`,
          anonymous_id: `visitor-${(from + i) % 5}`,
        }));
        const response = await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(tenant.key) });
        expect(response.status).toBe(202);
      };
      await send(0);
      await new Promise((resolve) => setTimeout(resolve, 2500)); // processed, written, failed, redelivered
      await send(30); // new messages arrive among the redelivered ones
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await rm(blocker);
      const counted = async () =>
        (
          await queryLake(
            api.lakeDir,
            `SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS ids FROM {events} WHERE tenant_id = '${tenant.tenantId}'`,
          ).catch(() => [{ n: 0, ids: 0 }])
        )[0]; // no lake file yet
      await eventually(async () => (await counted())?.ids === 60, 40_000, 'all sixty events in the lake');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await counted()).toEqual({ n: 60, ids: 60 });
    }, 60_000);
  },
);

async function story(api: TestApi, key: string): Promise<void> {
  const events = Array.from({ length: 60 }, (_, i) => ({
    type: 'track',
    event: 'Viewed',
    event_id: `cloud-${i}`,
    anonymous_id: `visitor-${i % 6}`,
  }));
  const first = await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) });
  expect(first.status).toBe(202);
  const retry = await postJson(`${api.url}/v1/events`, { events: events.slice(0, 10) }, { authorization: basic(key) });
  expect(retry.status).toBe(202);
  await eventually(
    async () => {
      try {
        return (await queryLake(api.lakeDir, 'SELECT count(*)::INT AS n FROM {events}'))[0]?.n === 60;
      } catch {
        return false; // no lake file yet
      }
    },
    40_000,
    'sixty events in the lake',
  );
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a late duplicate would show now
  const [counts] = await queryLake(
    api.lakeDir,
    `SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS ids, count(DISTINCT person_id)::INT AS people FROM {events}`,
  );
  expect(counts).toEqual({ n: 60, ids: 60, people: 6 });
  // Lag in time is reported on every stream, also where events behind cannot be counted.
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  const ages = [...metrics.matchAll(/^livora_pipeline_lag_seconds\{partition="[^"]+"\} (\S+)$/gm)];
  expect(ages.length).toBeGreaterThan(0);
  expect(ages.every((m) => Number(m[1]) === 0)).toBe(true);
}

// No Event Hubs emulator runs here (Microsoft's needs Docker): the stand-in AMQP peer of the adapter's tests.
describe('the pipeline on Event Hubs (stand-in AMQP peer, not the service)', () => {
  let hubs: FakeEventHubs;
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    hubs = await startFakeEventHubs('livora-events', 4);
    api = await startTestApi(
      {
        LIVORA_STREAM: 'azure',
        LIVORA_EVENT_HUBS_CONNECTION_STRING: hubs.connectionString,
        LIVORA_LAKE_ROLL_SECONDS: '1',
      },
      { pipeline: true },
    );
    ({ key } = await api.tenant());
  });
  afterAll(async () => {
    await api?.close();
    await hubs?.stop();
  });

  it('takes events through the API into the lake, once each, with one person per visitor', () => story(api, key));
});
