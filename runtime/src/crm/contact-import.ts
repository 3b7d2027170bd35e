import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { isEmail } from '../shared/formats.ts';
import { crmUser } from './crm-permissions.ts';
import {
  conclude,
  type ImportReport,
  type Owners,
  onceEach,
  othersRecords,
  ownersFor,
  parseCsv,
  readRows,
} from './csv-import.ts';

/** The columns a contacts CSV may have (a header row names them, in any order). */
export const IMPORT_COLUMNS = ['email', 'phone', 'first_name', 'last_name', 'company', 'tags', 'owner_email'] as const;

interface Row {
  readonly line: number;
  readonly email: string | null;
  readonly phone: string | null;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly company: string | null;
  readonly tags: string[];
  readonly owner_id: string | null;
}

const LIMITS: Record<string, number> = { email: 320, phone: 50, first_name: 200, last_name: 200, company: 300 };

/**
 * Imports contacts from CSV: a contact whose email exists is updated (the file's non-empty
 * cells win, tags are added), others are created; companies are found by name, or made.
 * Every row is checked first: with any error, nothing is written and the report lists
 * each one by line and column. A dry run reports the same without writing.
 */
export function createContactImport(tenantDb: TenantDatabase) {
  return {
    async run(principal: Principal, csv: string, dryRun: boolean, requestId?: string): Promise<ImportReport> {
      const user = crmUser(principal);
      const records = parseCsv(csv, IMPORT_COLUMNS);
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const { rows, errors } = checkRows(records, await ownersFor(tx, user));
        const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
        const existing = new Map(
          (
            await sql<{ email: string; owner_id: string | null }>`
              SELECT email, owner_id FROM contacts WHERE tenant_id = ${user.tenantId} AND email = ANY(${emails}::text[])`.execute(
              tx,
            )
          ).rows.map((r) => [r.email, r.owner_id]),
        );
        errors.push(...othersRecords(user, rows, (row) => row.email && existing.get(row.email), 'email', 'contact'));
        const names = [...new Set(rows.flatMap((r) => (r.company ? [r.company] : [])))];
        const known = (
          await sql<{ name: string }>`
            SELECT DISTINCT lower(name) AS name FROM companies WHERE tenant_id = ${user.tenantId} AND lower(name) = ANY(${names.map((n) => n.toLowerCase())}::text[])`.execute(
            tx,
          )
        ).rows.map((r) => r.name);
        const report = {
          dryRun,
          rows: records.length,
          created: rows.filter((r) => !(r.email && existing.has(r.email))).length,
          updated: rows.filter((r) => r.email && existing.has(r.email)).length,
          companiesCreated: names.filter((n) => !known.includes(n.toLowerCase())).length,
          errors,
        };
        return conclude(report, () => write(tx, user.tenantId, `user:${user.subject}`, rows, names, requestId));
      });
    },
  };
}

export type ContactImport = ReturnType<typeof createContactImport>;

function checkRows(records: Record<string, string>[], owners: Owners) {
  const emailOnce = onceEach('email', 'email');
  return readRows(records, LIMITS, owners, (read, line, errors): Row => {
    const { cell } = read;
    const email = cell('email')?.toLowerCase() ?? null;
    if (email && !isEmail(email)) errors.push({ line, column: 'email', message: `"${email}" is not an email address` });
    emailOnce(email, line, errors);
    const [firstName, lastName] = [cell('first_name'), cell('last_name')];
    if (!email && !firstName && !lastName)
      errors.push({ line, column: null, message: 'a contact needs an email or a name' });
    return {
      line,
      email,
      phone: cell('phone'),
      first_name: firstName,
      last_name: lastName,
      company: cell('company'),
      owner_id: read.ownerId(),
      tags: read.tags(),
    };
  });
}

/** Companies first (found by name, else made), then every contact in one upsert, each audited. */
async function write(
  tx: Kysely<Tables>,
  tenantId: string,
  actor: string,
  rows: readonly Row[],
  names: readonly string[],
  requestId: string | undefined,
): Promise<void> {
  await sql`
    INSERT INTO companies (id, tenant_id, name)
    SELECT gen_random_uuid(), ${tenantId}, n FROM unnest(${names}::text[]) AS n
    WHERE NOT EXISTS (SELECT 1 FROM companies WHERE tenant_id = ${tenantId} AND lower(name) = lower(n))`.execute(tx);
  const column = <K extends keyof Row>(key: K) => rows.map((r) => r[key]);
  await sql`
    WITH input AS (
      SELECT * FROM unnest(${column('email')}::text[], ${column('phone')}::text[], ${column('first_name')}::text[],
                           ${column('last_name')}::text[], ${column('company')}::text[], ${column('owner_id')}::uuid[],
                           ${rows.map((r) => r.tags.join(';'))}::text[])
        AS i(email, phone, first_name, last_name, company, owner_id, tags)),
    resolved AS (
      SELECT i.*, (SELECT co.id FROM companies AS co WHERE co.tenant_id = ${tenantId} AND lower(co.name) = lower(i.company)
                   ORDER BY co.created_at LIMIT 1) AS company_id
      FROM input AS i),
    upserted AS (
      INSERT INTO contacts AS c (id, tenant_id, email, phone, first_name, last_name, company_id, owner_id, tags)
      SELECT gen_random_uuid(), ${tenantId}, email, phone, first_name, last_name, company_id, owner_id,
             CASE WHEN tags = '' THEN '{}'::text[] ELSE string_to_array(tags, ';') END
      FROM resolved
      ON CONFLICT (tenant_id, email) WHERE email IS NOT NULL DO UPDATE SET
        phone = coalesce(excluded.phone, c.phone),
        first_name = coalesce(excluded.first_name, c.first_name),
        last_name = coalesce(excluded.last_name, c.last_name),
        company_id = coalesce(excluded.company_id, c.company_id),
        owner_id = coalesce(excluded.owner_id, c.owner_id),
        tags = (SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}') FROM unnest(c.tags || excluded.tags) AS t),
        version = c.version + 1, updated_at = now()
      RETURNING c.id, c.email, (xmax = 0) AS created)
    INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, after, request_id)
    SELECT ${tenantId}, ${actor}, CASE WHEN created THEN 'contact.imported' ELSE 'contact.import_updated' END,
           'contact', id::text, jsonb_build_object('email', email), ${requestId ?? null}
    FROM upserted`.execute(tx);
}
