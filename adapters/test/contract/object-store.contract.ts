import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/ports/object-store.ts';

/** What every ObjectStore implementation must do; `open` gives an empty store. */
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

  it('puts and gets an object, and a second put replaces it whole', async () => {
    await opened.store.put('events/tenant=a/dt=2026-11-25/hour=10/p0-0-9.parquet', bytes('first'));
    await opened.store.put('events/tenant=a/dt=2026-11-25/hour=10/p0-0-9.parquet', bytes('second'));
    expect(text(await opened.store.get('events/tenant=a/dt=2026-11-25/hour=10/p0-0-9.parquet'))).toBe('second');
  });

  it('answers null for a missing object, and deleting one twice is fine', async () => {
    expect(await opened.store.get('nothing/here')).toBeNull();
    await opened.store.put('gone/soon', bytes('x'));
    await opened.store.delete('gone/soon');
    await opened.store.delete('gone/soon');
    expect(await opened.store.get('gone/soon')).toBeNull();
  });

  it('lists keys under a prefix, in order, and only those', async () => {
    for (const key of ['lake/b/2', 'lake/a/1', 'lake/b/1', 'lakeside/x', 'other/y'])
      await opened.store.put(key, bytes(key));
    expect(await opened.store.list('lake/')).toEqual(['lake/a/1', 'lake/b/1', 'lake/b/2']);
    expect(await opened.store.list('lake/b')).toEqual(['lake/b/1', 'lake/b/2']);
    expect(await opened.store.list('lake')).toEqual(['lake/a/1', 'lake/b/1', 'lake/b/2', 'lakeside/x']);
  });

  it('refuses keys that would leave the store', async () => {
    for (const key of ['../escape', '/absolute', 'a//b', 'a/./b', '']) {
      await expect(opened.store.put(key, bytes('x'))).rejects.toThrow(/not an object key/);
    }
  });
}
