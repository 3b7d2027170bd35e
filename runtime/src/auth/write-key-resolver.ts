import { LivoraError } from '../errors.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import type { WriteKey, WriteKeyService } from '../tenants/write-keys.ts';
import type { Principal } from './roles.ts';

/**
 * Resolves write keys with an in-process cache (unknown keys too, so a flood of bad keys
 * costs no queries); changes to keys anywhere clear it through the change listener.
 */
export function createWriteKeyResolver(keys: Pick<WriteKeyService, 'findByKey'>, ttlMs = 60_000) {
  const cache = createAsyncCache<string, WriteKey | null>({
    load: (key) => keys.findByKey(key),
    ttlMs,
    maxEntries: 50_000,
  });
  return {
    async resolve(key: string): Promise<Principal> {
      const found = await cache.get(key);
      if (!found) throw new LivoraError('LIVORA_AUTH_UNKNOWN_KEY');
      if (found.revokedAt) throw new LivoraError('LIVORA_AUTH_REVOKED_KEY', `write key ${found.prefix}… was revoked`);
      return {
        kind: 'write-key',
        tenantId: found.tenantId,
        keyId: found.id,
        ratePerSecond: found.ratePerSecond,
        burst: found.burst,
      };
    },
    forget() {
      cache.invalidate();
    },
  };
}

export type WriteKeyResolver = ReturnType<typeof createWriteKeyResolver>;
