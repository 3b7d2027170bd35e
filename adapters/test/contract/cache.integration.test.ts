import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/local/memory-cache.ts';
import { createRedisCache } from '../../src/redis/redis-cache.ts';
import { redisServerInstalled, startRedisServer } from '../support/redis-server.ts';
import { cacheContract } from './cache.contract.ts';

describe('memory: a cache in this process', () => {
  cacheContract(async () => {
    const cache = createMemoryCache({ maxEntries: 100 });
    return { cache, close: () => cache.close() };
  });

  it('drops the oldest entries beyond its size', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', '1', 60);
    await cache.set('b', '2', 60);
    await cache.set('a', '1 again', 60); // refreshed: now the newest
    await cache.set('c', '3', 60);
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual(['1 again', null, '3']);
  });
});

const redis = redisServerInstalled();
if (!redis) console.warn('redis-server is not installed: skipping the Redis cache (apt-get install redis-server)');
describe.skipIf(!redis)('redis: a cache shared by API processes (redis-server)', () => {
  cacheContract(async () => {
    const server = await startRedisServer();
    const cache = createRedisCache(server.url);
    return {
      cache,
      async close() {
        await cache.close();
        await server.stop();
      },
    };
  });
});
