import { type Kysely, type RawBuilder, sql } from 'kysely';
import { byUser, recordAudit } from '../audit/audit-log.ts';
import { assertAllowed, type Principal } from '../auth/roles.ts';
import { SQLSTATE } from '../db/sqlstate.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { LivoraError } from '../errors.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import { isUuid } from '../shared/formats.ts';
import { assertMayAssign, assertMayEdit, type CrmUser, crmUser } from './crm-permissions.ts';
import { applyCustom, fieldsOf, filterValue } from './custom-fields.ts';
import type { RecordKind } from './record-kinds.ts';
import type { WordFrequencies } from './word-frequencies.ts';
import { wordMatches, wordQuery, wordTerms } from './word-search.ts';
import { firstMatchesWalking, walkBound } from './word-walk.ts';

type User = CrmUser;

/** A CRM record as the API gives it: its fields, owner, tags, version and times. */
export type CrmRecord = Record<string, unknown> & { id: string; version: number; owner_id: string | null };

export interface ListOptions {
  readonly q?: string;
  readonly ownerId?: string;
  readonly tag?: string;
  readonly companyId?: string;
  /** Contacts: members of this static segment. */
  readonly segmentId?: string;
  /** Deals and activities: of this contact. */
  readonly contactId?: string;
  /** Deals: of this stage, with this status. */
  readonly stageId?: string;
  readonly status?: 'open' | 'won' | 'lost';
  /** Records whose custom field `key` holds `value` (text, typed by the field; one option of a multi-select). */
  readonly custom?: { readonly key: string; readonly value: string };
  readonly sort: string;
  readonly direction: 'asc' | 'desc';
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Contacts and companies (one service per kind): create, read, change with optimistic
 * concurrency (a write names the version it read; a stale one gets 409 and the current
 * record), delete, and list with search, filters, sort and cursor pages. Every statement
 * runs tenant-scoped (row-level security), every change is audited in its transaction,
 * and who may change what is checked against the record's owner.
 */
export function createRecordService(
  tenantDb: TenantDatabase,
  kind: RecordKind,
  /** How common search words are: common ones are searched by walking the records (see walkBound). */
  frequencies?: WordFrequencies,
) {
  const notFound = () => new LivoraError('LIVORA_CRM_NOT_FOUND', `no ${kind.entity} with this id`);
  const table = sql.table(kind.table);

  /** Who the user may see: sales see only their own and their team's records of a team-visible kind. */
  function visibleTo(user: User): RawBuilder<unknown> {
    if (seesAll(user)) return sql`TRUE`;
    if (!isUuid(user.subject)) return sql`FALSE`; // a script's token owns nothing
    return sql`(owner_id = ${user.subject} OR owner_id IN (
      SELECT mate.id FROM users AS mate
      WHERE mate.tenant_id = ${user.tenantId} AND mate.team_id = (SELECT me.team_id FROM users AS me WHERE me.id = ${user.subject})))`;
  }

  function seesAll(user: User): boolean {
    return !kind.teamVisible || user.role !== 'sales';
  }

  // biome-ignore lint/suspicious/noExplicitAny: one service for every kind's table
  async function find(tx: Kysely<any>, user: User, id: string, lock = false): Promise<CrmRecord | null> {
    const { rows } = await sql<Record<string, unknown>>`
      SELECT * FROM ${table} WHERE tenant_id = ${user.tenantId} AND id = ${id} AND ${visibleTo(user)}
      ${lock ? sql`FOR UPDATE` : sql``}`.execute(tx);
    return rows[0] ? shape(rows[0]) : null;
  }

  /** Owners and assignees must be active users of the tenant; linked records, the tenant's. */
  async function checkReferences(tx: Kysely<Tables>, tenantId: string, values: Record<string, unknown>) {
    for (const [column, { table: referenced, what, users }] of Object.entries(REFERENCES)) {
      const id = values[column];
      if (typeof id !== 'string') continue;
      const { rows } = await sql`
        SELECT 1 FROM ${sql.table(referenced)}
        WHERE tenant_id = ${tenantId} AND id = ${id} ${users ? sql`AND disabled_at IS NULL` : sql``}`.execute(tx);
      if (rows.length === 0)
        throw new LivoraError(
          'LIVORA_CRM_INVALID',
          users ? `${what} ${id} is not a user of this tenant` : `${what} ${id} does not exist`,
        );
    }
  }

  /**
   * Runs `work` tenant-scoped for the principal's user (a read statement by statement, a
   * change as one transaction), with PostgreSQL's refusals as the API's codes.
   */
  async function scoped<T>(
    principal: Principal,
    how: 'read' | 'transaction',
    work: (tx: Kysely<Tables>, user: User) => Promise<T>,
  ): Promise<T> {
    const user = crmUser(principal);
    try {
      return await tenantDb[how](user.tenantId, (tx) => work(tx, user));
    } catch (error) {
      throw asRecordError(error, kind);
    }
  }

  function clean(input: Record<string, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const field of [...kind.fields, 'owner_id', 'tags']) {
      if (!(field in input)) continue;
      const value = input[field];
      values[field] =
        typeof value === 'string' && kind.lowercase.includes(field) ? value.trim().toLowerCase() : (value ?? null);
    }
    if (Array.isArray(values.tags)) values.tags = [...new Set(values.tags as string[])].sort();
    return values;
  }

