import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { type LocalSecrets, loadOrCreateSecrets, prepareDataDir } from '../main/data-dir.ts';
import { type Database, openDatabase } from '../main/database.ts';
import { createLogger } from '../main/logger.ts';
import { createServices, type Services } from '../main/services.ts';

export interface CommandContext {
  readonly config: Config;
  readonly secrets: LocalSecrets;
  readonly services: Services;
  readonly database: Database;
}

/**
 * Runs a command against the engine's database: the running engine's embedded server
 * when there is one, else one started for the command and stopped after it.
 */
export async function withServices<T>(run: (context: CommandContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level, { cli: true }, 2);
  const dataDir = await prepareDataDir(config.data.dir);
  const secrets = await loadOrCreateSecrets(dataDir);
  const database = await openDatabase(config, dataDir, secrets, log, { stopServer: 'if-started-here' });
  try {
    return await run({ config, secrets, services: createServices(database.db, database.tenantDb), database });
  } finally {
    await database.close();
  }
}

/** Settings and secrets only, for commands that need no database. */
export async function withLocalSecrets<T>(run: (config: Config, secrets: LocalSecrets) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataDir = await prepareDataDir(config.data.dir);
  return run(config, await loadOrCreateSecrets(dataDir));
}
