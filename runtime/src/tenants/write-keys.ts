import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { MAX_BATCH_EVENTS } from '../events/canonical-event.ts';
import type { TenantService } from './tenants.ts';

/** A write key as listed: never the secret itself, which is shown once at creation. */
export interface WriteKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly prefix: string;
  readonly ratePerSecond: number | null;
  readonly burst: number | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface KeyLimits {
  readonly ratePerSecond?: number;
  readonly burst?: number;
}

const KEY_PREFIX = 'lvk_';
/** What every write key looks like: anything else is refused before any lookup. */
const KEY_SHAPE = /^lvk_[A-Za-z0-9_-]{32}$/;

export function isWriteKeyShaped(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/** Keys are random (192 bits), so a fast hash is enough to store them: nothing to brute-force. */
export function hashWriteKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Per-source write keys, stored hashed. Sources authenticate with HTTP Basic, as with Segment. */
export function createWriteKeyService(db: Kysely<Tables>, tenants: TenantService) {
  return {
    async create(tenantId: string, name: string, limits: KeyLimits = {}): Promise<{ key: string; writeKey: WriteKey }> {
      await tenants.require(tenantId);
      if (limits.burst !== undefined && limits.burst < MAX_BATCH_EVENTS) {
        throw new LivoraError(
          'LIVORA_KEY_INVALID_LIMIT',
          `burst ${limits.burst} is below one batch of ${MAX_BATCH_EVENTS}`,
        );
      }
      if (limits.ratePerSecond !== undefined && !(Number.isInteger(limits.ratePerSecond) && limits.ratePerSecond > 0)) {
        throw new LivoraError(
          'LIVORA_KEY_INVALID_LIMIT',
          'the rate must be a positive whole number of events per second',
        );
      }
      const key = KEY_PREFIX + randomBytes(24).toString('base64url');
      const row = await db
        .insertInto('write_keys')
        .values({
          id: `key_${randomBytes(9).toString('base64url')}`,
          tenant_id: tenantId,
          name,
          key_hash: hashWriteKey(key),
          key_prefix: key.slice(0, KEY_PREFIX.length + 6),
          rate_per_second: limits.ratePerSecond ?? null,
          burst: limits.burst ?? null,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { key, writeKey: toWriteKey(row) };
    },
    async revoke(id: string): Promise<WriteKey> {
      const row = await db
        .updateTable('write_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new LivoraError('LIVORA_KEY_NOT_FOUND', `no write key "${id}"`);
      return toWriteKey(row);
    },
    async list(tenantId: string): Promise<WriteKey[]> {
      await tenants.require(tenantId);
      const rows = await db
        .selectFrom('write_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .execute();
      return rows.map(toWriteKey);
    },
    async findByHash(keyHash: string): Promise<WriteKey | null> {
      const row = await db.selectFrom('write_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
      return row ? toWriteKey(row) : null;
    },
  };
}

export type WriteKeyService = ReturnType<typeof createWriteKeyService>;

function toWriteKey(row: {
  id: string;
  tenant_id: string;
  name: string;
  key_prefix: string;
  rate_per_second: number | null;
  burst: number | null;
  created_at: Date;
  revoked_at: Date | null;
}): WriteKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.key_prefix,
    ratePerSecond: row.rate_per_second,
    burst: row.burst,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
