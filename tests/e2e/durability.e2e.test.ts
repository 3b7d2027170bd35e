import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@livora/adapters/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToDataDir, type EngineProcess, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { type Ack, sendUntil } from '../support/load.ts';
import { engineEnv } from '../support/ports.ts';

let dir: string;
let env: Record<string, string>;
let engine: EngineProcess | undefined;
let key: string;
const logFile = () => path.join(dir, 'engine.log');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'livora-e2e-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data
  env = await engineEnv(path.join(dir, 'data'));
  engine = await startEngine(env, logFile());
  key = await tenantWithKey('acme', env);
}, 180_000);

afterAll(async () => {
  await engine?.stop('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}, 60_000);

async function eventsOf(runId: string): Promise<Map<string, { partition: string; offset: string }[]>> {
  const client = await connectToDataDir(env.LIVORA_DATA_DIR as string, env.LIVORA_PG_PORT as string);
  try {
    const { rows } = await client.query<{ id: string; partition: string; offset: string }>(
      `SELECT payload::json->>'event_id' AS id, partition_id::text AS partition, "offset"::text AS "offset"
       FROM event_log WHERE payload LIKE $1`,
      [`%"event_id":"${runId}-%`],
    );
    const byId = new Map<string, { partition: string; offset: string }[]>();
    for (const row of rows)
      byId.set(row.id, [...(byId.get(row.id) ?? []), { partition: row.partition, offset: row.offset }]);
    return byId;
  } finally {
    await client.end();
  }
}

function expectEveryAckExactlyOnce(acks: readonly Ack[], logged: Map<string, { partition: string; offset: string }[]>) {
  const missing = acks.filter((a) => !logged.has(a.eventId));
  const duplicated = acks.filter((a) => (logged.get(a.eventId)?.length ?? 0) > 1);
  const moved = acks.filter((a) => {
    const at = logged.get(a.eventId)?.[0];
    return at && (at.partition !== a.partition || at.offset !== a.offset);
  });
  expect({ missing: missing.length, duplicated: duplicated.length, moved: moved.length }).toEqual({
    missing: 0,
    duplicated: 0,
    moved: 0,
  });
}

describe('no acknowledged event is lost', () => {
  it('survives SIGKILL mid-load: after a restart every acknowledged event is in the log, exactly once, where the 202 said', async () => {
    const runId = `kill-${Date.now()}`;
    let killed = false;
    const load = sendUntil({ url: engine?.url as string, key, clients: 8, batchSize: 50, runId, until: () => killed });
    // Let the load run, then kill the engine without warning.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    process.kill(engine?.child.pid as number, 'SIGKILL');
    killed = true;
    await engine?.exited;
    const { acks, failures } = await load;
    expect(acks.length).toBeGreaterThan(1000);
    expect(failures).toBeGreaterThan(0); // requests in flight at the kill failed

    engine = await startEngine(env, logFile());
    expectEveryAckExactlyOnce(acks, await eventsOf(runId));
    const log = await readFile(logFile(), 'utf8');
    expect(log).toMatch(/joined an embedded PostgreSQL that was already running/);
  }, 180_000);

  it('drains in-flight requests on SIGTERM, then stops PostgreSQL and Temporal', async () => {
    const runId = `term-${Date.now()}`;
    let stop = false;
    const load = sendUntil({ url: engine?.url as string, key, clients: 8, batchSize: 50, runId, until: () => stop });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const exit = engine?.stop('SIGTERM');
    const code = await exit;
    stop = true;
    const { acks } = await load;
    expect(code).toBe(0);
    expect(acks.length).toBeGreaterThan(500);

    const dataDir = env.LIVORA_DATA_DIR as string;
    const temporalPid = await readFile(path.join(dataDir, 'temporal.pid'), 'utf8').catch(() => null);
    expect(temporalPid).toBeNull();
    expect(await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => null)).toBeNull();

    // Bring the database back on its own to look at the log.
    const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8'));
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      logFile: path.join(dataDir, 'postgres.log'),
      port: Number(env.LIVORA_PG_PORT),
      user: 'livora',
      password: secrets.postgresPassword,
      database: 'livora',
    });
    try {
      expectEveryAckExactlyOnce(acks, await eventsOf(runId));
    } finally {
      await server.stop();
    }
    engine = undefined;
  }, 180_000);
});
