import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuid-v7.ts';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 48-bit Unix millisecond timestamp at the front of a UUIDv7. */
const millisecondsOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('uuidV7', () => {
  it('is a lowercase UUID of version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidV7();
      expect(id).toMatch(FORMAT);
      expect(id[14]).toBe('7');
      expect(['8', '9', 'a', 'b']).toContain(id[19]);
    }
  });

  it('starts with the given time in milliseconds', () => {
    const at = Date.UTC(2024, 4, 1, 12, 0, 0, 123);
    const id = uuidV7(at);
    expect(millisecondsOf(id)).toBe(at);
    const hex = at.toString(16).padStart(12, '0');
    expect(id.slice(0, 13)).toBe(`${hex.slice(0, 8)}-${hex.slice(8)}`);
  });

  it('uses the current time by default', () => {
    const before = Date.now();
    const id = uuidV7();
    const after = Date.now();
    expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisecondsOf(id)).toBeLessThanOrEqual(after);
  });

  it('sorts by time: a later millisecond gives a greater id', () => {
    const start = Date.UTC(2024, 0, 1);
    const ids = Array.from({ length: 500 }, (_, i) => uuidV7(start + i * 7));
    expect([...ids].sort()).toEqual(ids);
    const shuffled = [...ids].reverse();
    expect(shuffled.sort()).toEqual(ids);
  });

  it('sorts across a carry in the timestamp’s hex digits', () => {
    expect(uuidV7(0xffff) < uuidV7(0x10000)).toBe(true);
    expect(uuidV7(0xffffffff) < uuidV7(0x100000000)).toBe(true);
  });

  it('never repeats, even within one millisecond and past its random pool', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => uuidV7(1_700_000_000_000)));
    expect(ids.size).toBe(5000);
  });

  it('has random bits after the timestamp', () => {
    const randomParts = new Set(Array.from({ length: 100 }, () => uuidV7(1).slice(15)));
    expect(randomParts.size).toBe(100);
  });
});
