import { describe, expect, it } from 'vitest';
import { hashPartitionKey } from './partition-key.ts';

describe('hashPartitionKey', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('is FNV-1a (32 bit): %j → %i', (key, hash) => {
    expect(hashPartitionKey(key)).toBe(hash);
  });

  it('is stable across calls, processes and releases', () => {
    // Computed independently (FNV-1a over the bytes): a change would move every person's partition.
    expect(hashPartitionKey('acme:anon-0b6c6a1e')).toBe(0x9bf63a36);
    expect(hashPartitionKey('acme:anon-0b6c6a1e')).toBe(0x9bf63a36);
  });

  it('is an unsigned 32-bit integer', () => {
    for (let i = 0; i < 1_000; i++) {
      const hash = hashPartitionKey(`tenant:user-${i}`);
      expect(Number.isInteger(hash) && hash >= 0 && hash <= 0xffff_ffff).toBe(true);
    }
  });

  it('tells apart keys that differ by one character, or by order', () => {
    expect(hashPartitionKey('acme:u-1')).not.toBe(hashPartitionKey('acme:u-2'));
    expect(hashPartitionKey('ab')).not.toBe(hashPartitionKey('ba'));
  });

  it.each([4, 8, 16, 64])('spreads similar keys evenly over %i partitions', (partitions) => {
    const keys = 20_000;
    const counts = new Array<number>(partitions).fill(0);
    for (let i = 0; i < keys; i++) {
      const partition = hashPartitionKey(`acme:anon-${i}`) % partitions;
      counts[partition] = (counts[partition] ?? 0) + 1;
    }
    const expected = keys / partitions;
    for (const count of counts) {
      expect(count).toBeGreaterThan(expected * 0.85);
      expect(count).toBeLessThan(expected * 1.15);
    }
  });

  it('rarely collides', () => {
    const hashes = new Set(Array.from({ length: 10_000 }, (_, i) => hashPartitionKey(`tenant-${i % 7}:user-${i}`)));
    expect(hashes.size).toBeGreaterThan(9_990);
  });
});
