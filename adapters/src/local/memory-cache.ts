import type { Cache } from '../ports/cache.ts';

/** The in-process cache: entries expire by TTL, and the oldest go first beyond `maxEntries`. */
export function createMemoryCache(options: { maxEntries: number; now?: () => number }): Cache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    kind: 'memory',
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expires <= now()) {
        entries.delete(key);
        return null;
      }
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      entries.delete(key); // re-inserted last: the map's order is the eviction order
      entries.set(key, { value, expires: now() + ttlSeconds * 1000 });
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
    },
    async close() {
      entries.clear();
    },
  };
}
