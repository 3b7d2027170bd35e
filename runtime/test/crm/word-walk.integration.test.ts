import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/roles.ts';
import { ACTIVITIES, CONTACTS } from '../../src/crm/record-kinds.ts';
import { createRecordService, type ListOptions } from '../../src/crm/record-service.ts';
import { createWordFrequencies, type WordFrequencies } from '../../src/crm/word-frequencies.ts';
import { wordQuery, wordTerms } from '../../src/crm/word-search.ts';
import { firstMatchesWalking, walkBound } from '../../src/crm/word-walk.ts';
import { startTestApi, type TestApi } from '../support/test-api.ts';

// Common words are searched by walking the records in created order, rare ones by the
// word index: both must give the same pages.
let env: TestApi;
const manager: Principal = { kind: 'user', tenantId: 'walk-a', role: 'manager', subject: 'script' };

beforeAll(async () => {
  env = await startTestApi();
  for (const tenant of ['walk-a', 'walk-b']) await env.tenant(tenant);
  const { rows } = await sql<{ id: string }>`
    INSERT INTO companies (id, tenant_id, name) VALUES (gen_random_uuid(), 'walk-a', 'Commonwealth Walkers')
    RETURNING id`.execute(env.db);
  const company = rows[0]?.id as string;
  // Tenant a: "common…" on half of 3,000 contacts, among other words; "walker" on a
  // tenth, and "commonwealth" on the ten contacts of a company (they match by it);
  // "skewed" on three. Tenant b: "skewed" on all of its 3,000, so that the statistics
  // (table-wide) call it common in tenant a too.
  await sql`
    INSERT INTO contacts (id, tenant_id, first_name, last_name, email, company_id, created_at)
    SELECT gen_random_uuid(), 'walk-a',
           CASE WHEN i % 10 = 3 THEN 'Walker' ELSE 'Ana' END,
           CASE WHEN i % 2 = 0 THEN 'Common' || (i % 7) WHEN i IN (17, 1401, 2999) THEN 'Skewed' ELSE 'Rare' || i END,
           'p' || i || '@a.example', CASE WHEN i % 300 = 1 THEN ${company}::uuid END,
           -- Pairs made in the same microsecond: pages must order ties by id.
           timestamptz '2026-01-01' + make_interval(secs => i - i % 2)
    FROM generate_series(1, 3000) AS i`.execute(env.db);
  await sql`
    INSERT INTO contacts (id, tenant_id, last_name, created_at)
    SELECT gen_random_uuid(), 'walk-b', 'Skewed', timestamptz '2026-01-01' + make_interval(secs => i)
    FROM generate_series(1, 3000) AS i`.execute(env.db);
  // Activities: "call back" on half of 2,000, the other half a review.
  await sql`
    INSERT INTO activities (id, tenant_id, kind, subject, created_at)
    SELECT gen_random_uuid(), 'walk-a', 'note', CASE WHEN i % 2 = 0 THEN 'Call back ' || i ELSE 'Quarterly review' END,
           timestamptz '2026-01-01' + make_interval(secs => i - i % 2)
    FROM generate_series(1, 2000) AS i`.execute(env.db);
  for (const table of ['contacts', 'companies', 'activities']) await sql`ANALYZE ${sql.table(table)}`.execute(env.db);
});

afterAll(async () => {
  await env?.close();
});

