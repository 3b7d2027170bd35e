import { createHash } from 'node:crypto';
import { type Cache, UnsupportedInWarehouseError, type Warehouse } from '@livora/adapters/ports';
import { sql } from 'kysely';
import { LivoraError } from '../errors.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import { snakeCaseKeys } from '../shared/snake-case.ts';
import { funnelFromDaysQuery } from './funnel/funnel-days-query.ts';
import { funnelQuery } from './funnel/funnel-query.ts';
import { type FunnelSeries, shapeFunnel } from './funnel/funnel-result.ts';
import type { FunnelSpec } from './funnel/funnel-spec.ts';
import { readsWholeDays, savedFunnelOf } from './funnel/saved-funnel.ts';
import { kpiQuery } from './kpis/kpi-query.ts';
import { compareKpis, type Kpis, shapeKpiFigures } from './kpis/kpi-result.ts';
import { ltvQuery } from './ltv/ltv-query.ts';
import { type LtvGroup, shapeLtv } from './ltv/ltv-result.ts';
import type { LtvSpec } from './ltv/ltv-spec.ts';
import { type PersonTimeline, personEventsQuery, shapeTimeline } from './person/person-timeline.ts';
import { mainCurrencyQuery, productDaysQuery, productPageQuery } from './products/product-query.ts';
import { type ProductPage, shapeProductPage } from './products/product-result.ts';
import type { ProductPerformanceSpec } from './products/product-spec.ts';
import { retentionQuery } from './retention/retention-query.ts';
import { type RetentionCohort, shapeRetention } from './retention/retention-result.ts';
import type { RetentionSpec } from './retention/retention-spec.ts';

const DAY = 86_400_000;

/** An answer, and its JSON body as the API sends it (snake_case keys), made once. */
export interface Answer<T> {
  readonly value: T;
  readonly body: string;
}

/** Days a query reads, `YYYY-MM-DD` inclusive; null: all of the tenant's history. */
type Reads = { from: string; to: string } | null;

/**
 * The analytics API's answers: each query runs on the warehouse once, then comes from
 * the cache until its TTL, or until the warehouse loads new data for a day the query
 * reads (the key holds the latest load time of those days, looked up at most once a
 * second). Identical requests in flight share one warehouse query.
 */
