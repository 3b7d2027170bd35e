import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDirectoryObjectStore, createDuckDbParquetEncoder } from '@livora/adapters/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLakeWriter, LeaseLostError } from '../../src/pipeline/lake/lake-writer.ts';
import type { PipelineEvent } from '../../src/pipeline/pipeline-event.ts';
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

describe('a lake write by a process that lost the partition', () => {
  it('stops before its first put (LeaseLostError) and leaves the lake as it was', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'livora-lease-lost-'));
    const encoder = await createDuckDbParquetEncoder({ stagingDir: path.join(dir, 'staging') });
    const writer = createLakeWriter({
      store: createDirectoryObjectStore(path.join(dir, 'lake')),
      encoder,
      db: api.db,
      compression: 'zstd',
    });
    try {
      const range = writer.openRange();
      const event = {
        v: 1,
        type: 'track',
        event: 'Viewed',
        event_id: 'lost-1',
        tenant_id: 'lost',
        source_id: 'test',
        anonymous_id: 'a',
        timestamp: '2026-11-25T10:00:00.000Z',
        received_at: '2026-11-25T10:00:00.000Z',
      };
      await range.add([{ partition: '9', offset: '1', event, derived: {} } as PipelineEvent]);
      await expect(range.write('9', '1', '1', async () => false)).rejects.toBeInstanceOf(LeaseLostError);
      expect(await readdir(path.join(dir, 'lake')).catch(() => [])).toEqual([]);
    } finally {
      await encoder.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
