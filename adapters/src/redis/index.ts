export { createRedisTokenBuckets } from './redis-token-buckets.ts';
