import { type RawBuilder, sql } from 'kysely';
import { WORD_SEPARATORS } from '../db/migrations.ts';
import type { RecordKind } from './record-kinds.ts';

/**
 * Search by words, as the `livora_words` index of each CRM table holds them: a record
 * matches when, for every word of the query, one of its words starts with it. Punctuation
 * and symbols separate words (as in the index), and a query word written with them
 * (`list.example`, `7946-0012`) matches those words in that order, its last one by its start.
 */

/**
 * What separates words: the index's separators (its migration's expression, `[:space:]`
 * spelled out), and NUL, which PostgreSQL text cannot hold.
 */
const SEPARATORS = new RegExp(`[\\x00${WORD_SEPARATORS.slice(1).replace('[:space:]', ' \\t\\n\\v\\f\\r')}`);
/** What separates a query's terms: white space and control characters (Unicode's spaces included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end a term (and NUL must not reach PostgreSQL)
const TERM_SEPARATORS = /[\x00-\x20\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** `q`'s terms, each as its words in order (`list.example`: list, example); empty when it has no words. */
export function wordTerms(q: string): string[][] {
  return q
    .split(TERM_SEPARATORS)
    .map((term) => term.split(SEPARATORS).filter(Boolean))
    .filter((parts) => parts.length > 0);
}

/** `q` as a text for `to_tsquery('simple', …)`; null when it has no words (only punctuation). */
export function wordQuery(q: string): string | null {
  const terms = wordTerms(q)
    // Each part is free of ASCII punctuation, so quoting it cannot end the quote.
    .map((parts) => parts.map((part, i) => `'${part}'${i === parts.length - 1 ? ':*' : ''}`).join(' <-> '));
  return terms.length > 0 ? terms.map((term) => `(${term})`).join(' & ') : null;
}

/**
 * The tenant's records of `table` that match `query` (from `wordQuery`), named as the
 * table: read through the `…_in_tenant` views, where the word index may serve (row-level
 * security forbids it, @@ not being leakproof). Contacts match their company's words too.
 */
export function wordMatches(table: RecordKind['table'], query: string): RawBuilder<unknown> {
  const matches = wordsMatch(query);
  if (table !== 'contacts') return sql`(SELECT * FROM ${inTenant(table)} WHERE ${matches}) AS ${sql.raw(table)}`;
  return sql`(
    SELECT * FROM ${inTenant('contacts')} WHERE ${matches}
    UNION ALL
    SELECT * FROM ${inTenant('contacts')} WHERE NOT (${matches})
      AND company_id IN (SELECT id FROM ${inTenant('companies')} WHERE ${matches})) AS contacts`;
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
  const matches =
    table === 'contacts'
      ? sql`(${wordsMatch(query)} OR company_id IN (SELECT id FROM ${inTenant('companies')} WHERE ${wordsMatch(query)}))`
      : wordsMatch(query);
  // The walk's own LIMIT keeps the word condition out of it: PostgreSQL cannot take the word index instead.
  return sql<Record<string, unknown>>`
    SELECT *, CAST(created_at AS text) AS sort_key FROM (
      SELECT * FROM ${inTenant(table)} WHERE tenant_id = ${options.tenantId} AND ${options.after}
      ORDER BY ${order} LIMIT ${options.bound}) AS walked
    WHERE ${matches}
    ORDER BY ${order} LIMIT ${options.limit}`;
}

/**
 * How many records to walk for a page of `pageRows` when a share `share` of the table's
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

function wordsMatch(query: string): RawBuilder<unknown> {
  return sql`words @@ to_tsquery('simple', livora_fold(${query}))`;
}

function inTenant(table: RecordKind['table']): RawBuilder<unknown> {
  return sql.raw(`${table}_in_tenant`);
}
