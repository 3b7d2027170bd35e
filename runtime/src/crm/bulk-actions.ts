import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { isUuid } from '../shared/formats.ts';
import { assertMayAssign, type CrmUser, crmUser } from './crm-permissions.ts';
import { applyCustom, fieldsOf } from './custom-fields.ts';

export const MAX_BULK = 100_000;
/** Contacts per statement: progress is reported after each. */
const CHUNK = 10_000;

/** Contact fields a bulk `update` may set (emails are unique: never the same for many). */
export const BULK_FIELDS = {
  first_name: 200,
  last_name: 200,
  phone: 50,
  company_id: 'uuid',
} as const;

export type BulkAction =
  | { action: 'tag'; tag: string }
  | { action: 'untag'; tag: string }
  | { action: 'assign'; ownerId: string | null }
  | { action: 'add_to_segment' | 'remove_from_segment'; segmentId: string }
  /** `field`: one of BULK_FIELDS, or `custom.<key>` of a custom field. */
  | { action: 'update'; field: string; value: unknown };

export const BULK_ACTIONS = [
  'tag',
  'untag',
  'assign',
  'update',
  'add_to_segment',
  'remove_from_segment',
] as const satisfies readonly BulkAction['action'][];

export interface BulkFilter {
  readonly ownerId?: string;
  readonly tag?: string;
  readonly companyId?: string;
  readonly segmentId?: string;
}

/** Which contacts: these ids, or those matching a filter. */
export type BulkTarget = { ids: readonly string[] } | { filter: BulkFilter };

export type BulkProgress = (done: number, total: number) => Promise<void>;

/** How one action changes a contact row `c`: the SET, which rows it changes, and what the audit keeps. */
interface RowChange {
  readonly set: RawBuilder<unknown>;
  readonly differs: RawBuilder<unknown>;
  /** The changed value of row `c`, as the audit log keeps it (a jsonb object). */
  readonly audited: (row: string) => RawBuilder<unknown>;
}

/**
 * Bulk changes of contacts (tag, untag, assign an owner, set a field, add to or remove
 * from a static segment) for up to 100,000 ids or a filter, in one transaction: every
 * contact changes and is audited (one entry each, before and after), or none does. An
 * unknown id, a contact the user may not change, a bad value, or more than 100,000
 * contacts refuses the whole request. `progress` hears after each 10,000 contacts.
 */
export function createBulkActions(tenantDb: TenantDatabase) {
  return {
    async run(
      principal: Principal,
      change: BulkAction,
      target: BulkTarget,
      requestId?: string,
      progress?: BulkProgress,
    ): Promise<{ matched: number; changed: number }> {
      const user = crmUser(principal);
      if (change.action === 'assign' && change.ownerId !== null) assertMayAssign(user, change.ownerId);
      if ('ids' in target && target.ids.length > MAX_BULK) throw tooLarge(target.ids.length);
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const ids = 'ids' in target ? [...new Set(target.ids)] : await matching(tx, user.tenantId, target.filter);
        const membership = 'segmentId' in change;
        await checkContacts(tx, user, ids, !membership);
        const apply =
          'segmentId' in change
            ? await segmentChange(tx, user, change.segmentId, change.action === 'add_to_segment', requestId)
            : await fieldChange(tx, user, change, requestId);
        let changed = 0;
        for (let start = 0; start < ids.length; start += CHUNK) {
          changed += await apply(ids.slice(start, start + CHUNK));
          await progress?.(Math.min(start + CHUNK, ids.length), ids.length);
        }
        return { matched: ids.length, changed };
      });
    },
  };
}

export type BulkActions = ReturnType<typeof createBulkActions>;

/** Every id is a contact of the tenant (locked), and a sales user changing fields owns them or nobody does. */
async function checkContacts(tx: Kysely<Tables>, user: CrmUser, ids: string[], changesFields: boolean) {
  const { rows } = await sql<{ found: number; others: number }>`
    SELECT count(*)::int AS found,
           count(*) FILTER (WHERE owner_id IS NOT NULL AND owner_id::text <> ${user.subject})::int AS others
    FROM (SELECT owner_id FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ANY(${ids}::uuid[]) FOR UPDATE) AS t`.execute(
    tx,
  );
  const { found = 0, others = 0 } = rows[0] ?? {};
  if (found !== ids.length)
    throw new LivoraError(
      'LIVORA_CRM_NOT_FOUND',
      `${ids.length - found} of the contacts do not exist: nothing changed`,
    );
  if (changesFields && user.role === 'sales' && others > 0)
    throw new LivoraError(
      'LIVORA_AUTH_FORBIDDEN',
      `${others} of the contacts are owned by someone else, which a sales user may not change: nothing changed`,
    );
}

