export { createRedisCache } from './redis-cache.ts';
export { createRedisTokenBuckets } from './redis-token-buckets.ts';
