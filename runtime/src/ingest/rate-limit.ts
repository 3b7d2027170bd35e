import type { BucketLimit, TokenBuckets } from '@livora/adapters/ports';
import type { Principal } from '../auth/roles.ts';
import { LivoraError } from '../errors.ts';

export interface RateDefaults {
  readonly keyEventsPerSecond: number;
  readonly keyBurst: number;
  readonly tenantEventsPerSecond: number;
  readonly tenantBurst: number;
}

/**
 * Token buckets per source (write key, or token subject) and per tenant, counted in
 * events: a batch of 100 costs 100 tokens. A key's own limits override the defaults.
 */
export function createIngestRateLimit(buckets: TokenBuckets, defaults: RateDefaults) {
  return {
    async take(principal: Principal, events: number): Promise<void> {
      // Keys share the tenant's {hash tag}, so Redis Cluster keeps both buckets in one slot.
      const tag = `{${principal.tenantId}}`;
      const source: BucketLimit =
        principal.kind === 'write-key'
          ? {
              key: `${tag}:key:${principal.keyId}`,
              ratePerSecond: principal.ratePerSecond ?? defaults.keyEventsPerSecond,
              burst: principal.burst ?? defaults.keyBurst,
            }
          : {
              key: `${tag}:sub:${principal.subject}`,
              ratePerSecond: defaults.keyEventsPerSecond,
              burst: defaults.keyBurst,
            };
      const tenant: BucketLimit = {
        key: `${tag}:tenant`,
        ratePerSecond: defaults.tenantEventsPerSecond,
        burst: defaults.tenantBurst,
      };
      const result = await buckets.take([source, tenant], events);
      if (!result.ok) {
        const scope = result.key === tenant.key ? 'tenant' : 'source';
        throw new LivoraError(
          'LIVORA_RATE_LIMITED',
          `the ${scope} rate limit is reached; retry after ${result.retryAfterSeconds} s`,
          { scope, retry_after_seconds: result.retryAfterSeconds },
          { 'retry-after': String(result.retryAfterSeconds) },
        );
      }
    },
  };
}

export type IngestRateLimit = ReturnType<typeof createIngestRateLimit>;
