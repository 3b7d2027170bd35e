import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { AnalyticsService } from '../../analytics/analytics-service.ts';
import type { SavedFunnelRecord, SavedFunnelStore } from '../../analytics/funnel/saved-funnel-store.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { checkMatch, checkProperty } from './analytics-checks.ts';
import { FunnelRequest } from './analytics-schemas.ts';

const { steps, window_seconds, order } = FunnelRequest.properties;

const SavedFunnelRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    steps,
    window_seconds,
    order,
    breakdown: Type.Optional(
      Type.Object(
        { property: FunnelRequest.properties.breakdown.properties.property },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Checkout',
        steps: [
          { event: 'Product Viewed' },
          { event: 'Product Added' },
          { event: 'Checkout Started' },
          { event: 'Order Completed' },
        ],
        window_seconds: 604800,
        order: 'ordered',
      },
    ],
  },
);

const SavedFunnelReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  steps,
  window_seconds: Type.Integer(),
  order: Type.String(),
  breakdown: Type.Union([Type.Object({ property: Type.String() }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('ready'), Type.Literal('building'), Type.Literal('unknown')], {
    description:
      '`ready`: funnels with these steps over whole days are read from its rows; `building`: the next warehouse load ' +
      'builds them (hourly, or now with `livora warehouse refresh`); `unknown`: this process has no warehouse.',
  }),
});

/**
 * /v1/analytics/saved-funnels: funnels the warehouse keeps day rows for at every load, so
 * that asking for one (POST /v1/analytics/funnel with the same steps, window, order and
 * entry-event breakdown, over whole days) reads those rows instead of every event.
 */
export function savedFunnelRoutes(deps: {
  authenticate: Authenticator;
  savedFunnels: SavedFunnelStore;
  analytics: AnalyticsService;
  /** Builds it soon (a warehouse load now) instead of at the next hourly load. */
  loadWarehouseSoon?: () => Promise<void>;
}): FastifyPluginAsyncTypebox {
  const common = { tags: ['analytics'], security: [{ bearer: [] }] };
  const withStatus = async (records: SavedFunnelRecord[]) => {
    const built = await deps.analytics.builtSavedFunnels(records.map((r) => r.key));
    return records.map((record) => ({
      id: record.id,
      name: record.name,
      steps: record.definition.steps as Static<typeof steps>,
      window_seconds: record.definition.windowSeconds,
      order: record.definition.order,
      breakdown: record.definition.breakdown ? { property: record.definition.breakdown.property } : null,
      created_at: record.createdAt.toISOString(),
      status: !built ? ('unknown' as const) : built.has(record.key) ? ('ready' as const) : ('building' as const),
    }));
  };
  return async (app) => {
    app.post(
      '/analytics/saved-funnels',
      {
        schema: {
          ...common,
          summary: 'Save a funnel',
          description:
            'The warehouse builds its day rows at the next load (started now where the API runs beside the worker, as in ' +
            '`livora start`), then keeps them up to date at every load.',
          body: SavedFunnelRequest,
          response: { 201: SavedFunnelReply },
        },
        preHandler: deps.authenticate({ permission: 'analytics:write' }),
      },
      async (request, reply) => {
        const body = request.body;
        for (const step of body.steps) checkMatch(step);
        if (body.breakdown) checkProperty(body.breakdown.property);
        const record = await deps.savedFunnels.save(body.name, {
          tenantId: principalOf(request).tenantId,
          steps: body.steps,
          windowSeconds: body.window_seconds ?? 7 * 86_400,
          order: body.order ?? 'ordered',
          ...(body.breakdown ? { breakdown: { property: body.breakdown.property } } : {}),
        });
        deps
          .loadWarehouseSoon?.()
          .catch((error) =>
            request.log.warn({ err: error }, 'could not start a warehouse load: the hourly one builds the funnel'),
          );
        const [saved] = await withStatus([record]);
        return reply.code(201).send(saved as NonNullable<typeof saved>);
      },
    );

    app.get(
      '/analytics/saved-funnels',
      {
        schema: {
          ...common,
          summary: 'The tenant’s saved funnels',
          response: { 200: Type.Object({ funnels: Type.Array(SavedFunnelReply) }) },
        },
        preHandler: deps.authenticate({ permission: 'analytics:read' }),
      },
      async (request) => ({ funnels: await withStatus(await deps.savedFunnels.list(principalOf(request).tenantId)) }),
    );

    app.delete(
      '/analytics/saved-funnels/:id',
      {
        schema: {
          ...common,
          summary: 'Forget a saved funnel',
          description: 'The next warehouse load drops its rows (unless another saved funnel has the same steps).',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 204: Type.Null() },
        },
        preHandler: deps.authenticate({ permission: 'analytics:write' }),
      },
      async (request, reply) => {
        await deps.savedFunnels.remove(principalOf(request).tenantId, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