  /**
   * Applies what `decide` returns to the record at `version` (the lock held, the rules of
   * who may change it checked), as one new version, audited as `action` with the fields'
   * values before and after. A stale version changes nothing: 409 with the current record.
   * `latest` takes whatever version is current (`decide` sees it).
   */
  async function change(
    principal: Principal,
    id: string,
    version: number | 'latest',
    action: string,
    requestId: string | undefined,
    decide: (tx: Kysely<Tables>, user: User, current: CrmRecord) => Promise<Record<string, unknown>>,
  ): Promise<CrmRecord> {
    return scoped(principal, 'transaction', async (tx, user) => {
      const current = await find(tx, user, id, true);
      if (!current) throw notFound();
      if (!kind.teamVisible)
        assertMayEdit(user, current.owner_id, kind.assigned ? (current.assignee_id as string | null) : undefined);
      if (version !== 'latest' && current.version !== version)
        throw new LivoraError(
          'LIVORA_CRM_STALE_VERSION',
          `the ${kind.entity} is at version ${current.version}, not ${version}: merge with it and send again`,
          { current },
        );
      const values = await decide(tx, user, current);
      const changed = Object.keys(values).filter((c) => !sameValue(values[c], current[c]));
      if (changed.length === 0) return current;
      const { rows } = await sql<Record<string, unknown>>`
        UPDATE ${table}
        SET ${sql.join(changed.map((c) => sql`${sql.ref(c)} = ${values[c]}`))}, version = version + 1, updated_at = now()
        WHERE tenant_id = ${user.tenantId} AND id = ${id}
        RETURNING *`.execute(tx);
      const record = shape(rows[0] as Record<string, unknown>);
      await recordAudit(tx, {
        ...byUser(user, requestId),
        action,
        entity: kind.entity,
        entityId: id,
        ...changedValues(changed, current, record),
      });
      return record;
    });
  }

