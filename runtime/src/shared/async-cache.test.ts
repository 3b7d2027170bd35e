import { describe, expect, it, vi } from 'vitest';
import { createAsyncCache } from './async-cache.ts';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A cache of `key → "key#n"` (n counts the loads of that key) on a hand-driven clock. */
function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let time = 1_000;
  const loads = new Map<string, number>();
  const load = vi.fn(async (key: string) => {
    const n = (loads.get(key) ?? 0) + 1;
    loads.set(key, n);
    return `${key}#${n}`;
  });
  const cache = createAsyncCache({
    load,
    ttlMs: options.ttlMs ?? 100,
    maxEntries: options.maxEntries ?? 10,
    now: () => time,
  });
  return {
    cache,
    load,
    advance(ms: number) {
      time += ms;
    },
  };
}

describe('createAsyncCache', () => {
  it('loads a missing key and keeps its value', async () => {
    const { cache, load } = setup();
    expect(await cache.get('a')).toBe('a#1');
    expect(await cache.get('a')).toBe('a#1');
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith('a');
  });

  it('shares one load between concurrent gets of a key', async () => {
    const pending = deferred<string>();
    const load = vi.fn(() => pending.promise);
    const cache = createAsyncCache({ load, ttlMs: 100, maxEntries: 10 });
    const first = cache.get('a');
    const second = cache.get('a');
    expect(second).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    pending.resolve('value');
    expect(await Promise.all([first, second])).toEqual(['value', 'value']);
  });

  it('loads a miss with the loader the get brings, and keeps it for later gets', async () => {
    const cache = createAsyncCache<string, string>({ ttlMs: 100, maxEntries: 10 });
    const load = vi.fn(async (key: string) => `${key} from this call`);
    expect(await cache.get('a', load)).toBe('a from this call');
    expect(await cache.get('a', async () => 'another')).toBe('a from this call');
    expect(load).toHaveBeenCalledTimes(1);
    await expect(cache.get('b')).rejects.toThrow(/no loader/);
  });

  it('loads different keys separately', async () => {
    const { cache, load } = setup();
    expect(await Promise.all([cache.get('a'), cache.get('b')])).toEqual(['a#1', 'b#1']);
    expect(load).toHaveBeenCalledTimes(2);
  });

  describe('time to live', () => {
    it('keeps an entry until ttlMs has passed, then loads again', async () => {
      const { cache, load, advance } = setup({ ttlMs: 100 });
      await cache.get('a');
      advance(99);
      expect(await cache.get('a')).toBe('a#1');
      advance(1);
      expect(await cache.get('a')).toBe('a#2');
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('counts from the load, not from the last hit', async () => {
      const { cache, advance } = setup({ ttlMs: 100 });
      await cache.get('a');
      advance(60);
      await cache.get('a');
      advance(60);
      expect(await cache.get('a')).toBe('a#2');
    });

    it('gives the reloaded value a fresh lifetime', async () => {
      const { cache, advance } = setup({ ttlMs: 100 });
      await cache.get('a');
      advance(150);
      expect(await cache.get('a')).toBe('a#2');
      advance(99);
      expect(await cache.get('a')).toBe('a#2');
    });
  });

  describe('maxEntries', () => {
    it('drops the oldest entry past the limit', async () => {
      const { cache, load } = setup({ maxEntries: 2 });
      await cache.get('a');
      await cache.get('b');
      await cache.get('c');
      expect(load).toHaveBeenCalledTimes(3);
      expect(await cache.get('b')).toBe('b#1');
      expect(await cache.get('c')).toBe('c#1');
      expect(load).toHaveBeenCalledTimes(3);
      expect(await cache.get('a')).toBe('a#2');
    });

    it('never holds more than maxEntries', async () => {
      const { cache, load } = setup({ maxEntries: 3 });
      for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.get(key);
      load.mockClear();
      for (const key of ['c', 'd', 'e']) await cache.get(key);
      expect(load).not.toHaveBeenCalled();
      for (const key of ['a', 'b']) await cache.get(key);
      expect(load).toHaveBeenCalledTimes(2);
    });
  });

  describe('failed loads', () => {
    it('are not kept: the next get loads again', async () => {
      const load = vi
        .fn<(key: string) => Promise<string>>()
        .mockRejectedValueOnce(new Error('database down'))
        .mockResolvedValueOnce('value');
      const cache = createAsyncCache({ load, ttlMs: 100, maxEntries: 10 });
      await expect(cache.get('a')).rejects.toThrow('database down');
      expect(await cache.get('a')).toBe('value');
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('fail every get that shared them', async () => {
      const pending = deferred<string>();
      const load = vi.fn(() => pending.promise);
      const cache = createAsyncCache({ load, ttlMs: 100, maxEntries: 10 });
      const gets = [cache.get('a'), cache.get('a')];
      pending.reject(new Error('boom'));
      for (const get of gets) await expect(get).rejects.toThrow('boom');
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('do not remove a newer load of the same key', async () => {
      const stale = deferred<string>();
      const fresh = deferred<string>();
      const load = vi.fn().mockReturnValueOnce(stale.promise).mockReturnValueOnce(fresh.promise);
      const cache = createAsyncCache<string, string>({ load, ttlMs: 100, maxEntries: 10 });
      const first = cache.get('a');
      cache.invalidate();
      const second = cache.get('a');
      stale.reject(new Error('stale'));
      await expect(first).rejects.toThrow('stale');
      fresh.resolve('fresh');
      expect(await second).toBe('fresh');
      expect(await cache.get('a')).toBe('fresh');
      expect(load).toHaveBeenCalledTimes(2);
    });
  });

  describe('invalidate', () => {
    it('drops every entry', async () => {
      const { cache } = setup();
      await cache.get('a');
      await cache.get('b');
      cache.invalidate();
      expect(await cache.get('a')).toBe('a#2');
      expect(await cache.get('b')).toBe('b#2');
    });

    it('drops only the entries whose key matches', async () => {
      const { cache } = setup();
      for (const key of ['tenant-1', 'tenant-2', 'other']) await cache.get(key);
      cache.invalidate((key) => key.startsWith('tenant-'));
      expect(await cache.get('tenant-1')).toBe('tenant-1#2');
      expect(await cache.get('tenant-2')).toBe('tenant-2#2');
      expect(await cache.get('other')).toBe('other#1');
    });

    it('makes a get during an in-flight load start a new one', async () => {
      const first = deferred<string>();
      const load = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce('new');
      const cache = createAsyncCache<string, string>({ load, ttlMs: 100, maxEntries: 10 });
      const old = cache.get('a');
      cache.invalidate((key) => key === 'a');
      expect(await cache.get('a')).toBe('new');
      first.resolve('old');
      expect(await old).toBe('old');
      expect(await cache.get('a')).toBe('new');
    });
  });
});