/** Applies a field change to a chunk of ids, each changed contact a new version with its audit entry. */
async function fieldChange(
  tx: Kysely<Tables>,
  user: CrmUser,
  change: Exclude<BulkAction, { segmentId: string }>,
  requestId: string | undefined,
): Promise<(ids: string[]) => Promise<number>> {
  const row = await rowChange(tx, user, change);
  return async (ids) => {
    // The update names the ids again: joined to `before` alone, the planner read the whole
    // table for them (0.5 s of a 10,000-contact bulk change).
    const { rows } = await sql<{ n: number }>`
      WITH before AS (
        SELECT id, ${row.audited('contacts')} AS value FROM contacts WHERE tenant_id = ${user.tenantId} AND id = ANY(${ids}::uuid[])),
      changed AS (
        UPDATE contacts AS c SET ${row.set}, version = c.version + 1, updated_at = now()
        FROM before AS b
        WHERE c.tenant_id = ${user.tenantId} AND c.id = b.id AND c.id = ANY(${ids}::uuid[]) AND ${row.differs}
        RETURNING c.id, b.value AS before, ${row.audited('c')} AS after),
      audited AS (
        INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, before, after, request_id)
        SELECT ${user.tenantId}, ${`user:${user.subject}`}, ${`contact.bulk_${change.action}`}, 'contact', id::text,
               before, after, ${requestId ?? null}
        FROM changed
        RETURNING 1)
      SELECT count(*)::int AS n FROM audited`.execute(tx);
    return rows[0]?.n ?? 0;
  };
}

async function rowChange(
  tx: Kysely<Tables>,
  user: CrmUser,
  change: Exclude<BulkAction, { segmentId: string }>,
): Promise<RowChange> {
  const of = (field: string) => (row: string) => sql`jsonb_build_object(${field}::text, ${sql.ref(`${row}.${field}`)})`;
  switch (change.action) {
    case 'tag':
      return {
        set: sql`tags = (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(c.tags || ARRAY[${change.tag}]::text[]) AS t)`,
        differs: sql`NOT c.tags @> ARRAY[${change.tag}]::text[]`,
        audited: of('tags'),
      };
    case 'untag':
      return {
        set: sql`tags = array_remove(c.tags, ${change.tag})`,
        differs: sql`c.tags @> ARRAY[${change.tag}]::text[]`,
        audited: of('tags'),
      };
    case 'assign':
      if (change.ownerId !== null) await assertActiveUser(tx, user.tenantId, change.ownerId);
      return {
        set: sql`owner_id = ${change.ownerId}`,
        differs: sql`c.owner_id IS DISTINCT FROM ${change.ownerId}::uuid`,
        audited: of('owner_id'),
      };
    case 'update': {
      if (change.field.startsWith('custom.')) {
        const key = change.field.slice('custom.'.length);
        const field = (await fieldsOf(tx, user.tenantId, 'contact')).find((f) => f.key === key);
        if (!field) throw badValue(change.field, `${key} is not a custom field of contacts`);
        if (change.value === null && field.required) throw badValue(change.field, `${key} is required`);
        const value =
          change.value === null ? null : JSON.stringify(applyCustom([field], { [key]: change.value }, null)[key]);
        return {
          set:
            value === null
              ? sql`custom = c.custom - ${key}`
              : sql`custom = jsonb_set(c.custom, ARRAY[${key}]::text[], ${value}::jsonb)`,
          differs: sql`c.custom -> ${key} IS DISTINCT FROM ${value}::jsonb`,
          audited: (row) =>
            sql`jsonb_build_object('custom', jsonb_build_object(${key}::text, ${sql.ref(`${row}.custom`)} -> ${key}))`,
        };
      }
      const limit = Object.hasOwn(BULK_FIELDS, change.field)
        ? BULK_FIELDS[change.field as keyof typeof BULK_FIELDS]
        : undefined;
      if (limit === undefined)
        throw badValue(change.field, `set one of ${Object.keys(BULK_FIELDS).join(', ')} or custom.<key>`);
      const { value } = change;
      if (limit === 'uuid') {
        if (value !== null && !(typeof value === 'string' && isUuid(value)))
          throw badValue(change.field, 'takes a company id or null');
        if (value !== null) await assertCompany(tx, user.tenantId, value);
      } else if (value !== null && !(typeof value === 'string' && value.length >= 1 && value.length <= limit))
        throw badValue(change.field, `takes text of 1 to ${limit} characters, or null`);
      const column = sql.ref(change.field);
      return {
        set: sql`${column} = ${value}`,
        differs: sql`${sql.ref(`c.${change.field}`)} IS DISTINCT FROM ${value}${limit === 'uuid' ? sql`::uuid` : sql`::text`}`,
        audited: of(change.field),
      };
    }
  }
}

