import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { LoginService } from '../accounts/logins.ts';
import type { OidcLogin } from '../accounts/oidc-login.ts';
import type { UserService } from '../accounts/users.ts';
import type { AnalyticsService } from '../analytics/analytics-service.ts';
import type { SavedFunnelStore } from '../analytics/funnel/saved-funnel-store.ts';
import type { LiveFeed } from '../analytics/live-feed.ts';
import type { AuditReader } from '../audit/audit-log.ts';
import type { ActivityInbox } from '../crm/activity-inbox.ts';
import type { BulkJobs } from '../crm/bulk-jobs.ts';
import type { CompanyImport } from '../crm/company-import.ts';
import type { Contact360Reader } from '../crm/contact-360.ts';
import type { ContactImport } from '../crm/contact-import.ts';
import type { ContactMerge } from '../crm/contact-merge.ts';
import type { CustomFields } from '../crm/custom-fields.ts';
import type { DealBoard } from '../crm/deals/deal-board.ts';
import type { OfflineSync } from '../crm/offline-sync.ts';
import type { RecordService } from '../crm/record-service.ts';
import type { Segments } from '../crm/segments.ts';
import { LivoraError } from '../errors.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ProfileReader } from '../profiles/profile-reader.ts';
import type { SchemaRegistry } from '../schema-registry/registry.ts';
import { type Authenticator, type AuthSettings, jwtPluginOptions } from './auth.ts';
import { asLivoraError, Problem, problemOf } from './problem.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { crmRoutes } from './routes/crm.ts';
import { activityRoutes } from './routes/crm-activities.ts';
import { bulkRoutes } from './routes/crm-bulk.ts';
import { customFieldRoutes } from './routes/crm-custom-fields.ts';
import { dealRoutes } from './routes/crm-deals.ts';
import { crmSegmentRoutes } from './routes/crm-segments.ts';
import { syncRoutes } from './routes/crm-sync.ts';
import { eventsRoutes } from './routes/events.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import type { IngestHandler } from './routes/ingest-shared.ts';
import { profileRoutes } from './routes/profiles.ts';
import { savedFunnelRoutes } from './routes/saved-funnels.ts';
import { schemaRoutes } from './routes/schemas.ts';
import { segmentRoutes } from './routes/segment.ts';
import { userRoutes } from './routes/users.ts';

export const BODY_LIMIT_BYTES = 512 * 1024;

export interface HttpDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly auth: AuthSettings;
  readonly authenticate: Authenticator;
  readonly handleIngest: IngestHandler;
  readonly registry: SchemaRegistry;
  readonly profiles: ProfileReader;
  readonly analytics: AnalyticsService;
  readonly savedFunnels: SavedFunnelStore;
  readonly logins: LoginService;
  readonly oidcLogin?: OidcLogin;
  readonly audit: AuditReader;
  readonly users: UserService;
  readonly contacts: RecordService;
  readonly companies: RecordService;
  readonly deals: RecordService;
  readonly board: DealBoard;
  readonly activities: RecordService;
  readonly inbox: ActivityInbox;
  readonly contact360: Contact360Reader;
  readonly jobs: BulkJobs;
  readonly segments: Segments;
  readonly sync: OfflineSync;
  readonly merge: ContactMerge;
  readonly imports: ContactImport;
  readonly companyImports: CompanyImport;
  readonly customFields: CustomFields;
  readonly loadWarehouseSoon?: () => Promise<void>;
  readonly live: LiveFeed;
  readonly checks: readonly ReadinessCheck[];
  readonly version: string;
}

/**
 * The HTTP API: one encapsulated plugin per resource, TypeBox schemas that validate
 * requests and generate the OpenAPI document, and one error handler that answers every
 * failure as RFC 9457 problem details with a stable code.
 */
