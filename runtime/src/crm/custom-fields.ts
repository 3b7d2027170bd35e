import { type Kysely, sql } from 'kysely';
import { byUser, recordAudit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { crmUser } from './crm-permissions.ts';
import type { RecordKind } from './record-kinds.ts';

export const FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'select', 'multi_select'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type Entity = RecordKind['entity'];

/** A tenant's own field of one kind of record; values live in the record's `custom`. */
export interface CustomField {
  readonly entity: Entity;
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  /** The choices of a select or multi-select, in display order. */
  readonly options: string[];
  /** A record made through the API must give a value, and no change may clear it (imports and syncs may leave it unset). */
  readonly required: boolean;
}

const MAX_TEXT = 10_000;

/**
 * Checks `input` (the `custom` of a create or a change) against the kind's fields and
 * returns the record's new custom values: keys not sent keep their value, `null` clears
 * one. An unknown key, a value of the wrong type, an option not offered, a required field
 * missing on create or cleared on change refuses the write (LIVORA_CRM_INVALID_FIELD,
 * naming the field).
 */
export function applyCustom(
  fields: readonly CustomField[],
  input: Record<string, unknown>,
  current: Record<string, unknown> | null,
): Record<string, unknown> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const result: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(input)) {
    const field = byKey.get(key);
    if (!field)
      throw invalid(key, `is not a custom field of ${fields[0]?.entity ?? 'this kind of'} records`, [...byKey.keys()]);
    if (value === null) delete result[key];
    else result[key] = checked(field, value);
  }
  for (const field of fields)
    if (field.required && result[field.key] === undefined && (current === null || field.key in input))
      throw invalid(field.key, 'is required');
  return result;
}

function checked(field: CustomField, value: unknown): unknown {
  switch (field.type) {
    case 'text':
      if (typeof value === 'string' && value.length <= MAX_TEXT) return value;
      throw invalid(field.key, `takes text of at most ${MAX_TEXT} characters`);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(field.key, 'takes a number');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw invalid(field.key, 'takes true or false');
    case 'date':
      if (typeof value === 'string' && isDay(value)) return value;
      throw invalid(field.key, 'takes a date (YYYY-MM-DD)');
    case 'select':
      if (typeof value === 'string' && field.options.includes(value)) return value;
      throw invalid(field.key, `takes one of ${field.options.join(', ')}`);
    case 'multi_select':
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' && field.options.includes(v)))
        return field.options.filter((o) => value.includes(o));
      throw invalid(field.key, `takes a list of ${field.options.join(', ')}`);
  }
}

function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

function invalid(field: string, problem: string, known?: string[]): LivoraError {
  return new LivoraError('LIVORA_CRM_INVALID_FIELD', `custom field ${field} ${problem}`, {
    field,
    ...(known ? { known } : {}),
  });
}

/** The typed value of a filter on a custom field given as text (a query string's). */
export function filterValue(field: CustomField, text: string): unknown {
  if (field.type === 'number') return checked(field, Number(text));
  if (field.type === 'boolean') return checked(field, text === 'true' ? true : text === 'false' ? false : text);
  if (field.type === 'multi_select') return [checked(field, [text]) as string[]].flat();
  return checked(field, text);
}

/** The tenant's custom fields (of one kind, when given), read in the caller's tenant-scoped transaction. */
export async function fieldsOf(tx: Kysely<Tables>, tenantId: string, entity?: Entity): Promise<CustomField[]> {
  let query = tx
    .selectFrom('custom_fields')
    .select(['entity', 'key', 'label', 'type', 'options', 'required'])
    .where('tenant_id', '=', tenantId);
  if (entity) query = query.where('entity', '=', entity);
  return (await query.orderBy('entity').orderBy('created_at').execute()) as CustomField[];
}

