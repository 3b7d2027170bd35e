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

/** The terms (from `wordTerms`) as a text for `to_tsquery('simple', …)`; null without any. */
export function wordQuery(terms: readonly (readonly string[])[]): string | null {
  const phrases = terms
    // Each part is free of ASCII punctuation, so quoting it cannot end the quote.
    .map((parts) => parts.map((part, i) => `'${part}'${i === parts.length - 1 ? ':*' : ''}`).join(' <-> '));
  return phrases.length > 0 ? phrases.map((phrase) => `(${phrase})`).join(' & ') : null;
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
    SELECT * FROM ${inTenant('contacts')} WHERE NOT (${matches}) AND ${companyMatches(query)}) AS contacts`;
}

/** A contact's company's words hold the query's (from `wordQuery`). */
export function companyMatches(query: string): RawBuilder<unknown> {
  return sql`company_id IN (SELECT id FROM ${inTenant('companies')} WHERE ${wordsMatch(query)})`;
}

/** The record's words hold the query's (from `wordQuery`). */
export function wordsMatch(query: string): RawBuilder<unknown> {
  return sql`words @@ to_tsquery('simple', livora_fold(${query}))`;
}

/** The tenant's records of `table`, as their owner reads them (see wordMatches). */
export function inTenant(table: RecordKind['table']): RawBuilder<unknown> {
  return sql.raw(`${table}_in_tenant`);
}
