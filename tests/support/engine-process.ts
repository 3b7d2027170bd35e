import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const LIVORA_CLI = fileURLToPath(new URL('../../runtime/src/cli/livora.ts', import.meta.url));
/** Node 22.12–22.17 strip types only when asked; later versions accept and ignore the flag. */
export const NODE_TS = ['--experimental-strip-types'];

export interface EngineProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `livora start` (every role, one process), or one role, as a child; waits until /readyz says ready (roles without HTTP: until they log that they are). */
export async function startEngine(
  env: Record<string, string>,
  logFile: string,
  command: 'start' | 'api' | 'worker' | 'pipeline' = 'start',
): Promise<EngineProcess> {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...NODE_TS, LIVORA_CLI, command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const url = `http://127.0.0.1:${env.LIVORA_PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the engine exited during start-up; see ${logFile}:\n${await readFile(logFile, 'utf8')}`);
    }
    if (command === 'worker' || command === 'pipeline') {
      if ((await readFile(logFile, 'utf8')).includes('Livora is ready')) break;
    } else {
      try {
        const response = await fetch(`${url}/readyz`);
        if (response.status === 200) break;
      } catch {}
    }
    if (Date.now() > deadline) throw new Error(`the engine was not ready within 120 s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a `livora` command and returns its output. */
export function livora(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_TS, LIVORA_CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A connection to the embedded PostgreSQL of a data directory (the engine or a command must be running it). */
export async function connectToDataDir(dataDir: string, port: string): Promise<pg.Client> {
  const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as {
    postgresPassword: string;
  };
  const client = new pg.Client({
    connectionString: `postgres://livora:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/livora`,
  });
  await client.connect();
  return client;
}

/** `livora tenants create` then `livora keys create`: the new key, for a tenant of its own. */
export async function tenantWithKey(
  tenant: string,
  env: Record<string, string>,
  keyOptions: string[] = [],
): Promise<string> {
  const created = await livora(['tenants', 'create', tenant], env);
  if (created.code !== 0) throw new Error(`livora tenants create failed: ${created.stderr}`);
  const keys = await livora(['--json', 'keys', 'create', '--tenant', tenant, ...keyOptions], env);
  if (keys.code !== 0) throw new Error(`livora keys create failed: ${keys.stderr}`);
  return (JSON.parse(keys.stdout) as { key: string }).key;
}

/** POST /v1/events with a write key, as a source would. */
export function sendEvents(url: string, key: string, events: readonly unknown[]): Promise<Response> {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({ events }),
  });
}
