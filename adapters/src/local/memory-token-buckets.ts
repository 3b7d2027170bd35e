import type { BucketLimit, TakeResult, TokenBuckets } from '../ports/token-bucket.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Milliseconds after updatedAt by which the bucket is full again, and so forgettable. */
  fullAfterMs: number;
}

// Past this many buckets, full ones are dropped (a full bucket and no bucket are the same).
const SWEEP_ABOVE = 10_000;

/** Token buckets in this process's memory: exact for one API process, per process when several run. */
export function createMemoryTokenBuckets(now: () => number = performance.now.bind(performance)): TokenBuckets {
  const buckets = new Map<string, Bucket>();

  function refill(limit: BucketLimit, at: number): Bucket {
    let bucket = buckets.get(limit.key);
    if (!bucket) {
      bucket = { tokens: limit.burst, updatedAt: at, fullAfterMs: 0 };
      buckets.set(limit.key, bucket);
    } else {
      const elapsedSeconds = (at - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.ratePerSecond);
      bucket.updatedAt = at;
    }
    return bucket;
  }

  function sweep(at: number): void {
    for (const [key, bucket] of buckets) if (at - bucket.updatedAt >= bucket.fullAfterMs) buckets.delete(key);
  }

  return {
    kind: 'memory',
    async take(limits, tokens): Promise<TakeResult> {
      const at = now();
      const state = limits.map((limit) => refill(limit, at));
      for (let i = 0; i < limits.length; i++) {
        const limit = limits[i] as BucketLimit;
        const bucket = state[i] as Bucket;
        if (bucket.tokens < tokens) {
          const missing = tokens - bucket.tokens;
          return {
            ok: false,
            key: limit.key,
            retryAfterSeconds: Math.max(1, Math.ceil(missing / limit.ratePerSecond)),
          };
        }
      }
      for (const [i, bucket] of state.entries()) {
        const limit = limits[i] as BucketLimit;
        bucket.tokens -= tokens;
        bucket.fullAfterMs = ((limit.burst - bucket.tokens) / limit.ratePerSecond) * 1000;
      }
      if (buckets.size > SWEEP_ABOVE) sweep(at);
      return { ok: true };
    },
    async close() {
      buckets.clear();
    },
  };
}
