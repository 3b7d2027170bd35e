import { freePort } from '@livora/adapters/testing';

/** Environment for an engine on free ports in its own data directory. */
export async function engineEnv(dataDir: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    LIVORA_DATA_DIR: dataDir,
    LIVORA_PORT: String(await freePort()),
    LIVORA_PG_PORT: String(await freePort()),
    LIVORA_TEMPORAL_PORT: String(await freePort()),
    LIVORA_TEMPORAL_UI_PORT: String(await freePort()),
    ...extra,
  };
}
