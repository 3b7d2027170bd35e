import type { BucketLimit, TakeResult, TokenBuckets } from '../ports/token-bucket.ts';
import { connectRedis } from './connect.ts';

// Refills every bucket, then takes from all of them only if all have enough (atomic in
// Redis). Time comes from the Redis server so API processes with skewed clocks agree.
// KEYS: bucket keys. ARGV: tokens, then rate and burst per key.
// Returns 0 when taken, else the 1-based index of the first short bucket and its wait in ms.
const TAKE_SCRIPT = `
local tokens = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i * 2])
  local burst = tonumber(ARGV[i * 2 + 1])
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local have = tonumber(b[1]) or burst
  local at = tonumber(b[2]) or now
  have = math.min(burst, have + math.max(0, now - at) / 1000 * rate)
  if have < tokens then
    return {i, math.ceil((tokens - have) / rate * 1000)}
  end
  state[i] = have
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[i * 2])
  local burst = tonumber(ARGV[i * 2 + 1])
  redis.call('HSET', key, 'tokens', state[i] - tokens, 'at', now)
  redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
end
return {0, 0}
`;

/** Token buckets in Redis, shared by every API process (ElastiCache, Memorystore, Azure Cache). */
export function createRedisTokenBuckets(url: string, options: { keyPrefix?: string; ca?: string } = {}): TokenBuckets {
  const keyPrefix = options.keyPrefix ?? 'livora:rate:';
  const redis = connectRedis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  redis.defineCommand('livoraTake', { lua: TAKE_SCRIPT });
  const take = (keys: string[], args: (string | number)[]) =>
    (redis as unknown as { livoraTake(n: number, ...a: (string | number)[]): Promise<[number, number]> }).livoraTake(
      keys.length,
      ...keys,
      ...args,
    );

  return {
    kind: 'redis',
    async take(limits: readonly BucketLimit[], tokens: number): Promise<TakeResult> {
      const keys = limits.map((l) => keyPrefix + l.key);
      const args: (string | number)[] = [tokens];
      for (const l of limits) args.push(l.ratePerSecond, l.burst);
      const [index, waitMs] = await take(keys, args);
      if (index === 0) return { ok: true };
      const limit = limits[index - 1] as BucketLimit;
      return { ok: false, key: limit.key, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
    async close() {
      await redis.quit();
    },
  };
}
