import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LAKE_EMULATORS, type LakeEmulator } from '@livora/adapters/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryLake } from '../support/lake.ts';
import { basic, postJson, startTestApi, type TestApi } from '../support/test-api.ts';

// The engine with its lake in each cloud's object store (on its emulator): the files it
// writes there, fetched back and read with DuckDB, hold the events once each.
for (const [kind, emulator] of Object.entries(LAKE_EMULATORS)) {
  const title = `the lake in ${emulator.name}${emulator.missing ? `: SKIPPED, install it with ${emulator.missing}` : ''}`;
  describe.skipIf(emulator.missing !== null)(title, () => {
    let lake: LakeEmulator;
    let api: TestApi;
    let copy: string;

    beforeAll(async () => {
      lake = await emulator.start();
      api = await startTestApi({ ...lake.env, LIVORA_LAKE_ROLL_SECONDS: '1' }, { pipeline: true });
      copy = await mkdtemp(path.join(tmpdir(), `livora-${kind}-lake-`));
    }, 60_000);
    afterAll(async () => {
      await api?.close();
      await lake?.stop();
      if (copy) await rm(copy, { recursive: true, force: true });
    });

    /** Downloads the bucket's Parquet files into a directory DuckDB reads (no cloud extension offline). */
    async function fetchLake(): Promise<string[]> {
      const keys = (await lake.store.list('')).filter((k) => k.endsWith('.parquet'));
      await rm(copy, { recursive: true, force: true });
      for (const key of keys) {
        const body = await lake.store.get(key);
        if (!body) continue;
        const file = path.join(copy, key);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, body);
      }
      return keys;
    }

    it('holds every event once, with sessions and profiles beside them', async () => {
      const { key } = await api.tenant();
      const events = Array.from({ length: 30 }, (_, i) => ({
        type: 'page',
        name: 'Home',
        event_id: `${kind}-${i}`,
        anonymous_id: `visitor-${i % 3}`,
      }));
      expect((await postJson(`${api.url}/v1/events`, { events }, { authorization: basic(key) })).status).toBe(202);
      let keys: string[] = [];
      await eventually(
        async () => {
          keys = await fetchLake();
          // Snapshots are written after a range's event files, partition by partition: wait for all.
          if (!['events/', 'sessions/', 'profiles/'].every((folder) => keys.some((k) => k.startsWith(folder)))) {
            return false;
          }
          const [seen] = await queryLake(
            copy,
            `SELECT (SELECT count(*) FROM {events})::INT AS events,
                    (SELECT count(DISTINCT session_id) FROM {sessions})::INT AS sessions,
                    (SELECT count(DISTINCT person_id) FROM {profiles})::INT AS profiles`,
          );
          return seen?.events === 30 && seen?.sessions === 3 && seen?.profiles === 3;
        },
        30_000,
        'thirty events, three sessions and three profiles in the bucket',
      );
      expect(keys.every((k) => /^(events|sessions|profiles)\/tenant=/.test(k))).toBe(true);
      const [counts] = await queryLake(
        copy,
        'SELECT count(DISTINCT event_id)::INT AS ids, count(DISTINCT person_id)::INT AS people FROM {events}',
      );
      expect(counts).toEqual({ ids: 30, people: 3 });
    });
  });
}
