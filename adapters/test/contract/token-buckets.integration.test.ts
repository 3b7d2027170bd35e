import { describe } from 'vitest';
import { createMemoryTokenBuckets } from '../../src/local/memory-token-buckets.ts';
import { createRedisTokenBuckets } from '../../src/redis/redis-token-buckets.ts';
import { redisServerInstalled, startRedisServer } from '../support/redis-server.ts';
import { tokenBucketsContract } from './token-buckets.contract.ts';

describe('memory: token buckets in this process', () => {
  tokenBucketsContract(async () => {
    const buckets = createMemoryTokenBuckets();
    return { buckets, close: () => buckets.close() };
  });
});

const redis = redisServerInstalled();
if (!redis)
  console.warn('redis-server is not installed: skipping the Redis token buckets (apt-get install redis-server)');
describe.skipIf(!redis)('redis: token buckets shared by API processes (redis-server)', () => {
  tokenBucketsContract(async () => {
    const server = await startRedisServer();
    const buckets = createRedisTokenBuckets(server.url);
    return {
      buckets,
      async close() {
        await buckets.close();
        await server.stop();
      },
    };
  });
});
