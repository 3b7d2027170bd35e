import type { Cache } from '../ports/cache.ts';
import { connectRedis } from './connect.ts';

/** The cache in Redis, shared by every API process; keys under `prefix`, expiry kept by Redis. */
export function createRedisCache(url: string, options: { prefix?: string; ca?: string } = {}): Cache {
  const redis = connectRedis(url, {
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const prefix = options.prefix ?? 'livora:cache:';
  return {
    kind: 'redis',
    async get(key) {
      return redis.get(prefix + key);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    async close() {
      await redis.quit();
    },
  };
}