export function createAnalyticsService(deps: {
  warehouse: Warehouse;
  cache: Cache;
  ttlSeconds: number;
  /** How long a looked-up data version is reused (the delay before a load shows; default 1 s). */
  versionMs?: number;
}) {
  const { warehouse, cache } = deps;
  // Answers this process holds, ready to send (identical requests in flight share one): a
  // large one parsed and serialized again per request held 50 clients to 450 requests/s.
  const answers = createAsyncCache<string, Answer<unknown>>({ ttlMs: deps.ttlSeconds * 1000, maxEntries: 500 });
  // Without it every cached answer cost a warehouse query: 50 clients made a p99 of 243 ms (bench:analytics).
  const versions = createAsyncCache<string, string>({ ttlMs: deps.versionMs ?? 1000, maxEntries: 10_000 });

  function dataVersion(tenantId: string, reads: Reads): Promise<string> {
    return versions.get(`${tenantId}:${reads?.from ?? '*'}:${reads?.to ?? '*'}`, () => lookUpVersion(tenantId, reads));
  }

  /** When data for the days `reads` last landed in the warehouse (changes whenever it does). */
  async function lookUpVersion(tenantId: string, reads: Reads): Promise<string> {
    const range = reads ? sql`AND day >= CAST(${reads.from} AS DATE) AND day <= CAST(${reads.to} AS DATE)` : sql``;
    const { rows } = await sql<{ version: Date | null; partitions: bigint | number }>`
      SELECT MAX(loaded_at) AS version, COUNT(*) AS partitions FROM partition_loads WHERE tenant_id = ${tenantId} ${range}`.execute(
      warehouse.db,
    );
    const row = rows[0];
    return `${row?.version ? new Date(row.version).getTime() : 0}.${Number(row?.partitions ?? 0)}`;
  }

  async function cached<T>(
    kind: string,
    tenantId: string,
    spec: unknown,
    reads: Reads,
    run: () => Promise<T>,
  ): Promise<Answer<T>> {
    const version = await dataVersion(tenantId, reads);
    const hash = createHash('sha256').update(JSON.stringify(spec)).digest('base64url').slice(0, 32);
    const key = `analytics:${tenantId}:${kind}:${hash}:${version}`;
    return answers.get(key, async () => {
      try {
        const hit = await cache.get(key);
        const value = hit !== null ? (JSON.parse(hit) as T) : await run();
        if (hit === null) await cache.set(key, JSON.stringify(value), deps.ttlSeconds);
        return { value, body: JSON.stringify(snakeCaseKeys(value)) };
      } catch (error) {
        throw asAnalyticsError(error);
      }
    }) as Promise<Answer<T>>;
  }

  /** When the saved funnel `key`'s rows were last brought up to date ('' while not built). */
  function savedFunnelVersion(key: string): Promise<string> {
    return versions.get(`funnel:${key}`, async () => {
      const { rows } = await sql<{ refreshed_at: Date }>`
        SELECT refreshed_at FROM funnel_builds WHERE funnel_key = ${key}`.execute(warehouse.db);
      return rows[0] ? String(new Date(rows[0].refreshed_at).getTime()) : '';
    });
  }

  return {
    /** From a saved funnel's day rows when it is built and the range is whole days; else from the events. */
    async funnel(spec: FunnelSpec): Promise<Answer<{ series: FunnelSeries[]; source: 'saved' | 'events' }>> {
      const { key } = savedFunnelOf(spec);
      const saved = readsWholeDays(spec) ? await savedFunnelVersion(key) : '';
      return cached(
        'funnel',
        spec.tenantId,
        { spec, saved },
        daysOf(spec.from, new Date(spec.to.getTime() + spec.windowSeconds * 1000)),
        async () => {
          const query = saved ? funnelFromDaysQuery(warehouse.sql, spec, key) : funnelQuery(warehouse.sql, spec);
          const { rows } = await query.execute(warehouse.db);
          return { series: shapeFunnel(spec, rows), source: saved ? ('saved' as const) : ('events' as const) };
        },
      );
    },

    /** Which of the saved funnels `keys` the warehouse has built. */
    async builtSavedFunnels(keys: readonly string[]): Promise<Set<string> | null> {
      const refreshed = await Promise.all(keys.map((key) => savedFunnelVersion(key)));
      return new Set(keys.filter((_, i) => refreshed[i] !== ''));
    },

    retention(spec: RetentionSpec): Promise<Answer<{ cohorts: RetentionCohort[] }>> {
      // First times reach back over all history.
      return cached('retention', spec.tenantId, spec, null, async () => {
        const { rows } = await retentionQuery(warehouse.sql, spec).execute(warehouse.db);
        return { cohorts: shapeRetention(spec, rows) };
      });
    },

    ltv(spec: LtvSpec): Promise<Answer<{ groups: LtvGroup[] }>> {
      return cached('ltv', spec.tenantId, spec, null, async () => {
        const { rows } = await ltvQuery(warehouse.sql, spec).execute(warehouse.db);
        return { groups: shapeLtv(spec, rows) };
      });
    },

    products(spec: Omit<ProductPerformanceSpec, 'currency'> & { currency?: string }): Promise<Answer<ProductPage>> {
      const reads = {
        from: spec.from,
        to: new Date(Date.parse(`${spec.to}T00:00:00Z`) - DAY).toISOString().slice(0, 10),
      };
      return cached('products', spec.tenantId, spec, reads, async () => {
        const currency =
          spec.currency ??
          (await mainCurrencyQuery(warehouse.sql, spec).execute(warehouse.db)).rows[0]?.currency ??
          'USD';
        const full: ProductPerformanceSpec = { ...spec, currency };
        const { rows } = await productPageQuery(warehouse.sql, full).execute(warehouse.db);
        const ids = rows.slice(0, full.limit).map((r) => r.product_id);
        const days =
          ids.length > 0 ? (await productDaysQuery(warehouse.sql, full, ids).execute(warehouse.db)).rows : [];
        return shapeProductPage(full, rows, days);
      });
    },

    /** A person's latest events and orders (the contact 360's), as fresh as the warehouse's last load. */
    personTimeline(tenantId: string, personId: string): Promise<Answer<PersonTimeline>> {
      return cached('timeline', tenantId, { personId }, null, async () => {
        const [events, orders] = await Promise.all([
          personEventsQuery(warehouse.sql, tenantId, personId, 20).execute(warehouse.db),
          personEventsQuery(warehouse.sql, tenantId, personId, 10, true).execute(warehouse.db),
        ]);
        return shapeTimeline(events.rows, orders.rows);
      });
    },

    kpis(spec: { tenantId: string; from: Date; to: Date }): Promise<Answer<Kpis>> {
      const length = spec.to.getTime() - spec.from.getTime();
      const previous = { tenantId: spec.tenantId, from: new Date(spec.from.getTime() - length), to: spec.from };
      // MAU looks 30 days back from each period's end.
      const reads = daysOf(new Date(Math.min(previous.from.getTime(), spec.to.getTime() - 30 * DAY)), spec.to);
      return cached('kpis', spec.tenantId, spec, reads, async () => {
        const days = Math.ceil(length / DAY);
        const figures = async (period: typeof spec) =>
          shapeKpiFigures((await kpiQuery(warehouse.sql, period).execute(warehouse.db)).rows, days);
        return compareKpis(await figures(spec), await figures(previous));
      });
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/** Where this process has no warehouse: every analytics request is a clear 503 saying why. */
export function unavailableAnalytics(reason: string): AnalyticsService {
  const refuse = async (): Promise<never> => {
    throw new LivoraError('LIVORA_ANALYTICS_UNAVAILABLE', reason);
  };
  return {
    funnel: refuse,
    retention: refuse,
    ltv: refuse,
    products: refuse,
    kpis: refuse,
    personTimeline: refuse,
    builtSavedFunnels: async () => null,
  };
}

/** UTC days from `from`'s to `to`'s, inclusive. */
function daysOf(from: Date, to: Date): Reads {
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** What the query builders refuse becomes a clear, coded error; anything else stays a bug. */
function asAnalyticsError(error: unknown): unknown {
  if (error instanceof UnsupportedInWarehouseError)
    return new LivoraError('LIVORA_ANALYTICS_UNSUPPORTED', error.message);
  if (error instanceof RangeError) return new LivoraError('LIVORA_ANALYTICS_INVALID_QUERY', error.message);
  return error;
}
