import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningPostgres, startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { freePort } from './free-port.ts';

export interface ScratchPostgres {
  readonly server: RunningPostgres;
  /** The temporary folder: the cluster is in `postgres/`; the caller may keep more files here. */
  readonly dir: string;
  /** Stops the server and removes the folder (`keep`: leaves the folder, to look at). */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/** An embedded PostgreSQL in a fresh temporary folder, on a free port, with a random password. */
export async function startScratchPostgres(options: {
  /** Names the folder (`livora-<name>-…`). */
  name: string;
  database: string;
  user?: string;
  settings?: Record<string, string>;
}): Promise<ScratchPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), `livora-${options.name}-`));
  await chmod(dir, 0o755); // as root, the server runs as the postgres user and must reach its files
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'postgres'),
    logFile: path.join(dir, 'postgres.log'),
    port: await freePort(),
    user: options.user ?? 'livora',
    password: randomBytes(12).toString('hex'),
    database: options.database,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  return {
    server,
    dir,
    async stop({ keep = false } = {}) {
      await server.stop();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}