  return {
    async get(principal: Principal, id: string): Promise<CrmRecord> {
      return scoped(principal, 'read', async (tx, user) => {
        const record = await find(tx, user, id);
        if (!record) throw notFound();
        return record;
      });
    },

    /** Creates a record; with a client-chosen `id` already taken by one, that one is the answer (a replay). */
    async create(
      principal: Principal,
      input: Record<string, unknown>,
      requestId?: string,
      chosenId?: string,
    ): Promise<CrmRecord> {
      return scoped(principal, 'transaction', async (tx, user) => {
        if (chosenId) {
          const existing = await find(tx, user, chosenId);
          if (existing) return existing;
        }
        const values = clean(input);
        values.custom = applyCustom(
          await fieldsOf(tx, user.tenantId, kind.entity),
          (input.custom as Record<string, unknown> | undefined) ?? {},
          null,
        );
        // The creator owns what they create, unless they say otherwise.
        if (!('owner_id' in values)) values.owner_id = isUuid(user.subject) ? user.subject : null;
        if (values.owner_id !== null) assertMayAssign(user, values.owner_id as string);
        // Tasks go to their creator unless given to someone.
        if (kind.assigned && values.kind === 'task' && !('assignee_id' in values))
          values.assignee_id = isUuid(user.subject) ? user.subject : null;
        if (typeof values.assignee_id === 'string') assertMayAssign(user, values.assignee_id);
        await checkReferences(tx, user.tenantId, values);
        await kind.prepare?.(tx, user.tenantId, values, null);
        const id = chosenId ?? uuidV7();
        const columns = Object.keys(values);
        await sql`
          INSERT INTO ${table} (id, tenant_id, ${sql.join(columns.map((c) => sql.ref(c)))})
          VALUES (${id}, ${user.tenantId}, ${sql.join(columns.map((c) => sql`${values[c]}`))})`.execute(tx);
        const record = (await find(tx, user, id)) as CrmRecord;
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: `${kind.entity}.created`,
          entity: kind.entity,
          entityId: id,
          after: record,
        });
        return record;
      });
    },

    /**
     * Changes the fields a client writes (`patch`, or what `patch` makes of the current
     * record), checked, owners and references included.
     */
    async update(
      principal: Principal,
      id: string,
      version: number | 'latest',
      patch:
        | Record<string, unknown>
        | ((current: CrmRecord, tx: Kysely<Tables>) => Promise<Record<string, unknown>> | Record<string, unknown>),
      requestId?: string,
      action = `${kind.entity}.updated`,
    ): Promise<CrmRecord> {
      return change(principal, id, version, action, requestId, async (tx, user, current) => {
        if (typeof patch === 'function') patch = await patch(current, tx);
        const values = clean(patch);
        if (patch.custom)
          values.custom = applyCustom(
            await fieldsOf(tx, user.tenantId, kind.entity),
            patch.custom as Record<string, unknown>,
            current.custom as Record<string, unknown>,
          );
        for (const who of ['owner_id', 'assignee_id'])
          if (who in values && values[who] !== current[who] && values[who] !== null)
            assertMayAssign(user, values[who] as string);
        await checkReferences(tx, user.tenantId, values);
        await kind.prepare?.(tx, user.tenantId, values, current);
        return values;
      });
    },

    change,

    /** Deletes a record; with a `version`, only that version (a stale one: 409 with the current record). */
    async remove(principal: Principal, id: string, requestId?: string, version?: number): Promise<void> {
      // Checked here too: deletes also come by other routes than DELETE (offline sync).
      assertAllowed(principal, 'crm:delete');
      await scoped(principal, 'transaction', async (tx, user) => {
        const current = await find(tx, user, id, true);
        if (!current) throw notFound();
        if (version !== undefined && current.version !== version)
          throw new LivoraError(
            'LIVORA_CRM_STALE_VERSION',
            `the ${kind.entity} is at version ${current.version}, not ${version}: it changed since it was read`,
            { current },
          );
        await sql`DELETE FROM ${table} WHERE tenant_id = ${user.tenantId} AND id = ${id}`.execute(tx);
        await recordAudit(tx, {
          ...byUser(user, requestId),
          action: `${kind.entity}.deleted`,
          entity: kind.entity,
          entityId: id,
          before: current,
        });
      });
    },

    async list(
      principal: Principal,
      options: ListOptions,
    ): Promise<{ records: CrmRecord[]; nextCursor: string | null }> {
      if (!kind.sorts.includes(options.sort))
        throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', `sort by one of ${kind.sorts.join(', ')}`);
      return scoped(principal, 'read', async (tx, user) => {
        // Nullable text sorts as '' so that the keyset (value, id) has no gaps.
        const typeOf = options.sort.endsWith('_at') ? 'timestamptz' : options.sort === 'position' ? 'float8' : 'text';
        const key = typeOf === 'text' ? sql`coalesce(${sql.ref(options.sort)}, '')` : sql.ref(options.sort);
        const desc = options.direction === 'desc';
        // What narrows the records besides the search (the tenant, visibility and page come on top).
        const filters: RawBuilder<unknown>[] = [];
        const terms = options.q ? wordTerms(options.q) : [];
        const query = wordQuery(terms);
        if (options.q && query === null) return { records: [], nextCursor: null };
        const source = query ? wordMatches(kind.table, query) : table;
        if (options.ownerId) filters.push(sql`owner_id = ${options.ownerId}`);
        if (options.tag) filters.push(sql`tags @> ARRAY[${options.tag}]::text[]`);
        if (options.companyId && kind.table !== 'companies') filters.push(sql`company_id = ${options.companyId}`);
        if (options.segmentId && kind.table === 'contacts')
          filters.push(
            sql`id IN (SELECT contact_id FROM segment_members WHERE tenant_id = ${user.tenantId} AND segment_id = ${options.segmentId})`,
          );
        if (options.contactId && (kind.table === 'deals' || kind.table === 'activities'))
          filters.push(sql`contact_id = ${options.contactId}`);
        if (options.stageId && kind.table === 'deals') filters.push(sql`stage_id = ${options.stageId}`);
        if (options.status && kind.table === 'deals') filters.push(sql`status = ${options.status}`);
        if (options.custom) {
          const { key, value } = options.custom;
          const field = (await fieldsOf(tx, user.tenantId, kind.entity)).find((f) => f.key === key);
          if (!field)
            throw new LivoraError('LIVORA_CRM_INVALID_FIELD', `${key} is not a custom field of ${kind.table}`, {
              field: key,
            });
          filters.push(sql`custom @> ${JSON.stringify({ [key]: filterValue(field, value) })}::jsonb`);
        }
        // Only the search itself narrows the records: common words may walk them in created order.
        const searchOnly = filters.length === 0 && seesAll(user) && options.sort === 'created_at';
        let after = sql`TRUE`;
        if (options.cursor) {
          const [value, id] = decodeCursor(options.cursor);
          const typed = sql`CAST(${value} AS ${sql.raw(typeOf)})`;
          after = desc ? sql`(${key}, id) < (${typed}, ${id})` : sql`(${key}, id) > (${typed}, ${id})`;
        }
        const conditions = [sql`tenant_id = ${user.tenantId}`, visibleTo(user), ...filters, after];
        const order = desc ? sql`DESC` : sql`ASC`;
        const bound =
          query && searchOnly
            ? walkBound((await frequencies?.estimate(kind.table, user.tenantId, terms)) ?? null, options.limit + 1)
            : null;
        const walked =
          query && bound !== null
            ? await firstMatchesWalking({
                table: kind.table,
                tenantId: user.tenantId,
                query,
                direction: options.direction,
                after,
                bound,
                limit: options.limit + 1,
              }).execute(tx)
            : null;
        // The sort key is written out for the page's rows only: cast for every match before
        // the sort, it took a sixth of a search's time.
        const { rows } =
          walked && walked.rows.length > options.limit
            ? walked
            : await sql<Record<string, unknown>>`
          SELECT *, CAST(${key} AS text) AS sort_key FROM (
            SELECT * FROM ${source} WHERE ${sql.join(conditions, sql` AND `)}
            ORDER BY ${key} ${order}, id ${order}
            LIMIT ${options.limit + 1}) AS page
          ORDER BY ${key} ${order}, id ${order}`.execute(tx);
        const page = rows.slice(0, options.limit);
        const last = page.at(-1);
        return {
          records: page.map(shape),
          nextCursor:
            rows.length > options.limit && last
              ? encodeCursor(
                  // As PostgreSQL writes it, to the microsecond: a Date would keep the millisecond,
                  // and records made within one would be skipped or shown again.
                  String(last.sort_key),
                  String(last.id),
                )
              : null,
        };
      }).catch((error: unknown) => {
        // Only the cursor's value is cast from a client's text here: a hand-made one fails the cast.
        const code = (error as { code?: string }).code;
        throw options.cursor && code && CURSOR_CAST_FAILURES.has(code) ? invalidCursor() : error;
      });
    },
  };
}

