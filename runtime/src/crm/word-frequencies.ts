import { type Kysely, sql } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { RecordKind } from './record-kinds.ts';

type Table = RecordKind['table'];

/** How common a search's words are in a CRM table: the share of its rows that match, and its rows. */
export interface WordFrequencies {
  /** Null until the table's statistics have been read (or when it has none yet). */
  estimate(table: Table, terms: readonly (readonly string[])[]): { share: number; rows: number } | null;
  /** Reads the statistics now (estimates read them again in the background once they are stale). */
  load(): Promise<void>;
}

interface TableWords {
  /** The table's most common words, sorted, with the running sum of their shares (`sums[i]`: words before i). */
  readonly words: readonly string[];
  readonly sums: readonly number[];
  readonly rows: number;
}

/**
 * Word shares from PostgreSQL's own statistics of the `words` columns (pg_stats' most
 * common elements, as ANALYZE samples them; read by the tables' owner, since row-level
 * security hides them from the tenant role), read again when older than `maxAgeMs`. A
 * term's share sums the words it starts (its last part is a prefix); a phrase takes its
 * rarest part, and terms multiply, as PostgreSQL's own estimate does. A word the
 * statistics do not list is taken as rare. The statistics cover every tenant: a word
 * common in one may be rare in another, which the walk's bound absorbs (see walkBound).
 */
export function createWordFrequencies(db: Kysely<Tables>, options: { maxAgeMs?: number } = {}): WordFrequencies {
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  let known = new Map<Table, TableWords>();
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | null = null;

  async function read(): Promise<void> {
    const { rows } = await sql<{ tablename: Table; words: string[] | null; shares: number[] | null; rows: number }>`
      SELECT s.tablename, s.most_common_elems::text::text[] AS words, s.most_common_elem_freqs AS shares,
             c.reltuples::float8 AS rows
      FROM pg_stats AS s JOIN pg_class AS c ON c.oid = format('%I.%I', s.schemaname, s.tablename)::regclass
      WHERE s.schemaname = current_schema() AND s.attname = 'words'
        AND s.tablename IN ('contacts', 'companies', 'deals', 'activities')`.execute(db);
    const next = new Map<Table, TableWords>();
    for (const row of rows) {
      if (!row.words || !row.shares) continue;
      const order = row.words.map((_, i) => i).sort((a, b) => compare(row.words?.[a], row.words?.[b]));
      const words = order.map((i) => row.words?.[i] as string);
      const sums = [0];
      for (const i of order) sums.push((sums.at(-1) as number) + (row.shares[i] as number));
      next.set(row.tablename, { words, sums, rows: Math.max(row.rows, 0) });
    }
    known = next;
  }

  function refresh(): void {
    if (reading || performance.now() - readAt < maxAgeMs) return;
    readAt = performance.now();
    // A failed read only leaves searches on the word index; the next refresh tries again.
    reading = read()
      .catch(() => undefined)
      .finally(() => {
        reading = null;
      });
  }

  return {
    load: read,
    estimate(table, terms) {
      refresh();
      const stats = known.get(table);
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
      return { share: Math.min(share, 1), rows: stats.rows };
    },
  };
}

function startingWith({ words, sums }: TableWords, prefix: string): number {
  // Every word starting with `prefix` sorts from `prefix` to just before `prefix` + the last code unit.
  return (sums[firstAtLeast(words, `${prefix}\uffff`)] as number) - (sums[firstAtLeast(words, prefix)] as number);
}

function exactly({ words, sums }: TableWords, word: string): number {
  const i = firstAtLeast(words, word);
  return words[i] === word ? (sums[i + 1] as number) - (sums[i] as number) : 0;
}

function firstAtLeast(words: readonly string[], word: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(words[middle], word) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function compare(a: string | undefined, b: string | undefined): number {
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}