describe('search by walking the records for common words', () => {
  it('estimates a word’s share of a tenant’s records from the statistics, and walks only for common ones', async () => {
    const frequencies = createWordFrequencies(env.db);
    const estimate = (q: string, tenant = 'walk-a') => frequencies.estimate('contacts', tenant, wordTerms(q));
    const share = async (q: string) => (await estimate(q))?.share ?? 0;
    // Of 6,000 contacts: "common…" 1,500 (25%), "skewed" 3,003 (50%), "walker" 300 (5%), each "rare…" 1.
    expect(await share('common')).toBeCloseTo(0.25, 1);
    expect(await share('skew')).toBeCloseTo(0.5, 1);
    expect(await share('zzz')).toBe(0);
    // Terms multiply; a phrase takes its rarest word.
    expect(await share('common skewed')).toBeCloseTo(0.125, 1);
    expect(await share('a.example')).toBeCloseTo(0.5, 1);
    // Each tenant has half of the rows; a tenant the statistics do not list, what the others leave.
    expect((await estimate('common'))?.rows).toBeCloseTo(3000, -2);
    expect((await estimate('common', 'walk-c'))?.rows).toBe(0);
    const bound = async (q: string) => walkBound(await estimate(q), 21);
    expect(await bound('common')).not.toBeNull();
    expect(await bound('rare2999')).toBeNull(); // one contact ("rare1" would not do: it starts 1,111 words)
    expect(walkBound({ share: 0.002, rows: 1_000_000 }, 21)).toBeNull(); // 2,000 matches: the index
    expect(walkBound({ share: 1 / 64, rows: 1_000_000 }, 21)).toBe(4032); // 15,625: walk 1,344, at most 4,032
  });

  it('walks the created index, not the word index, and stops at its bound', async () => {
    const walk = (bound: number, explain = false) =>
      env.tenantDb.read('walk-a', async (db) => {
        const query = firstMatchesWalking({
          table: 'contacts',
          tenantId: 'walk-a',
          query: wordQuery([['common']]) as string,
          direction: 'desc',
          after: sql`TRUE`,
          bound,
          limit: 21,
        });
        return (explain ? await sql`EXPLAIN ${query}`.execute(db) : await query.execute(db)).rows as Record<
          string,
          unknown
        >[];
      });
    const plan = (await walk(105, true)).map((row) => Object.values(row)[0]).join('\n');
    expect(plan).toMatch(/Index Scan Backward using contacts_created/);
    expect(plan).not.toMatch(/contacts_words/);
    expect((await walk(105)).length).toBe(21);
    // The newest 19 records hold 10 of the word: a short page, which tells the caller to ask the index.
    expect((await walk(19)).length).toBe(10);
  });

  it('gives the pages the word index gives, every page, either direction, ties included', async () => {
    // The estimates `list` asked for, to know which searches walked.
    const real = createWordFrequencies(env.db);
    const walkedFor = new Set<string>();
    const frequencies: WordFrequencies = {
      async estimate(table, tenant, terms) {
        const estimate = await real.estimate(table, tenant, terms);
        if (walkBound(estimate, 21) !== null) walkedFor.add(terms.map((parts) => parts.join('.')).join(' '));
        return estimate;
      },
    };
    const walking = createRecordService(env.tenantDb, CONTACTS, frequencies);
    const indexed = createRecordService(env.tenantDb, CONTACTS);
    for (const q of ['common', 'Common3', 'walk', 'commonwealth', 'skewed', 'common walker', 'a.example', 'nothing'])
      await expectSamePages(walking, indexed, q);
    // Common words walked (a short walk, "skewed", then asked the index); rare ones did not.
    expect([...walkedFor].sort()).toEqual(['a.example', 'common', 'skewed']);
    // Another kind of record, without the company branch.
    walkedFor.clear();
    const [walkingActivities, indexedActivities] = [
      createRecordService(env.tenantDb, ACTIVITIES, frequencies),
      createRecordService(env.tenantDb, ACTIVITIES),
    ];
    for (const q of ['call', 'call back 1', 'review', 'quarterly call'])
      await expectSamePages(walkingActivities, indexedActivities, q);
    // "quarterly call" walked too: its words never meet, which multiplying their shares cannot
    // know; the walk came up short and the index answered (the same pages, as above).
    expect([...walkedFor].sort()).toEqual(['call', 'quarterly call', 'review']);
    // What they found: a company's contacts match by its name; another tenant's records never.
    const all = async (q: string) =>
      (await pages(indexed, { q, sort: 'created_at', direction: 'desc', limit: 100 })).flat();
    expect((await all('nothing')).length).toBe(0);
    expect((await all('common')).length).toBe(1500 + 10);
    expect((await all('skewed')).length).toBe(3);
    expect((await all('walker')).length).toBe(300 + 10);
  });
});

type Service = ReturnType<typeof createRecordService>;

/** Every page of a search, as ids, up to 100 pages. */
async function pages(service: Service, options: Omit<ListOptions, 'cursor'>): Promise<string[][]> {
  const ids: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Service['list']>> = await service.list(manager, {
      ...options,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(page.records.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor !== null && ids.length < 100);
  return ids;
}

/** Both services give the same pages for `q`, either direction, two page sizes. */
async function expectSamePages(walking: Service, indexed: Service, q: string): Promise<void> {
  for (const direction of ['desc', 'asc'] as const)
    for (const limit of [20, 7]) {
      const options = { q, sort: 'created_at', direction, limit };
      const expected = await pages(indexed, options);
      expect([q, direction, limit, await pages(walking, options)]).toEqual([q, direction, limit, expected]);
    }
}
