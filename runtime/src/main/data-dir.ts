import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive } from '@livora/adapters/local';

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
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
}

/** A pid file that keeps two engines off one data directory. */
export async function lockDataDir(dir: string, name: string): Promise<() => Promise<void>> {
  const file = path.join(dir, `${name}.pid`);
  const previous = Number(await readFile(file, 'utf8').catch(() => ''));
  if (Number.isInteger(previous) && previous > 0 && previous !== process.pid && isAlive(previous)) {
    throw new Error(`another Livora ${name} (pid ${previous}) is running on ${dir}; stop it or set LIVORA_DATA_DIR`);
  }
  await writeFile(file, String(process.pid));
  return () => rm(file, { force: true });
}
