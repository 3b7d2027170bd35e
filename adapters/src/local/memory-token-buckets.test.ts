import { describe, expect, it } from 'vitest';
import type { BucketLimit } from '../ports/token-bucket.ts';
import { createMemoryTokenBuckets } from './memory-token-buckets.ts';

/** Buckets on a clock the test moves (milliseconds, like performance.now). */
function setup() {
  let time = 50_000;
  const buckets = createMemoryTokenBuckets(() => time);
  return {
    buckets,
    advance(ms: number) {
      time += ms;
    },
  };
}

const key: BucketLimit = { key: 'key:k1', ratePerSecond: 10, burst: 100 };
const tenant: BucketLimit = { key: 'tenant:acme', ratePerSecond: 1_000, burst: 150 };

describe('createMemoryTokenBuckets', () => {
  it('forgets only full buckets when it holds many (a drained one stays drained)', async () => {
    const { buckets, advance } = setup();
    expect((await buckets.take([key], 100)).ok).toBe(true);
    for (let i = 0; i < 10_001; i++) await buckets.take([{ key: `other-${i}`, ratePerSecond: 1_000, burst: 100 }], 1);
    advance(50); // the others are full again; key has refilled 0.5 tokens of 100
    await buckets.take([{ key: 'trigger', ratePerSecond: 1, burst: 100 }], 1); // sweeps
    expect((await buckets.take([key], 10)).ok).toBe(false);
  });

  it('says what it is', () => {
    expect(createMemoryTokenBuckets().kind).toBe('memory');
  });

  it('allows a full burst at start, and nothing more', async () => {
    const { buckets } = setup();
    expect(await buckets.take([key], 100)).toEqual({ ok: true });
    expect(await buckets.take([key], 1)).toEqual({ ok: false, key: 'key:k1', retryAfterSeconds: 1 });
  });

  it('allows many small takes up to the burst', async () => {
    const { buckets } = setup();
    for (let i = 0; i < 10; i++) expect((await buckets.take([key], 10)).ok).toBe(true);
    expect((await buckets.take([key], 1)).ok).toBe(false);
  });

  it('refills at ratePerSecond', async () => {
    const { buckets, advance } = setup();
    await buckets.take([key], 100);
    advance(500); // 5 tokens at 10/s
    expect((await buckets.take([key], 6)).ok).toBe(false);
    expect((await buckets.take([key], 5)).ok).toBe(true);
    expect((await buckets.take([key], 1)).ok).toBe(false);
    advance(100); // 1 more
    expect((await buckets.take([key], 1)).ok).toBe(true);
  });

  it('refills no further than the burst', async () => {
    const { buckets, advance } = setup();
    await buckets.take([key], 1);
    advance(3_600_000);
    expect((await buckets.take([key], 101)).ok).toBe(false);
    expect((await buckets.take([key], 100)).ok).toBe(true);
  });

  it('charges nothing for a refused take', async () => {
    const { buckets } = setup();
    expect((await buckets.take([key], 101)).ok).toBe(false);
    expect((await buckets.take([key], 101)).ok).toBe(false);
    expect((await buckets.take([key], 100)).ok).toBe(true);
  });

  describe('retryAfterSeconds', () => {
    it('is the time to refill the missing tokens, rounded up', async () => {
      const { buckets, advance } = setup();
      await buckets.take([key], 100);
      expect(await buckets.take([key], 25)).toEqual({ ok: false, key: 'key:k1', retryAfterSeconds: 3 }); // 2.5 s
      advance(1_000); // 10 tokens: 15 missing
      expect(await buckets.take([key], 25)).toEqual({ ok: false, key: 'key:k1', retryAfterSeconds: 2 }); // 1.5 s
      advance(500); // 15 tokens: 10 missing
      expect(await buckets.take([key], 25)).toEqual({ ok: false, key: 'key:k1', retryAfterSeconds: 1 }); // 1 s
    });

    it('is at least one second', async () => {
      const { buckets, advance } = setup();
      const fast: BucketLimit = { key: 'fast', ratePerSecond: 1_000, burst: 100 };
      await buckets.take([fast], 100);
      advance(99); // 99 tokens: 1 missing, 1 ms away
      expect(await buckets.take([fast], 100)).toEqual({ ok: false, key: 'fast', retryAfterSeconds: 1 });
    });

    it('is accurate: retrying after it succeeds', async () => {
      const { buckets, advance } = setup();
      await buckets.take([key], 100);
      const refused = await buckets.take([key], 37);
      expect(refused.ok).toBe(false);
      const wait = refused.ok ? 0 : refused.retryAfterSeconds;
      expect(wait).toBe(4);
      advance(wait * 1000);
      expect((await buckets.take([key], 37)).ok).toBe(true);
    });
  });

  describe('several buckets', () => {
    it('take from every bucket when each has enough', async () => {
      const { buckets } = setup();
      expect((await buckets.take([key, tenant], 60)).ok).toBe(true);
      // key: 40 left, tenant: 90 left
      expect(await buckets.take([key, tenant], 41)).toMatchObject({ ok: false, key: 'key:k1' });
      expect((await buckets.take([tenant], 90)).ok).toBe(true);
      expect(await buckets.take([tenant], 1)).toMatchObject({ ok: false, key: 'tenant:acme' });
    });

    it('refuse when any bucket lacks tokens, naming it, and charge none of them', async () => {
      const { buckets } = setup();
      const otherKey: BucketLimit = { key: 'key:k2', ratePerSecond: 10, burst: 100 };
      expect((await buckets.take([otherKey, tenant], 100)).ok).toBe(true); // tenant: 50 left
      expect(await buckets.take([key, tenant], 80)).toEqual({ ok: false, key: 'tenant:acme', retryAfterSeconds: 1 });
      // key:k1 was not charged by the refused take: its full burst is still there, alone.
      expect((await buckets.take([key], 100)).ok).toBe(true);
      expect((await buckets.take([tenant], 50)).ok).toBe(true);
    });

    it('compute retryAfterSeconds from the refusing bucket’s rate', async () => {
      const { buckets } = setup();
      const slowTenant: BucketLimit = { key: 'tenant:slow', ratePerSecond: 2, burst: 100 };
      await buckets.take([slowTenant], 90);
      expect(await buckets.take([key, slowTenant], 20)).toEqual({
        ok: false,
        key: 'tenant:slow',
        retryAfterSeconds: 5,
      });
    });

    it('keep separate keys apart', async () => {
      const { buckets } = setup();
      await buckets.take([{ ...key, key: 'a' }], 100);
      expect((await buckets.take([{ ...key, key: 'b' }], 100)).ok).toBe(true);
    });
  });

  it('forgets every bucket on close', async () => {
    const { buckets } = setup();
    await buckets.take([key], 100);
    await buckets.close();
    expect((await buckets.take([key], 100)).ok).toBe(true);
  });
});
