import { expect, it } from 'vitest';
import type { Cache } from '../../src/ports/cache.ts';

/** What every Cache must do: a value comes back until its TTL, never after; keys are separate. */
export function cacheContract(open: () => Promise<{ cache: Cache; close(): Promise<void> }>) {
  it('gives back what was set, by key, and nothing for a key never set', async () => {
    const { cache, close } = await open();
    try {
      await cache.set('a', 'one', 60);
      await cache.set('b', '{"json":true}', 60);
      expect(await cache.get('a')).toBe('one');
      expect(await cache.get('b')).toBe('{"json":true}');
      expect(await cache.get('c')).toBeNull();
      await cache.set('a', 'two', 60);
      expect(await cache.get('a')).toBe('two');
    } finally {
      await close();
    }
  });

  it('forgets a value once its time to live has passed', async () => {
    const { cache, close } = await open();
    try {
      await cache.set('short', 'soon gone', 1);
      expect(await cache.get('short')).toBe('soon gone');
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect(await cache.get('short')).toBeNull();
    } finally {
      await close();
    }
  });
}
