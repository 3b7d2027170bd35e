import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
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

/** The columns a companies CSV may have (a header row names them, in any order). */
export const COMPANY_IMPORT_COLUMNS = ['name', 'domain', 'industry', 'tags', 'owner_email'] as const;

interface Row {
  readonly line: number;
  readonly name: string;
  readonly domain: string | null;
  readonly industry: string | null;
  readonly tags: string[];
  readonly owner_id: string | null;
}

const LIMITS = { name: 300, domain: 253, industry: 200 };
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/;

/**
 * Imports companies from CSV: a row matches an existing company by domain, else by name
 * (case ignored), and updates it (the file's non-empty cells win, tags are added); other
 * rows create one. Every row is checked first: with any error, nothing is written and the
 * report lists each one by line and column. A dry run reports the same without writing.
 */
export function createCompanyImport(tenantDb: TenantDatabase) {
  return {
    async run(principal: Principal, csv: string, dryRun: boolean, requestId?: string): Promise<ImportReport> {
      const user = crmUser(principal);
      const records = parseCsv(csv, COMPANY_IMPORT_COLUMNS);
      return tenantDb.transaction(user.tenantId, async (tx) => {
        const { rows, errors } = checkRows(records, await ownersFor(tx, user));
        const matches = await matching(tx, user.tenantId, rows);
        const companyOnce = onceEach('name', 'company');
        for (const [line, { id }] of matches) companyOnce(id, line, errors);
        errors.push(...othersRecords(user, rows, (row) => matches.get(row.line)?.owner_id, 'name', 'company'));
        const report: ImportReport = {
          dryRun,
          rows: records.length,
          created: rows.filter((r) => !matches.has(r.line)).length,
          updated: matches.size,
          errors,
        };
        return conclude(report, () => write(tx, user.tenantId, `user:${user.subject}`, rows, matches, requestId));
      });
    },
  };
}

export type CompanyImport = ReturnType<typeof createCompanyImport>;

function checkRows(records: Record<string, string>[], owners: Owners) {
  const domainOnce = onceEach('domain', 'domain');
  return readRows(records, LIMITS, owners, (read, line, errors): Row => {
    const name = read.cell('name');
    if (!name) errors.push({ line, column: 'name', message: 'a company needs a name' });
    const domain = read.cell('domain')?.toLowerCase() ?? null;
    if (domain && !DOMAIN.test(domain))
      errors.push({ line, column: 'domain', message: `"${domain}" is not a domain name` });
    domainOnce(domain, line, errors);
    return {
      line,
      name: name ?? '',
      domain,
      industry: read.cell('industry'),
      tags: read.tags(),
      owner_id: read.ownerId(),
    };
  });
}

/** The existing company each row updates (by domain, else by name), by line. */
async function matching(tx: Kysely<Tables>, tenantId: string, rows: readonly Row[]) {
  const { rows: found } = await sql<{ line: number; id: string; owner_id: string | null }>`
    SELECT i.line, m.id, m.owner_id
    FROM unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.domain)}::text[], ${rows.map((r) => r.name)}::text[])
      AS i(line, domain, name)
    CROSS JOIN LATERAL (
      SELECT co.id, co.owner_id FROM companies AS co
      WHERE co.tenant_id = ${tenantId}
        AND (co.domain = i.domain OR (co.domain IS NULL OR i.domain IS NULL) AND lower(co.name) = lower(i.name))
      ORDER BY co.domain = i.domain DESC NULLS LAST, co.created_at
      LIMIT 1) AS m`.execute(tx);
  return new Map(found.map((f) => [f.line, f]));
}

/** Updates the matched companies and creates the others, each audited. */
async function write(
  tx: Kysely<Tables>,
  tenantId: string,
  actor: string,
  rows: readonly Row[],
  matches: ReadonlyMap<number, { id: string }>,
  requestId: string | undefined,
): Promise<void> {
  const column = <K extends keyof Row>(key: K) => rows.map((r) => r[key]);
  await sql`
    WITH input AS (
      SELECT * FROM unnest(${rows.map((r) => matches.get(r.line)?.id ?? null)}::uuid[], ${column('name')}::text[],
                           ${column('domain')}::text[], ${column('industry')}::text[], ${column('owner_id')}::uuid[],
                           ${rows.map((r) => r.tags.join(';'))}::text[])
        AS i(id, name, domain, industry, owner_id, tags)),
    updated AS (
      UPDATE companies AS c SET
        name = i.name,
        domain = coalesce(i.domain, c.domain),
        industry = coalesce(i.industry, c.industry),
        owner_id = coalesce(i.owner_id, c.owner_id),
        tags = (SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}')
                FROM unnest(c.tags || CASE WHEN i.tags = '' THEN '{}'::text[] ELSE string_to_array(i.tags, ';') END) AS t),
        version = c.version + 1, updated_at = now()
      FROM input AS i
      WHERE c.tenant_id = ${tenantId} AND c.id = i.id
      RETURNING c.id, c.name, 'company.import_updated' AS action),
    created AS (
      INSERT INTO companies (id, tenant_id, name, domain, industry, owner_id, tags)
      SELECT gen_random_uuid(), ${tenantId}, name, domain, industry, owner_id,
             CASE WHEN tags = '' THEN '{}'::text[] ELSE string_to_array(tags, ';') END
      FROM input WHERE id IS NULL
      RETURNING id, name, 'company.imported' AS action)
    INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id, after, request_id)
    SELECT ${tenantId}, ${actor}, action, 'company', id::text, jsonb_build_object('name', name), ${requestId ?? null}
    FROM (SELECT * FROM updated UNION ALL SELECT * FROM created) AS done`.execute(tx);
}
