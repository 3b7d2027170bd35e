/**
 * A read-through cache of async lookups: concurrent misses share one load, entries live
 * `ttlMs`, the oldest go first past `maxEntries`, and failed loads are not kept.
 */
export interface AsyncCache<K, V> {
  get(key: K): Promise<V>;
  /** Drops every entry, or those whose key matches. */
  invalidate(matches?: (key: K) => boolean): void;
}

export function createAsyncCache<K, V>(options: {
  load: (key: K) => Promise<V>;
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}): AsyncCache<K, V> {
  const now = options.now ?? Date.now;
  const entries = new Map<K, { value: Promise<V>; expires: number }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value;
      if (hit) entries.delete(key);
      const value = options.load(key);
      entries.set(key, { value, expires: now() + options.ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as K);
      return value;
    },
    invalidate(matches) {
      if (!matches) return entries.clear();
      for (const key of [...entries.keys()]) if (matches(key)) entries.delete(key);
    },
  };
}
