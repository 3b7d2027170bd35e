import { type Kysely, type RawBuilder, sql } from 'kysely';
import { byUser, recordAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { crmUser } from './crm-permissions.ts';
import type { Entity } from './custom-fields.ts';
import { type CrmRecord, type RecordService, sameValue } from './record-service.ts';

export const MAX_SYNC_CHANGES = 500;

/** One change a client queued while offline. */
export type QueuedChange =
  | {
      readonly entity: Entity;
      readonly op: 'create';
      /** Chosen by the client, so that a change sent twice makes one record. */
      readonly id: string;
      readonly fields: Record<string, unknown>;
    }
  | {
      readonly entity: Entity;
      readonly op: 'update';
      readonly id: string;
      /** The version the client's edit started from. */
      readonly baseVersion: number;
      /** The values the client saw of the fields it changed (what it changed them from). */
      readonly base: Record<string, unknown>;
      readonly fields: Record<string, unknown>;
      /** When the user made the edit: it decides conflicts, last writer winning per field. */
      readonly changedAt: Date;
    }
  | { readonly entity: Entity; readonly op: 'delete'; readonly id: string; readonly baseVersion: number };

/** A field both sides changed: whose value stays, and the one that went. */
export interface FieldConflict {
  readonly field: string;
  readonly kept: 'client' | 'server';
  /** The value that lost (the server's when the client won, else the client's). */
  readonly lost: unknown;
  readonly serverChangedAt: string;
}

export interface SyncResult {
  readonly index: number;
  /** applied: as sent; merged: applied around others' changes (see conflicts); rejected: nothing applied. */
  readonly status: 'applied' | 'merged' | 'rejected';
  readonly record?: CrmRecord | null;
  readonly conflicts?: readonly FieldConflict[];
  readonly error?: { readonly code: string; readonly message: string; readonly current?: unknown };
}

/**
 * Applies the changes a console queued offline, each on its own (one failing stops none
 * of the others). A create with a known id is a replay, answered with the record. An
 * update whose base version is still current applies as sent; otherwise each field
 * merges on its own: a field nobody else changed since (the server still has the client's
 * base value) takes the client's value; a field both changed goes to the later edit (the
 * client's `changed_at` against the server's last change of that field, from the audit
 * log). Whatever loses is reported and written to the audit log: nothing is lost silently.
 * A delete of a record changed since is refused (the changes would go with it).
 */
export function createOfflineSync(services: Readonly<Record<Entity, RecordService>>) {
  /**
   * When each field of a record last changed, from its audit entries (custom fields as
   * `custom.<key>`), read under the record's lock; values a sync discarded are no change.
   */
  async function fieldTimes(tx: Kysely<Tables>, tenantId: string, entity: Entity, id: string) {
    const keysOf = (json: RawBuilder<unknown>) =>
      sql`jsonb_object_keys(CASE WHEN jsonb_typeof(${json}) = 'object' THEN ${json} ELSE '{}'::jsonb END)`;
    const ofRecord = sql`a.tenant_id = ${tenantId} AND a.entity = ${entity} AND a.entity_id = ${id}
      AND a.action <> ${`${entity}.sync_discarded`}`;
    const { rows } = await sql<{ field: string; at: Date }>`
      SELECT field, max(at) AS at FROM (
        SELECT k AS field, a.at FROM audit_log AS a CROSS JOIN LATERAL ${keysOf(sql`a.after`)} AS k WHERE ${ofRecord}
        UNION ALL
        SELECT 'custom.' || k, a.at FROM audit_log AS a CROSS JOIN LATERAL ${keysOf(sql`a.after -> 'custom'`)} AS k
        WHERE ${ofRecord}
      ) AS changes GROUP BY field`.execute(tx);
    return new Map(rows.map((r) => [r.field, r.at]));
  }

  async function update(
    principal: Principal,
    change: Extract<QueuedChange, { op: 'update' }>,
    requestId: string | undefined,
  ): Promise<Omit<SyncResult, 'index'>> {
    const service = services[change.entity];
    const user = crmUser(principal);
    let conflicts: FieldConflict[] = [];
    let stale = false;
    const record = await service.update(
      principal,
      change.id,
      'latest',
      async (current, tx) => {
        conflicts = [];
        stale = current.version !== change.baseVersion;
        if (!stale) return change.fields;
        const times = await fieldTimes(tx, user.tenantId, change.entity, change.id);
        const patch: Record<string, unknown> = {};
        for (const [field, mine, base, theirs] of flatten(change.fields, change.base, current)) {
          if (sameValue(theirs, base) || sameValue(theirs, mine)) {
            put(patch, field, mine);
            continue;
          }
          const serverAt = times.get(field) ?? new Date(String(current.updated_at));
          // A device clock ahead of the server's wins nothing by it: the edit counts as made now at the latest.
          const editedAt = Math.min(change.changedAt.getTime(), Date.now());
          const clientWins = editedAt >= serverAt.getTime();
          if (clientWins) put(patch, field, mine);
          conflicts.push({
            field,
            kept: clientWins ? 'client' : 'server',
            lost: clientWins ? (theirs ?? null) : mine,
            serverChangedAt: serverAt.toISOString(),
          });
        }
        // What lost to the server's later edits is kept, in the same transaction as the change.
        const discarded = conflicts.filter((c) => c.kept === 'server');
        if (discarded.length > 0)
          await recordAudit(tx, {
            ...byUser(user, requestId),
            action: `${change.entity}.sync_discarded`,
            entity: change.entity,
            entityId: change.id,
            after: Object.fromEntries(discarded.map((c) => [c.field, c.lost])),
          });
        return patch;
      },
      requestId,
      `${change.entity}.synced`,
    );
    return { status: stale ? 'merged' : 'applied', record, ...(stale ? { conflicts } : {}) };
  }

  return {
    async apply(principal: Principal, changes: readonly QueuedChange[], requestId?: string): Promise<SyncResult[]> {
      if (changes.length > MAX_SYNC_CHANGES)
        throw new LivoraError(
          'LIVORA_CRM_BULK_TOO_LARGE',
          `a sync takes at most ${MAX_SYNC_CHANGES} changes, not ${changes.length}: send the rest next`,
        );
      const results: SyncResult[] = [];
      for (const [index, change] of changes.entries()) {
        const service = services[change.entity];
        try {
          if (change.op === 'create')
            results.push({
              index,
              status: 'applied',
              record: await service.create(principal, change.fields, requestId, change.id),
            });
          else if (change.op === 'update') results.push({ index, ...(await update(principal, change, requestId)) });
          else {
            await service.remove(principal, change.id, requestId, change.baseVersion).catch((error: unknown) => {
              // Gone already: what the client wanted.
              if (!(error instanceof LivoraError && error.code === 'LIVORA_CRM_NOT_FOUND')) throw error;
            });
            results.push({ index, status: 'applied', record: null });
          }
        } catch (error) {
          if (!(error instanceof LivoraError)) throw error;
          results.push({
            index,
            status: 'rejected',
            error: {
              code: error.code,
              message: error.message,
              ...(error.details?.current ? { current: error.details.current } : {}),
            },
          });
        }
      }
      return results;
    },
  };
}

export type OfflineSync = ReturnType<typeof createOfflineSync>;

/** Each changed field (custom values one by one, as `custom.<key>`): its name, the client's value, base and the server's. */
function* flatten(
  fields: Record<string, unknown>,
  base: Record<string, unknown>,
  current: CrmRecord,
): Generator<[string, unknown, unknown, unknown]> {
  for (const [field, mine] of Object.entries(fields)) {
    if (field !== 'custom') {
      yield [field, mine, base[field], current[field]];
      continue;
    }
    const theirs = (current.custom ?? {}) as Record<string, unknown>;
    const was = (base.custom ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries((mine ?? {}) as Record<string, unknown>))
      yield [`custom.${key}`, value, was[key] ?? null, theirs[key] ?? null];
  }
}

/** Puts a merged value in the patch (custom values into its `custom`). */
function put(patch: Record<string, unknown>, field: string, value: unknown) {
  if (!field.startsWith('custom.')) patch[field] = value;
  else patch.custom = { ...((patch.custom as object) ?? {}), [field.slice('custom.'.length)]: value };
}