/** Defining, listing and removing a tenant's custom fields (admins and managers define them). */
export function createCustomFields(tenantDb: TenantDatabase) {
  return {
    async list(principal: Principal, entity?: Entity): Promise<CustomField[]> {
      const user = crmUser(principal);
      return tenantDb.read(user.tenantId, (tx) => fieldsOf(tx, user.tenantId, entity));
    },

    /**
     * Adds a field. A required field may only be added while no record of the kind exists
     * (existing ones would have no value); a select needs its options.
     */
    async define(principal: Principal, field: CustomField, requestId?: string): Promise<CustomField> {
      const user = crmUser(principal);
      if ((field.type === 'select' || field.type === 'multi_select') !== field.options.length > 0)
        throw new LivoraError(
          'LIVORA_CRM_INVALID_FIELD',
          field.options.length > 0 ? `a ${field.type} field has no options` : `a ${field.type} field needs options`,
          { field: field.key },
        );
      if (new Set(field.options).size !== field.options.length)
        throw new LivoraError('LIVORA_CRM_INVALID_FIELD', 'options must differ', { field: field.key });
      return tenantDb.transaction(user.tenantId, async (tx) => {
        if (field.required) {
          const { rows } = await sql`
            SELECT 1 FROM ${sql.table(TABLE_OF[field.entity])} WHERE tenant_id = ${user.tenantId} LIMIT 1`.execute(tx);
          if (rows.length > 0)
            throw new LivoraError(
              'LIVORA_CRM_INVALID_FIELD',
              `${field.entity} records exist without a value: add the field as optional`,
              { field: field.key },
            );
        }
        const inserted = await tx
          .insertInto('custom_fields')
          .values({ tenant_id: user.tenantId, ...field })
          .onConflict((c) => c.doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!inserted)
          throw new LivoraError(
            'LIVORA_CRM_DUPLICATE',
            `${field.entity} records already have a custom field ${field.key}`,
          );
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'custom_field.created',
          entity: 'custom_field',
          entityId: `${field.entity}.${field.key}`,
          after: { ...field },
        });
        return field;
      });
    },

    /**
     * Removes a field. While records hold values it is refused (LIVORA_CRM_FIELD_IN_USE),
     * unless `purge` asks to clear them too, in the same transaction, with one audit entry
     * per record that held a value.
     */
    async remove(principal: Principal, entity: Entity, key: string, purge: boolean, requestId?: string) {
      const user = crmUser(principal);
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const removed = await tx
          .deleteFrom('custom_fields')
          .where('tenant_id', '=', user.tenantId)
          .where('entity', '=', entity)
          .where('key', '=', key)
          .returningAll()
          .executeTakeFirst();
        if (!removed) throw new LivoraError('LIVORA_CRM_NOT_FOUND', `${entity} records have no custom field ${key}`);
        const table = sql.table(TABLE_OF[entity]);
        const holding = sql`tenant_id = ${user.tenantId} AND custom ? ${key}`;
        if (!purge) {
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table} WHERE ${holding}`.execute(
            tx,
          );
          const n = rows[0]?.n ?? 0;
          if (n > 0)
            throw new LivoraError(
              'LIVORA_CRM_FIELD_IN_USE',
              `${n} ${entity} records hold a value of ${key}: remove with purge=true to clear them`,
              { records: n },
            );
        }
        const { rows } = await sql<{ n: number }>`
          WITH held AS (SELECT id, custom -> ${key} AS value FROM ${table} WHERE ${holding}),
          cleared AS (
            UPDATE ${table} AS r SET custom = r.custom - ${key}, version = r.version + 1, updated_at = now()
            FROM held WHERE r.tenant_id = ${user.tenantId} AND r.id = held.id
            RETURNING r.id, held.value),
          audited AS (
            INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, before, after, request_id)
            SELECT ${user.tenantId}, ${`user:${user.subject}`}, ${`${entity}.custom_field_purged`}, ${entity}, id::text,
                   jsonb_build_object('custom', jsonb_build_object(${key}::text, value)), NULL, ${requestId ?? null}
            FROM cleared
            RETURNING 1)
          SELECT count(*)::int AS n FROM audited`.execute(tx);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: 'custom_field.deleted',
          entity: 'custom_field',
          entityId: `${entity}.${key}`,
          before: removed,
        });
        return { cleared: rows[0]?.n ?? 0 };
      });
    },
  };
}

export type CustomFields = ReturnType<typeof createCustomFields>;

const TABLE_OF: Record<Entity, RecordKind['table']> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
};
