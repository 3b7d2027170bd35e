import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import type { RecordKind } from './record-kinds.ts';

type Table = RecordKind['table'];

/** How common a search's words are among a tenant's records. */
export interface WordFrequencies {
  /**
   * The share of the tenant's rows of `table` that hold the terms (from `wordTerms`), and
   * how many rows the tenant has; null when the table has no statistics (yet).
   */
  estimate(
    table: Table,
    tenantId: string,
    terms: readonly (readonly string[])[],
  ): Promise<{ share: number; rows: number } | null>;
}

interface TableStatistics {
  /** The most common words, sorted, with the running sum of their shares (`sums[i]`: of the words before i). */
  readonly words: readonly string[];
  readonly sums: readonly number[];
  readonly rows: number;
  /** The share of the rows of each tenant that has many; `otherTenants`, of any other one. */
  readonly tenants: ReadonlyMap<string, number>;
  readonly otherTenants: number;
}

/**
 * Word shares from PostgreSQL's own statistics (pg_stats, as ANALYZE samples the tables),
 * read again every `maxAgeMs` by the tables' owner: row-level security hides them from the
 * tenant role. A term's share sums the shares of the words it starts (its last part is a
 * prefix; a record with two such words counts twice, so short prefixes come out common);
 * a phrase takes its rarest part; terms multiply, as PostgreSQL's own estimate does. A
 * word the statistics do not list is taken as rare. Word shares cover every tenant, so a
 * word common in one may be rare in another: the walk's bound absorbs that (walkBound).
 * The tenant's rows come from the `tenant_id` statistics (its share of the table).
 */
export function createWordFrequencies(db: Kysely<Tables>, options: { maxAgeMs?: number } = {}): WordFrequencies {
  const statistics = createAsyncCache<'all', ReadonlyMap<Table, TableStatistics>>({
    // A failed read leaves searches on the word index until the next one, not a read per search.
    load: () => readStatistics(db).catch(() => new Map()),
    ttlMs: options.maxAgeMs ?? 10 * 60_000,
    maxEntries: 1,
  });
  return {
    async estimate(table, tenantId, terms) {
      const stats = (await statistics.get('all')).get(table);
      if (!stats || terms.length === 0) return null;
      let share = 1;
      for (const parts of terms) {
        let rarest = 1;
        parts.forEach((part, i) => {
          const word = part.toLowerCase();
          rarest = Math.min(rarest, i === parts.length - 1 ? startingWith(stats, word) : exactly(stats, word));
        });
        share *= rarest;
      }
      const tenantShare = stats.tenants.get(tenantId) ?? stats.otherTenants;
      return { share: Math.min(share, 1), rows: stats.rows * tenantShare };
    },
  };
}

async function readStatistics(db: Kysely<Tables>): Promise<Map<Table, TableStatistics>> {
  const { rows } = await sql<{
    tablename: Table;
    attname: 'words' | 'tenant_id';
    values: string[] | null;
    shares: number[] | null;
    distinct: number;
    rows: number;
  }>`
    SELECT s.tablename, s.attname, s.n_distinct AS distinct, c.reltuples::float8 AS rows,
           CASE s.attname WHEN 'words' THEN s.most_common_elems::text::text[] ELSE s.most_common_vals::text::text[] END AS values,
           CASE s.attname WHEN 'words' THEN s.most_common_elem_freqs ELSE s.most_common_freqs END AS shares
    FROM pg_stats AS s JOIN pg_class AS c ON c.oid = format('%I.%I', s.schemaname, s.tablename)::regclass
    WHERE s.schemaname = current_schema() AND s.attname IN ('words', 'tenant_id')
      AND s.tablename IN ('contacts', 'companies', 'deals', 'activities')`.execute(db);
  const out = new Map<Table, TableStatistics>();
  for (const table of new Set(rows.map((r) => r.tablename))) {
    const words = rows.find((r) => r.tablename === table && r.attname === 'words');
    const tenant = rows.find((r) => r.tablename === table && r.attname === 'tenant_id');
    if (!words?.values || !words.shares || !tenant) continue;
    out.set(table, {
      ...sortedWords(words.values, words.shares),
      rows: Math.max(words.rows, 0),
      ...tenantShares(tenant),
    });
  }
  return out;
}

function sortedWords(values: readonly string[], shares: readonly number[]): { words: string[]; sums: number[] } {
  // pg_stats lists them by length, then bytes: a prefix's words must be neighbours.
  const order = values.map((_, i) => i).sort((a, b) => compare(values[a] as string, values[b] as string));
  const sums = [0];
  for (const i of order) sums.push((sums.at(-1) as number) + (shares[i] as number));
  return { words: order.map((i) => values[i] as string), sums };
}

/** Each common tenant's share, and the rest split evenly among the other tenants (n_distinct < 0: a share of the rows). */
function tenantShares(stats: { values: string[] | null; shares: number[] | null; distinct: number; rows: number }) {
  const values = stats.values ?? [];
  const shares = stats.shares ?? [];
  const tenants = new Map(values.map((tenant, i) => [tenant, shares[i] as number]));
  const distinct = stats.distinct < 0 ? -stats.distinct * stats.rows : stats.distinct;
  const rest = 1 - shares.reduce((sum, share) => sum + share, 0);
  const others = Math.max(1, distinct - values.length);
  return { tenants, otherTenants: Math.max(rest, 0) / others };
}

function startingWith({ words, sums }: TableStatistics, prefix: string): number {
  // The words starting with `prefix` sort from it to just before it followed by the last code unit.
  return (sums[firstAtLeast(words, `${prefix}\uffff`)] as number) - (sums[firstAtLeast(words, prefix)] as number);
}

function exactly({ words, sums }: TableStatistics, word: string): number {
  const i = firstAtLeast(words, word);
  return words[i] === word ? (sums[i + 1] as number) - (sums[i] as number) : 0;
}

function firstAtLeast(words: readonly string[], word: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(words[middle] as string, word) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
