import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryLake } from '../../runtime/test/support/lake.ts';
import {
  connectToDataDir,
  type EngineProcess,
  sendEvents,
  startEngine,
  tenantWithKey,
} from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';
import { storyEvents } from '../support/story.ts';

// The same story twice: once with a pipeline left alone, once with the pipeline killed
// (SIGKILL) in the middle of its work and restarted. The lake and the profiles must end
// identical. One partition, so both runs process the log in the same order.
const EVENTS = storyEvents(400, 40);
const UNIQUE = new Set(EVENTS.map((e) => e.event_id)).size;

interface Run {
  dir: string;
  env: Record<string, string>;
  engine: EngineProcess;
}

async function prepare(name: string): Promise<Run & { key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), `livora-crash-${name}-`));
  await chmod(dir, 0o755);
  const env = await engineEnv(path.join(dir, 'data'), {
    LIVORA_PIPELINE: 'off', // the pipeline runs as its own process, to be killed alone
    LIVORA_TEMPORAL: 'off',
    LIVORA_STREAM_PARTITIONS: '1',
    LIVORA_PIPELINE_BATCH_SIZE: '300',
    LIVORA_PIPELINE_LEASE_SECONDS: '3',
    LIVORA_LAKE_ROLL_SECONDS: '1',
    LIVORA_LAKE_ROLL_MB: '1', // a range every ~2,000 events: the kill falls between two
  });
  const engine = await startEngine(env, path.join(dir, 'engine.log'));
  const key = await tenantWithKey('story', env);
  for (let i = 0; i < EVENTS.length; i += 100) {
    const response = await sendEvents(engine.url, key, EVENTS.slice(i, i + 100));
    expect(response.status).toBe(202);
  }
  return { dir, env, engine, key };
}

const lakeOf = (run: Run) => path.join(run.env.LIVORA_DATA_DIR as string, 'lake');

async function lakeCount(run: Run): Promise<number> {
  const files = await readdir(path.join(lakeOf(run), 'events'), { recursive: true }).catch(() => []);
  if (!files.some((f) => String(f).endsWith('.parquet'))) return 0;
  try {
    const [row] = await queryLake(lakeOf(run), 'SELECT count(*)::INT AS n FROM {events}');
    return Number(row?.n ?? 0);
  } catch (error) {
    // The restarted pipeline removes orphaned files: one may vanish between listing and reading.
    if (/No files found|Cannot open file/.test(String(error))) return 0;
    throw error;
  }
}

async function waitForLake(run: Run, expected: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await lakeCount(run)) < expected) {
    if (Date.now() > deadline) throw new Error(`the lake of ${run.dir} did not reach ${expected} events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function snapshot(run: Run) {
  const events = await queryLake(lakeOf(run), `SELECT * EXCLUDE (received_at) FROM {events} ORDER BY event_id`);
  // The lake's snapshots, as a warehouse load keeps them: the latest of each session and profile.
  const latest = (table: string, id: string) =>
    queryLake(
      lakeOf(run),
      `SELECT * EXCLUDE (snapshot_at) FROM {${table}}
       QUALIFY row_number() OVER (PARTITION BY ${id} ORDER BY snapshot_at DESC) = 1 ORDER BY ${id}`,
    );
  const lakeSessions = await latest('sessions', 'session_id');
  const lakeProfiles = await latest('profiles', 'person_id');
  const client = await connectToDataDir(run.env.LIVORA_DATA_DIR as string, run.env.LIVORA_PG_PORT as string);
  try {
    const profiles = (await client.query(`SELECT * FROM profiles ORDER BY person_id`)).rows.map(
      ({ updated_at: _, ...row }) => row,
    );
    const sessions = (await client.query(`SELECT * FROM sessions ORDER BY session_id`)).rows;
    const revenue = (await client.query(`SELECT * FROM profile_revenue ORDER BY person_id, currency`)).rows;
    const persons = (await client.query(`SELECT person_id, user_id, merged_into FROM persons ORDER BY person_id`)).rows;
    const letters = (await client.query(`SELECT count(*)::int AS n FROM dead_letters`)).rows[0].n;
    return { events, profiles, sessions, revenue, persons, letters, lakeSessions, lakeProfiles };
  } finally {
    await client.end();
  }
}

let calm: Run;
let crashed: Run;
let killedAfter = 0;
let processedAtKill = 0;

beforeAll(async () => {
  calm = await prepare('calm');
  const pipeline = await startEngine(calm.env, path.join(calm.dir, 'pipeline.log'), 'pipeline');
  await waitForLake(calm, UNIQUE);
  await pipeline.stop('SIGTERM');

  crashed = await prepare('crashed');
  const first = await startEngine(crashed.env, path.join(crashed.dir, 'pipeline.log'), 'pipeline');
  // Kill it once part of the log is in the lake and its state has moved past the lake.
  const client = await connectToDataDir(crashed.env.LIVORA_DATA_DIR as string, crashed.env.LIVORA_PG_PORT as string);
  const processed = async () =>
    (await client.query('SELECT count(*)::int AS n FROM processed_events')).rows[0].n as number;
  await waitForLake(crashed, 1);
  // Freeze it, look, and kill only when the state is ahead of the lake: looking while it
  // runs races the next lake range.
  for (;;) {
    first.child.kill('SIGSTOP');
    killedAfter = await lakeCount(crashed);
    processedAtKill = await processed();
    if (processedAtKill > killedAfter || killedAfter >= UNIQUE) break;
    first.child.kill('SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  await client.end();
  const second = await startEngine(crashed.env, path.join(crashed.dir, 'pipeline-2.log'), 'pipeline');
  await waitForLake(crashed, UNIQUE);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a last flush of snapshots
  await second.stop('SIGTERM');
}, 300_000);

afterAll(async () => {
  for (const run of [calm, crashed]) {
    await run?.engine.stop('SIGTERM');
    if (run) await rm(run.dir, { recursive: true, force: true });
  }
}, 60_000);

describe('a pipeline killed mid-work', () => {
  it('was killed with part of the log in the lake and its state ahead of the lake (the replay path)', () => {
    expect(killedAfter).toBeGreaterThan(0);
    expect(killedAfter).toBeLessThan(UNIQUE);
    expect(processedAtKill).toBeGreaterThan(killedAfter);
  });

  it('ends with the same lake and the same profiles as a run without the crash', async () => {
    const [a, b] = await Promise.all([snapshot(calm), snapshot(crashed)]);
    expect(b.events).toHaveLength(UNIQUE);
    expect(new Set(b.events.map((e) => e.event_id)).size).toBe(UNIQUE);
    expect(b.letters).toBe(0);
    expect(b.events).toEqual(a.events);
    expect(b.persons).toEqual(a.persons);
    expect(b.sessions).toEqual(a.sessions);
    expect(b.profiles).toEqual(a.profiles);
    expect(b.revenue).toEqual(a.revenue);
    expect(b.lakeSessions).toHaveLength(a.sessions.length);
    expect(b.lakeSessions).toEqual(a.lakeSessions);
    expect(b.lakeProfiles).toHaveLength(a.profiles.length);
    expect(b.lakeProfiles).toEqual(a.lakeProfiles);
  });
});
