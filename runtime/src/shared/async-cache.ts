/**
 * A read-through cache of async lookups: concurrent misses share one load, entries live
 * `ttlMs`, the oldest go first past `maxEntries`, and failed loads are not kept.
 */
export interface AsyncCache<K, V> {
  /** The value of `key`; on a miss, loaded by `load` (this call's, else the cache's own). */
  get(key: K, load?: (key: K) => Promise<V>): Promise<V>;
  /** Drops every entry, or those whose key matches. */
  invalidate(matches?: (key: K) => boolean): void;
}

export function createAsyncCache<K, V>(options: {
  /** How a missing key is loaded (optional when every get brings its own). */
  load?: (key: K) => Promise<V>;
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}): AsyncCache<K, V> {
  const now = options.now ?? Date.now;
  const entries = new Map<K, { value: Promise<V>; expires: number }>();
  return {
    get(key, load = options.load) {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value;
      if (hit) entries.delete(key);
      if (!load) return Promise.reject(new Error('this cache has no loader for a missing key'));
      const value = load(key);
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
