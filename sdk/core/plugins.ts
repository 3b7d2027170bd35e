import type { LivoraEvent } from './event.ts';

/**
 * A plugin sees every event before it is queued: `before` may change it or drop it
 * (return null: consent, sampling, filtering), `enrich` may only add to it. Plugins run in
 * the order they were added, all `before` hooks first.
 */
export interface Plugin {
  readonly name: string;
  before?(event: LivoraEvent): LivoraEvent | null | Promise<LivoraEvent | null>;
  enrich?(event: LivoraEvent): LivoraEvent | Promise<LivoraEvent>;
}

/** The event after every plugin, or null when one dropped it. A failing plugin is skipped, not fatal. */
export async function runPlugins(plugins: readonly Plugin[], event: LivoraEvent): Promise<LivoraEvent | null> {
  let current: LivoraEvent | null = event;
  for (const plugin of plugins) {
    if (!current || !plugin.before) continue;
    current = await guarded(plugin, () => plugin.before?.(current as LivoraEvent), current);
  }
  for (const plugin of plugins) {
    if (!current || !plugin.enrich) continue;
    current = await guarded(plugin, () => plugin.enrich?.(current as LivoraEvent), current);
  }
  return current;
}

async function guarded<T>(plugin: Plugin, run: () => T | Promise<T> | undefined, fallback: T): Promise<T> {
  try {
    const result = await run();
    return result === undefined ? fallback : result;
  } catch (error) {
    console.warn(`livora: plugin ${plugin.name} failed; the event goes on without it`, error);
    return fallback;
  }
}