const CURSOR_CAST_FAILURES = new Set<string>([
  SQLSTATE.INVALID_TEXT_REPRESENTATION,
  SQLSTATE.INVALID_DATETIME_FORMAT,
  SQLSTATE.DATETIME_FIELD_OVERFLOW,
]);

export type RecordService = ReturnType<typeof createRecordService>;

/** A row as the API shows it: no tenant or search columns, times as ISO text. */
export function shape(row: Record<string, unknown>): CrmRecord {
  // One pass, no rest copy and no entry arrays: a list shapes 50 rows per request.
  const shown: Record<string, unknown> = {};
  for (const key in row) {
    if (HIDDEN_COLUMNS.has(key)) continue;
    const value = row[key];
    shown[key] = value instanceof Date ? (DATE_COLUMNS.has(key) ? localDay(value) : value.toISOString()) : value;
  }
  return shown as CrmRecord;
}

const HIDDEN_COLUMNS = new Set(['tenant_id', 'search', 'words', 'sort_key']);

/** Whether two field values are the same (as JSON; absent and null alike). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * A change's values before and after, as the audit keeps them: the changed columns, and of
 * `custom` only the changed keys (the history of each custom field stays its own).
 */
function changedValues(changed: readonly string[], before: CrmRecord, after: CrmRecord) {
  const pick = (record: CrmRecord, column: string, other: CrmRecord) => {
    if (column !== 'custom') return record[column];
    const [mine, theirs] = [
      (record.custom ?? {}) as Record<string, unknown>,
      (other.custom ?? {}) as Record<string, unknown>,
    ];
    const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter(
      (k) => !sameValue(mine[k], theirs[k]),
    );
    return Object.fromEntries(keys.map((k) => [k, mine[k] ?? null]));
  };
  return {
    before: Object.fromEntries(changed.map((c) => [c, pick(before, c, after)])),
    after: Object.fromEntries(changed.map((c) => [c, pick(after, c, before)])),
  };
}