export async function buildHttpApp(deps: HttpDeps) {
  let shuttingDown = false;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One line per failed request (onResponse below) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    // Requests arriving while draining get a problem document (onRequest below), not Fastify's own 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.decorateRequest('principal', null);

  // Beacons (navigator.sendBeacon) post JSON as text/plain: the same parser as
  // application/json, prototype-poisoning checks included.
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  // Imports (contacts from a spreadsheet) arrive as CSV text.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (_request, reply) => {
    if (shuttingDown) {
      reply.header('connection', 'close');
      throw new LivoraError('LIVORA_UNAVAILABLE', 'the engine is shutting down; retry', undefined, {
        'retry-after': '1',
      });
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const known = asLivoraError(error);
    if (!known) request.log.error({ err: error }, 'request failed');
    const problem = problemOf(known ?? new LivoraError('LIVORA_INTERNAL'), request.id);
    return reply.code(problem.status).headers(problem.headers).send(problem.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = problemOf(
      new LivoraError('LIVORA_HTTP_NOT_FOUND', `no route ${request.method} ${request.url}`),
      request.id,
    );
    return reply.code(problem.status).headers(problem.headers).send(problem.body);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.observe(
      { route, method: request.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 400) {
      const level = reply.statusCode >= 500 ? 'warn' : 'info';
      request.log[level]({ route, method: request.method, status: reply.statusCode }, 'request refused');
    }
  });

  await app.register(fastifyJwt, jwtPluginOptions(deps.auth) as never);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Livora API',
        version: deps.version,
        description:
          'Event ingestion (canonical and Segment-compatible), schema registry, profiles, analytics and operations.',
      },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic', description: 'The write key as user name, empty password.' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
  });
  app.addSchema(Problem);
  // Every documented route can fail with a problem document: say so in the OpenAPI.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
    if (!schema || schema.hide) return;
    schema.response = { ...schema.response, '4XX': { $ref: 'Problem#' }, '5XX': { $ref: 'Problem#' } };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes({ checks: deps.checks, metrics: deps.metrics }));
  await app.register(eventsRoutes({ authenticate: deps.authenticate, handle: deps.handleIngest }), { prefix: '/v1' });
  await app.register(segmentRoutes({ authenticate: deps.authenticate, handle: deps.handleIngest }), { prefix: '/v1' });
  await app.register(schemaRoutes({ authenticate: deps.authenticate, registry: deps.registry }), { prefix: '/v1' });
  await app.register(authRoutes({ logins: deps.logins, ...(deps.oidcLogin ? { oidc: deps.oidcLogin } : {}) }), {
    prefix: '/v1',
  });
  await app.register(auditRoutes({ authenticate: deps.authenticate, audit: deps.audit }), { prefix: '/v1' });
  await app.register(userRoutes({ authenticate: deps.authenticate, users: deps.users }), { prefix: '/v1' });
  await app.register(
    crmRoutes({
      authenticate: deps.authenticate,
      contacts: deps.contacts,
      companies: deps.companies,
      contact360: deps.contact360,
      merge: deps.merge,
    }),
    { prefix: '/v1' },
  );
  await app.register(dealRoutes({ authenticate: deps.authenticate, deals: deps.deals, board: deps.board }), {
    prefix: '/v1',
  });
  await app.register(
    bulkRoutes({
      authenticate: deps.authenticate,
      jobs: deps.jobs,
      imports: deps.imports,
      companyImports: deps.companyImports,
    }),
    {
      prefix: '/v1',
    },
  );
  await app.register(crmSegmentRoutes({ authenticate: deps.authenticate, segments: deps.segments, jobs: deps.jobs }), {
    prefix: '/v1',
  });
  await app.register(syncRoutes({ authenticate: deps.authenticate, sync: deps.sync }), { prefix: '/v1' });
  await app.register(customFieldRoutes({ authenticate: deps.authenticate, customFields: deps.customFields }), {
    prefix: '/v1',
  });
  await app.register(
    activityRoutes({ authenticate: deps.authenticate, activities: deps.activities, inbox: deps.inbox }),
    { prefix: '/v1' },
  );
  await app.register(profileRoutes({ authenticate: deps.authenticate, profiles: deps.profiles }), { prefix: '/v1' });
  await app.register(
    analyticsRoutes({
      authenticate: deps.authenticate,
      analytics: deps.analytics,
      live: deps.live,
      segmentPersons: deps.segments.persons,
    }),
    {
      prefix: '/v1',
    },
  );
  await app.register(
    savedFunnelRoutes({
      authenticate: deps.authenticate,
      savedFunnels: deps.savedFunnels,
      analytics: deps.analytics,
      ...(deps.loadWarehouseSoon ? { loadWarehouseSoon: deps.loadWarehouseSoon } : {}),
    }),
    { prefix: '/v1' },
  );

  return Object.assign(app, {
    markShuttingDown() {
      shuttingDown = true;
    },
  });
}

export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>;
