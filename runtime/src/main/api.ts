import { createMemoryCache, createMemoryTokenBuckets } from '@livora/adapters/local';
import type { Cache, ChangeFeed, EventStream, TokenBuckets, Warehouse } from '@livora/adapters/ports';
import type { Logger } from 'pino';
import { createAnalyticsService, unavailableAnalytics } from '../analytics/analytics-service.ts';
import { createLiveFeed } from '../analytics/live-feed.ts';
import { parseRoleMap } from '../auth/oidc-claims.ts';
import { createWriteKeyResolver } from '../auth/write-key-resolver.ts';
import type { Config } from '../config/schema.ts';
import { uuidV7 } from '../events/uuid-v7.ts';
import { buildHttpApp, type HttpApp } from '../http/app.ts';
import { createAuthenticator } from '../http/auth.ts';
import type { ReadinessCheck } from '../http/routes/health.ts';
import { createIngestHandler } from '../http/routes/ingest-shared.ts';
import { createIngestService } from '../ingest/ingest-service.ts';
import { createIngestRateLimit } from '../ingest/rate-limit.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import type { Services } from './services.ts';

export interface RunningApi {
  readonly app: HttpApp;
  readonly url: string;
  /** Stops taking requests and waits for those in flight (up to the shutdown timeout). */
  stop(): Promise<void>;
}

/** The API role: ingestion, Segment-compatible endpoints, schema registry, health. */
export async function startApi(deps: {
  config: Config;
  log: Logger;
  metrics: Metrics;
  services: Services;
  stream: EventStream;
  changes: ChangeFeed;
  jwtSecret: string;
  extraChecks: readonly ReadinessCheck[];
  version: string;
  /** The warehouse, when this process holds one (the embedded DuckDB lives beside the loads). */
  warehouse?: Warehouse;
  /** Starts a warehouse load now, where this process runs the worker too (else loads come hourly). */
  loadWarehouseSoon?: () => Promise<void>;
}): Promise<RunningApi> {
  const { config, log, services, stream } = deps;
  const redisTls = config.rateLimit.redisCa ? { ca: config.rateLimit.redisCa } : {};
  const buckets: TokenBuckets = config.rateLimit.redisUrl
    ? (await import('@livora/adapters/redis')).createRedisTokenBuckets(config.rateLimit.redisUrl, redisTls)
    : createMemoryTokenBuckets();
  const cache: Cache = config.rateLimit.redisUrl
    ? (await import('@livora/adapters/redis')).createRedisCache(config.rateLimit.redisUrl, redisTls)
    : createMemoryCache({ maxEntries: 10_000 });
  const live = createLiveFeed();
  const analytics = deps.warehouse
    ? createAnalyticsService({ warehouse: deps.warehouse, cache, ttlSeconds: config.warehouse.cacheSeconds })
    : unavailableAnalytics(
        'this process has no warehouse: the embedded one lives in the worker’s process (run `livora start`, or the worker and API together)',
      );
  const keys = createWriteKeyResolver(services.keys);
  deps.changes.subscribe((table, tenant) => {
    if (table === 'write_keys' || table === '*') keys.forget();
    if (table === 'event_schemas' || table === '*') services.registry.forget(table === '*' ? null : tenant);
  });

  const oidc = config.auth.oidcIssuer
    ? {
        issuer: config.auth.oidcIssuer,
        ...(config.auth.oidcAudience ? { audience: config.auth.oidcAudience } : {}),
        tenantClaim: config.auth.oidcTenantClaim,
        roleClaim: config.auth.oidcRoleClaim,
        roleMap: parseRoleMap(config.auth.oidcRoleMap),
      }
    : undefined;
  const logins = services.logins({
    secret: deps.jwtSecret,
    accessTokenSeconds: config.auth.accessTokenSeconds,
    refreshTokenDays: config.auth.refreshTokenDays,
  });
  const { oidcClientId, oidcRedirectUri, oidcClientSecret } = config.auth;
  const oidcLogin =
    oidc && oidcClientId && oidcRedirectUri
      ? services.oidcLogin(logins, {
          ...oidc,
          clientId: oidcClientId,
          redirectUri: oidcRedirectUri,
          scopes: config.auth.oidcScopes,
          ...(oidcClientSecret ? { clientSecret: oidcClientSecret } : {}),
        })
      : undefined;
  const ingest = createIngestService({
    stream,
    schemas: services.registry,
    now: () => new Date(),
    newEventId: () => uuidV7(),
    onAccepted: (tenantId, events) => live.publish(tenantId, events),
  });
  const app = await buildHttpApp({
    logger: log,
    metrics: deps.metrics,
    auth: { localSecret: deps.jwtSecret, ...(oidc ? { oidc } : {}) },
    authenticate: createAuthenticator({
      keys,
      tenantExists: createTenantCheck(services.tenants),
      ...(oidc ? { oidc } : {}),
    }),
    handleIngest: createIngestHandler({
      ingest,
      rateLimit: createIngestRateLimit(buckets, config.rateLimit),
      metrics: deps.metrics,
    }),
    registry: services.registry,
    profiles: services.profiles,
    analytics,
    savedFunnels: services.savedFunnels,
    logins,
    ...(oidcLogin ? { oidcLogin } : {}),
    audit: services.audit,
    users: services.users,
    contacts: services.contacts,
    companies: services.companies,
    deals: services.deals,
    board: services.board,
    activities: services.activities,
    inbox: services.inbox,
    contact360: services.contact360(
      async (tenantId, personId) => (await analytics.personTimeline(tenantId, personId)).value,
    ),
    jobs: services.jobs,
    segments: services.segments,
    sync: services.sync,
    merge: services.merge,
    imports: services.imports,
    companyImports: services.companyImports,
    customFields: services.customFields,
    ...(deps.loadWarehouseSoon ? { loadWarehouseSoon: deps.loadWarehouseSoon } : {}),
    live,
    checks: [
      {
        name: 'event-log',
        required: true,
        async check() {
          await stream.check();
          return `ok (${stream.kind})`;
        },
      },
      ...deps.extraChecks,
    ],
    version: deps.version,
  });
  let url: string;
  try {
    url = await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await buckets.close();
    await cache.close();
    throw error;
  }
  return {
    app,
    url,
    async stop() {
      app.markShuttingDown();
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, config.server.shutdownTimeoutMs, 'timeout').unref(),
      );
      const outcome = await Promise.race([app.close().then(() => 'closed' as const), timeout]);
      if (outcome === 'timeout') {
        log.warn('in-flight requests outlived the shutdown timeout; closing their connections');
        app.server.closeAllConnections();
      }
      await buckets.close();
      await cache.close();
    },
  };
}

/** Tenants named by tokens, checked once and then cached (tenants are never deleted yet; unknown ones are not cached). */
function createTenantCheck(tenants: Services['tenants']): (tenantId: string) => Promise<boolean> {
  const cache = createAsyncCache<string, boolean>({
    load: (id) => tenants.exists(id),
    ttlMs: 10 * 60_000,
    maxEntries: 100_000,
  });
  return async (tenantId) => {
    const exists = await cache.get(tenantId);
    if (!exists) cache.invalidate((id) => id === tenantId);
    return exists;
  };
}