/** Adds a chunk of contacts to a segment, or removes them, each membership change audited. */
async function segmentChange(
  tx: Kysely<Tables>,
  user: CrmUser,
  segmentId: string,
  add: boolean,
  requestId: string | undefined,
): Promise<(ids: string[]) => Promise<number>> {
  const segment = await tx
    .selectFrom('segments')
    .select('id')
    .where('tenant_id', '=', user.tenantId)
    .where('id', '=', segmentId)
    .executeTakeFirst();
  if (!segment) throw new LivoraError('LIVORA_CRM_NOT_FOUND', `no segment ${segmentId}`);
  const action = add ? 'contact.added_to_segment' : 'contact.removed_from_segment';
  const membership = sql`jsonb_build_object('segment_id', ${segmentId}::text)`;
  return async (ids) => {
    const changed = add
      ? sql`INSERT INTO segment_members (tenant_id, segment_id, contact_id)
            SELECT ${user.tenantId}, ${segmentId}, id FROM unnest(${ids}::uuid[]) AS id
            ON CONFLICT DO NOTHING RETURNING contact_id`
      : sql`DELETE FROM segment_members
            WHERE tenant_id = ${user.tenantId} AND segment_id = ${segmentId} AND contact_id = ANY(${ids}::uuid[])
            RETURNING contact_id`;
    const { rows } = await sql<{ n: number }>`
      WITH changed AS (${changed}),
      audited AS (
        INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, before, after, request_id)
        SELECT ${user.tenantId}, ${`user:${user.subject}`}, ${action}, 'contact', contact_id::text,
               ${add ? sql`NULL` : membership}, ${add ? membership : sql`NULL`}, ${requestId ?? null}
        FROM changed
        RETURNING 1)
      SELECT count(*)::int AS n FROM audited`.execute(tx);
    return rows[0]?.n ?? 0;
  };
}

async function assertActiveUser(tx: Kysely<Tables>, tenantId: string, id: string) {
  const owner = await tx
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!owner) throw new LivoraError('LIVORA_CRM_INVALID', `owner ${id} is not a user of this tenant`);
}

async function assertCompany(tx: Kysely<Tables>, tenantId: string, id: string) {
  const company = await tx
    .selectFrom('companies')
    .select('id')
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!company) throw new LivoraError('LIVORA_CRM_INVALID', `company ${id} does not exist`);
}

async function matching(tx: Kysely<Tables>, tenantId: string, filter: BulkFilter): Promise<string[]> {
  const conditions = [sql`tenant_id = ${tenantId}`];
  if (filter.ownerId) conditions.push(sql`owner_id = ${filter.ownerId}`);
  if (filter.tag) conditions.push(sql`tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.companyId) conditions.push(sql`company_id = ${filter.companyId}`);
  if (filter.segmentId)
    conditions.push(
      sql`id IN (SELECT contact_id FROM segment_members WHERE tenant_id = ${tenantId} AND segment_id = ${filter.segmentId})`,
    );
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM contacts WHERE ${sql.join(conditions, sql` AND `)} LIMIT ${MAX_BULK + 1}`.execute(tx);
  if (rows.length > MAX_BULK) throw tooLarge(`more than ${MAX_BULK}`);
  return rows.map((r) => r.id);
}

function badValue(field: string, problem: string): LivoraError {
  return new LivoraError('LIVORA_CRM_INVALID_FIELD', `${field}: ${problem}`, { field });
}

function tooLarge(count: number | string): LivoraError {
  return new LivoraError(
    'LIVORA_CRM_BULK_TOO_LARGE',
    `a bulk change takes at most ${MAX_BULK.toLocaleString('en')} contacts, not ${count}`,
  );
}
