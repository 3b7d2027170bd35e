import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let key: string;

beforeAll(async () => {
  api = await startTestApi({ LIVORA_LAKE_ROLL_SECONDS: '1', LIVORA_STREAM_PARTITIONS: '1' }, { pipeline: true });
  ({ key } = await api.tenant());
});
afterAll(async () => {
  await api?.close();
});

const send = (from: number, count: number) =>
  postJson(
    `${api.url}/v1/events`,
    {
      events: Array.from({ length: count }, (_, i) => ({
        type: 'track',
        event: 'Viewed',
        event_id: `lake-failure-${from + i}`,
        anonymous_id: `visitor-${(from + i) % 3}`,
      })),
    },
    { authorization: basic(key) },
  );

async function counted() {
  try {
    return (
      await queryLake(api.lakeDir, 'SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS ids FROM {events}')
    )[0];
  } catch (error) {
    if (/No files found|Referenced column/.test(String(error))) return { n: 0, ids: 0 }; // no lake yet
    throw error;
  }
}

describe('a lake write that fails halfway', () => {
  it('is replayed from the checkpoint: the lake ends with every event once, and no file of the failed range', async () => {
    // A file where the sessions folder belongs: event files of a range are written, its session snapshot is not.
    await mkdir(api.lakeDir, { recursive: true });
    const blocker = path.join(api.lakeDir, 'sessions');
    await writeFile(blocker, 'not a folder');
    expect((await send(0, 5)).status).toBe(202);
    await eventually(async () => (await counted())?.n === 5, 20_000, 'the first range’s event files');
    expect((await send(5, 5)).status).toBe(202); // the range grows while the lake refuses it
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await rm(blocker);

    await eventually(async () => (await counted())?.ids === 10, 20_000, 'all ten events in the lake');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // another flush would show a duplicate
    expect(await counted()).toEqual({ n: 10, ids: 10 });
    const sessions = await queryLake(api.lakeDir, 'SELECT count(DISTINCT session_id)::INT AS n FROM {sessions}');
    expect(sessions[0]?.n).toBe(3);
  });
});
