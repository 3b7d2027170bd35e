import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TokenBuckets } from '../../src/ports/token-bucket.ts';

/** What every TokenBuckets implementation must do; `open` gives fresh buckets. */
export function tokenBucketsContract(open: () => Promise<{ buckets: TokenBuckets; close(): Promise<void> }>): void {
  let opened: { buckets: TokenBuckets; close(): Promise<void> };
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  let n = 0;
  const key = () => `contract-${process.pid}-${++n}`;

  it('gives the whole burst at once, then refuses with the wait until enough tokens return', async () => {
    const limit = { key: key(), ratePerSecond: 10, burst: 100 };
    expect(await opened.buckets.take([limit], 100)).toEqual({ ok: true });
    const refused = await opened.buckets.take([limit], 50);
    expect(refused).toMatchObject({ ok: false, key: limit.key });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(4);
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(6);
  });

  it('refills at the rate', async () => {
    const limit = { key: key(), ratePerSecond: 100, burst: 100 };
    expect((await opened.buckets.take([limit], 100)).ok).toBe(true);
    expect((await opened.buckets.take([limit], 30)).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await opened.buckets.take([limit], 30)).ok).toBe(true);
  });

  it('takes from every bucket or from none', async () => {
    const wide = { key: key(), ratePerSecond: 1, burst: 1000 };
    const narrow = { key: key(), ratePerSecond: 1, burst: 100 };
    expect((await opened.buckets.take([wide, narrow], 80)).ok).toBe(true);
    const refused = await opened.buckets.take([wide, narrow], 80);
    expect(refused).toMatchObject({ ok: false, key: narrow.key });
    // The refused take cost the wide bucket nothing: 920 tokens remain.
    expect((await opened.buckets.take([wide], 920)).ok).toBe(true);
    expect((await opened.buckets.take([wide], 5)).ok).toBe(false);
  });

  it('never lets concurrent takes exceed the burst', async () => {
    const limit = { key: key(), ratePerSecond: 1, burst: 500 };
    const results = await Promise.all(Array.from({ length: 20 }, () => opened.buckets.take([limit], 100)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  });
}
