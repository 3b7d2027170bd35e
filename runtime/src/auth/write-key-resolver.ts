import { LivoraError } from '../errors.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import { hashWriteKey, isWriteKeyShaped, type WriteKey, type WriteKeyService } from '../tenants/write-keys.ts';
import type { Principal } from './roles.ts';

/**
 * Resolves write keys with an in-process cache keyed by the key's hash (unknown keys too,
 * so a flood of bad keys costs no queries, and no client string is kept); changes to keys
 * anywhere clear it through the change feed. Text not shaped like a key is refused unread.
 */
export function createWriteKeyResolver(keys: Pick<WriteKeyService, 'findByHash'>, ttlMs = 60_000) {
  const cache = createAsyncCache<string, WriteKey | null>({
    load: (keyHash) => keys.findByHash(keyHash),
    ttlMs,
    maxEntries: 50_000,
  });
  return {
    async resolve(key: string): Promise<Principal> {
      if (!isWriteKeyShaped(key))
        throw new LivoraError('LIVORA_AUTH_UNKNOWN_KEY', 'this is not a Livora write key (lvk_…)');
      const found = await cache.get(hashWriteKey(key));
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
