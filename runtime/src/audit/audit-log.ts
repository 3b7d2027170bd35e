import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';

/** One change, as the audit log keeps it: who did what to which record, before and after. */
export interface AuditEntry {
  readonly tenantId: string;
  /** `user:<id>`, `cli`, `system`… */
  readonly actor: string;
  /** `user.created`, `auth.login`… */
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string | null;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'tenantId'>> {
  readonly id: string;
  readonly at: Date;
}

/** Who an entry is by: a signed-in user of the tenant, in the request `requestId`. */
export function byUser(
  user: { readonly tenantId: string; readonly subject: string },
  requestId: string | undefined,
): Pick<AuditEntry, 'tenantId' | 'actor' | 'requestId'> {
  return { tenantId: user.tenantId, actor: `user:${user.subject}`, requestId: requestId ?? null };
}

/** Appends `entry` (inside the caller's transaction, so a change and its record commit together). */
export async function recordAudit(db: Kysely<Tables>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: entry.requestId ?? null,
    })
    .execute();
}

/** The tenant's audit log, newest first, a page at a time (the cursor is the last id seen). */
export function createAuditReader(db: Kysely<Tables>) {
  return {
    async list(
      tenantId: string,
      options: { limit: number; cursor?: string; action?: string; entity?: string; entityId?: string },
    ): Promise<{ entries: AuditRecord[]; nextCursor: string | null }> {
      let query = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
      if (options.cursor !== undefined) query = query.where('id', '<', decodeCursor(options.cursor));
      if (options.action) query = query.where('action', '=', options.action);
      if (options.entity) query = query.where('entity', '=', options.entity);
      if (options.entityId) query = query.where('entity_id', '=', options.entityId);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(options.limit + 1)
        .execute();
      const page = rows.slice(0, options.limit);
      return {
        entries: page.map((r) => ({
          id: String(r.id),
          actor: r.actor,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before ?? null,
          after: r.after ?? null,
          requestId: r.request_id,
          at: r.at,
        })),
        nextCursor: rows.length > options.limit ? Buffer.from(String(page.at(-1)?.id)).toString('base64url') : null,
      };
    },
  };
}

export type AuditReader = ReturnType<typeof createAuditReader>;

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(id))
    throw new LivoraError('LIVORA_AUDIT_INVALID_CURSOR', 'the cursor is not one this endpoint gave out');
  return id;
}
