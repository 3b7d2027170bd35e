import { type RawBuilder, sql } from 'kysely';
import type { RecordKind } from './record-kinds.ts';
import { companyMatches, inTenant, wordsMatch } from './word-search.ts';

/**
 * How many records to walk for a page of `pageRows` when a share `share` of the tenant's
 * `rows` match (see `WordFrequencies`), or null to use the word index. Walking costs a row
 * read per record passed (pageRows / share on average), the index one per match (share ×
 * rows) and then their sort; a walked row cost about twice an indexed match (1M contacts:
 * 12,000 matches took 8-10 ms by the index, a 1,700-row walk 2-2.5 ms). The bound leaves
 * the estimate a margin of three: past it, the index serves.
 */
export function walkBound(estimate: { share: number; rows: number } | null, pageRows: number): number | null {
  if (estimate === null || estimate.share <= 0) return null;
  const walked = pageRows / estimate.share;
  return 2 * walked < estimate.share * estimate.rows ? Math.ceil(3 * walked) : null;
}

/**
 * The first `limit` matches in created order (the `created` index's, `(tenant_id,
 * created_at, id)`) among the tenant's first `bound` records past `after`: for words so
 * common that walking the records finds a page sooner than the word index finds every
 * match to sort (see `walkBound`). Fewer than `limit` means the walk ended before the page
 * did: the caller asks the word index instead. Rows have `sort_key` as `list` pages by it.
 */
export function firstMatchesWalking(options: {
  readonly table: RecordKind['table'];
  readonly tenantId: string;
  readonly query: string;
  readonly direction: 'asc' | 'desc';
  readonly after: RawBuilder<unknown>;
  readonly bound: number;
  readonly limit: number;
}): RawBuilder<Record<string, unknown>> {
  const { table, query } = options;
  const order = options.direction === 'desc' ? sql`created_at DESC, id DESC` : sql`created_at ASC, id ASC`;
  const matches = table === 'contacts' ? sql`(${wordsMatch(query)} OR ${companyMatches(query)})` : wordsMatch(query);
  // The walk's own LIMIT keeps the word condition out of it: PostgreSQL cannot take the word index instead.
  return sql<Record<string, unknown>>`
    SELECT *, CAST(created_at AS text) AS sort_key FROM (
      SELECT * FROM ${inTenant(table)} WHERE tenant_id = ${options.tenantId} AND ${options.after}
      ORDER BY ${order} LIMIT ${options.bound}) AS walked
    WHERE ${matches}
    ORDER BY ${order} LIMIT ${options.limit}`;
}
