import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive, takePidFile } from '@livora/adapters/local';

export interface LocalSecrets {
  /** HS256 secret of local tokens. */
  readonly jwtSecret: string;
  /** Password of the embedded PostgreSQL superuser. */
  readonly postgresPassword: string;
}

/** The local engine's data directory: embedded PostgreSQL, Temporal's database, secrets, logs. */
export async function prepareDataDir(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  await mkdir(absolute, { recursive: true });
  // As root, PostgreSQL runs as the postgres user and must be able to reach its data.
  await chmod(absolute, 0o755).catch(() => undefined);
  return absolute;
}

/** Secrets made on first start and kept (mode 0600) in the data directory. */
export async function loadOrCreateSecrets(dir: string): Promise<LocalSecrets> {
  const file = path.join(dir, 'secrets.json');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return JSON.parse(existing) as LocalSecrets;
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(32).toString('base64url'),
    postgresPassword: randomBytes(18).toString('base64url'),
  };
  // Written aside, then linked in whole: a process starting at the same time reads either
  // no file or a complete one, and the first link wins.
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(draft, { force: true });
  }
  return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
}

const ROLE_LOCKS = ['engine', 'api', 'worker', 'pipeline'] as const;
export type LockName = (typeof ROLE_LOCKS)[number];

/** A pid file that keeps two engines (or two of one role) off one data directory. */
export function lockDataDir(dir: string, name: LockName): Promise<() => Promise<void>> {
  return takePidFile(path.join(dir, `${name}.pid`), {
    whenHeld: 'fail',
    describe: (holder) => `another Livora ${name} (pid ${holder}) is running on ${dir}; stop it or set LIVORA_DATA_DIR`,
  });
}

/** Whether an engine or a role process (other than this one) runs on the data directory. */
export async function engineRunsOn(dir: string): Promise<boolean> {
  for (const name of ROLE_LOCKS) if (await lockHolder(dir, name)) return true;
  return false;
}

async function lockHolder(dir: string, name: LockName): Promise<number | null> {
  const pid = Number(await readFile(path.join(dir, `${name}.pid`), 'utf8').catch(() => ''));
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}
