import { CsvError, parse } from 'csv-parse/sync';
import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LivoraError } from '../errors.ts';
import { snakeCaseKeys } from '../shared/snake-case.ts';
import { MAX_BULK } from './bulk-actions.ts';
import { type CrmUser, mayAssign } from './crm-permissions.ts';

/** What CSV imports of contacts and companies share: parsing, cells, row errors and the report. */

export interface RowError {
  /** 1-based line of the file (the header is line 1). */
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  /** Contact imports: companies made for names not found. */
  readonly companiesCreated?: number;
  readonly errors: RowError[];
}

/** The file's records by header name; a header naming a column not in `columns` refuses the file. */
export function parseCsv(csv: string, columns: readonly string[]): Record<string, string>[] {
  try {
    const records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
    const header = Object.keys(records[0] ?? {});
    const unknown = header.filter((c) => !columns.includes(c));
    if (unknown.length > 0)
      throw new LivoraError(
        'LIVORA_CRM_CSV_MALFORMED',
        `unknown column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}: the columns are ${columns.join(', ')}`,
      );
    if (records.length > MAX_BULK)
      throw new LivoraError('LIVORA_CRM_BULK_TOO_LARGE', `an import takes at most ${MAX_BULK} rows`);
    return records;
  } catch (error) {
    if (error instanceof CsvError) throw new LivoraError('LIVORA_CRM_CSV_MALFORMED', `not valid CSV: ${error.message}`);
    throw error;
  }
}

/**
 * Reads the cells of one record (line `line`), noting an error for a cell longer than its
 * limit; also reads `tags` (separated by `;`) and `owner_email` (a user of the tenant).
 */
export function rowReader(
  record: Record<string, string>,
  line: number,
  errors: RowError[],
  limits: Readonly<Record<string, number>>,
  owners: Owners,
) {
  const cell = (column: string): string | null => {
    const value = record[column]?.trim() ?? '';
    if (value.length > (limits[column] ?? 1000))
      errors.push({ line, column, message: `longer than ${limits[column] ?? 1000} characters` });
    return value === '' ? null : value;
  };
  return {
    cell,
    tags(): string[] {
      const tags = (cell('tags') ?? '')
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
      if (tags.some((t) => t.length > 100))
        errors.push({ line, column: 'tags', message: 'a tag is longer than 100 characters' });
      return [...new Set(tags)].sort();
    },
    ownerId(): string | null {
      const email = cell('owner_email')?.toLowerCase() ?? null;
      const id = email ? (owners.byEmail.get(email) ?? null) : null;
      if (email && !id) errors.push({ line, column: 'owner_email', message: `${email} is not a user of this tenant` });
      else if (id && !owners.mayAssign(id))
        errors.push({ line, column: 'owner_email', message: 'only admins and managers give records to someone else' });
      return id;
    },
  };
}

type RowReader = ReturnType<typeof rowReader>;

/**
 * Reads every record with `read` (given its reader and 1-based line, the header being
 * line 1): the rows read without an error, and the errors of all.
 */
export function readRows<Row>(
  records: readonly Record<string, string>[],
  limits: Readonly<Record<string, number>>,
  owners: Owners,
  read: (reader: RowReader, line: number, errors: RowError[]) => Row,
): { rows: Row[]; errors: RowError[] } {
  const rows: Row[] = [];
  const errors: RowError[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const before = errors.length;
    const row = read(rowReader(record, line, errors, limits, owners), line, errors);
    if (errors.length === before) rows.push(row);
  });
  return { rows, errors };
}

/** Notes each key's first line; the key again on a later line is an error of `column` there. */
export function onceEach(column: string, what: string) {
  const first = new Map<string, number>();
  return (key: string | null | undefined, line: number, errors: RowError[]): void => {
    if (key === null || key === undefined) return;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, line);
    else errors.push({ line, column, message: `the same ${what} as line ${earlier}` });
  };
}

/** Sales may import over the records they own or nobody owns: a row updating someone else's is an error. */
export function othersRecords<Row extends { line: number }>(
  user: CrmUser,
  rows: readonly Row[],
  ownerOf: (row: Row) => string | null | undefined,
  column: string,
  entity: string,
): RowError[] {
  if (user.role !== 'sales') return [];
  return rows
    .filter((row) => {
      const owner = ownerOf(row);
      return owner && owner !== user.subject;
    })
    .map((row) => ({ line: row.line, column, message: `this ${entity} is owned by someone else` }));
}

/** Owners a file may name: the tenant's active users by email, and whom the importer may give records to. */
export interface Owners {
  readonly byEmail: ReadonlyMap<string, string>;
  readonly mayAssign: (ownerId: string) => boolean;
}

export async function ownersFor(tx: Kysely<Tables>, user: CrmUser): Promise<Owners> {
  const { rows } = await sql<{ id: string; email: string }>`
    SELECT id, email FROM users WHERE tenant_id = ${user.tenantId} AND disabled_at IS NULL`.execute(tx);
  return { byEmail: new Map(rows.map((u) => [u.email, u.id])), mayAssign: (id) => mayAssign(user, id) };
}

/**
 * The end of an import: a dry run only reports; a file with errors is refused whole, the
 * report attached; else `write` imports it. Answers the report.
 */
export async function conclude(report: ImportReport, write: () => Promise<void>): Promise<ImportReport> {
  report.errors.sort((a, b) => a.line - b.line);
  if (report.dryRun) return report;
  const n = report.errors.length;
  if (n > 0)
    throw new LivoraError(
      'LIVORA_CRM_IMPORT_INVALID',
      `${n} error${n === 1 ? '' : 's'} in the file: nothing was imported`,
      {
        report: snakeCaseKeys(report),
      },
    );
  await write();
  return report;
}