/** Columns that name another record, and where it must be. */
const REFERENCES: Record<string, { table: string; what: string; users?: true }> = {
  owner_id: { table: 'users', what: 'owner', users: true },
  assignee_id: { table: 'users', what: 'assignee', users: true },
  company_id: { table: 'companies', what: 'company' },
  contact_id: { table: 'contacts', what: 'contact' },
  deal_id: { table: 'deals', what: 'deal' },
};

/** Columns of SQL type `date`, which node-postgres reads as local midnight. */
const DATE_COLUMNS = new Set(['close_date']);

function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      decoded.every((v) => typeof v === 'string') &&
      isUuid(decoded[1] as string)
    )
      return decoded as [string, string];
  } catch {}
  throw invalidCursor();
}

function invalidCursor(): LivoraError {
  return new LivoraError('LIVORA_CRM_INVALID_CURSOR', 'the cursor is not one this endpoint gave out');
}

/** PostgreSQL's refusals as the API's codes. */
function asRecordError(error: unknown, kind: RecordKind): unknown {
  const code = (error as { code?: string }).code;
  if (code === SQLSTATE.UNIQUE_VIOLATION && (error as { constraint?: string }).constraint === `${kind.table}_pkey`)
    return new LivoraError('LIVORA_CRM_DUPLICATE', `this id is taken: choose another for the new ${kind.entity}`);
  if (code === SQLSTATE.UNIQUE_VIOLATION)
    return new LivoraError('LIVORA_CRM_DUPLICATE', `another ${kind.entity} has this ${kind.unique.join(' or ')}`);
  if (code === SQLSTATE.FOREIGN_KEY_VIOLATION)
    return new LivoraError('LIVORA_CRM_INVALID', `the ${kind.entity} refers to a record that does not exist`);
  return error;
}
