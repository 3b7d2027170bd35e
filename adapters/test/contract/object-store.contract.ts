import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/ports/object-store.ts';

/**
 * What every ObjectStore implementation must do; `open` gives a store with no keys of its
 * own (a cloud store may share its bucket with objects outside its prefix: it must not see them).
 */
export function objectStoreContract(open: () => Promise<{ store: ObjectStore; close(): Promise<void> }>): void {
  let opened: { store: ObjectStore; close(): Promise<void> };
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  const bytes = (text: string) => new TextEncoder().encode(text);
  const text = (data: Uint8Array | null) => (data ? new TextDecoder().decode(data) : null);
  // The keys this suite has put and not deleted: what the store must list, and nothing else.
  const live = new Set<string>();
  const put = async (key: string, body: Uint8Array) => {
    await opened.store.put(key, body);
    live.add(key);
  };
  const remove = async (key: string) => {
    await opened.store.delete(key);
    live.delete(key);
  };

  it('puts and gets an object, and a second, shorter put replaces it whole', async () => {
    const key = 'events/tenant=a/dt=2026-11-25/hour=10/p0-0-9.parquet';
    await put(key, bytes('a first body, longer than the second'));
    await put(key, bytes('second'));
    expect(text(await opened.store.get(key))).toBe('second');
  });

  it('keeps bytes exactly: every byte value, and an empty object (which is not a missing one)', async () => {
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    await put('bytes/every', everyByte);
    await put('bytes/empty', new Uint8Array());
    const got = await opened.store.get('bytes/every');
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Array.from(got ?? [])).toEqual(Array.from(everyByte));
    const empty = await opened.store.get('bytes/empty');
    expect(empty).toBeInstanceOf(Uint8Array);
    expect(empty?.byteLength).toBe(0);
  });

  it('gives an object size in bytes (a bulk load manifest needs it), and null for a missing one', async () => {
    await put('sized/three', bytes('abc'));
    await put('sized/empty', new Uint8Array());
    expect(await opened.store.size('sized/three')).toBe(3);
    expect(await opened.store.size('sized/empty')).toBe(0);
    expect(await opened.store.size('sized/none')).toBeNull();
  });

  it('answers null for a missing object, and deleting one twice is fine', async () => {
    expect(await opened.store.get('nothing/here')).toBeNull();
    await put('gone/soon', bytes('x'));
    await remove('gone/soon');
    await remove('gone/soon');
    expect(await opened.store.get('gone/soon')).toBeNull();
    expect(await opened.store.list('gone/')).toEqual([]);
  });

  it('lists keys under a prefix, in order, and only those', async () => {
    for (const key of ['lake/b/2', 'lake/a/1', 'lake/b/1', 'lakeside/x', 'other/y']) await put(key, bytes(key));
    expect(await opened.store.list('lake/')).toEqual(['lake/a/1', 'lake/b/1', 'lake/b/2']);
    expect(await opened.store.list('lake/b')).toEqual(['lake/b/1', 'lake/b/2']);
    expect(await opened.store.list('lake')).toEqual(['lake/a/1', 'lake/b/1', 'lake/b/2', 'lakeside/x']);
    expect(await opened.store.list('lake/c')).toEqual([]);
  });

  it('takes keys with spaces, URL-reserved characters and non-ASCII letters as they are', async () => {
    const keys = ['names/with space/a+b=c&d.txt', 'names/100%25 sure', 'names/tenant=ä/雪 ❄.parquet'];
    for (const key of keys) await put(key, bytes(key));
    for (const key of keys) expect(text(await opened.store.get(key))).toBe(key);
    expect(await opened.store.list('names/')).toEqual([...keys].sort());
    expect(await opened.store.list('names/with space/')).toEqual(['names/with space/a+b=c&d.txt']);
    await remove('names/100%25 sure');
    expect(await opened.store.get('names/100%25 sure')).toBeNull();
  });

  it('lists past the 1,000 keys a cloud answers in one page', async () => {
    const keys = Array.from({ length: 1_005 }, (_, i) => `many/part-${String(i).padStart(4, '0')}`);
    // A few puts at a time: enough to be quick, few enough not to queue on the SDK's sockets.
    for (let start = 0; start < keys.length; start += 25) {
      await Promise.all(keys.slice(start, start + 25).map((key) => put(key, bytes('x'))));
    }
    expect(await opened.store.list('many/')).toEqual(keys);
    expect(await opened.store.list('many/part-100')).toEqual(keys.slice(1_000));
  });

  it('never shows a reader half of an object that a put is replacing', async () => {
    const size = 1 << 20;
    const versions = [0x61, 0x62, 0x63].map((fill) => new Uint8Array(size).fill(fill));
    await put('atomic/object', versions[0] as Uint8Array);
    const seen: string[] = [];
    const writer = (async () => {
      for (let round = 1; round <= 6; round++) await put('atomic/object', versions[round % 3] as Uint8Array);
    })();
    const reader = (async () => {
      for (let read = 0; read < 12; read++) {
        const data = await opened.store.get('atomic/object');
        const whole = data !== null && data.byteLength === size && data.every((b) => b === data[0]);
        seen.push(whole ? 'whole' : `torn (${data?.byteLength ?? 'null'} bytes)`);
      }
    })();
    await Promise.all([writer, reader]);
    expect(seen).toEqual(Array.from({ length: 12 }, () => 'whole'));
  });

  it('refuses keys and prefixes that would leave the store', async () => {
    for (const key of ['../escape', '/absolute', 'a//b', 'a/./b', '']) {
      await expect(opened.store.put(key, bytes('x'))).rejects.toThrow(/not an object key/);
      await expect(opened.store.get(key)).rejects.toThrow(/not an object key/);
      await expect(opened.store.delete(key)).rejects.toThrow(/not an object key/);
      expect(() => opened.store.locate(key)).toThrow(/not an object key/);
    }
    for (const prefix of ['../', '/absolute', 'a//']) {
      await expect(opened.store.list(prefix)).rejects.toThrow(/not an object key/);
    }
  });

  it('lists, from the empty prefix, exactly the keys put through it and not deleted', async () => {
    expect(await opened.store.list('')).toEqual([...live].sort());
  });
}
